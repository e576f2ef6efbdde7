"""A signed-in reader's article page from one shared page and their own state: one MGET.

The page (base, article and comment section) is rendered once per version for a stand-in reader of
a kind (moderator or not, may post or not) with markers where each reader's own values go
(delivery/fragments.py: CSRF token, address, name, id, why they may not post, each Like button's
state), split at the markers and kept in Redis. A request then reads, besides its session, in one
MGET: the page's versions, the reader's version, their state and their likes and own comments on
the article (kept by delivery/reader_store.py, built by readers/state.py), and the page of the most
common kind; fills the markers with string work; and renders only the comments that look different
to this reader (theirs, their pending replies under one, an ignored commenter's). What this does
not serve (a flash message, a permalink, another query parameter, Redis unreachable, a session
that no longer checks out) the ordinary view builds, as before; both give the same HTML
(tests/test_reader_pages.py compares them). Readers' view of the article address (views.py)
asks for it: this reads comments and moderation, which sit above articles.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString

from articles.models import SiteSettings
from comments.personal import personalized
from comments.selectors import SORTS, cursor_values, index_nodes
from comments.templatetags import comment_tags
from config.cursors import BadCursor
from delivery import changes, fragments, pagecache, reader_store
from delivery.cache_keys import canonical_host
from moderation.context_processors import REJECT_REASON_CHOICES

from . import state as reader_state

# What most readers are: not moderators, and free to post. Their page comes with the first MGET.
_COMMON_KIND = "00"


def _page_key(address: str, sort: str, cursor: str | None, kind: str) -> str:
    digest = hashlib.sha256(f"{address}|{sort}|{cursor or ''}".encode()).hexdigest()
    return f"reader-page:v3:{kind}:{digest}"


def _query(request: HttpRequest) -> tuple[str, str | None, str] | None:
    """The sort and cursor the page shows (as the comment section reads them) and its address, or
    None when the address asks for more (a permalink, or anything else) or spells the site's host
    another way (never kept): the ordinary view decides."""
    host = canonical_host(request)
    if host is None or any(name not in ("sort", "cursor") for name in request.GET):
        return None
    sort = request.GET.get("sort", "oldest")
    if sort not in SORTS:
        sort = "oldest"
    cursor = request.GET.get("cursor") or None
    if cursor:
        try:
            cursor_values(cursor, sort)
        except BadCursor:
            cursor = None  # a made-up cursor shows the first page
    return sort, cursor, f"{request.scheme}://{host}{request.path}"


def page(request: HttpRequest, slug: str, article_part: Callable[[], dict | None]) -> HttpResponse | None:
    """This signed-in reader's article page, or None for the ordinary view to build."""
    reader = _signed_in(request)
    if reader is None:
        return None
    user_id, (sort, cursor, address) = reader
    versions = changes.keys(changes.article(slug), changes.comments(slug), changes.site())
    reader_versions = [reader_store.version_key(user_id), reader_store.ALL_VERSION_KEY]
    state_key, thread_key = reader_store.state_key(user_id), reader_store.thread_key(user_id, slug)
    common_key = _page_key(address, sort, cursor, _COMMON_KIND)
    found = pagecache.get_many([*versions, *reader_versions, state_key, thread_key, common_key])
    stamp = pagecache.stamp_from(found, versions + reader_versions)
    if None in stamp:  # Redis unreachable: the ordinary view, from the database
        return None
    page_stamp, reader_stamp = stamp[:3], stamp[3:]
    now = timezone.now()
    state = _state(request, user_id, found.get(state_key), reader_stamp, now)
    if state is None:
        return None
    user = request.user

    kind = f"{int(state['moderator'])}{int(bool(state['refusal']))}"
    key = common_key if kind == _COMMON_KIND else _page_key(address, sort, cursor, kind)
    entry = found.get(key) if kind == _COMMON_KIND else pagecache.get_many([key]).get(key)
    kept = _shared(request, key, entry, page_stamp, now, (sort, cursor, kind, article_part))
    if kept is None:
        return None  # no such article: the ordinary view answers 404
    shared, parts = kept
    thread = _thread(user, found.get(thread_key), thread_key, reader_stamp, now, shared["article_id"])

    refusal = state["refusal"] if shared["accepts"] else None
    values = _values(request, shared, refusal)
    own = [entry for entry in thread["own"] if entry["item"] is not None or entry["id"] in shared["ids"]]
    ignoring = state["ignoring"] & shared["authors"]
    if not own and not ignoring and user.pk not in shared["authors"]:
        return HttpResponse(fragments.fill(shared["page"], values, thread["liked"]))
    if parts is None:
        # The page in parts, with its data, is kept apart: most requests need neither
        # (unpickling them took a tenth of a page).
        parts = pagecache.get_many([key + ":parts"]).get(key + ":parts")
        if not parts or parts[0] != page_stamp:
            return None  # evicted: the ordinary view builds this one
        parts = parts[1]
    mine = {"own": own, "ignoring": ignoring, "refusal": refusal, "sort": sort, "cursor": cursor}
    return HttpResponse(_personal(request, parts, state, thread, values, mine))


def _signed_in(request: HttpRequest) -> tuple[int, tuple[str, str | None, str]] | None:
    """The reader's id and the page's sort, cursor and address; None when this is not a request
    served here (a flash message waits, the address asks for more, the session names no user of
    a configured backend or holds messages)."""
    if CookieStorage.cookie_name in request.COOKIES:
        return None
    query = _query(request)
    if query is None:
        return None
    session = request.session
    try:
        user_id = int(session[SESSION_KEY])
        backend = session[BACKEND_SESSION_KEY]
    except (KeyError, ValueError):
        return None
    if backend not in settings.AUTHENTICATION_BACKENDS or SessionStorage.session_key in session:
        return None
    return user_id, query


def _shared(request, key: str, entry, page_stamp: list, now, build: tuple) -> tuple[dict, dict | None] | None:
    """The shared page of this kind of reader as kept, or built afresh and kept (then with its parts
    too); None when there is no such article. `build`: the sort, cursor, kind and article part."""
    if entry and entry[0] == page_stamp and not (entry[1]["closes"] and entry[1]["closes"] <= now):
        return entry[1], None
    built = _build(request, *build)
    if built is None:
        return None
    shared, parts = built
    pagecache.keep(key, (page_stamp, shared), pagecache.ENTRY_SECONDS)
    pagecache.keep(key + ":parts", (page_stamp, parts), pagecache.ENTRY_SECONDS)
    return shared, parts


def _thread(user, kept, thread_key: str, stamp: list, now, article_id: int) -> dict:
    """The reader's likes and own comments on the article, kept or built afresh."""
    if reader_store.current(kept, stamp, now) and kept[1]["article"] == article_id:
        return kept[1]
    thread = reader_state.build_thread(user, article_id)
    reader_store.keep(thread_key, stamp, thread)
    return thread


def _values(request: HttpRequest, shared: dict, refusal: str | None) -> dict:
    """What fills the shared page's markers for this reader."""
    user = request.user
    return {
        "csrf": fragments.csrf_token(request).encode(),
        "path": escape(request.get_full_path()).encode(),
        "user": escape(user.get_username()).encode(),
        "uid": str(user.pk).encode(),
        "refusal": escape(refusal or "").encode(),
        "admin": shared["admin_link"].encode() if user.is_staff else b"",
    }


def _state(request: HttpRequest, user_id: int, kept, stamp: list, now) -> dict | None:
    """The reader's state, kept or built afresh (then request.user is read as Django reads it);
    None when the session does not check out (the ordinary view then does what Django does)."""
    if reader_store.current(kept, stamp, now):
        if not reader_store.session_checks_out(request.session, kept[1]):
            return None
        request.user = kept[1]["user"]
        return kept[1]
    user = request.user  # the kept copy (delivery/reader_store.py, signed_in_user), or one query
    if not user.is_authenticated or user.pk != user_id:
        return None
    state = reader_state.build_state(user)
    reader_store.keep(reader_store.state_key(user_id), stamp, state)
    return state


def _personal(request, parts: dict, state: dict, thread: dict, values: dict, mine: dict) -> bytes:
    """The page with the comments that look different to this reader rendered for them."""
    user, liked, items, data = request.user, thread["liked"], parts["items"], parts["data"]
    page = personalized(
        data,
        own=mine["own"],
        liked=liked,
        ignoring=mine["ignoring"],
        cursor=mine["cursor"],
        sort=mine["sort"],
    )
    originals = {item["id"]: item for item in data["results"]}
    context = {
        **comment_tags.comment_context(
            parts["article"], parts["accepts"], posting_refusal=mine["refusal"], moderator=state["moderator"]
        ),
        "moderation_reject_reasons": REJECT_REASON_CHOICES,
        "permalink_target": None,
    }
    out = [fragments.fill(parts["head"], values, liked)]
    for item in page["results"]:
        original = originals.get(item["id"])
        if original is not None and not comment_tags.own(item, original, user.pk, None, likes_too=False):
            out.append(fragments.fill(items[item["id"]], values, liked))
        else:
            (html,) = comment_tags.render_items([item], context, request=request)
            out.append(fragments.personal(html, request).encode())
    out.append(fragments.fill(parts["tail"], values, liked))
    return b"".join(out)


def _build(request, sort: str, cursor, kind: str, article_part: Callable[[], dict | None]) -> tuple | None:
    """The page for a stand-in reader of this kind, split at its markers (delivery/fragments.py),
    whole and in parts with the comments' data (for a reader whose comments look different)."""
    part = article_part()
    if part is None:
        return None
    article = part["article"]
    site = SiteSettings.load()
    closes = article.comments_close_time(close_after_days=site.comments_close_after_days)
    accepts = article.accepts_comments(close_after_days=site.comments_close_after_days)
    moderator, refused = kind[0] == "1", kind[1] == "1"
    section = comment_tags.shared_section(
        article, sort=sort, cursor=cursor, accepts=accepts, moderator=moderator, refused=refused,
        reject_reasons=REJECT_REASON_CHOICES,
    )  # fmt: skip
    html = render_to_string(
        "articles/detail.html",
        {
            **fragments.SHARED_CONTEXT,
            "user": fragments.PAGE_READER,
            "article": article,
            "article_html": SafeString(part["html"]),
            "json_ld": SafeString(part["json_ld"]),
            "site_name": settings.SITE_NAME,
            "is_moderator": moderator,
            "messages": [],
            "shared_section": SafeString(section["html"]),
        },
    )
    head, tail = html.split(fragments.ITEMS_MARKER)
    # The stand-in is staff; the Admin link (the first: the header's) is a marker for the others.
    admin_link = f'<li><a href="{reverse("admin:index")}">Admin</a></li>'
    head = head.replace(admin_link, fragments.ADMIN_MARKER, 1)
    nodes = index_nodes(section["data"]["results"], {})
    items = dict(section["items"])
    shared = {
        "article_id": article.pk,
        "accepts": accepts,
        "closes": closes if accepts else None,
        "admin_link": admin_link,
        "page": fragments.split(head + "".join(items.values()) + tail),
        "ids": set(nodes),
        "authors": {item["author_id"] for item in nodes.values()},
    }
    parts = {
        "article": article,
        "accepts": accepts,
        "data": section["data"],
        "head": fragments.split(head),
        "tail": fragments.split(tail),
        "items": {pk: fragments.split(html) for pk, html in items.items()},
    }
    return shared, parts
