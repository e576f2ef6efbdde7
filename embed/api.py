"""GET /api/v1/stories/?url=<page URL>: the story of a page on a permitted site."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.api import ArticleOutput
from articles.models import SiteSettings
from config.api import THROTTLED, UNAVAILABLE, ErrorOutput, StrictCharField, Unavailable
from config.ratelimit import LimiterUnavailable

from . import origins, selectors, services
from .limits import story_wait


class StoryQuery(serializers.Serializer):
    url = StrictCharField(max_length=origins.MAX_URL, help_text="The page's address on the newsroom's site.")
    title = serializers.CharField(
        max_length=services.MAX_TITLE,
        required=False,
        allow_blank=True,
        help_text="The page's title (data-story-title), used when the story is created.",
    )


class StoryOutput(ArticleOutput):
    class Meta(ArticleOutput.Meta):
        fields = [*ArticleOutput.Meta.fields, "canonical_url"]


class StoryDetail(APIView):
    @extend_schema(
        description="The story of a page on a permitted site (EMBED_ORIGINS or admin's list), created "
        "on first ask. The address is kept without its query and fragment, scheme and host "
        "lower-cased; the story's `slug` works with every article address.",
        parameters=[StoryQuery],
        responses={
            200: StoryOutput,
            404: OpenApiResponse(ErrorOutput, description="The page is not on a permitted site."),
            429: THROTTLED,
            503: UNAVAILABLE,
        },
        operation_id="stories_retrieve",
    )
    def get(self, request) -> Response:
        query = StoryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            url = origins.story_url(query.validated_data["url"])
        except ValueError as error:
            raise ValidationError({"url": [f"Not a page address: {error}."]}) from None
        if not origins.is_permitted(url):
            raise NotFound("This page is not on a site permitted to embed the comments.")
        story = selectors.story_at(url)
        if story is None:
            try:
                wait = story_wait(request)
            except LimiterUnavailable:
                raise Unavailable(
                    "New stories cannot be created right now. Try again later.",
                    wait=LimiterUnavailable.retry_after,
                ) from None
            if wait:
                raise Throttled(wait=wait, detail="Too many new stories from your address. Try again later.")
            story = services.create_story(url=url, title=query.validated_data.get("title", ""))
        return Response(StoryOutput(story, context={"site_settings": SiteSettings.load()}).data)
