"""Redis behind Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_MASTER): the caches, the rate limits,
the Celery broker and this process's tracked copies ask the Sentinels which server is the master,
and ask again after a failover. Without REDIS_SENTINELS nothing here is used.

REDIS_URL then only names the database number (redis://<master name>/<db>); its host is ignored.
"""

from urllib.parse import urlsplit

import redis
from redis.sentinel import Sentinel


def addresses(sentinels: list[str]) -> list[tuple[str, int]]:
    """[(host, port)] from "host:port" items (the port defaults to 26379)."""
    found = []
    for item in sentinels:
        host, _, port = item.strip().rpartition(":") if ":" in item else (item.strip(), "", "26379")
        found.append((host or "127.0.0.1", int(port)))
    return found


def database(url: str) -> int:
    path = urlsplit(url).path.strip("/")
    return int(path) if path.isdigit() else 0


def configure(
    conf: dict, *, sentinels: list[str], master: str, connect_timeout: float, socket_timeout: float
) -> None:
    """Point the settings `conf` (the namespace of config/settings_redis.py) at the Sentinels: both Redis caches
    through django-redis's SentinelClient and, unless another broker is named, Celery's broker
    through `sentinel://` with the master's name."""
    hosts = addresses(sentinels)
    db = database(conf["REDIS_URL"])
    location = f"redis://{master}/{db}"
    sentinel_kwargs = {"socket_connect_timeout": connect_timeout, "socket_timeout": socket_timeout}
    for name, cache in conf["CACHES"].items():
        if not cache["BACKEND"].startswith("django_redis."):
            continue
        cache["LOCATION"] = location
        cache["OPTIONS"] = {
            **cache["OPTIONS"],
            "CLIENT_CLASS": "django_redis.client.SentinelClient",
            "CONNECTION_FACTORY": "django_redis.pool.SentinelConnectionFactory",
            "CONNECTION_POOL_CLASS": "redis.sentinel.SentinelConnectionPool",
            "SENTINELS": hosts,
            "SENTINEL_KWARGS": sentinel_kwargs,
        }
        conf["CACHES"][name] = cache
    if conf["CELERY_BROKER_URL"].startswith("redis"):
        conf["CELERY_BROKER_URL"] = ";".join(f"sentinel://{host}:{port}/{db}" for host, port in hosts)
        conf["CELERY_BROKER_TRANSPORT_OPTIONS"] = {
            **conf["CELERY_BROKER_TRANSPORT_OPTIONS"],
            "master_name": master,
            "sentinel_kwargs": sentinel_kwargs,
        }


_sentinels: dict[tuple, Sentinel] = {}


def master_address(settings) -> tuple[str, int] | None:
    """The master's (host, port) as the Sentinels say now; None without Sentinels. Raises
    redis.ConnectionError (MasterNotFoundError) when none of them can say."""
    if not settings.REDIS_SENTINELS:
        return None
    hosts = tuple(addresses(settings.REDIS_SENTINELS))
    sentinel = _sentinels.get(hosts)
    if sentinel is None:
        timeouts = {
            "socket_connect_timeout": settings.REDIS_CONNECT_TIMEOUT,
            "socket_timeout": settings.REDIS_SOCKET_TIMEOUT,
        }
        sentinel = _sentinels[hosts] = Sentinel(list(hosts), sentinel_kwargs=timeouts, **timeouts)
    return sentinel.discover_master(settings.REDIS_SENTINEL_MASTER)


def reachable(settings) -> bool:
    try:
        return master_address(settings) is not None
    except (redis.RedisError, OSError):
        return False
