"""Production-like settings plus the bare baseline view, for bench/run.py only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": True}

# bench.tasks: the bare Celery task the pipeline benchmark compares against.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
