from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.timesince import timesince

from articles.models import SiteSettings
from comments import live, permalinks, personal, selectors, services
from comments.forms import CommentForm, FlagForm
from comments.services import thread_cache_version, thread_version_key
from config.cursors import BadCursor
from delivery import fragments, pagecache

register = template.Library()

SORT_LABELS = [("oldest", "Oldest"), ("newest", "Newest"), ("top", "Most liked"), ("featured", "Featured")]


def _moment(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@register.filter
def ago(value) -> str:
    """ "5 minutes ago". A cached page can be up to its cache life behind (10 minutes at most);
    comments.js keeps the words current from the `datetime` beside them."""
    moment = _moment(value)
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


@register.filter
def exact_time(value) -> str:
    """The full date and time, for the title of a relative one."""
    return timezone.localtime(_moment(value)).strftime("%-d %B %Y, %H:%M %Z")


@register.filter
def edit_until(created_at) -> datetime:
    return _moment(created_at) + timedelta(seconds=settings.COMMENT_EDIT_WINDOW_SECONDS)


@register.filter
def seconds_left(moment) -> int:
    return max(0, int((moment - timezone.now()).total_seconds()))


@register.filter
def initials(name) -> str:
    """A reader's face on their comments: the first letters of up to two words of their name."""
    words = [w for w in str(name or "").replace("_", " ").replace(".", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


@register.filter
def hue(author_id) -> int:
    """One of eight colours (comments.css .avatar-0 … .avatar-7), the same for a reader everywhere."""
    return (author_id or 0) % 8


@register.filter
def clock(seconds: int) -> str:
    """4:05 for 245 seconds."""
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def said_at(messages, place) -> list:
    """The flash messages about one comment (its id) or the thread ("comments"), shown there
    rather than at the top of the page. Only signed-in readers' pages, never cached, have any."""
    tag = place if place == "comments" else f"comment-{place}"
    return [m for m in messages or () if tag in m.extra_tags.split()]


@register.simple_tag(takes_context=True)
def like_state(context, comment) -> SafeString:
    """The Like button's value and aria-pressed; in HTML shared by signed-in readers, a marker
    that fragments.fill() turns into this reader's state."""
    if context.get("likes_marked"):
        return SafeString(fragments.like_marker(comment["id"]))
    return fragments.LIKED if comment.get("liked") else fragments.NOT_LIKED


def _permalink(request, article, sort: str) -> tuple[int | None, dict | None]:
    try:
        comment_id = int(request.GET.get("comment", ""))
    except ValueError:
        return None, None
    found = permalinks.locate(article, comment_id, sort=sort) or permalinks.locate_own(
        article, comment_id, sort=sort, viewer=request.user
    )
    return (comment_id, found) if found else (None, None)


@register.simple_tag(takes_context=True)
def comment_section(context, article) -> str:
    """The comment section under an article; `?comment=<id>` opens the page that holds it.

    Anonymous readers all see the same section, so its HTML is cached per thread version: the
    templates cost more than the rest of the page's comment work together. Signed-in readers get
    the comments as every reader of their kind sees them, from the cache, and only the comments
    that are theirs, that they like or ignore, or that the page was opened at rendered for them.
    """
    if "shared_section" in context:  # a page shared by signed-in readers (readers/pages.py)
        return context["shared_section"]
    request = context["request"]
    sort = request.GET.get("sort", "oldest")
    if sort not in selectors.SORTS:
        sort = "oldest"
        pagecache.not_kept(request)  # an unknown sort shows the first page, kept under its own address
    cursor = request.GET.get("cursor") or None
    if cursor:
        try:
            selectors.cursor_values(cursor, sort)
        except BadCursor:
            cursor = None  # a made-up cursor shows the first page
            pagecache.not_kept(request)
    site = SiteSettings.load()
    accepts = article.accepts_comments(close_after_days=site.comments_close_after_days)
    if sort == "featured" and "comment" in request.GET:
        sort = "oldest"  # a permalink opens the whole thread, where every comment has its place
    target, found = _permalink(request, article, sort)
    if found:
        cursor = found["cursor"]
    elif "comment" in request.GET:
        pagecache.not_kept(request)  # a permalink to no visible comment shows the plain page
    if request.user.is_authenticated:
        return _signed_in(context, article, sort, cursor, accepts, target, found)
    html_key = f"thread-html:{article.slug}:{sort}:{cursor or ''}:{target or ''}"
    found_html = cache.get_many([thread_version_key(article.slug), html_key])
    version = found_html.get(thread_version_key(article.slug)) or thread_cache_version(article.slug)
    stamp = [version, article.pk, article.comment_count, accepts]
    cached = found_html.get(html_key)
    if cached and cached["stamp"] == stamp:
        return SafeString(cached["html"])
    live_version = live.version(article.slug)  # before the comments: see _render
    page = personal.thread_page(article, sort=sort, cursor=cursor)
    if found:
        page = permalinks.with_chain(page, found["chain"])
    item_context = comment_context(article, accepts, posting_refusal=None, moderator=False)
    item_context["permalink_target"] = target
    comments_html = "".join(render_items(page["results"], item_context, request=request))
    html = _render(
        request, page, comments_html, item_context, sort=sort, cursor=cursor, live_version=live_version
    )
    cache.set(html_key, {"stamp": stamp, "html": str(html)}, timeout=600)
    return html


def _signed_in(context, article, sort: str, cursor, accepts: bool, target, found) -> SafeString:
    request, viewer = context["request"], context["request"].user
    refusal = services.posting_refusal(viewer) if accepts else None
    moderator = bool(context.get("is_moderator"))
    live_version = live.version(article.slug)  # before the comments: see _render
    _, shared = selectors.public_thread(article.slug, sort=sort, cursor=cursor, article=article)
    page = personal.with_own_pending(article, shared, viewer=viewer, cursor=cursor, sort=sort)
    if found:
        page = permalinks.with_chain(page, found["chain"])
    item_context = comment_context(article, accepts, posting_refusal=refusal, moderator=moderator)

    def build() -> dict[int, str]:
        items = shared["results"]
        as_shared = {
            **item_context,
            **fragments.SHARED_CONTEXT,
            "moderation_reject_reasons": context.get("moderation_reject_reasons"),
        }
        return dict(zip([item["id"] for item in items], render_items(items, as_shared), strict=True))

    # What the template decides from who the reader is, beyond their own comments: the toolbar
    # and whether they may reply. Each such kind of reader shares its own copy.
    kind = f"{int(moderator)}{int(accepts and not refusal)}"
    key = f"thread-items:{article.slug}:{sort}:{cursor or ''}:{kind}"
    versions = selectors.thread_versions(article.slug)
    shared_html = pagecache.versioned(key, versions, build, extra=(article.pk, accepts))
    originals = {item["id"]: item for item in shared["results"]}
    # Flash messages are shown at the comment they are about (said_at): such a page is all theirs.
    has_messages = bool(list(context.get("messages") or ()))
    parts = []
    for item in page["results"]:
        html = shared_html.get(item["id"])
        if html is None or has_messages or own(item, originals.get(item["id"]), viewer.pk, target):
            (html,) = render_items([item], {**item_context, "permalink_target": target}, request=request)
        parts.append(html)
    comments_html = fragments.personal("".join(parts), request)
    item_context["permalink_target"] = target
    return _render(
        request, page, comments_html, item_context, sort=sort, cursor=cursor, live_version=live_version
    )


def shared_section(
    article, *, sort: str, cursor, accepts: bool, moderator: bool, refused: bool, reject_reasons
) -> dict:
    """The comment section as every signed-in reader of a kind sees it, for a page shared by them
    (readers/pages.py): {html, items, data}. `html` has fragments.ITEMS_MARKER where the
    comments go, `items` each top-level comment's HTML by id, `data` the page they come from;
    the reader's token, address, id, refusal and Like states are markers (delivery/fragments.py)."""
    live_version = live.version(article.slug)  # before the comments: see _render
    _, data = selectors.public_thread(article.slug, sort=sort, cursor=cursor, article=article)
    refusal = fragments.REFUSAL_MARKER if refused and accepts else None
    item_context = {
        **comment_context(article, accepts, posting_refusal=refusal, moderator=moderator),
        **fragments.SHARED_CONTEXT,
        "user": fragments.PAGE_READER,
        "moderation_reject_reasons": reject_reasons,
        "likes_marked": True,
        "permalink_target": None,
        "messages": [],
    }
    items = data["results"]
    html = get_template("comments/section.html").render(
        {
            **item_context,
            "sort": sort,
            "cursor": cursor,
            "live_version": live_version,
            "page": data,
            "comments_html": SafeString(fragments.ITEMS_MARKER),
            "sorts": SORT_LABELS,
            "live_poll_seconds": settings.LIVE_POLL_SECONDS,
            "form": CommentForm(),
        }
    )
    rendered = render_items(items, item_context)
    return {
        "html": html,
        "items": [(item["id"], part) for item, part in zip(items, rendered, strict=True)],
        "data": data,
    }


def own(
    item: dict, original: dict | None, viewer_id: int, target: int | None, *, likes_too: bool = True
) -> bool:
    """Whether a comment (with its shown replies) looks different to this reader than to others:
    theirs (Edit, not Like), liked (unless `likes_too` is off: the page fills Like states in) or
    ignored by them, their pending replies under it, or the one the page was opened at."""
    liked = likes_too and item.get("liked")
    if original is None or item["author_id"] == viewer_id or item["id"] == target or liked:
        return True
    if len(item["replies"]) != len(original["replies"]):
        return True
    mine = {k: v for k, v in item.items() if k not in ("liked", "replies")}
    if mine != {k: v for k, v in original.items() if k != "replies"}:
        return True
    return any(
        own(r, o, viewer_id, target, likes_too=likes_too)
        for r, o in zip(item["replies"], original["replies"], strict=True)
    )


def comment_context(article, accepts: bool, *, posting_refusal: str | None, moderator: bool) -> dict:
    return {
        "article": article,
        # Asked once per page: each template rendered with the request would ask the database again.
        "is_moderator": moderator,
        "accepts_comments": accepts,
        "posting_refusal": posting_refusal,
        "flag_form": FlagForm(),
    }


def render_items(items: list[dict], context: dict, request=None) -> list[str]:
    """comments/comment.html for each top-level comment (with its replies)."""
    comment = get_template("comments/comment.html")
    return [comment.render({**context, "comment": item}, request) for item in items]


def _render(request, page: dict, comments_html: str, item_context: dict, **more) -> SafeString:
    # The live version is read before the comments: one published meanwhile is then announced
    # (the script skips it when the page has it), never missed.
    return SafeString(
        render_to_string(
            "comments/section.html",
            {
                **item_context,
                **more,
                "page": page,
                "comments_html": SafeString(comments_html),
                "sorts": SORT_LABELS,
                "live_poll_seconds": settings.LIVE_POLL_SECONDS,
                "form": CommentForm(),
            },
            request=request,
        )
    )
