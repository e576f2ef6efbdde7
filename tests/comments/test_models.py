import pytest

from comments.models import AuditRecord

pytestmark = pytest.mark.django_db


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
