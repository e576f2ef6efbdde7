from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.timesince import timesince

from articles.models import SiteSettings
from comments import live, permalinks, selectors, services
from comments.forms import CommentForm, FlagForm
from comments.services import thread_cache_version, thread_version_key
from config.cursors import BadCursor

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
def clock(seconds: int) -> str:
    """4:05 for 245 seconds."""
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def said_at(messages, place) -> list:
    """The flash messages about one comment (its id) or the thread ("comments"), shown there
    rather than at the top of the page. Only signed-in readers' pages, never cached, have any."""
    tag = place if place == "comments" else f"comment-{place}"
    return [m for m in messages or () if tag in m.extra_tags.split()]


def _permalink(request, article, sort: str) -> tuple[int | None, dict | None]:
    try:
        comment_id = int(request.GET.get("comment", ""))
    except ValueError:
        return None, None
    found = permalinks.locate(article, comment_id, sort=sort)
    return (comment_id, found) if found else (None, None)


@register.simple_tag(takes_context=True)
def comment_section(context, article) -> str:
    """The comment section under an article; `?comment=<id>` opens the page that holds it.

    Anonymous readers all see the same section, so its HTML is cached per thread version: the
    templates cost more than the rest of the page's comment work together.
    """
    request = context["request"]
    sort = request.GET.get("sort", "oldest")
    if sort not in selectors.SORTS:
        sort = "oldest"
    cursor = request.GET.get("cursor") or None
    if cursor:
        try:
            selectors.cursor_values(cursor, sort)
        except BadCursor:
            cursor = None  # a made-up cursor shows the first page
    site = SiteSettings.load()
    accepts = article.accepts_comments(close_after_days=site.comments_close_after_days)
    if sort == "featured" and "comment" in request.GET:
        sort = "oldest"  # a permalink opens the whole thread, where every comment has its place
    target, found = _permalink(request, article, sort)
    if found:
        cursor = found["cursor"]
    if request.user.is_authenticated:
        return _render(request, article, sort, cursor, accepts, target, found)
    html_key = f"thread-html:{article.slug}:{sort}:{cursor or ''}:{target or ''}"
    found_html = cache.get_many([thread_version_key(article.slug), html_key])
    version = found_html.get(thread_version_key(article.slug)) or thread_cache_version(article.slug)
    stamp = [version, article.pk, article.comment_count, accepts]
    cached = found_html.get(html_key)
    if cached and cached["stamp"] == stamp:
        return SafeString(cached["html"])
    html = _render(request, article, sort, cursor, accepts, target, found)
    cache.set(html_key, {"stamp": stamp, "html": str(html)}, timeout=600)
    return html


def _render(request, article, sort: str, cursor, accepts: bool, target, found) -> SafeString:
    # Read before the comments: one published meanwhile is then announced (the script skips it
    # when the page has it), never missed.
    live_version = live.version(article.slug)
    page = selectors.thread_page(article, sort=sort, cursor=cursor, viewer=request.user)
    if found:
        page = permalinks.with_chain(page, found["chain"])
    return SafeString(
        render_to_string(
            "comments/section.html",
            {
                "article": article,
                "page": page,
                "sort": sort,
                "sorts": SORT_LABELS,
                "cursor": cursor,
                "permalink_target": target,
                "accepts_comments": accepts,
                "live_version": live_version,
                "live_poll_seconds": settings.LIVE_POLL_SECONDS,
                # Signed-in only (this HTML is never cached for them): why they may not post.
                "posting_refusal": services.posting_refusal(request.user)
                if accepts and request.user.is_authenticated
                else None,
                "form": CommentForm(),
                "flag_form": FlagForm(),
            },
            request=request,
        )
    )
