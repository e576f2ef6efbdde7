"""A benchmark's own PostgreSQL database, created afresh and dropped after."""

from urllib.parse import urlsplit, urlunsplit


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    """Drop the database named in `url` (forcing other sessions out) and, unless drop_only, create it."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')
