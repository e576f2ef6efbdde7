"""Authors hear about decisions by email, through the notifications queue."""

import pytest
from django.core import mail

from comments.models import AuditRecord, Comment
from comments.services import post_comment
from config.celery import app
from moderation.models import ReviewItem, WordListEntry
from moderation.notify import send_decision_email
from moderation.services import undo_last
from tests.conftest import wait_for
from tests.factories import ArticleFactory, UserFactory, decide_item, make_comment, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    comment = make_comment(
        article=ArticleFactory(headline="Rivers rise"), status="in_review", body="Read http://example.com"
    )
    item = ReviewItem.objects.create(comment=comment, queue="premod", reason="links")
    return comment, item


def test_notifications_go_to_their_own_queue():
    route = app.amqp.router.route({}, "moderation.tasks.send_decision_email")
    assert route["queue"].name == "notifications"
    assert app.amqp.router.route({}, "moderation.tasks.check_comment")["queue"].name == "moderation"


def test_an_automatically_rejected_comment_mails_its_author_a_plain_reason(
    django_capture_on_commit_callbacks,
):
    WordListEntry.objects.create(phrase="grotesquerie", kind="banned")
    author = UserFactory()

    # Posting queues the check on commit, the check queues the mail on commit.
    with django_capture_on_commit_callbacks(execute=True), django_capture_on_commit_callbacks(execute=True):
        post_comment(article=ArticleFactory(headline="Rivers rise"), author=author, body="Such grotesquerie!")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    assert "was not published" in message.subject
    assert "breaks our rules on abusive language" in message.body
    assert "grotesquerie" not in message.body.replace(
        "> Such grotesquerie!", ""
    )  # the word list stays private


def test_an_approved_comment_without_review_mails_nobody(django_capture_on_commit_callbacks):
    author = UserFactory()
    for n in range(3):
        make_comment(article=ArticleFactory(), author=author, body=f"earlier {n}")
    # Posting queues the check on commit, the check queues the mail on commit.
    with django_capture_on_commit_callbacks(execute=True), django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(article=ArticleFactory(), author=author, body="A calm remark.")

    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert mail.outbox == []


def test_approval_after_review_mails_the_author_with_a_link(held, django_capture_on_commit_callbacks):
    comment, item = held
    with django_capture_on_commit_callbacks(execute=True):
        decide_item(item, moderator=moderator(), action="approve")

    assert len(mail.outbox) == 1
    assert "now published" in mail.outbox[0].subject
    assert f"/articles/{comment.article.slug}/?comment={comment.pk}#c{comment.pk}" in mail.outbox[0].body


def test_rejection_by_a_moderator_mails_the_reason_from_the_list(held, django_capture_on_commit_callbacks):
    comment, item = held
    with django_capture_on_commit_callbacks(execute=True):
        decide_item(item, moderator=moderator(), action="reject", reason="spam", note="internal note")

    assert len(mail.outbox) == 1
    assert "because it is spam or advertising" in mail.outbox[0].body
    assert "internal note" not in mail.outbox[0].body


def test_an_undone_decision_mails_nobody(held):
    comment, item = held
    mod = moderator()
    decide_item(item, moderator=mod, action="reject", reason="spam")
    decision = AuditRecord.objects.filter(comment=comment).latest("id")
    undo_last(moderator=mod)

    assert send_decision_email(comment_id=comment.pk, audit_id=decision.pk, reason="x") is False
    assert mail.outbox == []


def test_a_decision_is_mailed_once_even_if_the_message_comes_twice(held, redis_client):
    comment, item = held
    # An approval after review: a rejection's email is its statement of reasons (dsa/mail.py).
    decide_item(item, moderator=moderator(), action="approve")
    decision = AuditRecord.objects.filter(comment=comment).latest("id")

    assert send_decision_email(comment_id=comment.pk, audit_id=decision.pk) is True
    assert send_decision_email(comment_id=comment.pk, audit_id=decision.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.integration
def test_a_real_worker_mails_the_rejected_author_after_the_undo_window(
    celery_worker_factory, tmp_path, settings
):
    mailbox = tmp_path / "mail"
    mailbox.mkdir()
    settings.MODERATION_UNDO_SECONDS = 1
    celery_worker_factory(extra_env={"EMAIL_URL": f"filemail:///{mailbox}"})
    comment = make_comment(article=ArticleFactory(headline="Rivers rise"), status="in_review")
    item = ReviewItem.objects.create(comment=comment, queue="premod", reason="toxicity")

    decide_item(item, moderator=moderator(), action="reject", reason="harassment")

    def mails() -> str:
        return "\n".join(f.read_text() for f in mailbox.iterdir())

    text = wait_for(lambda: "was not published" in mails() and mails(), message="the rejection mail")
    assert comment.author.email in text
    assert "it attacks another person" in text
