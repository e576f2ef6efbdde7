import logging

from django.apps import AppConfig
from django.conf import settings

log = logging.getLogger("config")


class SiteConfig(AppConfig):
    name = "config"
    verbose_name = "Site"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from . import auth

        # Every wrong password counts toward the login throttle, whichever form or API sent it.
        user_login_failed.connect(auth.count_failed_login, dispatch_uid="config.auth.count_failed_login")
        if settings.CELERY_EAGER:
            log.warning(
                "Redis is not reachable at REDIS_URL=%r: running Celery tasks eagerly in-process "
                "with a local-memory cache; periodic work (beat) is not run.",
                settings.REDIS_URL,
            )
