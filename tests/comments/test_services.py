from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import SiteSettings
from comments import likes, services
from comments.models import AuditRecord, Comment, CommentLike
from comments.signals import comment_submitted
from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """What comment_submitted carried, in order."""
    received = []

    def receiver(sender, comment_id, version, **kwargs):
        received.append((comment_id, version))

    comment_submitted.connect(receiver, dispatch_uid="test-receiver")
    yield received
    comment_submitted.disconnect(dispatch_uid="test-receiver")


def test_change_status_writes_exactly_one_audit_record(article):
    comment = make_comment(article=article, status="pending")
    reasons = [{"name": "links", "verdict": "pass", "score": 0.0, "explanation": "no links"}]

    services.change_status(
        comment=comment,
        to_status="approved",
        actor_name="system:links@1",
        action="moderation.comment.approved",
        reasons=reasons,
    )

    record = AuditRecord.objects.get(comment=comment)
    assert (record.from_status, record.to_status) == ("pending", "approved")
    assert (record.actor_name, record.action, record.reasons) == (
        "system:links@1",
        "moderation.comment.approved",
        reasons,
    )


def test_change_status_recounts_the_articles_approved_comments(article):
    comment = make_comment(article=article, status="pending")
    make_comment(article=article)

    services.change_status(comment=comment, to_status="approved", actor_name="system", action="t.a")
    article.refresh_from_db()
    assert article.comment_count == 2

    services.change_status(comment=comment, to_status="rejected", actor_name="mod", action="t.r")
    article.refresh_from_db()
    assert article.comment_count == 1


def test_change_status_for_an_older_version_changes_nothing(article):
    comment = make_comment(article=article, status="pending", version=2)

    result = services.change_status(
        comment_id=comment.pk, to_status="approved", actor_name="system", action="t.a", expect_version=1
    )

    assert result is None
    assert Comment.objects.get(pk=comment.pk).status == "pending"
    assert not AuditRecord.objects.exists()


def test_posting_announces_the_comment_only_after_commit(article, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        comment = services.post_comment(article=article, author=UserFactory(), body="Hello")
        assert sent == []

    for callback in callbacks:
        callback()

    assert sent == [(comment.pk, 1)]


def test_editing_keeps_the_old_text_and_sends_the_new_version_for_checks(
    article, sent, django_capture_on_commit_callbacks
):
    author = UserFactory()
    comment = make_comment(article=article, author=author, body="First")

    with django_capture_on_commit_callbacks(execute=True):
        services.edit_comment(comment=comment, user=author, body="Second")
    comment = Comment.objects.get(pk=comment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_comment(comment=comment, user=author, body="Third")

    comment.refresh_from_db()
    assert comment.body == "Third"
    assert comment.version == 3
    assert comment.edited_at is not None
    assert list(comment.revisions.values_list("version", "body")) == [(1, "First"), (2, "Second")]
    assert sent == [(comment.pk, 2), (comment.pk, 3)]


def test_an_edit_of_a_published_comment_waits_beside_the_approved_text(article):
    author = UserFactory(username="alice")
    comment = make_comment(article=article, author=author, body="First thoughts")

    edited = services.edit_comment(comment=comment, user=author, body="Changed my mind")

    assert (edited.status, edited.body, edited.version) == ("approved", "First thoughts", 1)
    assert (edited.edit_status, edited.edit_body, edited.edit_version) == ("pending", "Changed my mind", 2)
    record = AuditRecord.objects.get(comment=comment, action="comments.comment.edited")
    assert (record.actor_name, record.from_status, record.to_status) == ("alice", "approved", "approved")
    assert record.comment_version == 2


def test_a_site_setting_closes_comments_days_after_publication():
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    site = SiteSettings.load()
    site.comments_close_after_days = 2
    site.save()

    with pytest.raises(services.CommentsClosed):
        services.post_comment(article=article, author=UserFactory(), body="Too late")

    assert not Comment.objects.exists()


def test_replying_to_someone_elses_pending_comment_is_refused(article):
    pending = make_comment(article=article, status="pending")

    with pytest.raises(services.InvalidComment):
        services.post_comment(article=article, author=UserFactory(), body="Hi", parent_id=pending.pk)


def test_like_count_is_recounted_from_the_likes(article):
    comment = make_comment(article=article)
    readers = [UserFactory() for _ in range(3)]

    for reader in readers:
        likes.like_comment(comment=comment, user=reader)
    likes.like_comment(comment=comment, user=readers[0])
    likes.unlike_comment(comment=comment, user=readers[1])

    comment.refresh_from_db()
    assert comment.like_count == CommentLike.objects.filter(comment=comment).count() == 2


def test_deleting_is_audited_and_recounts(article):
    author = UserFactory(username="alice")
    comment = make_comment(article=article, author=author)

    services.delete_comment(comment=comment, user=author)

    article.refresh_from_db()
    assert article.comment_count == 0
    assert AuditRecord.objects.get(comment=comment).action == "comments.comment.deleted"
