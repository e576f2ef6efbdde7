"""A decision email whose message the broker did not take is kept and sent by the sweep, once."""

import pytest
from django.core import mail

from comments import audit
from comments.models import AuditRecord
from comments.services import change_status
from config.celery import app
from moderation.models import OwedDecisionMail
from moderation.notify import after_decision, sweep_owed
from tests.conftest import broker_at, spare_port
from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = pytest.mark.integration


def test_decision_email_queued_while_the_broker_is_down_is_sent_by_the_sweep(
    db, redis_client, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_UNDO_SECONDS = 0
    author = UserFactory(email="author@example.com")
    comment = make_comment(article=ArticleFactory(), author=author, body="Fine words.", status="in_review")
    change_status(
        comment=comment, to_status="approved", actor_name="moderator", action=audit.COMMENT_APPROVED
    )
    record = AuditRecord.objects.filter(comment=comment).latest("pk")
    app.conf.task_always_eager = False  # to a broker that is not there (the autouse fixture restores it)

    with broker_at(f"redis://127.0.0.1:{spare_port()}/0"), django_capture_on_commit_callbacks(execute=True):
        after_decision(comment_id=comment.pk, audit_id=record.pk)

    assert OwedDecisionMail.objects.filter(audit_id=record.pk).exists()
    assert mail.outbox == []

    assert sweep_owed() == 1
    assert sweep_owed() == 0  # sent once

    assert [m.to for m in mail.outbox] == [["author@example.com"]]
    assert "Fine words." in mail.outbox[0].body
    assert not OwedDecisionMail.objects.exists()
