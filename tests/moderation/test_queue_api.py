import pytest

from comments.models import AuditRecord, CommentFlag
from moderation import services
from moderation.models import ReviewItem, Sanction
from tests.clients import api
from tests.factories import ArticleFactory, ReviewItemFactory, UserFactory, make_comment

pytestmark = pytest.mark.django_db

ITEM_KEYS = {"id", "queue", "created_at", "claimed_by", "lease_expires_at", "comment", "checks", "flags"}
COMMENT_KEYS = {"id", "body", "status", "article", "author", "parent"}


def _endpoints(item_id: int, user_id: int, sanction_id: int) -> list[tuple[str, str, dict]]:
    base = "/api/v1/moderation"
    return [
        ("get", f"{base}/queue/?queue=premod", {}),
        ("post", f"{base}/queue/claim/", {"queue": "premod"}),
        ("post", f"{base}/queue/renew/", {}),
        ("post", f"{base}/queue/release/", {}),
        ("post", f"{base}/items/{item_id}/decision/", {"action": "approve", "version": 1}),
        ("post", f"{base}/items/decisions/", {"items": [{"id": item_id, "version": 1}], "action": "approve"}),
        ("post", f"{base}/undo/", {}),
        ("get", f"{base}/users/{user_id}/", {}),
        ("post", f"{base}/users/{user_id}/reject-pending/", {}),
        ("get", f"{base}/users/{user_id}/sanctions/", {}),
        ("post", f"{base}/users/{user_id}/sanctions/", {"kind": "premod", "reason": "watch"}),
        ("delete", f"{base}/users/{user_id}/sanctions/{sanction_id}/", {}),
    ]


@pytest.fixture
def endpoints(article, alice, carol):
    item = ReviewItemFactory(article=article, checked=True)
    sanction = Sanction.objects.create(user=carol, kind="premod", reason="watch", created_by=alice)
    return _endpoints(item.pk, carol.pk, sanction.pk)


def test_every_endpoint_answers_401_without_credentials(endpoints):
    for method, url, body in endpoints:
        response = getattr(api(), method)(url, body, format="json")

        assert response.status_code == 401, url
        assert "WWW-Authenticate" in response
        assert response.json()["detail"]


def test_every_endpoint_answers_403_to_a_commenter(endpoints, carol):
    for method, url, body in endpoints:
        response = getattr(api(carol), method)(url, body, format="json")

        assert response.status_code == 403, url
        assert response.json() == {"detail": "Only moderators may do this."}


def test_every_endpoint_serves_a_moderator(endpoints, alice):
    for method, url, body in endpoints:
        response = getattr(api(alice), method)(url, body, format="json")

        # undo has nothing to take back here
        assert response.status_code in {200, 201, 409}, (url, response.json())
        assert response.status_code != 409 or url.endswith("/undo/")


def test_a_superuser_is_a_moderator(endpoints):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)

    assert api(admin).get("/api/v1/moderation/queue/?queue=premod").status_code == 200


# The queue


def test_queue_lists_open_items_oldest_first_with_the_documented_shape(article, alice):
    newer = ReviewItemFactory(article=article, checked=True, age_minutes=1)
    older = ReviewItemFactory(article=article, checked=True, age_minutes=5, body="<b>bold</b> claim")
    CommentFlag.objects.create(comment=older.comment, user=UserFactory(), reason="spam", note="ad", weight=2)
    decided = ReviewItemFactory(article=article, checked=True, age_minutes=9)
    services.decide(
        item_id=decided.pk, version=decided.comment.review_version, moderator=alice, action="approve"
    )

    response = api(alice).get("/api/v1/moderation/queue/", {"queue": "premod"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [older.pk, newer.pk]
    first = results[0]
    assert set(first) >= ITEM_KEYS
    assert set(first["comment"]) >= COMMENT_KEYS
    assert first["comment"]["body"] == "<b>bold</b> claim"
    assert first["comment"]["article"] == article.pk
    assert first["checks"] == [
        {"name": "links", "verdict": "review", "score": 0.9, "explanation": "links fired"}
    ]
    assert first["flags"] == [
        {
            "reason": "spam",
            "note": "ad",
            "weight": 2.0,
            "weight_reason": "",
            "created_at": first["flags"][0]["created_at"],
        }
    ]
    assert first["claimed_by"] is None and first["lease_expires_at"] is None


def test_checks_come_from_the_latest_system_record(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    AuditRecord.objects.create(
        comment=item.comment,
        actor=alice,
        actor_name="alice",
        action="moderation.comment.escalated",
        from_status="in_review",
        to_status="in_review",
        reasons=[{"name": "moderator", "verdict": "escalate", "score": None, "explanation": "hm"}],
        comment_version=1,
    )

    result = api(alice).get("/api/v1/moderation/queue/").json()["results"][0]

    assert [c["name"] for c in result["checks"]] == ["links"]


def test_reply_shows_its_parent(article, alice):
    parent = make_comment(article=article, body="The original point.")
    ReviewItemFactory(article=article, checked=True, comment_fields={"parent": parent})

    result = api(alice).get("/api/v1/moderation/queue/").json()["results"][0]

    assert result["comment"]["parent"] == parent.pk
    assert result["comment"]["parent_body"] == "The original point."


def test_queue_filters_by_article_and_reason(article, alice):
    other = ArticleFactory(slug="other")
    links = ReviewItemFactory(article=article, checked=True, reason="links")
    toxic = ReviewItemFactory(article=article, checked=True, reason="toxicity")
    ReviewItemFactory(article=other, checked=True, reason="links")
    flagged = ReviewItemFactory(article=other, checked=True, reason="flags", queue="reported")
    CommentFlag.objects.create(comment=flagged.comment, user=UserFactory(), reason="abuse")
    client = api(alice)

    by_article = client.get("/api/v1/moderation/queue/", {"queue": "premod", "article": "story"}).json()
    by_check = client.get("/api/v1/moderation/queue/", {"queue": "premod", "reason": "links"}).json()
    by_flag = client.get("/api/v1/moderation/queue/", {"queue": "reported", "reason": "abuse"}).json()

    assert {r["id"] for r in by_article["results"]} == {links.pk, toxic.pk}
    assert [r["comment"]["article_slug"] for r in by_check["results"]] == ["story", "other"]
    assert [r["id"] for r in by_flag["results"]] == [flagged.pk]


def test_queue_pages_follow_the_cursor_without_repeats(article, alice):
    items = [ReviewItemFactory(article=article, checked=True, age_minutes=10 - n) for n in range(5)]
    client = api(alice)

    seen, url = [], "/api/v1/moderation/queue/?queue=premod&limit=2"
    while url:
        page = client.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]

    assert seen == [i.pk for i in items]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"queue": "nope"}, "queue"),
        ({"limit": "0"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"cursor": "WzFd"}, "cursor"),
    ],
)
def test_bad_queue_parameters_are_400_with_the_field(alice, params, field):
    response = api(alice).get("/api/v1/moderation/queue/", params)

    assert response.status_code == 400
    assert field in response.json() and response.json()["detail"]


@pytest.mark.parametrize("count", [1, 20])
def test_a_page_of_the_queue_takes_a_constant_number_of_queries(
    article, alice, count, django_assert_num_queries
):
    for _n in range(count):
        item = ReviewItemFactory(
            article=article,
            checked=True,
            reason="links",
            comment_fields={"parent": make_comment(article=article)},
        )
        CommentFlag.objects.create(comment=item.comment, user=UserFactory(), reason="spam")
    client = api(alice)

    # token, moderator group, items with checks, flags, revisions
    with django_assert_num_queries(5):
        response = client.get("/api/v1/moderation/queue/?queue=premod&limit=50")

    assert len(response.json()["results"]) == count


# Claims


def test_claim_leases_the_oldest_items_to_the_moderator(article, alice, settings):
    settings.MODERATION_CLAIM_COUNT = 2
    items = [ReviewItemFactory(article=article, checked=True, age_minutes=10 - n) for n in range(3)]

    response = api(alice).post("/api/v1/moderation/queue/claim/", {"queue": "premod"}, format="json")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [items[0].pk, items[1].pk]
    assert all(r["claimed_by"] == "alice" and r["lease_expires_at"] for r in results)
    assert set(results[0]) >= ITEM_KEYS


def test_claim_of_an_empty_queue_is_an_empty_list(alice):
    response = api(alice).post(
        "/api/v1/moderation/queue/claim/", {"queue": "escalated", "count": 5}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"queue": "nope"}, "queue"),
        ({}, "queue"),
        ({"queue": "premod", "count": 10**12}, "count"),
        ({"queue": "premod", "count": 0}, "count"),
        ({"queue": "premod", "count": "ten"}, "count"),
        ({"queue": ["premod"]}, "queue"),
    ],
)
def test_bad_claims_are_400_with_the_field(alice, body, field):
    response = api(alice).post("/api/v1/moderation/queue/claim/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_claim_body_that_is_not_an_object_is_400(alice):
    response = api(alice).post("/api/v1/moderation/queue/claim/", [1, 2], format="json")

    assert response.status_code == 400


def test_renew_and_release_say_how_many(article, alice):
    for _ in range(3):
        ReviewItemFactory(article=article, checked=True)
    client = api(alice)
    client.post("/api/v1/moderation/queue/claim/", {"queue": "premod"}, format="json")

    renewed = client.post("/api/v1/moderation/queue/renew/").json()
    released = client.post("/api/v1/moderation/queue/release/", {}, format="json").json()

    assert renewed == {"count": 3} and released == {"count": 3}
    assert not ReviewItem.objects.filter(claimed_by=alice).exists()
