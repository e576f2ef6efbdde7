import pytest

from comments.models import AuditRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_admin_shows_a_comment_with_its_audit_trail(admin_client, record):
    response = admin_client.get(f"/admin/comments/comment/{record.comment_id}/change/")

    assert response.status_code == 200
    assert "moderation.comment.approved" in response.content.decode()


def test_admin_cannot_change_or_delete_an_audit_record(admin_client, record):
    url = f"/admin/comments/auditrecord/{record.pk}/"

    assert admin_client.get(url + "change/").status_code == 200
    assert admin_client.post(url + "change/", {"action": "edited"}).status_code == 403
    assert admin_client.post(url + "delete/", {"post": "yes"}).status_code == 403

    assert AuditRecord.objects.get().action == "moderation.comment.approved"
