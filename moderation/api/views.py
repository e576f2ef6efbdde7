"""The moderator's JSON API under /api/v1/moderation/: the review queue, decisions, sanctions.

Views parse input, call one service or selector and map its errors: Invalid to 400 (with the
field), Conflict to 409, NotYours (an appeal against one's own decision) to 403, a missing item to 404.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from config import cursors
from config.api import CONFLICT, ConflictError, refusals

from .. import selectors, services
from ..errors import QueueError, status_code
from ..models import ReviewItem, Sanction
from ..permissions import IsModerator
from .serializers import (
    AuthorHistoryOutput,
    BulkDecisionInput,
    BulkOutput,
    ClaimInput,
    ConflictOutput,
    CountOutput,
    DecisionInput,
    ItemListOutput,
    QueuePageOutput,
    QueueQuery,
    RejectPendingInput,
    ReleaseInput,
    ReviewItemOutput,
    SanctionInput,
    SanctionOutput,
)


def _refusals():
    """The services' refusals as API errors: Invalid 400 naming its field, NotYours 403, Conflict 409."""
    return refusals(QueueError, status_code)


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        return cursors.decode(cursor, cursors.moment, cursors.integer)
    except cursors.BadCursor as error:
        raise ValidationError({"cursor": [str(error)]}) from None


def _item(pk: int) -> ReviewItem:
    return selectors.items_by_id([pk])[0]


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
        items = selectors.review_queue(
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
        data = _valid(ClaimInput, request)
        count = data.get("count", settings.MODERATION_CLAIM_COUNT)
        with _refusals():
            items = services.claim(moderator=request.user, queue=data["queue"], count=count)
        return Response(
            {"results": ReviewItemOutput(selectors.items_by_id([i.pk for i in items]), many=True).data}
        )


class ReviewQueueRenew(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=None, responses=CountOutput)
    def post(self, request):
        return Response({"count": services.renew(moderator=request.user)})


class ReviewQueueRelease(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=ReleaseInput, responses=CountOutput)
    def post(self, request):
        data = _valid(ReleaseInput, request)
        count = services.release(moderator=request.user, item_ids=data.get("ids"))
        return Response({"count": count})


class ReviewItemDecision(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=DecisionInput, responses={200: ReviewItemOutput, 409: ConflictOutput})
    def post(self, request, pk: int):
        data = _valid(DecisionInput, request)
        try:
            with _refusals():
                item = services.decide(item_id=pk, moderator=request.user, **data)
        except ReviewItem.DoesNotExist:
            raise NotFound("No such review item.") from None
        except ConflictError as error:  # with the item as it is now, so the moderator can read it again
            now = ReviewItemOutput(_item(pk)).data
            return Response({"detail": str(error.detail), "item": now}, status=status.HTTP_409_CONFLICT)
        return Response(ReviewItemOutput(_item(item.pk)).data)


class ReviewItemBulkDecision(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=BulkDecisionInput, responses=BulkOutput)
    def post(self, request):
        data = _valid(BulkDecisionInput, request)
        with _refusals():
            items = [(entry["id"], entry["version"]) for entry in data.pop("items")]
            results = services.decide_many(items=items, moderator=request.user, **data)
        return Response(BulkOutput({"results": results}).data)


class DecisionUndo(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=None, responses={200: ReviewItemOutput, 409: CONFLICT})
    def post(self, request):
        with _refusals():
            item = services.undo_last(moderator=request.user)
        return Response(ReviewItemOutput(_item(item.pk)).data)


class AuthorHistory(APIView):
    permission_classes = [IsModerator]

    @extend_schema(responses=AuthorHistoryOutput)
    def get(self, request, pk: int):
        return Response(AuthorHistoryOutput(selectors.author_history(_user(pk))).data)


class AuthorRejectPending(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=RejectPendingInput, responses=CountOutput)
    def post(self, request, pk: int):
        data = _valid(RejectPendingInput, request)
        with _refusals():
            count = services.reject_all_pending_of(author=_user(pk), moderator=request.user, **data)
        return Response({"count": count})


class SanctionListCreate(APIView):
    permission_classes = [IsModerator]

    @extend_schema(responses=SanctionOutput(many=True))
    def get(self, request, pk: int):
        return Response(SanctionOutput(selectors.sanctions_of(_user(pk)), many=True).data)

    @extend_schema(request=SanctionInput, responses={201: SanctionOutput})
    def post(self, request, pk: int):
        user = _user(pk)
        data = _valid(SanctionInput, request)
        with _refusals():
            sanction = services.apply_sanction(user=user, moderator=request.user, **data)
        return Response(SanctionOutput(sanction).data, status=status.HTTP_201_CREATED)


class SanctionDetail(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        request=None, responses={200: SanctionOutput, 409: CONFLICT}, description="Lift the sanction."
    )
    def delete(self, request, pk: int, sid: int):
        sanction = get_object_or_404(Sanction, pk=sid, user_id=pk)
        with _refusals():
            sanction = services.lift_sanction(sanction=sanction, moderator=request.user)
        return Response(SanctionOutput(sanction).data)
