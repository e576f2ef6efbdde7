"""PUT / DELETE /api/v1/moderation/comments/<id>/featured/: editors' picks (moderators only)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from comments import featuring
from comments.models import Comment
from config.api import ErrorOutput

from ..permissions import IsModerator


class FeaturedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    featured = serializers.BooleanField()
    featured_at = serializers.DateTimeField(allow_null=True)
    featured_by = serializers.CharField(allow_null=True, help_text="The moderator's username.")
    changed = serializers.BooleanField(help_text="False when the comment was already featured.")


def _answer(comment: Comment, changed: bool) -> dict:
    by = comment.featured_by
    return {
        "id": comment.pk,
        "featured": comment.featured_at is not None,
        "featured_at": comment.featured_at,
        "featured_by": by.get_username() if by else None,
        "changed": changed,
    }


class CommentFeatured(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        request=None,
        responses={
            200: FeaturedOutput,
            400: OpenApiResponse(
                ErrorOutput, description="The comment is not published (only those can be featured)."
            ),
        },
        summary="Feature a published comment as an editors' pick (idempotent)",
        description='Its author is emailed (if they want such emails); the article\'s "Featured" '
        "tab and the comment's badge show it at once.",
    )
    def put(self, request, pk: int):
        try:
            comment, changed = featuring.feature(comment_id=pk, by=request.user)
        except Comment.DoesNotExist:
            raise NotFound("No such comment.") from None
        except featuring.NotFeaturable as error:
            raise ValidationError({"comment": [str(error)]}) from None
        return Response(FeaturedOutput(_answer(comment, changed)).data)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Stop featuring a comment (idempotent: 204 also when it was not featured)",
    )
    def delete(self, request, pk: int):
        try:
            featuring.unfeature(comment_id=pk, by=request.user)
        except Comment.DoesNotExist:
            raise NotFound("No such comment.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)
