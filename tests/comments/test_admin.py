import pytest

from comments.models import AuditRecord
from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def record():
    comment = make_comment(article=ArticleFactory(), body="Audited words")
    return AuditRecord.objects.create(
        comment=comment,
        actor_name="system",
        action="moderation.comment.approved",
        from_status="pending",
        to_status="approved",
        comment_version=1,
    )


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
