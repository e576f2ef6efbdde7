"""The Redis settings (part of config/settings.py): the caches, sessions and Celery with its broker."""

from django.core.exceptions import ImproperlyConfigured

from config import sentinel
from config.replicas import replica_aware
from config.settings_database import DATABASE_REPLICA_URLS
from config.settings_env import DEBUG, env

# Redis: broker, cache and rate limits. With none reachable (or REDIS_URL empty) the site still
# serves: Celery runs tasks eagerly in-process and the cache is local memory.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Redis behind Sentinel (config/sentinel.py): "host:port" of each Sentinel and the master's name;
# REDIS_URL then names only the database number.
REDIS_SENTINELS = env.list("REDIS_SENTINELS", default=[])
REDIS_SENTINEL_MASTER = env.str("REDIS_SENTINEL_MASTER", default="mymaster")
# Whether it answers is asked once as Django starts (config.apps), never on import: an unreachable
# Redis then switches to LOCAL_CACHES and eager tasks, or with DEBUG off stops the process.
REDIS_AVAILABLE = bool(REDIS_URL)
if not DEBUG and not REDIS_AVAILABLE:
    raise ImproperlyConfigured("REDIS_URL must point at a reachable Redis when DEBUG is off ('')")
CELERY_EAGER = not REDIS_AVAILABLE

# Every Redis client (cache, rate limits, health, the Celery broker) gives up quickly: a request
# never waits on a stopped or frozen Redis for more than about a second (delivery/redis_client.py).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.25)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.25)

LOCAL_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "strict": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "strict"},
}
# The page cache (the "default" cache below) may live in a Redis of its own, which may then evict
# (README: "Redis memory"); rate limits, sessions' records and the broker stay in REDIS_URL's.
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default="") or REDIS_URL
if REDIS_AVAILABLE:
    _redis_cache = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="newsroom"),
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
            "REDIS_CLIENT_CLASS": "delivery.redis_client.FailFastRedis",
        },
    }
    CACHES = {
        # Copies of what the database holds: with Redis unreachable a read misses and a write is
        # skipped (pages come from the database, slower but correct).
        "default": {
            **_redis_cache,
            "LOCATION": CACHE_REDIS_URL,
            "OPTIONS": {**_redis_cache["OPTIONS"], "IGNORE_EXCEPTIONS": True},
        },
        # What only Redis holds (rate-limit windows, the worker's heartbeat, mail-once marks): a
        # Redis error reaches the caller, which decides (fail open, 503, retry the task).
        "strict": _redis_cache,
    }
else:
    CACHES = LOCAL_CACHES
if DATABASE_REPLICA_URLS:  # nothing built from a replica is kept in the shared cache (config/replicas.py)
    CACHES["default"] = replica_aware(CACHES["default"])
# Sessions are kept in the database and read from the fail-soft cache (without Redis at all, the
# database alone); a copy lives at most SESSION_CACHE_SECONDS (delivery/sessions.py says why).
SESSION_ENGINE = "delivery.sessions" if REDIS_AVAILABLE else "django.contrib.sessions.backends.db"
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=300)

# Celery (config/celery.py reads every CELERY_* name here).
# The broker: REDIS_URL's Redis, or RabbitMQ where a newsroom prefers it (amqp://user:pass@host/vhost).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = CELERY_EAGER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_DEFAULT_QUEUE = "maintenance"
# Matched in order: mail first, then periodic upkeep, then the moderation work itself.
CELERY_TASK_ROUTES = {
    "*.notify_*": {"queue": "notifications"},
    "*.send_*": {"queue": "notifications"},
    "moderation.tasks.sweep_pending": {"queue": "maintenance"},
    "moderation.tasks.release_expired_leases": {"queue": "maintenance"},
    "moderation.tasks.sweep_decision_mail": {"queue": "notifications"},
    "moderation.tasks.snapshot_*": {"queue": "maintenance"},
    "moderation.tasks.*": {"queue": "moderation"},
    "dsa.tasks.sweep_*": {"queue": "maintenance"},
}
# Longer than any task's hard time limit, so Redis never redelivers a task still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    # A connection gone silent (a frozen Redis, a lost network) is noticed and replaced within
    # seconds; acks and restores Redis missed are told again at each restore tick (config/broker.py).
    "socket_keepalive": True,
    "health_check_interval": 10,
    "unacked_restore_interval": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
if CELERY_BROKER_URL.startswith(("amqp:", "amqps:", "pyamqp:")):
    # RabbitMQ's handshake takes several round trips (0.25 s timed out on a loaded machine).
    CELERY_BROKER_CONNECTION_TIMEOUT = env.float("AMQP_CONNECT_TIMEOUT", default=1.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker never gives up on the broker: it retries for as long as Redis is away (default: 100 tries).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A request that queues a task never hangs on a Redis that is down: one attempt (the sweep queues
# it again); against a frozen Redis each retry only waited out another timeout (two took 1.2 s).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
if REDIS_SENTINELS and REDIS_AVAILABLE:
    sentinel.configure(
        vars(),
        sentinels=REDIS_SENTINELS,
        master=REDIS_SENTINEL_MASTER,
        connect_timeout=REDIS_CONNECT_TIMEOUT,
        socket_timeout=REDIS_SOCKET_TIMEOUT,
    )
# kombu's Redis transport (and its Sentinel one) with a failed ack or restore kept and retried
# instead of wedging or stopping the worker (config/broker.py); RabbitMQ and the in-memory broker
# of eager mode keep their own. bench/redis_faults.py compares kombu's own ("redis").
CELERY_BROKER_TRANSPORT = (
    env.str(
        "CELERY_BROKER_TRANSPORT_CLASS",
        default={
            "redis": "config.broker:Transport",
            "rediss": "config.broker:Transport",
            "sentinel": "config.broker:SentinelTransport",
        }.get(CELERY_BROKER_URL.partition(":")[0], ""),
    )
    or None
)
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 120
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Each worker process loads the harm model as it starts (moderation.tasks.load_classifier): 0.2 s
# with its parts preloaded before the fork, but 12-16 s measured on the loaded 2-core machine
# without them, past Celery's 4 s wait for a new process to say it is up (it is then replaced).
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 60.0
# /healthz reports the worker from the heartbeat it writes this often (config/tasks.py): down when
# the last one is more than three intervals old. No live ping: that tied up a web worker per request.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=30)
# Each worker also consumes a queue of its own, so its supervisor can ask that worker alone for a
# heartbeat (config/worker.py) and restart it when it takes no work.
CELERY_WORKER_DIRECT = True
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "config.tasks.heartbeat", "schedule": float(WORKER_HEARTBEAT_SECONDS)},
    "sweep-pending-comments": {"task": "moderation.tasks.sweep_pending", "schedule": 30.0},
    "sweep-correction-reports": {"task": "articles.tasks.sweep_correction_reports", "schedule": 300.0},
    "release-expired-leases": {"task": "moderation.tasks.release_expired_leases", "schedule": 60.0},
    "sweep-notifications": {"task": "comments.tasks.sweep_notifications", "schedule": 300.0},
    "forget-expired-revocations": {"task": "embed.tasks.forget_expired_revocations", "schedule": 3600.0},
    "sweep-dsa-mail": {"task": "dsa.tasks.sweep_mail", "schedule": 300.0},
    "sweep-decision-mail": {"task": "moderation.tasks.sweep_decision_mail", "schedule": 60.0},
}
