"""One way to invalidate: a write announces what it changed, and this registry retires what was
built from it.

A write says what it changed in the words below, once (`announce`): the comments of an article, an
article, a reader's state or account, every reader, the site settings, the embed origins, a copy
an app keeps in the cache. The registry maps each to the versions delivery keeps (the page cache's,
delivery/pagecache.py; the readers' kept state, delivery/reader_store.py) and bumps them once the
write's transaction commits, and at once too when announced inside one: a reader who built an
answer from the data as it was before the commit, between the two, cannot keep it. A view says
what its answer depends on in the same words (`keys`).

Writes through a model's save() or delete() (admin, fixtures, the services that save a row) are
declared by the app that owns the model, in its AppConfig.ready (`on_save`, `on_m2m`); the
registry connects the signals here, in one place. Delivery sits below every app and imports none:
they register with it. A queryset's update() or bulk write sends no signal, so the service that
makes one announces it itself. tests/test_announcements.py fails when a service writes a cached
table without announcing it.
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import NamedTuple

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from delivery import reader_store
from delivery.bumps import bump

# The versions the page cache's answers are built from (delivery/pagecache.py); the readers' are
# delivery/reader_store.py's.
SITE_VERSION_KEY = "site-version"
# What the embed pages' frame-ancestors were built from (embed/origins.py).
EMBED_ORIGINS_VERSION_KEY = "embed-origins-version"


def article_version_key(slug: str) -> str:
    return f"article-version:{slug}"


def thread_version_key(slug: str) -> str:
    return f"thread-version:{slug}"


def live_version_key(slug: str) -> str:
    """What the live answers about an article's comments are cached by (comments/live.py)."""
    return f"live-announced:{slug}"


class Change(NamedTuple):
    """What one write changed: the versions it makes old and the kept copies it makes wrong.
    `tracked`: the versions are read from tracked copies (delivery/redis_client.py), so the bump
    waits until Redis has told every process; the readers' versions are read by one MGET and
    need no such wait (each comment posted bumps its author's: two round trips of a POST)."""

    versions: tuple[str, ...] = ()
    copies: tuple[str, ...] = ()
    tracked: bool = True


def comments(slug: str) -> Change:
    """What readers see of an article's comments (its thread, counts, likes, featured ones)."""
    return Change((thread_version_key(slug),))


def article(*slugs: str) -> Change:
    """An article's own words, blocks, teasers and correction notices."""
    return Change(tuple(article_version_key(slug) for slug in dict.fromkeys(slugs)))


def live(slug: str) -> Change:
    """A comment of the article was announced live (comments/live.py, after the commit)."""
    return Change((live_version_key(slug),))


def site() -> Change:
    """The site settings every page is built with."""
    return Change((SITE_VERSION_KEY,))


def embed_origins() -> Change:
    """The sites that may embed the comments."""
    return Change((EMBED_ORIGINS_VERSION_KEY,))


def reader(user_id: int | None, *, account: bool = False) -> Change:
    """A reader's kept state (`account`: their user row or profile too); None: no reader."""
    if user_id is None:
        return Change()
    account_keys = (reader_store.account_key(user_id),) if account else ()
    return Change((reader_store.version_key(user_id), *account_keys), tracked=False)


def all_readers() -> Change:
    """What makes a moderator changed (a group renamed or deleted): every reader's state."""
    return Change((reader_store.ALL_VERSION_KEY,), tracked=False)


def copy(*keys: str) -> Change:
    """Copies an app keeps in the cache under these keys, built from the rows written: deleted."""
    return Change(copies=keys)


def keys(*changes: Change) -> list[str]:
    """The versions an answer built from what these changes change depends on (a view's)."""
    return [key for change in changes for key in change.versions]


_listeners: list[Callable[[tuple[Change, ...]], None]] = []


@contextmanager
def listening(listener: Callable[[tuple[Change, ...]], None]):
    """Call listener(changes) with every announcement made inside the block (a test's record)."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def announce(*changes: Change) -> None:
    """Retire what was built from these changes once the transaction commits (outside one: now),
    and at once too inside one."""
    for listener in _listeners:
        listener(changes)
    if transaction.get_connection().in_atomic_block:
        _retire(changes)
    transaction.on_commit(lambda: _retire(changes))


def _retire(changes: tuple[Change, ...]) -> None:
    copies = [key for change in changes for key in change.copies]
    if copies:
        cache.delete_many(copies)
    for tracked in (True, False):
        versions = [key for change in changes if change.tracked is tracked for key in change.versions]
        if versions:
            bump(*dict.fromkeys(versions), tracked=tracked)


Announcer = Callable[[models.Model], Iterable[Change]]


class _Declared(NamedTuple):
    announcer: Announcer
    created: bool  # a new row announces too
    before: bool  # so does the row as it was, before a save


_declared: dict[type[models.Model], list[_Declared]] = {}
_m2m_declared: dict[type[models.Model], list[Callable[..., Iterable[Change]]]] = {}


def on_save(model: type[models.Model], announcer: Announcer, *, created: bool = True, before: bool = False):
    """Declare what a save or delete of `model` announces: announcer(row) after a save and before a
    delete (its related rows still there). `created=False`: a new row changes nothing readers saw
    (a settings row made with its defaults). `before`: before a save of an existing row too, when
    what changes depends on the row as it was (an article's old slug, read from the database)."""
    _declared.setdefault(model, []).append(_Declared(announcer, created, before))
    uid = f"delivery.changes.{model._meta.label_lower}"
    post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}.saved")
    pre_delete.connect(_deleting, sender=model, dispatch_uid=f"{uid}.deleting")
    if before:
        pre_save.connect(_saving, sender=model, dispatch_uid=f"{uid}.saving")


def on_m2m(through: type[models.Model], announcer: Callable[..., Iterable[Change]]) -> None:
    """Declare what a change of a many-to-many relation announces: announcer(instance, reverse,
    pk_set) after rows are added, removed or cleared (m2m_changed's arguments)."""
    _m2m_declared.setdefault(through, []).append(announcer)
    m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"delivery.changes.{through.__name__}")


def _announce_declared(row, declared: Iterable[_Declared]) -> None:
    found = [change for declaration in declared for change in declaration.announcer(row)]
    if found:
        announce(*found)


def _saved(sender, instance, created: bool, **kwargs) -> None:
    _announce_declared(instance, [d for d in _declared[sender] if d.created or not created])


def _saving(sender, instance, **kwargs) -> None:
    if instance.pk is not None:
        _announce_declared(instance, [d for d in _declared[sender] if d.before])


def _deleting(sender, instance, **kwargs) -> None:
    _announce_declared(instance, _declared[sender])


def _m2m_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action.startswith("post_"):
        found = [c for announcer in _m2m_declared[sender] for c in announcer(instance, reverse, pk_set)]
        if found:
            announce(*found)
