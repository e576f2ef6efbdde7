"""The authentication backend moved from config/auth.py to accounts/credentials.py. Every signed-in
session names its backend's dotted path, and Django signs out a session whose path is not in
AUTHENTICATION_BACKENDS, so this rewrites the path in every unexpired session (and back when
reversed), one row at a time, then drops the row's copy in the session cache: the next request
reads the rewritten row. With Redis unreachable a copy cannot be dropped; it lives at most
SESSION_CACHE_SECONDS (delivery/sessions.py), and its reader looks signed out until it goes.

Not atomic: each row is committed before its copy is dropped, so a request in between cannot put
back a copy of the old row that would outlive the migration.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import caches
from django.db import migrations
from django.utils import timezone

OLD = "config.auth.ThrottledModelBackend"
NEW = "accounts.credentials.ThrottledModelBackend"
log = logging.getLogger(__name__)


def rewrite(apps, schema_editor, *, old: str = OLD, new: str = NEW) -> int:
    """Name `new` instead of `old` in every unexpired session; how many were rewritten."""
    Session = apps.get_model("sessions", "Session")
    rows = Session.objects.using(schema_editor.connection.alias)
    engine = import_module(settings.SESSION_ENGINE).SessionStore
    store = engine()  # decodes and encodes as the site does (one salt for every SessionStore)
    prefix = getattr(engine, "cache_key_prefix", None)  # the engines that keep copies in a cache
    live = rows.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data")
    named = [(key, data) for key, data in live.iterator() if store.decode(data).get(BACKEND_SESSION_KEY) == old]
    for key, data in named:
        decoded = store.decode(data)
        decoded[BACKEND_SESSION_KEY] = new
        rows.filter(session_key=key).update(session_data=store.encode(decoded))
        if prefix:
            try:
                caches[settings.SESSION_CACHE_ALIAS].delete(prefix + key)
            except Exception as error:  # the copy lives at most SESSION_CACHE_SECONDS
                log.warning("a session's copy was left in the cache: %s", error)
    return len(named)


def rewrite_back(apps, schema_editor) -> int:
    return rewrite(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0005_add_standing"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rewrite, rewrite_back)]
