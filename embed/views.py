"""/embed/?url=<page URL> and the thread it leads to, /embed/<slug>/, framed by permitted sites."""

from urllib.parse import urlencode

from csp.constants import NONE
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from articles.views import keep_until_comments_close
from config.ratelimit import LimiterUnavailable
from delivery import cache_keys, changes, pagecache

from . import origins, selectors, services
from .limits import story_wait


def story(request: HttpRequest) -> HttpResponse:
    """The story of the page at `url` (created on first ask, titled by `title`): a redirect to its
    thread, whose own address keeps the thread's links (?sort=, ?cursor=) working in the frame."""
    try:
        url = origins.story_url(request.GET.get("url", ""))
    except ValueError as error:
        return HttpResponseBadRequest(f"url: not a page address: {error}.\n", content_type="text/plain")
    if not origins.is_permitted(url):
        raise Http404("This page is not on a site permitted to embed the comments.")
    found = selectors.story_at(url)
    if found is None:
        try:
            wait, status = story_wait(request), 429
        except LimiterUnavailable:
            wait, status = LimiterUnavailable.retry_after, 503
        if wait:
            response = render(request, "embed/later.html", {"wait": wait}, status=status)
            response["Retry-After"] = str(wait)
            return response
        found = services.create_story(url=url, title=request.GET.get("title", ""))
    query = {name: request.GET[name] for name in ("sort", "comment") if name in request.GET}
    response = redirect(
        reverse("embed:thread", args=[found.slug]) + (f"?{urlencode(query)}" if query else "")
    )
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_MAX_AGE}"
    return response


def _versions(slug: str) -> list[str]:
    # embed_origins: the frame-ancestors below
    return changes.keys(
        changes.article(slug), changes.comments(slug), changes.site(), changes.embed_origins()
    )


@xframe_options_exempt
@pagecache.public_cache(
    _versions,
    params={"sort": cache_keys.word, "cursor": cache_keys.cursor, "comment": cache_keys.row_id},
)
def thread(request: HttpRequest, slug: str) -> HttpResponse:
    """A story's thread and comment form as on the article page, light, for a frame: anonymous
    readers share one cached copy; a newsroom reader's frame fetches theirs with their token."""
    found = selectors.embeddable(slug)
    if found is None:
        raise Http404("No such story")
    permitted = origins.permitted_origins()
    response = render(request, "embed/thread.html", {"article": found, "origins": permitted})
    # Only the permitted sites may frame it; every other page keeps frame-ancestors 'none'.
    response._csp_replace = {"frame-ancestors": permitted or [NONE]}
    if not request.user.is_authenticated:
        keep_until_comments_close(response, found)
    return response
