"""The moderator's JSON API under /api/v1/moderation/: the review queue, decisions, sanctions.

Views parse input, call one service or selector of moderation.queue and map its errors:
Invalid to 400 (with the field), Conflict to 409, a missing item to 404.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from comments.models import Comment
from config import cursors
from config.api import CONFLICT, StrictCharField

from . import queue
from .models import ReviewItem, Sanction
from .permissions import IsModerator

MAX_PAGE = 100


class ConflictError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This conflicts with the item's current state."
    default_code = "conflict"


def _raise(error: queue.QueueError):
    if isinstance(error, queue.Invalid):
        raise ValidationError({error.field or "non_field_errors": [str(error)]})
    if isinstance(error, queue.Conflict):
        raise ConflictError(str(error))
    raise ValidationError({"non_field_errors": [str(error)]})


# Output


class ReviewCheckOutput(serializers.Serializer):
    name = serializers.CharField()
    verdict = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    explanation = serializers.CharField()


class ReviewFlagOutput(serializers.Serializer):
    reason = serializers.CharField()
    note = serializers.CharField()
    weight = serializers.FloatField()
    weight_reason = serializers.CharField(help_text="Why the flag counts for this much.")
    created_at = serializers.DateTimeField()


class RevisionOutput(serializers.Serializer):
    version = serializers.IntegerField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReviewCommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField(
        source="review_body", help_text="The text to judge: a waiting edit, else the comment's text."
    )
    version = serializers.IntegerField(
        source="review_version", help_text="The version of `body`; a decision must name it."
    )
    published_body = serializers.SerializerMethodField(
        help_text="The approved text readers see while an edit of it waits; null otherwise."
    )
    edit_status = serializers.CharField(
        help_text="pending, in_review or rejected for an edit; empty if none."
    )
    status = serializers.CharField()
    article = serializers.IntegerField(source="article_id")
    article_slug = serializers.CharField(source="article.slug")
    article_headline = serializers.CharField(source="article.headline")
    author = serializers.CharField(source="author.username")
    author_id = serializers.IntegerField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    parent_body = serializers.SerializerMethodField()
    parent_author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    revisions = RevisionOutput(many=True, source="revisions.all")

    def get_published_body(self, comment: Comment) -> str | None:
        published = comment.status == Comment.Status.APPROVED and comment.edit_version is not None
        return comment.body if published else None

    def get_parent_body(self, comment: Comment) -> str | None:
        return comment.parent.body if comment.parent_id else None

    def get_parent_author(self, comment: Comment) -> str | None:
        return comment.parent.author.username if comment.parent_id else None


class ReviewItemOutput(serializers.Serializer):
    """A review item as moderators see it; read from queue.detailed() so it costs no extra queries."""

    id = serializers.IntegerField()
    queue = serializers.CharField()
    reason = serializers.CharField()
    for_edit = serializers.BooleanField(
        help_text="The item judges an edit of a published comment: rejecting refuses only the edit."
    )
    created_at = serializers.DateTimeField()
    claimed_by = serializers.CharField(source="claimed_by.username", allow_null=True, default=None)
    lease_expires_at = serializers.DateTimeField(allow_null=True)
    comment = ReviewCommentOutput()
    checks = serializers.SerializerMethodField()
    flags = ReviewFlagOutput(many=True, source="comment.flags.all")
    escalation_note = serializers.CharField(allow_null=True, default=None)
    decision = serializers.CharField()
    decision_reason = serializers.CharField()
    decision_note = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(ReviewCheckOutput(many=True))
    def get_checks(self, item: ReviewItem) -> list[dict]:
        keys = ("name", "verdict", "score", "explanation")
        return [{k: reason.get(k) for k in keys} for reason in (getattr(item, "checks", None) or [])]


class QueuePageOutput(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = ReviewItemOutput(many=True)


class ItemListOutput(serializers.Serializer):
    results = ReviewItemOutput(many=True)


class BulkResultOutput(serializers.Serializer):
    id = serializers.IntegerField(source="item_id")
    ok = serializers.BooleanField()
    status = serializers.IntegerField()
    detail = serializers.CharField()


class BulkOutput(serializers.Serializer):
    results = BulkResultOutput(many=True)


class CountOutput(serializers.Serializer):
    count = serializers.IntegerField()


class SanctionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.IntegerField(source="user_id")
    kind = serializers.CharField()
    until = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    lifted_at = serializers.DateTimeField(allow_null=True)
    lifted_by = serializers.CharField(source="lifted_by.username", allow_null=True, default=None)
    is_active = serializers.SerializerMethodField()

    def get_is_active(self, sanction: Sanction) -> bool:
        return sanction.is_active()


class AuthorCommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    status = serializers.CharField()
    article = serializers.IntegerField(source="article_id")
    article_slug = serializers.CharField(source="article.slug")
    created_at = serializers.DateTimeField()


class AuthorHistoryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    joined = serializers.DateTimeField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()
    in_review = serializers.IntegerField()
    pending = serializers.IntegerField()
    sanctions = SanctionOutput(many=True)
    active_sanctions = SanctionOutput(many=True)
    last_comments = AuthorCommentOutput(many=True)


# Input


class ClaimInput(serializers.Serializer):
    queue = serializers.ChoiceField(choices=ReviewItem.Queue.choices)
    count = serializers.IntegerField(min_value=1, max_value=100, required=False)


class DecisionFields(serializers.Serializer):
    action = serializers.ChoiceField(choices=ReviewItem.Decision.choices)
    reason = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    note = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")


class DecisionInput(DecisionFields):
    version = serializers.IntegerField(
        min_value=1, help_text="The comment version the moderator saw (the item's `comment.version`)."
    )


class BulkItemInput(serializers.Serializer):
    id = serializers.IntegerField(min_value=1)
    version = serializers.IntegerField(min_value=1)


class BulkDecisionInput(DecisionFields):
    items = BulkItemInput(many=True, min_length=1, max_length=MAX_PAGE)


class ConflictOutput(serializers.Serializer):
    detail = serializers.CharField()
    item = ReviewItemOutput(help_text="The item as it is now.")


class ReleaseInput(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=MAX_PAGE
    )


class RejectPendingInput(serializers.Serializer):
    reason = StrictCharField(max_length=200, required=False, default="spam")
    note = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")


class SanctionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Sanction.Kind.choices)
    until = serializers.DateTimeField(required=False, allow_null=True, default=None)
    reason = StrictCharField(max_length=500)


class QueueQuery(serializers.Serializer):
    queue = serializers.ChoiceField(choices=ReviewItem.Queue.choices, required=False, default="premod")
    article = serializers.SlugField(max_length=255, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, default=20)
    cursor = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        return cursors.decode(cursor, cursors.moment, cursors.integer)
    except cursors.BadCursor as error:
        raise ValidationError({"cursor": [str(error)]}) from None


def _items(ids: list[int]) -> list[ReviewItem]:
    return list(queue.detailed(ReviewItem.objects.filter(pk__in=ids)).order_by("created_at", "id"))


def _item(pk: int) -> ReviewItem:
    return _items([pk])[0]


def _user(pk: int):
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None:
        raise NotFound("No such user.")
    return user


# Views


class ReviewQueueList(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        parameters=[
            OpenApiParameter("queue", enum=ReviewItem.Queue.values, default="premod"),
            OpenApiParameter("article", str, description="Only comments on the article with this slug."),
            OpenApiParameter("reason", str, description="The check that held the item, or a flag reason."),
            OpenApiParameter("limit", int, default=20),
            OpenApiParameter("cursor", str),
        ],
        responses=QueuePageOutput,
    )
    def get(self, request):
        params = QueueQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        after = _decode_cursor(query["cursor"]) if query["cursor"] else None
        items = queue.review_queue(
            queue=query["queue"],
            article_slug=query["article"],
            reason=query["reason"],
            after=after,
            limit=query["limit"] + 1,
        )
        next_url = None
        if len(items) > query["limit"]:
            items = items[: query["limit"]]
            following = request.query_params.copy()
            following["cursor"] = cursors.encode([items[-1].created_at.isoformat(), items[-1].pk])
            next_url = request.build_absolute_uri(f"{request.path}?{following.urlencode()}")
        return Response({"next": next_url, "results": ReviewItemOutput(items, many=True).data})


class ReviewQueueClaim(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=ClaimInput, responses=ItemListOutput)
    def post(self, request):
        data = ClaimInput(data=request.data)
        data.is_valid(raise_exception=True)
        count = data.validated_data.get("count", settings.MODERATION_CLAIM_COUNT)
        try:
            items = queue.claim(moderator=request.user, queue=data.validated_data["queue"], count=count)
        except queue.QueueError as error:
            _raise(error)
        return Response({"results": ReviewItemOutput(_items([i.pk for i in items]), many=True).data})


class ReviewQueueRenew(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=None, responses=CountOutput)
    def post(self, request):
        return Response({"count": queue.renew(moderator=request.user)})


class ReviewQueueRelease(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=ReleaseInput, responses=CountOutput)
    def post(self, request):
        data = ReleaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        count = queue.release(moderator=request.user, item_ids=data.validated_data.get("ids"))
        return Response({"count": count})


class ReviewItemDecision(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=DecisionInput, responses={200: ReviewItemOutput, 409: ConflictOutput})
    def post(self, request, pk: int):
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            item = queue.decide(item_id=pk, moderator=request.user, **data.validated_data)
        except ReviewItem.DoesNotExist:
            raise NotFound("No such review item.") from None
        except queue.Conflict as error:
            now = ReviewItemOutput(_item(pk)).data
            return Response({"detail": str(error), "item": now}, status=status.HTTP_409_CONFLICT)
        except queue.QueueError as error:
            _raise(error)
        return Response(ReviewItemOutput(_item(item.pk)).data)


class ReviewItemBulkDecision(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=BulkDecisionInput, responses=BulkOutput)
    def post(self, request):
        data = BulkDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            items = [(entry["id"], entry["version"]) for entry in data.validated_data.pop("items")]
            results = queue.decide_many(items=items, moderator=request.user, **data.validated_data)
        except queue.QueueError as error:
            _raise(error)
        return Response(BulkOutput({"results": results}).data)


class DecisionUndo(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=None, responses={200: ReviewItemOutput, 409: CONFLICT})
    def post(self, request):
        try:
            item = queue.undo_last(moderator=request.user)
        except queue.QueueError as error:
            _raise(error)
        return Response(ReviewItemOutput(_item(item.pk)).data)


class AuthorHistory(APIView):
    permission_classes = [IsModerator]

    @extend_schema(responses=AuthorHistoryOutput)
    def get(self, request, pk: int):
        return Response(AuthorHistoryOutput(queue.author_history(_user(pk))).data)


class AuthorRejectPending(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=RejectPendingInput, responses=CountOutput)
    def post(self, request, pk: int):
        data = RejectPendingInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            count = queue.reject_all_pending_of(
                author=_user(pk), moderator=request.user, **data.validated_data
            )
        except queue.QueueError as error:
            _raise(error)
        return Response({"count": count})


class SanctionListCreate(APIView):
    permission_classes = [IsModerator]

    @extend_schema(responses=SanctionOutput(many=True))
    def get(self, request, pk: int):
        sanctions = (
            Sanction.objects.filter(user=_user(pk))
            .select_related("created_by", "lifted_by")
            .order_by("-created_at", "-id")
        )
        return Response(SanctionOutput(sanctions, many=True).data)

    @extend_schema(request=SanctionInput, responses={201: SanctionOutput})
    def post(self, request, pk: int):
        user = _user(pk)
        data = SanctionInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            sanction = queue.apply_sanction(user=user, moderator=request.user, **data.validated_data)
        except queue.QueueError as error:
            _raise(error)
        return Response(SanctionOutput(sanction).data, status=status.HTTP_201_CREATED)


def _lift(request, pk: int, sid: int) -> Response:
    sanction = get_object_or_404(Sanction, pk=sid, user_id=pk)
    try:
        sanction = queue.lift_sanction(sanction=sanction, moderator=request.user)
    except queue.QueueError as error:
        _raise(error)
    return Response(SanctionOutput(sanction).data)


class SanctionDetail(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        request=None, responses={200: SanctionOutput, 409: CONFLICT}, description="Lift the sanction."
    )
    def delete(self, request, pk: int, sid: int):
        return _lift(request, pk, sid)


class SanctionLift(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=None, responses={200: SanctionOutput, 409: CONFLICT})
    def post(self, request, pk: int, sid: int):
        return _lift(request, pk, sid)
