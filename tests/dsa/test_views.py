"""The Act's pages: the versioned guidelines, and the reader's decisions on their own page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from dsa.models import Appeal, Clause, GuidelinesVersion, Statement
from moderation import services
from moderation.models import ReviewItem
from tests.factories import UserFactory, moderator

from .conftest import decide, send_notice, suspend

pytestmark = pytest.mark.django_db


def test_the_guidelines_page_shows_each_clause_with_its_anchor(client):
    page = client.get("/guidelines/").content.decode()

    assert "Version 1" in page
    assert '<li id="spam" value="8">' in page
    assert "No spam or advertising" in page


def test_a_new_version_takes_over_and_the_old_one_stays_at_its_address(client):
    newer = GuidelinesVersion.objects.create(number=2, published_at=timezone.now() - timedelta(hours=1))
    Clause.objects.create(
        version=newer, code="civility", number=1, title="Be kind", text="Be kind to each other."
    )

    current = client.get("/guidelines/").content.decode()
    first = client.get("/guidelines/v1/").content.decode()

    assert "Be kind" in current and "Version 2" in current
    assert 'href="/guidelines/v1/"' in current
    assert "No spam or advertising" in first
    assert client.get("/guidelines/v9/").status_code == 404


def test_a_version_not_yet_published_is_not_in_force(client):
    GuidelinesVersion.objects.create(number=2, published_at=datetime(2099, 1, 1, tzinfo=UTC))

    assert "Version 1" in client.get("/guidelines/").content.decode()


def test_the_readers_page_shows_their_statements_and_an_appeal_form(client, writer, alice):
    suspend(writer, moderator=alice)
    statement = Statement.objects.get()
    client.force_login(writer)

    page = client.get("/accounts/me/").content.decode()

    assert f'id="statement-{statement.pk}"' in page
    assert "Your account was suspended" in page
    assert 'href="/guidelines/v1/#accounts"' in page
    assert f'action="/statements/{statement.pk}/appeal/"' in page


def test_the_appeal_form_works_without_javascript(client, writer, alice):
    services.apply_sanction(user=writer, moderator=alice, kind="ban", reason="Spam account.")
    statement = Statement.objects.get()
    client.force_login(writer)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/statements/{statement.pk}/appeal/",
            {"text": "I am not a spammer.", "anchor": f"statement-{statement.pk}"},
        )
    page = client.get(response["Location"]).content.decode()

    assert response["Location"] == f"/accounts/me/#statement-{statement.pk}"
    assert Appeal.objects.get().text == "I am not a spammer."
    assert "Your appeal was sent." in page
    assert "a moderator will answer you" in page


def test_a_refused_appeal_says_why_on_the_readers_page(client, writer, alice):
    services.apply_sanction(user=writer, moderator=alice, kind="ban", reason="Spam account.")
    statement = Statement.objects.get()
    client.force_login(writer)
    client.post(f"/statements/{statement.pk}/appeal/", {"text": "Once."})

    response = client.post(f"/statements/{statement.pk}/appeal/", {"text": "Twice."}, follow=True)

    assert "You have already appealed this decision." in response.content.decode()


def test_a_signed_in_notifier_sees_the_decision_on_their_notice_and_may_appeal_it(client, published, alice):
    notifier = UserFactory()
    client.force_login(notifier)
    send_notice(client, published)
    decide(published, moderator=alice, action="approve", note="Fair comment.")

    page = client.get("/accounts/me/").content.decode()

    kept = Statement.objects.get()
    assert "The comment stays" in page and "neither illegal nor against" in page
    assert f'action="/statements/{kept.pk}/appeal/"' in page


def test_the_readers_page_reads_its_decisions_in_a_constant_number_of_queries(
    client, writer, django_assert_num_queries
):
    for n in range(5):
        services.apply_sanction(
            user=writer, moderator=moderator(username=f"m{n}"), kind="ban", reason="Again."
        )
    client.force_login(writer)
    client.get("/accounts/me/")

    # As tests/accounts/test_views.py counts, and the reader's appeals of the statements shown; the
    # ban's reason comes with the reader's standing, kept with their user copy (it took a query of
    # its own, and before that two).
    with django_assert_num_queries(8):
        client.get("/accounts/me/")


def test_deleting_an_account_removes_its_words_from_notices_and_appeals(client, published, writer, alice):
    from accounts.services import delete_account
    from dsa.models import Notice

    client.force_login(writer)
    services.apply_sanction(user=writer, moderator=alice, kind="ban", reason="Spam account.")
    client.post(
        f"/statements/{Statement.objects.get().pk}/appeal/", {"text": "I am Jane Doe of 1 High Street."}
    )
    send_notice(client, published, name="Jane Doe", email="jane@example.com")

    delete_account(user=writer)

    assert Appeal.objects.get().text == "[deleted]"
    assert Notice.objects.values_list("name", "email", "explanation").get() == ("", "", "[deleted]")


def test_moderators_work_an_appeal_against_a_suspension_on_the_queue_page(client, writer, alice, bob):
    suspend(writer, moderator=alice)
    client.force_login(writer)
    client.post(f"/statements/{Statement.objects.get().pk}/appeal/", {"text": "I was provoked."})
    client.force_login(bob)

    waiting = client.get("/moderation/?queue=appeals").content.decode()
    client.post("/moderation/claim/", {"queue": "appeals", "count": 10})
    held = client.get("/moderation/?queue=appeals").content.decode()
    item = ReviewItem.objects.get(queue="appeals")
    with TestCase.captureOnCommitCallbacks(execute=True):
        decided = client.post(
            f"/moderation/items/{item.pk}/decision/", {"action": "approve", "version": 1}, follow=True
        )

    assert "Appeal against the suspension of writer" in waiting
    assert "Lift the suspension" in held and "I was provoked." in held
    assert "Approved the appeal." in decided.content.decode()
    assert Appeal.objects.get().outcome == "reversed"
    assert client.get(f"/moderation/items/{item.pk}/").status_code == 200
