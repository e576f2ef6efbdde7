"""Live threads: which comments became public since a reader's page was built, from Redis alone.

Each article has a counter in Redis, its *live version*, raised once for every comment that
becomes public (after the commit), and a ring of the last SLOTS such comments, one key per slot
holding `[n, id, parent, answers]` (`answers`: the author whom a reply answers, so a signed-in
reader's page can tell replies to them apart without asking anything personal of the server). A
page carries the version it was built with; asking "what is new since N" reads the counter (and
the slots after N when it moved): no SQL, the same answer for every reader, and a 304 when
nothing changed. The rows stay the record: with Redis down or emptied a reader only misses the
announcement, and sees the comments on reload.

Every announcement also announces the article's *live* change (delivery/changes.py), whose version
the answers are cached by: a poll is then answered as a cached page is, before Django's handling,
for signed-in readers too (the answer reads no credentials).
"""

import logging
import time

from django.core.cache import caches
from django.db import transaction
from redis import RedisError

from delivery import changes

from .models import Comment

log = logging.getLogger(__name__)
SLOTS = 50
ENTRY_SECONDS = 24 * 3600
# The counter is raised before the slot is written, so for a moment the newest slots may not hold
# their entry yet: an answer stops before such a gap among the newest few (its successor follows).
IN_FLIGHT = 5


class LiveUnavailable(Exception):
    """Redis, which alone holds the live version, did not answer."""

    retry_after = 30


def _counter(slug: str) -> str:
    return f"live-version:{slug}"


def _base(slug: str) -> str:
    """Where the counter started (absent: at 0), when Redis had lost an earlier count."""
    return f"live-base:{slug}"


def _slot(slug: str, n: int) -> str:
    return f"live-slot:{slug}:{n % SLOTS}"


def announced_versions(slug: str) -> list[str]:
    """The version the answers about an article are cached by (delivery/pagecache.py)."""
    return changes.keys(changes.live(slug))


def announce_on_commit(comment: Comment, *, slug: str) -> None:
    """Once the transaction commits, announce a comment that just became public."""
    answered = comment.reply_to_id or comment.parent_id
    answers = None
    if answered:
        answers = Comment.objects.filter(pk=answered).values_list("author_id", flat=True).first()
    entry = (comment.pk, comment.parent_id, answers)
    transaction.on_commit(lambda: _announce(slug, entry))


def _announce(slug: str, entry: tuple) -> None:
    cache = caches["strict"]
    try:
        if cache.get(_counter(slug)) is None:
            _start_counter(cache, slug, entry[0])
        n = cache.incr(_counter(slug))
        cache.set(_slot(slug, n), [n, *entry], timeout=ENTRY_SECONDS)
        changes.announce(changes.live(slug))  # after the slot: an answer cached before is retired
    except (RedisError, ValueError):  # readers miss the announcement, not the comment
        log.warning("could not announce comment %s live", entry[0], exc_info=True)


def _start_counter(cache, slug: str, comment_id: int) -> None:
    """Start the article's count: at 0 for its first public comment; otherwise Redis lost the count
    (a restart, a flush), and it starts at the time in milliseconds, above any version a page
    built before can hold, so such a page is told to reload (updates) rather than miss comments."""
    start = 0
    if (
        Comment.objects.filter(article__slug=slug, status=Comment.Status.APPROVED)
        .exclude(pk=comment_id)
        .exists()
    ):
        cache.add(_base(slug), time.time_ns() // 1_000_000, timeout=None)
        start = cache.get(_base(slug)) or 0  # the first process's, should two start it at once
    cache.add(_counter(slug), start, timeout=None)


def version(slug: str) -> int | None:
    """The article's live version now (0 when nothing was announced), None while Redis is
    unreachable: a page built then cannot say what it shows, so it does not ask."""
    try:
        return latest(slug) or 0
    except LiveUnavailable:
        return None


def latest(slug: str) -> int | None:
    """The live version, None when nothing was ever announced; raises LiveUnavailable."""
    try:
        return caches["strict"].get(_counter(slug))
    except RedisError as error:
        raise LiveUnavailable(str(error)) from error


def updates(slug: str, *, since: int) -> dict | None:
    """What became public after live version `since`: {version, count, comments, complete}, or
    None when the article never had one announced (it may not exist).

    `comments` are {id, parent, answers}, oldest first, at most SLOTS; `count` is how many became
    public in all (more than `comments` when older ones have left the ring: `complete` false).
    A `since` ahead of the version, or from before the count started again (Redis was emptied or
    restarted: _start_counter), gets `complete` false: the page reloads rather than miss what was
    published meanwhile.
    One Redis GET when nothing is new, and an MGET of the new ones when there are. Raises
    LiveUnavailable.
    """
    try:
        found = caches["strict"].get_many([_counter(slug), _base(slug)])
    except RedisError as error:
        raise LiveUnavailable(str(error)) from error
    now, base = found.get(_counter(slug)), found.get(_base(slug)) or 0
    if now is None:
        return None
    if since == 0:  # built while no count existed: nothing was announced before this one began
        since = base
    lost = since < base  # built before Redis lost the count: what was published meanwhile is unknown
    since = max(since, base)
    if since > now:  # the counter started again (Redis restarted or emptied): what was published
        # meanwhile is unknown, so the page is told to reload (`complete` false), not that nothing is new
        return {"version": now, "count": 0, "comments": [], "complete": False}
    if since == now:
        return {"version": now, "count": 0, "comments": [], "complete": not lost}
    numbers = range(max(since, now - SLOTS) + 1, now + 1)
    try:
        found = caches["strict"].get_many([_slot(slug, n) for n in numbers])
    except RedisError as error:
        raise LiveUnavailable(str(error)) from error
    ring = {entry[0]: entry for entry in found.values()}
    upto, comments = now, []
    for n in numbers:
        if n in ring:
            comments.append({"id": ring[n][1], "parent": ring[n][2], "answers": ring[n][3]})
        elif n > now - IN_FLIGHT:
            upto = n - 1  # not written yet: the next answer starts here
            break
    complete = not lost and since >= now - SLOTS
    return {"version": upto, "count": upto - since, "comments": comments, "complete": complete}
