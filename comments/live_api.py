"""GET /api/v1/articles/<slug>/comments/updates/?since=<version>: what became public since.

Answered from Redis alone (comments/live.py): no authentication is read, so it costs no SQL for
anyone, and the answer is the same for every reader: it is cached whole, with its ETag and 304s,
for signed-in readers too (comments/api_urls.py), and shared caches may keep it, revalidating.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Article
from config.api import UNAVAILABLE, Unavailable
from delivery import pagecache

from . import live, selectors

# The answer is the same for everyone: a shared cache may keep it, asking again each time.
CACHE_CONTROL = "public, no-cache"
# Pages poll every LIVE_POLL_SECONDS: an answer no one asked for again in this long is dropped.
ANSWER_SECONDS = 120


class UpdatesQuery(serializers.Serializer):
    since = serializers.IntegerField(
        min_value=0,
        max_value=2**53,
        help_text="The live version the reader has: the page's `data-live-since`, or the last answer's "
        "`version` once its comments are shown.",
    )


class LiveCommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)
    answers = serializers.IntegerField(
        allow_null=True,
        help_text="For a reply: the user id of the author it answers (a reader's own replies).",
    )


class UpdatesOutput(serializers.Serializer):
    version = serializers.IntegerField(help_text="The live version this answer reaches: the next `since`.")
    count = serializers.IntegerField(help_text="Comments that became public after `since`, up to `version`.")
    comments = LiveCommentOutput(many=True, help_text=f"Those comments, oldest first; at most {live.SLOTS}.")
    complete = serializers.BooleanField(help_text="False when some have left the list (reload the page).")


class CommentUpdates(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[UpdatesQuery],
        responses={
            200: UpdatesOutput,
            304: OpenApiResponse(description="Nothing changed since the answer with this `If-None-Match`."),
            503: UNAVAILABLE,
        },
        summary="Comments published since a live version (for an open page to announce them)",
        description="Poll it every `LIVE_POLL_SECONDS` with `If-None-Match`: unchanged, it is a 304. "
        "The page's HTML for the comments is at `/articles/<slug>/comments/live/?ids=`. While Redis is "
        "unreachable: 503 with `Retry-After`; the comments still show on reload.",
        auth=[],
    )
    def get(self, request, slug: str):
        query = UpdatesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = query.validated_data["since"]
        try:
            answer = live.updates(slug, since=since)
        except live.LiveUnavailable:
            raise Unavailable(
                "Live updates are paused; reload the page to see new comments.",
                wait=live.LiveUnavailable.retry_after,
            ) from None
        if answer is None:  # nothing ever announced: is there such an article?
            try:
                selectors.published_article(slug)
            except Article.DoesNotExist:
                raise NotFound("No such article.") from None
            # A page that has a version while Redis has none: Redis lost it, the page reloads.
            answer = {"version": 0, "count": 0, "comments": [], "complete": since == 0}
        if since > answer["version"]:  # no page was built at a version not yet reached
            pagecache.not_kept(request._request)
        response = Response(UpdatesOutput(answer).data)
        response.public_cache_seconds = ANSWER_SECONDS
        return response
