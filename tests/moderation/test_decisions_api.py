from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from moderation import services
from moderation.models import ReviewItem, Sanction
from tests.clients import api
from tests.factories import ReviewItemFactory, UserFactory, decide_item, make_comment

pytestmark = pytest.mark.django_db


# Decisions


def test_decision_answers_with_the_decided_item(article, alice):
    item = ReviewItemFactory(article=article, checked=True)

    response = api(alice).post(
        f"/api/v1/moderation/items/{item.pk}/decision/",
        {"action": "reject", "version": 1, "reason": "spam", "note": "link farm"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["decision"], body["decision_reason"], body["decided_by"]) == (
        item.pk,
        "reject",
        "spam",
        "alice",
    )
    assert body["comment"]["status"] == "rejected"


def test_decision_on_an_item_another_holds_is_409(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=bob, queue="premod")

    response = api(alice).post(
        f"/api/v1/moderation/items/{item.pk}/decision/",
        {"action": "approve", "version": item.comment.review_version},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "Another moderator holds this item."
    assert response.json()["item"]["claimed_by"] == "bob"
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_decision_on_a_decided_item_is_409(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    decide_item(item, moderator=alice, action="approve")

    response = api(alice).post(
        f"/api/v1/moderation/items/{item.pk}/decision/",
        {"action": "approve", "version": item.comment.review_version},
        format="json",
    )

    assert response.status_code == 409
    assert "already decided" in response.json()["detail"]


def test_reject_without_reason_is_400_on_the_reason(article, alice):
    item = ReviewItemFactory(article=article, checked=True)

    response = api(alice).post(
        f"/api/v1/moderation/items/{item.pk}/decision/",
        {"action": "reject", "version": item.comment.review_version},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["reason"] == ["Give a reason for the rejection."]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"action": "delete", "version": 1}, "action"),
        ({"action": 5, "version": 1}, "action"),
        ({"action": "approve", "version": 1, "note": "x" * 1001}, "note"),
        ({"action": "reject", "version": 1, "reason": ["spam"]}, "reason"),
        ({"action": "approve"}, "version"),
        ({"action": "approve", "version": 0}, "version"),
        ({"action": "approve", "version": "one"}, "version"),
    ],
)
def test_bad_decisions_are_400(article, alice, body, field):
    item = ReviewItemFactory(article=article, checked=True)

    response = api(alice).post(f"/api/v1/moderation/items/{item.pk}/decision/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_decision_on_an_unknown_item_is_404(alice):
    response = api(alice).post(
        "/api/v1/moderation/items/999999/decision/", {"action": "approve", "version": 1}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["detail"]


def test_bulk_decision_answers_per_item(article, alice, bob):
    mine, theirs = (
        ReviewItemFactory(article=article, checked=True, age_minutes=1),
        ReviewItemFactory(article=article, checked=True, age_minutes=2),
    )
    services.claim(moderator=bob, queue="premod", count=1)

    response = api(alice).post(
        "/api/v1/moderation/items/decisions/",
        {
            "items": [{"id": i.pk, "version": i.comment.version} for i in (mine, theirs)]
            + [{"id": 999999, "version": 1}],
            "action": "approve",
        },
        format="json",
    )

    assert response.status_code == 200
    assert [(r["id"], r["ok"], r["status"]) for r in response.json()["results"]] == [
        (mine.pk, True, 200),
        (theirs.pk, False, 409),
        (999999, False, 404),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"items": [], "action": "approve"},
        {"items": "1,2", "action": "approve"},
        {"items": [{"id": i, "version": 1} for i in range(1, 102)], "action": "approve"},
        {"items": [{"id": 1, "version": 1}], "action": "reject"},
        {"items": [{"id": 1}], "action": "approve"},
        {"ids": [1], "action": "approve"},
    ],
)
def test_bad_bulk_decisions_are_400(alice, body):
    assert api(alice).post("/api/v1/moderation/items/decisions/", body, format="json").status_code == 400


def test_undo_reopens_the_last_decision(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    client = api(alice)
    client.post(
        f"/api/v1/moderation/items/{item.pk}/decision/",
        {"action": "approve", "version": item.comment.review_version},
        format="json",
    )

    response = client.post("/api/v1/moderation/undo/")

    assert response.status_code == 200
    assert response.json()["id"] == item.pk and response.json()["claimed_by"] == "alice"
    assert response.json()["comment"]["status"] == "in_review"


def test_undo_after_the_window_is_409(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    decide_item(item, moderator=alice, action="approve")
    ReviewItem.objects.filter(pk=item.pk).update(decided_at=timezone.now() - timedelta(seconds=30))

    response = api(alice).post("/api/v1/moderation/undo/")

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Nothing to undo")


# Authors and sanctions


def test_author_history_shows_counts_sanctions_and_last_comments(article, alice, carol):
    make_comment(article=article, author=carol, status="approved", body="Fine words")
    make_comment(article=article, author=carol, status="rejected")
    services.apply_sanction(user=carol, moderator=alice, kind="premod", reason="watch")

    response = api(alice).get(f"/api/v1/moderation/users/{carol.pk}/")

    body = response.json()
    assert response.status_code == 200
    assert (body["username"], body["approved"], body["rejected"]) == ("carol", 1, 1)
    assert [s["kind"] for s in body["active_sanctions"]] == ["premod"]
    assert body["sanctions"][0]["created_by"] == "alice"
    assert {c["body"] for c in body["last_comments"]} >= {"Fine words"}


def test_unknown_user_is_404(alice):
    assert api(alice).get("/api/v1/moderation/users/999999/").status_code == 404
    assert api(alice).post("/api/v1/moderation/users/999999/sanctions/", {}, format="json").status_code == 404


def test_reject_pending_says_how_many(article, alice, carol):
    ReviewItemFactory(article=article, checked=True, author=carol)
    make_comment(article=article, author=carol, status="pending")

    response = api(alice).post(f"/api/v1/moderation/users/{carol.pk}/reject-pending/", {}, format="json")

    assert response.json() == {"count": 2}
    assert set(Comment.objects.filter(author=carol).values_list("status", flat=True)) == {"rejected"}


def test_sanction_is_created_listed_and_lifted(alice, carol):
    client = api(alice)
    until = (timezone.now() + timedelta(days=1)).isoformat()

    created = client.post(
        f"/api/v1/moderation/users/{carol.pk}/sanctions/",
        {"kind": "suspend", "until": until, "reason": "cool off"},
        format="json",
    )
    listed = client.get(f"/api/v1/moderation/users/{carol.pk}/sanctions/")
    lifted = client.delete(f"/api/v1/moderation/users/{carol.pk}/sanctions/{created.json()['id']}/")

    assert created.status_code == 201
    assert {"id", "kind", "until", "reason", "created_by", "is_active"} <= set(created.json())
    assert created.json()["is_active"] is True
    assert [s["id"] for s in listed.json()] == [created.json()["id"]]
    assert (
        lifted.status_code == 200
        and lifted.json()["is_active"] is False
        and lifted.json()["lifted_by"] == "alice"
    )


def test_lifting_twice_is_409(alice, carol):
    sanction = services.apply_sanction(user=carol, moderator=alice, kind="ban", reason="spam")
    client = api(alice)
    client.delete(f"/api/v1/moderation/users/{carol.pk}/sanctions/{sanction.pk}/")

    response = client.delete(f"/api/v1/moderation/users/{carol.pk}/sanctions/{sanction.pk}/")

    assert response.status_code == 409


def test_lifting_another_users_sanction_is_404(alice, carol):
    sanction = services.apply_sanction(user=carol, moderator=alice, kind="ban", reason="spam")
    other = UserFactory()

    assert (
        api(alice).delete(f"/api/v1/moderation/users/{other.pk}/sanctions/{sanction.pk}/").status_code == 404
    )


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "suspend", "reason": "cool off"}, "until"),
        ({"kind": "suspend", "reason": "cool off", "until": "next tuesday"}, "until"),
        ({"kind": "suspend", "reason": "cool off", "until": "2001-01-01T00:00:00Z"}, "until"),
        ({"kind": "exile", "reason": "x"}, "kind"),
        ({"kind": "ban"}, "reason"),
        ({"kind": "ban", "reason": "x" * 501}, "reason"),
        ({"kind": "ban", "reason": {"a": 1}}, "reason"),
    ],
)
def test_bad_sanctions_are_400_with_the_field(alice, carol, body, field):
    response = api(alice).post(f"/api/v1/moderation/users/{carol.pk}/sanctions/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Sanction.objects.exists()


def test_ban_through_the_api_refuses_posting_in_the_comments_api(article, alice, carol):
    api(alice).post(
        f"/api/v1/moderation/users/{carol.pk}/sanctions/", {"kind": "ban", "reason": "spam"}, format="json"
    )

    response = api(carol).post(
        f"/api/v1/articles/{article.slug}/comments/", {"body": "Hello again"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Your account may no longer post comments. Reason: spam."


def test_sanctioning_a_moderator_is_400(alice, bob):
    response = api(alice).post(
        f"/api/v1/moderation/users/{bob.pk}/sanctions/", {"kind": "ban", "reason": "x"}, format="json"
    )

    assert response.status_code == 400
    assert "user" in response.json()


def test_the_schema_documents_the_moderation_api(client):
    schema = client.get("/api/schema/").content.decode()

    for path in [
        "/api/v1/moderation/queue/",
        "/api/v1/moderation/queue/claim/",
        "/api/v1/moderation/items/{id}/decision/",
        "/api/v1/moderation/items/decisions/",
        "/api/v1/moderation/undo/",
        "/api/v1/moderation/users/{id}/sanctions/",
        "/api/v1/moderation/users/{id}/sanctions/{sid}/",
    ]:
        assert path in schema


def test_escalated_item_shows_why_it_was_escalated(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    decide_item(item, moderator=alice, action="escalate", note="legal should look")

    result = api(alice).get("/api/v1/moderation/queue/", {"queue": "escalated"}).json()["results"][0]

    assert result["comment"]["id"] == item.comment_id
    assert result["escalation_note"] == "legal should look"
    assert [c["name"] for c in result["checks"]] == ["links"]
