"""The Act's emails through a real Celery worker process on the real Redis.

The worker is a separate process, so it writes mail to files (EMAIL_URL=filemail) that the test reads.
"""

import pytest

from dsa.models import Notice, Statement
from moderation import services
from moderation.models import ReviewItem
from tests.conftest import wait_for
from tests.factories import ArticleFactory, UserFactory, make_comment, moderator

pytestmark = pytest.mark.integration


@pytest.fixture
def mailbox(tmp_path, celery_worker_factory):
    box = tmp_path / "mail"
    box.mkdir()
    celery_worker_factory(extra_env={"EMAIL_URL": f"filemail:///{box}"})
    return box


def _mail_with(mailbox, text: str) -> str:
    def found() -> str:
        mails = "\n".join(f.read_text() for f in sorted(mailbox.iterdir()))
        return mails if text in mails else ""

    return wait_for(found, timeout=30, message=f"a mail with {text!r}")


def test_a_notice_gets_its_receipt_and_the_author_their_statement_from_the_worker(client, mailbox, settings):
    settings.MODERATION_UNDO_SECONDS = 1  # the statement waits out the undo window
    comment = make_comment(article=ArticleFactory(), author=UserFactory(email="writer@example.com"))

    response = client.post(
        "/api/v1/notices/",
        {"comment": comment.pk, "category": "privacy_violation", "explanation": "My address.", "good_faith": True,
         "email": "notifier@example.com"},
        content_type="application/json",
    )  # fmt: skip
    receipt = _mail_with(mailbox, "We received your notice")
    item = ReviewItem.objects.get(comment=comment)
    services.decide(
        item_id=item.pk, moderator=moderator(), action="reject", reason="personal_data", version=1
    )
    mails = _mail_with(mailbox, "was not published because it shares someone's personal information")

    assert response.status_code == 201
    assert "To: notifier@example.com" in receipt
    assert "To: writer@example.com" in mails
    assert f"#statement-{Statement.objects.get().pk}" in mails
    # Each row is marked in the transaction that sent its mail, just after the file is written.
    wait_for(
        lambda: Notice.objects.get().decision_mailed_at, timeout=30, message="the notice's decision marked"
    )
    wait_for(lambda: Statement.objects.get().mailed_at, timeout=30, message="the statement marked as mailed")
