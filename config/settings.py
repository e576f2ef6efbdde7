"""Settings, read from the environment (django-environ). Only this module reads it.

Every value has a local default so `make run` works on a fresh machine; once DEBUG is off the
production values are required and a missing one stops the process at startup.
"""

import ipaddress
import logging
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import sentinel
from config.origins import canonical_origin
from config.replicas import pool_settings, replica_aware, replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent
log = logging.getLogger("config")

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; a missing file is ignored

# Off unless asked for (a deploy that forgets it shows no tracebacks); `make run` and tests turn it on.
DEBUG = env.bool("DEBUG", default=False)


def _required(name: str, local_default: str) -> str:
    """A value production must set: a local default while DEBUG is on, an error once it is off."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return local_default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")


SECRET_KEY = _required("SECRET_KEY", "django-insecure-local-only-never-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if not DEBUG and not env.list("ALLOWED_HOSTS", default=[]):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "csp",
    "corsheaders",
    "config.apps.SiteConfig",
    "delivery",
    "accounts",
    "articles",
    "corrections",
    "comments",
    "moderation",
    "readers",
    "embed",
    # Sign-in with the newsroom's OpenID Connect provider (OIDC_ISSUER); only its login and
    # callback addresses are mounted (config/urls.py): /accounts/login/ and the rest stay ours.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "dsa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS for the permitted origins on /api/ (embed/): outside the page cache, so a stored answer
    # never keeps one origin's Access-Control-Allow-Origin (delivery/fast_path.py runs it too).
    "corsheaders.middleware.CorsMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",  # PostgreSQL down: 503 with Retry-After, not 500
    "config.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers' cached pages and 304s, before sessions, CSRF and auth (delivery/pagecache.py).
    "delivery.pagecache.PublicCacheMiddleware",
    "delivery.middleware.PrivateAnswersMiddleware",  # `private, no-store` on answers that are someone's
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "delivery.middleware.AuthenticationMiddleware",  # Django's, the user read from a kept copy
    "embed.middleware.BearerPageMiddleware",  # the newsroom's readers on the embed's HTML (GET)
    "config.replicas.ReplicaReadsMiddleware",  # which reads a replica may answer (DATABASE_REPLICA_URLS)
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",  # django-allauth needs it for the OIDC flow
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "moderation.context_processors.moderation",
            ],
        },
    },
]

# Database: a SQLite file for a first try, PostgreSQL in production (DATABASE_URL).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Tests share the test database with a real worker process, so it must be a file, not
    # memory; a busy timeout and IMMEDIATE transactions keep the worker and web from failing
    # with "database is locked" under concurrent writes.
    _db.setdefault("TEST", {})["NAME"] = str(Path(_db["NAME"]).with_name("test_" + Path(_db["NAME"]).name))
    _db.setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
else:
    _db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    _db.setdefault("CONN_HEALTH_CHECKS", True)
# Streaming replicas for anonymous reads and the API's GETs (config/replicas.py says which reads);
# one skipped while more than REPLICA_MAX_LAG_SECONDS behind; a reader who wrote reads the primary
# for REPLICA_WRITER_SECONDS (longer than any lag a replica in use may have).
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
DATABASES.update(replica_databases(DATABASE_REPLICA_URLS, _db, env))
DATABASE_ROUTERS = ["config.replicas.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
REPLICA_LAG_CHECK_SECONDS = env.float("REPLICA_LAG_CHECK_SECONDS", default=1.0)
REPLICA_WRITER_SECONDS = env.int("REPLICA_WRITER_SECONDS", default=int(REPLICA_MAX_LAG_SECONDS) + 5)
REPLICA_PRIMARY_PATHS = ["/moderation/", "/api/v1/moderation/", "/admin/", "/accounts/", "/healthz"]
# PgBouncer in transaction pooling in front of PostgreSQL: DATABASE_POOLER=transaction (README).
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
pool_settings(DATABASES, DATABASE_POOLER)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "config.tokens.RevokeTokensOnPasswordChange"},
]
# Refuses passwords while an account or address is over LOGIN_FAILURE_* (config.auth).
AUTHENTICATION_BACKENDS = ["config.auth.ThrottledModelBackend"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# English only: without translation machinery a page with 20 comments renders in 17 % less time.
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Files served at the site's root by whitenoise: /embed.js, the script a newsroom pastes.
WHITENOISE_ROOT = BASE_DIR / "embed" / "public"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

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

# Mail: console until EMAIL_URL names an SMTP server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Newsroom <newsroom@localhost>")

REST_FRAMEWORK = {
    # Token first, so a request without credentials gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.tokens.ExpiringTokenAuthentication",
        "embed.sso.BearerAuthentication",  # the newsroom's readers (JWT, Coral's claims)
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Articles, comment threads, reader corrections and the moderation queue.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_error_responses",
    ],
}

# Bounded input: a request body larger than this gets 413 (config.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)

SITE_NAME = env.str("SITE_NAME", default="The Newsroom")
# Where readers reach the site, for links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Readers' emails about replies and featured comments wait this long and go as one digest.
NOTIFICATION_DIGEST_SECONDS = env.int("NOTIFICATION_DIGEST_SECONDS", default=300)
COMMENT_EDIT_WINDOW_SECONDS = env.int("COMMENT_EDIT_WINDOW_SECONDS", default=5 * 60)
COMMENT_RATE_LIMIT = env.int("COMMENT_RATE_LIMIT", default=5)  # comments per user
# Comments per IP address: a higher backstop, so people sharing a network do not wait for each other.
COMMENT_IP_RATE_LIMIT = env.int("COMMENT_IP_RATE_LIMIT", default=30)
COMMENT_RATE_PERIOD = env.int("COMMENT_RATE_PERIOD", default=60)  # seconds
COMMENT_EDIT_RATE_LIMIT = env.int("COMMENT_EDIT_RATE_LIMIT", default=10)  # edits per user
COMMENT_EDIT_RATE_PERIOD = env.int("COMMENT_EDIT_RATE_PERIOD", default=60)  # seconds
COMMENT_PAGE_SIZE = env.int("COMMENT_PAGE_SIZE", default=20)  # top-level comments per page
# Replies shown under each comment in a thread; the rest page in through "Show N more replies".
COMMENT_REPLIES_SHOWN = env.int("COMMENT_REPLIES_SHOWN", default=3)
if COMMENT_REPLIES_SHOWN < 1:
    raise ImproperlyConfigured("COMMENT_REPLIES_SHOWN must be at least 1")
# How often an open article page asks whether comments were published since (0: never).
LIVE_POLL_SECONDS = env.int("LIVE_POLL_SECONDS", default=15)
if LIVE_POLL_SECONDS < 0:
    raise ImproperlyConfigured("LIVE_POLL_SECONDS must be 0 (off) or more")

# What anonymous pages tell a shared cache in front (Varnish, a CDN): keep it this many seconds,
# then serve it stale this much longer while fetching a fresh one (delivery/pagecache.py).
PUBLIC_MAX_AGE = env.int("PUBLIC_MAX_AGE", default=10)
PUBLIC_STALE_WHILE_REVALIDATE = env.int("PUBLIC_STALE_WHILE_REVALIDATE", default=30)
# New answers kept per article (pages; API pages; live answers) per 10 minutes: past it they are
# built and not kept, so no variation of an article's addresses fills Redis.
PAGE_CACHE_ENTRIES = env.int("PAGE_CACHE_ENTRIES", default=300)

# Automated moderation: the initial values of the ModerationSettings row, which admins then edit.
MODERATION_TOXICITY_REVIEW = env.float("MODERATION_TOXICITY_REVIEW", default=0.95)
MODERATION_TOXICITY_REJECT = env.float("MODERATION_TOXICITY_REJECT", default=0.99)
# The local classifier can be switched off (its check then approves, saying so in the audit).
MODERATION_TOXICITY_CHECK = env.bool("MODERATION_TOXICITY_CHECK", default=True)
# The harm model in use (moderation/classifier.py): empty, the one shipped in moderation/model/;
# retraining (manage.py train_moderation --retrain) writes here when a candidate is no worse.
MODERATION_MODEL_PATH = env.str("MODERATION_MODEL_PATH", default="")
# Retrain from moderators' decisions once a month (beat); off by default.
MODERATION_RETRAIN_MONTHLY = env.bool("MODERATION_RETRAIN_MONTHLY", default=False)
if MODERATION_RETRAIN_MONTHLY:
    CELERY_BEAT_SCHEDULE["retrain-moderation-model"] = {
        "task": "moderation.tasks.retrain_model",
        "schedule": 30 * 24 * 3600.0,
    }
MODERATION_MAX_LINKS = env.int("MODERATION_MAX_LINKS", default=2)
MODERATION_LINKS_MIN_APPROVED = env.int("MODERATION_LINKS_MIN_APPROVED", default=3)
MODERATION_DUPLICATE_HOURS = env.int("MODERATION_DUPLICATE_HOURS", default=24)
MODERATION_WAVE_ACCOUNTS = env.int("MODERATION_WAVE_ACCOUNTS", default=3)
MODERATION_WAVE_MINUTES = env.int("MODERATION_WAVE_MINUTES", default=10)
MODERATION_SWEEP_AFTER_SECONDS = env.int("MODERATION_SWEEP_AFTER_SECONDS", default=60)
# Weighted reader flags: at the first a comment enters the `reported` queue, at the second it is withheld.
MODERATION_FLAGS_TO_REPORT = env.float("MODERATION_FLAGS_TO_REPORT", default=3)
MODERATION_FLAGS_TO_WITHHOLD = env.float("MODERATION_FLAGS_TO_WITHHOLD", default=6)
# The review queue: items a claim takes, how long a moderator holds them, how long undo is offered.
MODERATION_CLAIM_COUNT = env.int("MODERATION_CLAIM_COUNT", default=10)
MODERATION_LEASE_SECONDS = env.int("MODERATION_LEASE_SECONDS", default=5 * 60)
MODERATION_UNDO_SECONDS = env.int("MODERATION_UNDO_SECONDS", default=10)
# How often an open queue page asks whether its tab counts changed (a 304 when they did not).
MODERATION_POLL_SECONDS = env.int("MODERATION_POLL_SECONDS", default=15)

CORRECTION_RATE_LIMIT = env.int("CORRECTION_RATE_LIMIT", default=5)  # correction reports per IP
CORRECTION_RATE_PERIOD = env.int("CORRECTION_RATE_PERIOD", default=10 * 60)  # seconds
NOTICE_RATE_LIMIT = env.int("NOTICE_RATE_LIMIT", default=5)  # notices of illegal content per IP
NOTICE_RATE_PERIOD = env.int("NOTICE_RATE_PERIOD", default=10 * 60)  # seconds

# Credentials (config.auth): wrong passwords per account and per address within a period, on the
# token endpoint and the login form; new accounts per address; how long an API token lasts.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_IP_LIMIT = env.int("LOGIN_FAILURE_IP_LIMIT", default=20)
LOGIN_FAILURE_PERIOD = env.int("LOGIN_FAILURE_PERIOD", default=15 * 60)  # seconds
SIGNUP_RATE_LIMIT = env.int("SIGNUP_RATE_LIMIT", default=5)
SIGNUP_RATE_PERIOD = env.int("SIGNUP_RATE_PERIOD", default=60 * 60)  # seconds
API_TOKEN_EXPIRE_DAYS = env.int("API_TOKEN_EXPIRE_DAYS", default=30)

# Reverse proxies in front of the site, through which the client's address is read from
# X-Forwarded-For (config.ratelimit.client_ip): either how many hops (the one that connects to us
# counts), or the proxies' addresses/networks, outermost first. Neither: the header is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
if TRUSTED_PROXY_COUNT and TRUSTED_PROXIES:
    raise ImproperlyConfigured("Set TRUSTED_PROXY_COUNT or TRUSTED_PROXIES, not both")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network") from None

# The newsroom's own site (embed/): the origins whose pages may frame /embed/ and call the API
# from the browser (CORS, no credentials), beside those admins add in Django admin (Embed origins).
EMBED_ORIGINS = []
for _origin in env.list("EMBED_ORIGINS", default=[]):
    try:
        EMBED_ORIGINS.append(canonical_origin(_origin))
    except ValueError as error:
        raise ImproperlyConfigured(f"EMBED_ORIGINS: {error}") from None
# New stories (a page of a permitted site asked for the first time) per IP address per period.
STORY_RATE_LIMIT = env.int("STORY_RATE_LIMIT", default=30)
STORY_RATE_PERIOD = env.int("STORY_RATE_PERIOD", default=3600)  # seconds
CORS_ALLOWED_ORIGINS = EMBED_ORIGINS
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_CREDENTIALS = False  # the newsroom's readers send a Bearer token, never our cookies
CORS_PREFLIGHT_MAX_AGE = 86400
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# Its readers' JWTs (embed/sso.py): HS256 with SSO_JWT_SECRET, named by `kid` SSO_JWT_KID; during a
# rotation the previous secret stays valid under its own kid. Empty secret: Bearer tokens get 401.
SSO_JWT_SECRET = env.str("SSO_JWT_SECRET", default="")
SSO_JWT_KID = env.str("SSO_JWT_KID", default="")
SSO_JWT_SECRET_PREVIOUS = env.str("SSO_JWT_SECRET_PREVIOUS", default="")
SSO_JWT_KID_PREVIOUS = env.str("SSO_JWT_KID_PREVIOUS", default="")
# A token issued longer ago than this is refused whatever its `exp` says (seconds).
SSO_JWT_MAX_AGE = env.int("SSO_JWT_MAX_AGE", default=24 * 3600)
if SSO_JWT_SECRET_PREVIOUS and not (
    SSO_JWT_KID and SSO_JWT_KID_PREVIOUS and SSO_JWT_KID != SSO_JWT_KID_PREVIOUS
):
    raise ImproperlyConfigured(
        "SSO_JWT_SECRET_PREVIOUS needs SSO_JWT_KID and SSO_JWT_KID_PREVIOUS, different"
    )
for _name in ("SSO_JWT_SECRET", "SSO_JWT_SECRET_PREVIOUS"):
    # HS256 is as strong as its key: RFC 7518 asks for at least 256 bits.
    if not DEBUG and 0 < len(vars()[_name].encode()) < 32:
        raise ImproperlyConfigured(f"{_name} must be at least 32 bytes long")

# Sign-in on our own pages with the newsroom's OpenID Connect provider (django-allauth): its issuer
# (discovery at <issuer>/.well-known/openid-configuration) and this site's client there; the
# redirect URI to register is <SITE_URL>/accounts/oidc/newsroom/login/callback/. Unset: no button.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_NAME = env.str("OIDC_NAME", default="the newsroom")  # "Sign in with the newsroom"
if OIDC_ISSUER and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "newsroom",
                "name": OIDC_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_ISSUER},
            }
        ]
        if OIDC_ISSUER
        else [],
    }
}
SOCIALACCOUNT_ADAPTER = "accounts.oidc.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button POSTs with its CSRF token
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linked by the provider's `sub`, never by email
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5  # seconds for each call to the provider
ACCOUNT_EMAIL_VERIFICATION = "none"  # our accounts app verifies addresses itself
ACCOUNT_UNIQUE_EMAIL = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from the site's own static files,
# no inline script, style attribute or handler (the JSON-LD is a data block, which CSP leaves be).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
