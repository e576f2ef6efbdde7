import pytest

from comments.models import AuditRecord
from tests.factories import ArticleFactory, make_comment


@pytest.fixture
def record():
    """An approved comment's audit record, as the checks write it."""
    comment = make_comment(article=ArticleFactory(), body="Audited words")
    return AuditRecord.objects.create(
        comment=comment,
        actor_name="system",
        action="moderation.comment.approved",
        from_status="pending",
        to_status="approved",
        comment_version=1,
    )
