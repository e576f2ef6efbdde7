"""A benchmark's own PostgreSQL database, created afresh (whatever an older run left in it) and
dropped after."""

from urllib.parse import urlsplit, urlunsplit


def recreate_database(url: str, *, drop_only: bool = False, template: str | None = None) -> None:
    """Drop the database named in `url` (forcing other sessions out) and, unless drop_only, create it
    (a copy of the database named `template`, when given: no one may be connected to that one).

    Only a database whose name starts with "bench" is dropped, so a DATABASE_URL left pointing at
    a real database stops the benchmark instead.
    """
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit(f"{url}: a benchmark drops its database; give it one named bench_*")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
