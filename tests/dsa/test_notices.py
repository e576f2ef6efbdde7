"""Notices of illegal content (DSA Art. 16): anyone sends one, the comment goes to the `notices`
queue ahead of the others, the notifier gets a receipt and later the decision with its reasons."""

import pytest
from django.core import mail
from django.test import TestCase

from dsa.models import Notice, Statement
from moderation.models import ReviewItem
from moderation.services import claim
from tests.factories import UserFactory, make_comment

from .conftest import decide, public_ids, send_notice

pytestmark = pytest.mark.django_db


def test_a_notice_moves_the_comment_to_the_notices_queue_and_its_decision_reaches_the_notifier(
    client, published, alice, redis_client
):
    response = send_notice(client, published, email="notifier@example.com", name="Nina")

    assert response.status_code == 201
    assert response.json()["status"] == "received"
    item = ReviewItem.objects.get(comment=published, decided_at__isnull=True)
    assert (item.queue, item.reason) == ("notices", "defamation")
    assert "stole money" in item.note
    assert published.pk in public_ids(client)  # it stays up while a moderator decides
    assert [m.to for m in mail.outbox] == [["notifier@example.com"]]
    assert "We received your notice" in mail.outbox[0].subject

    decide(
        published, moderator=alice, action="reject", reason="illegal", note="A false accusation of a crime."
    )

    decision = next(m for m in mail.outbox if "Our decision on your notice" in m.subject)
    assert decision.to == ["notifier@example.com"]
    assert "the comment was removed" in decision.body
    assert "Defamation under national civil and criminal law" in decision.body
    assert "it is illegal under the law that applies to this site" in decision.body
    assert "A false accusation of a crime." not in decision.body  # a moderator's note stays internal
    assert Notice.objects.get().outcome == "removed"
    assert published.pk not in public_ids(client)


def test_a_notice_decided_without_action_tells_the_notifier_why_and_not_the_author(
    client, published, alice, writer, redis_client
):
    send_notice(client, published, email="notifier@example.com")

    decide(published, moderator=alice, action="approve", note="Fair comment on a public figure.")

    notice = Notice.objects.get()
    assert notice.outcome == "kept"
    assert notice.statement.decision == Statement.Decision.NO_ACTION
    decision = next(m for m in mail.outbox if "Our decision on your notice" in m.subject)
    assert "the comment stays up" in decision.body
    assert "neither illegal nor against our community guidelines" in decision.body
    assert "Fair comment on a public figure." not in decision.body
    assert not [m for m in mail.outbox if writer.email in m.to]


def test_a_notice_takes_a_reported_comment_ahead_into_the_notices_queue(client, published, redis_client):
    ReviewItem.objects.create(comment=published, queue="reported", reason="flags")

    send_notice(client, published)

    assert list(ReviewItem.objects.filter(comment=published).values_list("queue", flat=True)) == ["notices"]


def test_many_notices_on_one_comment_share_one_item_and_are_all_answered(
    client, published, alice, redis_client
):
    send_notice(client, published, email="one@example.com")
    send_notice(client, published, email="two@example.com", category="illegal_hate_speech")

    decide(published, moderator=alice, action="reject", reason="illegal")

    assert ReviewItem.objects.filter(comment=published).count() == 1
    told = {m.to[0] for m in mail.outbox if "Our decision" in m.subject}
    assert told == {"one@example.com", "two@example.com"}


def test_the_notices_queue_is_offered_first_to_moderators(client, published, alice, redis_client):
    send_notice(client, published)
    client.force_login(alice)

    page = client.get("/moderation/").content.decode()

    assert "Your items in notices" in page
    assert page.index('data-queue="notices"') < page.index('data-queue="premod"')


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"good_faith": False}, "good_faith"),
        ({"explanation": "   "}, "explanation"),
        ({"category": "rude"}, "category"),
        ({"comment": 999999}, "comment"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_a_notice_without_what_the_law_asks_is_refused_and_nothing_is_kept(
    client, published, change, field, redis_client
):
    response = send_notice(client, published, **change)

    assert response.status_code == 400
    assert field in response.json()
    assert not Notice.objects.exists()
    assert not ReviewItem.objects.exists()


def test_a_comment_that_is_not_published_cannot_be_noticed(client, article, redis_client):
    hidden = make_comment(article=article, status="rejected")

    response = send_notice(client, hidden)

    assert response.status_code == 400
    assert "comment" in response.json()


def test_notices_are_limited_per_address(client, published, settings, redis_client):
    settings.NOTICE_RATE_LIMIT = 2

    statuses = [send_notice(client, published).status_code for _ in range(3)]
    refused = send_notice(client, published)

    assert statuses == [201, 201, 429]
    assert 0 < int(refused["Retry-After"]) <= settings.NOTICE_RATE_PERIOD
    assert Notice.objects.count() == 2


def test_a_notice_from_a_trusted_flagger_says_so(client, published, alice, redis_client):
    flagger = UserFactory(groups=["Trusted flaggers"])
    client.force_login(flagger)
    send_notice(client, published)

    decide(published, moderator=alice, action="reject", reason="illegal")

    assert Notice.objects.get().by_trusted_flagger
    assert Statement.objects.get().source == "SOURCE_TRUSTED_FLAGGER"


def test_a_signed_in_notifier_is_told_at_their_own_address(client, published, alice, redis_client):
    notifier = UserFactory(email="reader@example.com")
    client.force_login(notifier)

    send_notice(client, published)

    assert mail.outbox[0].to == ["reader@example.com"]


def test_the_notice_form_works_without_javascript(client, published, redis_client):
    form = client.get(f"/comments/{published.pk}/notice/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = client.post(
            f"/comments/{published.pk}/notice/",
            {"category": "privacy_violation", "explanation": "It gives my home address.", "good_faith": "on"},
            follow=True,
        )

    assert "no-store" in form["Cache-Control"]
    assert "Report illegal content" in form.content.decode()
    assert "we received your notice" in sent.content.decode()
    assert ReviewItem.objects.get(comment=published).queue == "notices"


def test_the_notice_form_says_what_is_missing(client, published, redis_client):
    response = client.post(f"/comments/{published.pk}/notice/", {"category": "defamation", "explanation": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Confirm that you believe the notice to be accurate and complete." in page
    assert not Notice.objects.exists()


def test_every_published_comment_has_a_report_illegal_content_link(client, published):
    page = client.get("/articles/story/").content.decode()

    assert f'href="/comments/{published.pk}/notice/"' in page


def test_a_claim_of_the_notices_queue_hands_out_the_noticed_comment(client, published, alice, redis_client):
    send_notice(client, published)

    held = claim(moderator=alice, queue="notices")

    assert [item.comment_id for item in held] == [published.pk]
