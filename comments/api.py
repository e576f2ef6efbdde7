from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import display_name
from articles.models import Article
from config.api import CONFLICT, THROTTLED, StrictCharField
from config.cursors import BadCursor

from . import likes, mine, personal, ratelimit, selectors, services, visibility
from .models import Comment, CommentFlag

# Over the limit is refused with the reason, never cut.
BODY_ERRORS = {"max_length": services.too_long()}


class CommentInput(serializers.Serializer):
    body = StrictCharField(max_length=services.MAX_BODY, error_messages=BODY_ERRORS)
    parent = serializers.IntegerField(source="parent_id", required=False, allow_null=True, min_value=1)


class CommentEditInput(serializers.Serializer):
    body = StrictCharField(max_length=services.MAX_BODY, error_messages=BODY_ERRORS)


class FlagInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CommentFlag.Reason.choices)
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class ReplyToOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField()


class EditOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Comment.EditStatus.choices)
    version = serializers.IntegerField()
    body = serializers.CharField()
    body_html = serializers.CharField()


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)
    reply_to = ReplyToOutput(allow_null=True)
    author = serializers.CharField(allow_null=True, help_text="The author's display name.")
    author_id = serializers.IntegerField(allow_null=True)
    body = serializers.CharField()
    body_html = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField(help_text="The version of `body`, the text readers see.")
    edit = EditOutput(
        required=False,
        allow_null=True,
        help_text="Only for the author: an edit not yet public (awaiting moderation, or not published).",
    )
    created_at = serializers.DateTimeField()
    edited = serializers.BooleanField()
    like_count = serializers.IntegerField()
    featured = serializers.BooleanField(help_text='An editors\' pick (the "Featured" badge).')
    staff = serializers.BooleanField(help_text='Written by a member of staff (the "Staff" badge).')
    depth = serializers.IntegerField()
    replies = serializers.ListField(child=serializers.DictField(), help_text="The first replies, nested.")
    reply_count = serializers.IntegerField(help_text="All visible replies, shown or not.")
    more_replies = serializers.IntegerField(help_text="Replies not shown here.")
    replies_cursor = serializers.CharField(
        allow_null=True, help_text="The `cursor` for GET /api/v1/comments/<id>/replies/ to the rest."
    )
    not_published = serializers.BooleanField(required=False, help_text="Only for the author: rejected.")
    rejection_reason = serializers.CharField(required=False, help_text="Only for the author: why, plainly.")
    liked = serializers.BooleanField(required=False, help_text="Only for a signed-in reader: they like it.")
    ignored = serializers.BooleanField(
        required=False, help_text="Only for a signed-in reader who ignores the author: body left empty."
    )


class OwnArticleOutput(serializers.Serializer):
    slug = serializers.CharField()
    headline = serializers.CharField()


class OwnCommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    article = OwnArticleOutput()
    url = serializers.CharField(help_text="Where the comment sits on its article's page.")
    parent = serializers.IntegerField(allow_null=True)
    body = serializers.CharField()
    status = serializers.CharField(help_text=f"One of: {', '.join(Comment.Status.values)}.")
    status_label = serializers.CharField()
    reason = serializers.CharField(help_text="Why it is not public, in plain words (empty when it is).")
    edit_status = serializers.CharField(
        allow_null=True, help_text=f"An edit not yet public: {', '.join(Comment.EditStatus.values)}."
    )
    created_at = serializers.DateTimeField()
    edited = serializers.BooleanField()
    like_count = serializers.IntegerField()
    featured = serializers.BooleanField(help_text="An editors' pick.")


class OwnCommentPageOutput(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = OwnCommentOutput(many=True)


class CommentPageOutput(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = CommentOutput(many=True)


class FlagOutput(serializers.ModelSerializer):
    class Meta:
        model = CommentFlag
        fields = ["id", "reason", "note", "created_at"]


def _article(slug: str) -> Article:
    try:
        return selectors.published_article(slug)
    except Article.DoesNotExist:
        raise NotFound("No such article.") from None


def check_comment_rate(request) -> None:
    """Raise Throttled when this user or address posted too often (shared across processes)."""
    wait = ratelimit.comment_wait(request)
    if wait:
        raise Throttled(wait=wait, detail="You are posting too fast. Try again later.")


def _raise(error: services.CommentError):
    if isinstance(error, services.InvalidComment):
        raise ValidationError({error.field: [str(error)]})
    raise PermissionDenied(str(error))


def _single(comment: Comment, viewer) -> dict:
    names = {}
    if comment.reply_to_id and comment.reply_to.status == visibility.PUBLIC:
        names = {comment.reply_to_id: display_name(comment.reply_to.author)}
    data = selectors.comment_data(comment, names=names, viewer=viewer)
    if comment.author_id == viewer.pk:
        data["edit"] = visibility.own_edit(comment, viewer=viewer)
    return data


class CommentListCreate(APIView):
    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "sort",
                enum=sorted(selectors.SORTS),
                default="oldest",
                description="`featured`: only editors' picks (at any depth, without their replies), "
                "newest pick first.",
            ),
            OpenApiParameter("cursor", str),
        ],
        responses=CommentPageOutput,
    )
    def get(self, request, slug: str):
        sort = request.query_params.get("sort", "oldest")
        if sort not in selectors.SORTS:
            raise ValidationError({"sort": [f"Choose one of: {', '.join(sorted(selectors.SORTS))}."]})
        cursor = request.query_params.get("cursor")
        try:
            article, page = selectors.public_thread(slug, sort=sort, cursor=cursor)
        except Article.DoesNotExist:
            raise NotFound("No such article.") from None
        except BadCursor as error:
            raise ValidationError({"cursor": [str(error)]}) from None
        page = personal.with_own_pending(article, page, viewer=request.user, cursor=cursor, sort=sort)
        return Response(
            {"next": _next_url(request, page["next_cursor"], sort=sort), "results": page["results"]}
        )

    @extend_schema(request=CommentInput, responses={201: CommentOutput, 429: THROTTLED})
    def post(self, request, slug: str):
        article = _article(slug)
        data = CommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        check_comment_rate(request)
        try:
            comment = services.post_comment(article=article, author=request.user, **data.validated_data)
        except services.CommentError as error:
            _raise(error)
        return Response(_single(comment, request.user), status=status.HTTP_201_CREATED)


def _next_url(request, cursor: str | None, **params) -> str | None:
    if not cursor:
        return None
    query = "".join(f"{name}={value}&" for name, value in params.items())
    return request.build_absolute_uri(f"{request.path}?{query}cursor={cursor}")


class CommentReplies(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("cursor", str)], responses=CommentPageOutput)
    def get(self, request, pk: int):
        try:
            parent = selectors.reply_parent(pk)
        except Comment.DoesNotExist:
            raise NotFound("No such comment.") from None
        cursor = request.query_params.get("cursor")
        try:
            page = selectors.public_replies(parent, cursor=cursor)
        except BadCursor as error:
            raise ValidationError({"cursor": [str(error)]}) from None
        return Response({"next": _next_url(request, page["next_cursor"]), "results": page["results"]})


class CommentDetail(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def _comment(self, request, pk: int) -> Comment:
        comment = get_object_or_404(
            Comment.objects.select_related("author__profile", "reply_to__author__profile"), pk=pk
        )
        if visibility.may_read(comment, request.user):
            return comment
        raise NotFound("No such comment.")

    @extend_schema(responses=CommentOutput)
    def get(self, request, pk: int):
        return Response(_single(self._comment(request, pk), request.user))

    @extend_schema(request=CommentEditInput, responses={200: CommentOutput, 429: THROTTLED})
    def patch(self, request, pk: int):
        comment = self._comment(request, pk)
        data = CommentEditInput(data=request.data)
        data.is_valid(raise_exception=True)
        wait = ratelimit.edit_wait(request)
        if wait:
            raise Throttled(wait=wait, detail="You are editing too fast. Try again later.")
        try:
            comment = services.edit_comment(
                comment=comment, user=request.user, body=data.validated_data["body"]
            )
        except services.CommentError as error:
            _raise(error)
        comment.refresh_from_db()
        return Response(_single(comment, request.user))

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        comment = self._comment(request, pk)
        try:
            services.delete_comment(comment=comment, user=request.user)
        except services.CommentError as error:
            _raise(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _public_comment(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.filter(status=visibility.PUBLIC), pk=pk)


class CommentFlagCreate(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=FlagInput, responses={201: FlagOutput, 409: CONFLICT})
    def post(self, request, pk: int):
        comment = _public_comment(pk)
        data = FlagInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            flag = services.flag_comment(comment=comment, user=request.user, **data.validated_data)
        except services.AlreadyFlagged as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except services.CommentError as error:
            _raise(error)
        return Response(FlagOutput(flag).data, status=status.HTTP_201_CREATED)


class LikeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    like_count = serializers.IntegerField()
    liked = serializers.BooleanField(help_text="Whether the reader likes it now.")


class CommentLikeToggle(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def _answer(self, comment: Comment) -> Response:
        comment.refresh_from_db(fields=["like_count"])
        return Response({"id": comment.pk, "like_count": comment.like_count, "liked": self.liked})

    @extend_schema(request=None, responses=LikeOutput)
    def put(self, request, pk: int):
        comment = _public_comment(pk)
        try:
            likes.like_comment(comment=comment, user=request.user)
        except services.CommentError as error:
            _raise(error)
        self.liked = True
        return self._answer(comment)

    @extend_schema(request=None, responses={200: LikeOutput})
    def delete(self, request, pk: int):
        comment = _public_comment(pk)
        likes.unlike_comment(comment=comment, user=request.user)
        self.liked = False
        return self._answer(comment)


class OwnCommentsQuery(serializers.Serializer):
    cursor = serializers.IntegerField(required=False, min_value=1, help_text="The `next` page's cursor.")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class MeComments(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OwnCommentsQuery],
        responses=OwnCommentPageOutput,
        summary="The signed-in reader's own comments, newest first, with status and plain reason",
    )
    def get(self, request):
        data = OwnCommentsQuery(data=request.query_params)
        data.is_valid(raise_exception=True)
        cursor, limit = data.validated_data.get("cursor"), data.validated_data["limit"]
        results, next_cursor = mine.own_comments(request.user, before=cursor, limit=limit)
        next_url = None
        if next_cursor:
            next_url = request.build_absolute_uri(f"{request.path}?limit={limit}&cursor={next_cursor}")
        return Response({"next": next_url, "results": results})
