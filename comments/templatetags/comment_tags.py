from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from articles.models import SiteSettings
from comments import live, selectors, services
from comments.forms import CommentForm, FlagForm
from comments.services import thread_cache_version, thread_version_key
from config.cursors import BadCursor

register = template.Library()

SORT_LABELS = [("oldest", "Oldest"), ("newest", "Newest"), ("top", "Most liked"), ("featured", "Featured")]


@register.simple_tag(takes_context=True)
def comment_section(context, article) -> str:
    """The comment section under an article.

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
    if request.user.is_authenticated:
        return _render(request, article, sort, cursor, accepts)
    html_key = f"thread-html:{article.slug}:{sort}:{cursor or ''}"
    found = cache.get_many([thread_version_key(article.slug), html_key])
    version = found.get(thread_version_key(article.slug)) or thread_cache_version(article.slug)
    stamp = [version, article.pk, article.comment_count, accepts]
    cached = found.get(html_key)
    if cached and cached["stamp"] == stamp:
        return SafeString(cached["html"])
    html = _render(request, article, sort, cursor, accepts)
    cache.set(html_key, {"stamp": stamp, "html": str(html)}, timeout=600)
    return html


def _render(request, article, sort: str, cursor: str | None, accepts: bool) -> SafeString:
    # Read before the comments: one published meanwhile is then announced (the script skips it
    # when the page has it), never missed.
    live_version = live.version(article.slug)
    page = selectors.thread_page(article, sort=sort, cursor=cursor, viewer=request.user)
    return SafeString(
        render_to_string(
            "comments/section.html",
            {
                "article": article,
                "page": page,
                "sort": sort,
                "sorts": SORT_LABELS,
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
