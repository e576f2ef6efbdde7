"""Readers hear about replies, approvals after review and featured comments by email: digests,
per-kind opt-out, one-click unsubscribe."""

import time

import pytest
from django.core import mail
from django.core.cache import cache

from accounts import services
from comments import notify
from comments.models import Notification
from comments.services import change_status
from config.celery import app
from moderation.models import ReviewItem
from moderation.services import decide
from tests.conftest import wait_for
from tests.factories import UserFactory, make_comment, moderator

pytestmark = pytest.mark.django_db


def approve(comment) -> None:
    change_status(
        comment=comment, to_status="approved", actor_name="system", action="moderation.comment.approved"
    )


def test_digests_go_to_the_notifications_queue():
    assert (
        app.amqp.router.route({}, "comments.tasks.send_notification_digest")["queue"].name == "notifications"
    )
    assert (
        app.amqp.router.route({}, "accounts.tasks.send_verification_email")["queue"].name == "notifications"
    )


def test_an_approved_reply_mails_the_author_of_the_comment_it_answers(
    article, alice, bob, django_capture_on_commit_callbacks
):
    top = make_comment(article=article, author=alice, body="A question")
    reply = make_comment(article=article, author=bob, parent=top, body="An answer", status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        approve(reply)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "An answer" in message.body
    assert f"/articles/story/?comment={reply.pk}#c{reply.pk}" in message.body


def test_the_email_has_a_one_click_unsubscribe_link_and_headers(
    article, alice, bob, django_capture_on_commit_callbacks
):
    top = make_comment(article=article, author=alice)
    with django_capture_on_commit_callbacks(execute=True):
        approve(make_comment(article=article, author=bob, parent=top, status="pending"))

    message = mail.outbox[0]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    assert "/accounts/unsubscribe/" in link


def test_a_reply_to_oneself_mails_nobody(article, alice, django_capture_on_commit_callbacks):
    top = make_comment(article=article, author=alice)

    with django_capture_on_commit_callbacks(execute=True):
        approve(make_comment(article=article, author=alice, parent=top, status="pending"))

    assert mail.outbox == []


def test_a_reader_who_switched_replies_off_gets_no_email(
    article, alice, bob, django_capture_on_commit_callbacks
):
    services.set_notifications(user=alice, reply=False)
    top = make_comment(article=article, author=alice)

    with django_capture_on_commit_callbacks(execute=True):
        approve(make_comment(article=article, author=bob, parent=top, status="pending"))

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_replies_while_a_digest_waits_go_out_as_one_email(article, alice, django_capture_on_commit_callbacks):
    top = make_comment(article=article, author=alice)
    cache.add(notify._QUEUED_KEY.format(alice.pk), 1)  # a digest is already queued for later
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            approve(
                make_comment(
                    article=article, author=UserFactory(), parent=top, body=f"Answer {n}", status="pending"
                )
            )

    sent = notify.send_digest(recipient_id=alice.pk)

    assert sent == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("3 new replies to your comments")
    assert all(f"Answer {n}" in mail.outbox[0].body for n in range(3))


def test_a_digest_sent_twice_mails_once(article, alice, bob, django_capture_on_commit_callbacks):
    top = make_comment(article=article, author=alice)
    with django_capture_on_commit_callbacks(execute=True):
        approve(make_comment(article=article, author=bob, parent=top, status="pending"))

    assert notify.send_digest(recipient_id=alice.pk) == 0
    assert len(mail.outbox) == 1


def test_a_featured_comment_mails_its_author(article, alice, django_capture_on_commit_callbacks):
    comment = make_comment(article=article, author=alice, body="A fine point")

    with django_capture_on_commit_callbacks(execute=True):
        notify.comment_featured(comment_id=comment.pk)

    assert "featured" in mail.outbox[0].subject
    assert "A fine point" in mail.outbox[0].body


def test_approval_after_review_respects_the_opt_out(article, alice, django_capture_on_commit_callbacks):
    services.set_notifications(user=alice, approved=False)
    comment = make_comment(article=article, author=alice, status="in_review")
    item = ReviewItem.objects.create(comment=comment, queue="premod", reason="links")

    with django_capture_on_commit_callbacks(execute=True):
        decide(item_id=item.pk, version=comment.version, moderator=moderator(), action="approve")

    assert mail.outbox == []


def test_approval_after_review_carries_the_unsubscribe_header(
    article, alice, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, author=alice, status="in_review")
    item = ReviewItem.objects.create(comment=comment, queue="premod", reason="links")

    with django_capture_on_commit_callbacks(execute=True):
        decide(item_id=item.pk, version=comment.version, moderator=moderator(), action="approve")

    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_the_sweep_sends_a_digest_whose_message_was_lost(article, alice, bob, settings):
    from comments.tasks import sweep_notifications

    settings.NOTIFICATION_DIGEST_SECONDS = -300  # every unsent notification is overdue
    top = make_comment(article=article, author=alice)
    reply = make_comment(article=article, author=bob, parent=top)
    Notification.objects.create(recipient=alice, kind="reply", comment=reply)

    assert sweep_notifications() == 1
    assert len(mail.outbox) == 1


@pytest.mark.integration
def test_a_real_worker_sends_a_busy_thread_as_one_digest(celery_worker_factory, tmp_path, settings):
    from tests.factories import ArticleFactory

    mailbox = tmp_path / "mail"
    mailbox.mkdir()
    settings.NOTIFICATION_DIGEST_SECONDS = 2
    celery_worker_factory(extra_env={"EMAIL_URL": f"filemail:///{mailbox}"})
    article = ArticleFactory()
    alice = UserFactory(username="alice")
    top = make_comment(article=article, author=alice)

    for n in range(5):
        approve(
            make_comment(
                article=article, author=UserFactory(), parent=top, body=f"Answer {n}", status="pending"
            )
        )

    wait_for(lambda: list(mailbox.iterdir()), message="the digest")
    time.sleep(1)
    files = list(mailbox.iterdir())
    text = files[0].read_text()
    assert len(files) == 1
    assert "5 new replies" in text
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text
