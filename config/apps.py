import logging
import socket
from urllib.parse import urlparse

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import sentinel

log = logging.getLogger("config")


class SiteConfig(AppConfig):
    name = "config"
    verbose_name = "Site"

    def ready(self) -> None:
        if settings.REDIS_AVAILABLE and not (
            sentinel.reachable(settings) if settings.REDIS_SENTINELS else _redis_reachable(settings.REDIS_URL)
        ):
            _without_redis()
        if settings.CELERY_EAGER:
            log.warning(
                "Redis is not reachable at REDIS_URL=%r: running Celery tasks eagerly in-process "
                "with a local-memory cache; periodic work (beat) is not run.",
                settings.REDIS_URL,
            )


def _redis_reachable(url: str) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 0.5):
            return True
    except OSError:
        return False


def _without_redis() -> None:
    """Serve without Redis: local-memory caches and tasks run in-process (settings.py says why here).

    Before any cache is opened: Django reads CACHES at the first use of a cache.
    """
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            f"REDIS_URL must point at a reachable Redis when DEBUG is off ({settings.REDIS_URL!r})"
        )
    settings.REDIS_AVAILABLE = False
    settings.CELERY_EAGER = settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHES = settings.LOCAL_CACHES
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    from .celery import app

    app.conf.task_always_eager = True
