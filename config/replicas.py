"""Read replicas (DATABASE_REPLICA_URLS): which reads may go to a streaming replica, and which not.

Everything reads and writes the primary ("default") unless ReplicaReadsMiddleware opens the
request to replicas: a GET or HEAD by an anonymous reader, or any GET of the API, outside the
moderators' and accounts' addresses, from a reader who has not written in the last
REPLICA_WRITER_SECONDS. That reader carries a signed marker (a signed cookie, not a sticky
server: any node honours it), so nobody misses their own comment, edit, like or flag. Workers,
management commands and the checks never run inside such a request: they read the primary.

A replica further behind than REPLICA_MAX_LAG_SECONDS, or unreachable, is skipped until its next
measurement (at most every REPLICA_LAG_CHECK_SECONDS, per process); /healthz shows each one's lag.
The measurements are this process's own cache of a fact any node can measure again: nothing
another node needs lives here.
"""

import contextlib
import contextvars
import logging
import random
import time

from django.conf import settings
from django.core import signing
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import connections
from django.utils.module_loading import import_string

log = logging.getLogger("config.replicas")

MARKER_COOKIE = "wrote"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_SALT = "config.replicas.writer"
_reads = contextvars.ContextVar("replica_reads", default=False)
_wrote = contextvars.ContextVar("replica_wrote", default=None)
_used = contextvars.ContextVar("replica_used", default=None)  # the aliases a request read from
# alias -> (measured at, lag in seconds or None when unreachable, error text)
_lags: dict[str, tuple[float, float | None, str]] = {}

LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_databases(urls: list[str], primary: dict, env) -> dict:
    """DATABASES entries "replica0", "replica1"... for the URLs, with the primary's options.

    In tests a replica mirrors the primary's test database (Django's TEST MIRROR); the tests of
    real replication start their own primary and streaming replica (tests/scale/).
    """
    databases = {}
    for number, url in enumerate(u.strip() for u in urls if u.strip()):
        db = env.db_url_config(url)
        db.setdefault("CONN_MAX_AGE", primary.get("CONN_MAX_AGE", 0))
        db.setdefault("CONN_HEALTH_CHECKS", True)
        # A replica that stopped answering is skipped after one second, not waited on.
        db.setdefault("OPTIONS", {}).setdefault("connect_timeout", 1)
        db["TEST"] = {"MIRROR": "default"}
        databases[f"replica{number}"] = db
    return databases


def pool_settings(databases: dict, pooler: str) -> None:
    """Behind a pooler in transaction mode (PgBouncer's pool_mode=transaction; DATABASE_POOLER=
    transaction, or `?pooler=transaction` in one database's URL) no state may outlive a
    transaction: no server-side cursors (Django's DISABLE_SERVER_SIDE_CURSORS), no prepared
    statements (psycopg's prepare_threshold None), only transaction-scoped advisory locks."""
    for db in databases.values():
        if db.get("OPTIONS", {}).pop("pooler", None) == "transaction" or pooler == "transaction":
            db["DISABLE_SERVER_SIDE_CURSORS"] = True
            db.setdefault("OPTIONS", {})["prepare_threshold"] = None


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def measure(alias: str) -> tuple[float | None, str]:
    """The replica's lag in seconds now (None and why when it cannot be asked)."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0]), ""
    except Exception as exc:  # noqa: BLE001 - any failure means "skip it for now"
        with contextlib.suppress(Exception):  # already broken
            connections[alias].close()
        return None, exc.__class__.__name__


def lag(alias: str, *, fresh: bool = False) -> tuple[float | None, str]:
    now = time.monotonic()
    measured = _lags.get(alias)
    if fresh or measured is None or now - measured[0] >= settings.REPLICA_LAG_CHECK_SECONDS:
        value, error = measure(alias)
        _lags[alias] = measured = (now, value, error)
    return measured[1], measured[2]


def usable_replica() -> str | None:
    """A replica close enough behind the primary, or None (then the primary answers)."""
    aliases = replica_aliases()
    random.shuffle(aliases)
    for alias in aliases:
        value, _ = lag(alias)
        if value is not None and value <= settings.REPLICA_MAX_LAG_SECONDS:
            return alias
    return None


def report() -> dict[str, str]:
    """Each replica's state for /healthz; a replica behind or down does not make the site down."""
    states = {}
    for alias in replica_aliases():
        value, error = lag(alias, fresh=True)
        if value is None:
            states[alias] = f"down: {error} (skipped, reads go to the primary)"
        elif value > settings.REPLICA_MAX_LAG_SECONDS:
            states[alias] = (
                f"behind: lag {value:.1f} s (skipped, over {settings.REPLICA_MAX_LAG_SECONDS:g} s)"
            )
        else:
            states[alias] = f"ok (lag {value:.1f} s)"
    return states


def read_from_replica() -> bool:
    """Whether the request being answered has read from a replica so far."""
    return bool(_used.get())


class ReplicaAwareCache:
    """The shared cache ("default") while replicas are in use: a request that has read from a
    replica, which may be behind the version a copy is kept under, keeps nothing there (else a
    writer reading the primary could be handed it, and other readers long after it is stale).
    Everything else is the wrapped backend's (OPTIONS["CACHE"])."""

    def __init__(self, location, params):
        inner = dict(params["OPTIONS"]["CACHE"])
        self._inner = import_string(inner["BACKEND"])(inner.get("LOCATION", ""), inner)

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def __contains__(self, key) -> bool:  # `key in cache` (sessions through the cache ask it)
        return key in self._inner

    def set(self, *args, **kwargs):
        if not read_from_replica():
            return self._inner.set(*args, **kwargs)
        return None

    def set_many(self, data, *args, **kwargs):
        if not read_from_replica():
            return self._inner.set_many(data, *args, **kwargs)
        return []

    def add(self, *args, **kwargs):
        if not read_from_replica():
            return self._inner.add(*args, **kwargs)
        return False

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        if not read_from_replica():
            return self._inner.get_or_set(key, default, timeout=timeout, version=version)
        value = self._inner.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
        return value


def replica_aware(cache: dict) -> dict:
    return {"BACKEND": "config.replicas.ReplicaAwareCache", "OPTIONS": {"CACHE": cache}}


class ReplicaRouter:
    """Reads go to a replica only inside a request ReplicaReadsMiddleware opened; writes, reads in
    a transaction and everything else go to the primary. Only the primary is migrated."""

    def db_for_read(self, model, **hints):
        if not _reads.get() or connections["default"].in_atomic_block:
            return "default"
        alias = usable_replica()
        if alias is None:
            return "default"
        used = _used.get()
        if used is not None:
            used.add(alias)
        return alias

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _writes(sql) -> bool:
    words = str(sql).lstrip().split(None, 1)
    verb = words[0].upper() if words else ""
    return verb in {"INSERT", "UPDATE", "DELETE"} or (verb == "SELECT" and "FOR UPDATE" in str(sql).upper())


def wrote_recently(request) -> bool:
    value = request.COOKIES.get(MARKER_COOKIE)
    if not value:
        return False
    try:
        signing.loads(value, salt=_SALT, max_age=settings.REPLICA_WRITER_SECONDS)
    except signing.BadSignature:
        return False
    return True


def _may_read_replica(request) -> bool:
    if request.method not in SAFE_METHODS or wrote_recently(request):
        return False
    path = request.path_info
    if any(path.startswith(prefix) for prefix in settings.REPLICA_PRIMARY_PATHS):
        return False
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if signed_in and user.is_staff:
        return False
    return path.startswith("/api/") or not signed_in


class ReplicaReadsMiddleware:
    """Opens a request's reads to the replicas (see the module), and marks a reader whose request
    wrote to the database so their next requests read the primary for REPLICA_WRITER_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        reads = _reads.set(_may_read_replica(request))
        wrote = _wrote.set(False)
        used = _used.set(set())

        def watch(execute, sql, params, many, context):
            if _writes(sql):
                _wrote.set(True)
                _reads.set(False)  # the rest of this request reads what it wrote
            return execute(sql, params, many, context)

        try:
            with connections["default"].execute_wrapper(watch):
                response = self.get_response(request)
                if response.status_code >= 500 and _used.get() and request.method in SAFE_METHODS:
                    # A replica that went away mid-request (a restart) is measured again (and
                    # skipped while down); this read-only request is answered again by the primary.
                    for alias in _used.get():
                        lag(alias, fresh=True)
                    _reads.set(False)
                    _used.set(set())
                    response = self.get_response(request)
            if _used.get():
                # Built from a replica up to REPLICA_MAX_LAG_SECONDS behind: the page cache keeps
                # it only so long that nobody sees it stale for more than PUBLIC_MAX_AGE.
                keep = max(1, int(settings.PUBLIC_MAX_AGE - settings.REPLICA_MAX_LAG_SECONDS))
                response.public_cache_seconds = min(getattr(response, "public_cache_seconds", keep), keep)
            # A GET that wrote in passing (a story made on first ask) marks nobody: its answer
            # may be one every reader shares.
            if _wrote.get() and request.method not in SAFE_METHODS and response.status_code < 400:
                response.set_cookie(
                    MARKER_COOKIE,
                    signing.dumps(1, salt=_SALT),
                    max_age=settings.REPLICA_WRITER_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _reads.reset(reads)
            _wrote.reset(wrote)
            _used.reset(used)
