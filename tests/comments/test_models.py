import pytest

from comments.models import AuditRecord
from tests.factories import ArticleFactory, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    comment = make_comment(article=ArticleFactory())
    return AuditRecord.objects.create(
        comment=comment,
        actor_name="system",
        action="moderation.comment.approved",
        from_status="pending",
        to_status="approved",
        comment_version=1,
    )


def test_an_audit_record_cannot_be_edited(record):
    record.action = "something.else"

    with pytest.raises(ValueError, match="never edited"):
        record.save()


def test_an_audit_record_cannot_be_deleted(record):
    with pytest.raises(ValueError, match="never deleted"):
        record.delete()


def test_audit_records_cannot_be_updated_or_deleted_in_bulk(record):
    with pytest.raises(ValueError):
        AuditRecord.objects.filter(pk=record.pk).update(action="x")
    with pytest.raises(ValueError):
        AuditRecord.objects.all().delete()

    assert AuditRecord.objects.get().action == "moderation.comment.approved"
