"""Input and output of the moderation API (moderation/api/views.py)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comments.models import Comment
from config.api import StrictCharField

from ..models import ReviewItem, Sanction

MAX_PAGE = 100


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


class ReviewSanctionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    until = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    user = serializers.CharField(source="user.username")
    user_id = serializers.IntegerField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    lifted_at = serializers.DateTimeField(allow_null=True)


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
    comment = ReviewCommentOutput(allow_null=True, help_text="Null for an appeal against a sanction.")
    sanction = ReviewSanctionOutput(
        allow_null=True,
        help_text="The ban or suspension under appeal: approve lifts it, reject upholds it (any `version`).",
    )
    note = serializers.CharField(help_text="Why a person sent it here: the notices' or the appeal's words.")
    excluded_moderator = serializers.CharField(
        source="excluded_moderator.username",
        allow_null=True,
        default=None,
        help_text="Who made the decision under appeal; they may not decide this item (403).",
    )
    checks = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
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

    @extend_schema_field(ReviewFlagOutput(many=True))
    def get_flags(self, item: ReviewItem) -> list[dict]:
        return ReviewFlagOutput(item.comment.flags.all(), many=True).data if item.comment_id else []


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
        min_value=1,
        help_text="The comment version the moderator saw (the item's `comment.version`); any for a sanction.",
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
