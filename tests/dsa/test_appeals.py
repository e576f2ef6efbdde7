"""Appeals (DSA Art. 20): once per decision, within six months, decided by a person other than
the one who decided first; approve restores, reject upholds, and the appellant is told why."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone
from rest_framework.authtoken.models import Token

from comments.models import Comment
from dsa.models import Appeal, Statement
from moderation import services
from moderation.errors import Conflict
from moderation.models import ReviewItem, Sanction
from tests.factories import UserFactory, make_comment, post_checked

from .conftest import decide, public_ids, send_notice, suspend

pytestmark = pytest.mark.django_db


@pytest.fixture
def removed(article, writer, alice):
    """A comment the checks held and alice rejected: its statement names alice as the decider."""
    comment = post_checked(
        article, writer, "Buy here: https://example.com/deal", TestCase.captureOnCommitCallbacks
    )
    decide(comment, moderator=alice, action="reject", reason="spam")
    return comment


def appeal(client, statement, text="It is a link to my own reporting, not an advertisement."):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            f"/api/v1/statements/{statement.pk}/appeal/", {"text": text}, content_type="application/json"
        )


def api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_first_moderator_is_refused_and_another_restores_the_comment(
    client, removed, writer, alice, bob, redis_client
):
    client.force_login(writer)
    statement = Statement.objects.get()

    sent = appeal(client, statement)
    item = ReviewItem.objects.get(comment=removed, decided_at__isnull=True)
    version = {"action": "approve", "version": removed.review_version}
    refused = api(alice).post(f"/api/v1/moderation/items/{item.pk}/decision/", version, format="json")
    with TestCase.captureOnCommitCallbacks(execute=True):
        restored = api(bob).post(
            f"/api/v1/moderation/items/{item.pk}/decision/",
            {**version, "note": "Your own reporting."},
            format="json",
        )

    assert sent.status_code == 201
    assert (item.queue, item.excluded_moderator) == ("appeals", alice)
    assert refused.status_code == 403
    assert restored.status_code == 200
    assert Comment.objects.get(pk=removed.pk).status == "approved"
    assert removed.pk in public_ids(client)
    answered = Appeal.objects.get()
    assert (answered.outcome, answered.decided_by) == ("reversed", bob)
    [answer] = [m for m in mail.outbox if "answer to your appeal" in m.subject]
    assert answer.to == [writer.email]
    assert "reversed it." in answer.body
    assert "Your own reporting." not in answer.body  # a moderator's note stays among moderators
    assert Statement.objects.get().reversed_at is not None


def test_a_claim_never_hands_the_appeal_to_the_moderator_who_decided(
    client, removed, writer, alice, bob, redis_client
):
    client.force_login(writer)
    appeal(client, Statement.objects.get())

    assert services.claim(moderator=alice, queue="appeals") == []
    assert [i.comment_id for i in services.claim(moderator=bob, queue="appeals")] == [removed.pk]


def test_rejecting_the_appeal_upholds_the_decision_and_says_why(client, removed, writer, bob, redis_client):
    client.force_login(writer)
    appeal(client, Statement.objects.get())

    decide(removed, moderator=bob, action="reject", reason="spam", note="It sells a product.")

    assert Comment.objects.get(pk=removed.pk).status == "rejected"
    assert Appeal.objects.get().outcome == "upheld"
    assert Statement.objects.count() == 1  # upholding restricts nothing new
    [answer] = [m for m in mail.outbox if "answer to your appeal" in m.subject]
    assert "it stands: it is spam or advertising." in answer.body
    assert "It sells a product." not in answer.body
    assert not [m for m in mail.outbox if m.subject.endswith("Your comment was not published")][1:]


def test_an_appeal_after_six_months_is_refused(client, removed, writer, redis_client):
    statement = Statement.objects.get()
    Statement.objects.filter(pk=statement.pk).update(created_at=timezone.now() - timedelta(days=185))
    client.force_login(writer)

    response = appeal(client, statement)

    assert response.status_code == 403
    assert "six months" in response.json()["detail"]
    assert not Appeal.objects.exists()
    assert not ReviewItem.objects.filter(queue="appeals").exists()


def test_a_decision_is_appealed_once(client, removed, writer, redis_client):
    client.force_login(writer)
    statement = Statement.objects.get()
    appeal(client, statement)

    again = appeal(client, statement, text="Please look again.")

    assert again.status_code == 409
    assert Appeal.objects.count() == 1


def test_another_readers_decision_is_not_theirs_to_appeal(client, removed, redis_client):
    client.force_login(UserFactory())

    assert appeal(client, Statement.objects.get()).status_code == 404


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_an_appeal_says_why(client, removed, writer, text, redis_client):
    client.force_login(writer)

    response = appeal(client, Statement.objects.get(), text=text)

    assert response.status_code == 400
    assert "text" in response.json()


def test_an_appeal_needs_a_signed_in_reader(client, removed):
    assert appeal(client, Statement.objects.get()).status_code == 401


def test_a_decision_that_no_longer_stands_cannot_be_appealed(client, removed, writer, bob, redis_client):
    services.reverse_decision(item_id=ReviewItem.objects.get().pk, moderator=bob)
    client.force_login(writer)

    assert appeal(client, Statement.objects.get()).status_code == 409


def test_an_appeal_against_the_checks_alone_goes_to_any_moderator(
    client, article, writer, alice, redis_client
):
    refused = post_checked(article, writer, "f.u.c.k this", TestCase.captureOnCommitCallbacks)
    client.force_login(writer)
    appeal(client, Statement.objects.get())

    decide(refused, moderator=alice, action="approve")

    assert Comment.objects.get(pk=refused.pk).status == "approved"
    assert Appeal.objects.get().outcome == "reversed"


def test_an_appeal_decision_cannot_be_undone(client, removed, writer, bob, redis_client):
    client.force_login(writer)
    appeal(client, Statement.objects.get())
    decide(removed, moderator=bob, action="approve")

    with pytest.raises(Conflict):
        services.undo_last(moderator=bob)


def test_approving_an_appeal_against_a_suspension_lifts_it(client, writer, alice, bob, redis_client):
    sanction = suspend(writer, moderator=alice)
    client.force_login(writer)
    appeal(client, Statement.objects.get())
    item = ReviewItem.objects.get(sanction=sanction)

    listed = api(bob).get("/api/v1/moderation/queue/?queue=appeals").json()["results"]
    refused = api(alice).post(
        f"/api/v1/moderation/items/{item.pk}/decision/", {"action": "approve", "version": 1}, format="json"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.decide(item_id=item.pk, moderator=bob, action="approve", version=1)

    assert [(i["comment"], i["sanction"]["kind"]) for i in listed] == [(None, "suspend")]
    assert refused.status_code == 403
    assert Sanction.objects.get().lifted_by == bob
    assert Appeal.objects.get().outcome == "reversed"
    assert Statement.objects.get().reversed_at is not None


def test_the_notifier_appeals_a_decision_to_keep_the_comment(client, published, alice, bob, redis_client):
    notifier = UserFactory()
    client.force_login(notifier)
    send_notice(client, published)
    decide(published, moderator=alice, action="approve")
    kept = Statement.objects.get(decision=Statement.Decision.NO_ACTION)

    response = appeal(client, kept, text="It names me and a crime I did not commit.")
    decide(published, moderator=bob, action="reject", reason="illegal")

    assert response.status_code == 201
    assert Appeal.objects.get().by_notifier
    assert Appeal.objects.get().outcome == "reversed"
    removal = Statement.objects.get(decision=Statement.Decision.CONTENT_REMOVED)
    assert (removal.source, removal.ground) == ("SOURCE_ARTICLE_16", "DECISION_GROUND_ILLEGAL_CONTENT")
    assert removal.legal_ground.startswith("Defamation")


def test_the_author_cannot_appeal_a_decision_to_keep_their_comment(
    client, published, writer, alice, redis_client
):
    send_notice(client, published)
    decide(published, moderator=alice, action="approve")
    client.force_login(writer)

    assert appeal(client, Statement.objects.get()).status_code == 404


def test_an_appeal_against_a_hidden_comment_takes_its_reported_item_to_the_appeals_queue(
    client, article, writer, redis_client
):
    hidden = make_comment(article=article, author=writer, status="in_review")
    ReviewItem.objects.create(comment=hidden, queue="reported", reason="flags")
    statement = Statement.objects.create(
        user=writer, comment=hidden, decision=Statement.Decision.CONTENT_DISABLED,
        ground=Statement.Ground.INCOMPATIBLE_CONTENT, clause=_a_clause(), explanation="Readers reported it.",
        facts="Reported by readers.", category="STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
        source=Statement.Source.READERS_FLAGS, automated_detection=False,
        automated_decision=Statement.Automation.FULLY,
    )  # fmt: skip
    client.force_login(writer)

    appeal(client, statement)

    assert list(ReviewItem.objects.values_list("queue", flat=True)) == ["appeals"]


def _a_clause():
    from dsa.statements import clause

    return clause("general")


def test_an_escalated_appeal_still_keeps_the_first_moderator_out(
    client, removed, writer, alice, bob, redis_client
):
    client.force_login(writer)
    appeal(client, Statement.objects.get())
    decide(removed, moderator=bob, action="escalate", note="A senior moderator should look.")
    escalated = ReviewItem.objects.get(comment=removed, decided_at__isnull=True)

    refused = api(alice).post(
        f"/api/v1/moderation/items/{escalated.pk}/decision/",
        {"action": "approve", "version": removed.review_version},
        format="json",
    )

    assert escalated.queue == "escalated"
    assert "Their appeal: It is a link to my own reporting" in escalated.note
    assert refused.status_code == 403
    assert Appeal.objects.get().decided_at is None  # an escalation answers nobody yet
