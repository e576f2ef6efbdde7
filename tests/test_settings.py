"""Settings as a deploy gets them: what happens when a variable is left out."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "SECRET_KEY": "x-long-random-value-for-the-test-only-0123456789abcdef",
    "ALLOWED_HOSTS": "news.example.com",
}


def _settings_of(env: dict, expression: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({expression})",
        ],
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_when_the_environment_does_not_say(redis_client):
    # redis_client: with DEBUG off the settings insist on a reachable Redis.
    result = _settings_of(PRODUCTION, "settings.DEBUG")

    assert result.stdout.strip() == "False", result.stderr


def test_a_deploy_that_forgets_the_secret_key_does_not_start():
    result = _settings_of({"ALLOWED_HOSTS": "news.example.com"}, "settings.DEBUG")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_importing_the_settings_opens_no_connection():
    code = (
        # Any connection attempt would raise TypeError: None is not callable.
        "import socket; socket.create_connection = socket.socket.connect = None; "
        "import config.settings as s; print(s.REDIS_AVAILABLE)"
    )
    base = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **PRODUCTION, "REDIS_URL": "redis://127.0.0.1:1/0"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "True", result.stderr


def test_without_a_reachable_redis_tasks_run_in_process_with_local_caches():
    result = _settings_of(
        {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:1/0"},
        "settings.CELERY_EAGER, settings.CACHES['strict']['BACKEND'], "
        "__import__('config.celery').celery.app.conf.task_always_eager",
    )

    assert result.stdout.strip() == ("True django.core.cache.backends.locmem.LocMemCache True"), result.stderr


def test_a_deploy_without_a_reachable_redis_does_not_start():
    result = _settings_of({**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:1/0"}, "settings.DEBUG")

    assert result.returncode != 0
    assert "REDIS_URL must point at a reachable Redis when DEBUG is off" in result.stderr


def test_the_page_cache_may_have_a_redis_of_its_own():
    env = {
        "DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    }
    code = (
        "import config.settings as s; print(s.CACHES['default']['LOCATION'], s.CACHES['strict']['LOCATION'])"
    )
    base = {k: v for k, v in os.environ.items() if k != "DEBUG"}

    result = subprocess.run([sys.executable, "-c", code], env={**base, **env}, cwd=settings.BASE_DIR,
                            capture_output=True, text=True, timeout=60)  # fmt: skip

    assert result.stdout.split() == ["redis://cache.internal:6379/0", "redis://127.0.0.1:6379/0"], (
        result.stderr
    )
