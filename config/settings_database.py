"""The database settings (part of config/settings.py): the primary, its streaming replicas and a
pooler in front.
"""

from pathlib import Path

from config.replicas import pool_settings, replica_databases
from config.settings_env import BASE_DIR, env

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
