"""Only judged text is ever public: decisions name the version they judge, an edit waits beside
the approved text and never lifts a hold, flags cannot be weaponised, edits are rate limited."""

from datetime import timedelta

import pytest
from django.test import Client, TestCase
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from comments.models import AuditRecord, Comment, CommentFlag
from comments.services import edit_comment, post_comment
from moderation import errors, services
from moderation.models import ReviewItem, Sanction
from moderation.services import moderate_comment, stale_pending
from tests.factories import ReviewItemFactory, UserFactory, established_reader, make_comment

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        # A token, as API clients send: force_authenticate sends no token nor cookie, so the
        # request would look anonymous and get the shared cached page.
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def public_bodies(slug="story") -> list[str]:
    return [c["body"] for c in api().get(f"/api/v1/articles/{slug}/comments/").json()["results"]]


def post_flag(user, comment, data):
    """A reader flags through the API; moderation weighs the flag once it is committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return api(user).post(f"/api/v1/comments/{comment.pk}/flags/", data, format="json")


# 1. A decision names the version it judges


def test_approving_the_version_seen_after_the_author_edited_is_409_and_changes_nothing(article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    author = item.comment.author
    services.claim(moderator=alice, queue="premod")
    api(author).patch(f"/api/v1/comments/{item.comment_id}/", {"body": "Scam at evil.example"}, format="json")

    response = api(alice).post(
        f"/api/v1/moderation/items/{item.pk}/decision/", {"action": "approve", "version": 1}, format="json"
    )

    assert response.status_code == 409
    now = response.json()["item"]
    assert (now["comment"]["version"], now["comment"]["body"]) == (2, "Scam at evil.example")
    assert [r["body"] for r in now["comment"]["revisions"]] == ["See https://example.com/offer"]
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"
    assert ReviewItem.objects.get(pk=item.pk).is_open
    assert "Scam" not in " ".join(public_bodies())


def test_approving_the_version_now_shown_publishes_exactly_that_text(article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    edit_comment(comment=item.comment, user=item.comment.author, body="A calmer text")

    response = api(alice).post(
        f"/api/v1/moderation/items/{item.pk}/decision/", {"action": "approve", "version": 2}, format="json"
    )

    assert response.status_code == 200
    assert public_bodies() == ["A calmer text"]
    record = AuditRecord.objects.filter(comment_id=item.comment_id).latest("id")
    assert (record.actor_name, record.comment_version) == ("alice", 2)


def test_a_queue_item_carries_the_version_to_decide_on(article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )

    results = api(alice).get("/api/v1/moderation/queue/?queue=premod").json()["results"]

    assert results[0]["id"] == item.pk
    assert results[0]["comment"]["version"] == 1


def test_bulk_decisions_answer_409_for_items_whose_text_changed(article, alice):
    kept, changed = (
        ReviewItemFactory(
            comment_fields={"checked_version": 1}, article=article, body="one https://a.example"
        ),
        ReviewItemFactory(
            comment_fields={"checked_version": 1}, article=article, body="two https://b.example"
        ),
    )
    edit_comment(comment=changed.comment, user=changed.comment.author, body="two, now different")

    response = api(alice).post(
        "/api/v1/moderation/items/decisions/",
        {"items": [{"id": kept.pk, "version": 1}, {"id": changed.pk, "version": 1}], "action": "approve"},
        format="json",
    )

    assert [(r["id"], r["status"]) for r in response.json()["results"]] == [(kept.pk, 200), (changed.pk, 409)]
    assert Comment.objects.get(pk=changed.comment_id).status == "in_review"


def test_undo_of_a_published_edit_is_refused(article, alice):
    comment = make_comment(article=article, body="Original", checked_version=1)
    edit_comment(comment=comment, user=comment.author, body="Edited")
    item = ReviewItem.objects.create(comment=comment, queue="premod", reason="links", for_edit=True)
    services.decide(item_id=item.pk, version=2, moderator=alice, action="approve")

    with pytest.raises(errors.Conflict, match="published edit"):
        services.undo_last(moderator=alice)

    assert public_bodies() == ["Edited"]


# 2. What the public sees while an edit waits


def test_an_edit_waiting_for_its_checks_leaves_the_approved_text_public(
    article, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="Approved words", checked_version=1)
    reply = make_comment(article=article, body="A reply", parent=comment, checked_version=1)

    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        response = api(comment.author).patch(
            f"/api/v1/comments/{comment.pk}/", {"body": "Unchecked words"}, format="json"
        )

    assert response.status_code == 200
    assert response.json()["body"] == "Approved words"
    assert response.json()["edit"]["status"] == "pending"
    assert response.json()["edit"]["body"] == "Unchecked words"
    thread = api().get("/api/v1/articles/story/comments/").json()["results"]
    assert (thread[0]["body"], thread[0]["replies"][0]["body"]) == ("Approved words", reply.body)
    assert "edit" not in thread[0]
    assert "Unchecked words" not in api().get("/articles/story/").content.decode()
    mine = api(comment.author).get("/api/v1/articles/story/comments/").json()["results"][0]
    assert mine["edit"]["body"] == "Unchecked words"


def test_an_edit_that_passes_its_checks_replaces_the_public_text(article, django_capture_on_commit_callbacks):
    comment = make_comment(article=article, body="Approved words", checked_version=1)

    with django_capture_on_commit_callbacks(execute=True):
        api(comment.author).patch(f"/api/v1/comments/{comment.pk}/", {"body": "Better words"}, format="json")

    assert public_bodies() == ["Better words"]
    comment.refresh_from_db()
    assert (comment.version, comment.edit_version, comment.checked_version) == (2, None, 2)


def test_a_rejected_edit_leaves_the_approved_text_public_and_tells_the_author(
    article, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="Approved words", checked_version=1)

    with django_capture_on_commit_callbacks(execute=True):
        api(comment.author).patch(f"/api/v1/comments/{comment.pk}/", {"body": "f u c k you"}, format="json")

    assert public_bodies() == ["Approved words"]
    mine = api(comment.author).get(f"/api/v1/comments/{comment.pk}/").json()
    assert (mine["body"], mine["edit"]["status"]) == ("Approved words", "rejected")
    reader = Client()
    reader.force_login(comment.author)
    page = reader.get("/articles/story/").content.decode()
    assert "Your edit was not published" in page


def test_a_held_edit_waits_in_the_queue_while_the_approved_text_stays_public(
    article, alice, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, author=UserFactory(), body="Approved words", checked_version=1)

    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(comment=comment, user=comment.author, body="Now with https://shop.example/deal")

    item = ReviewItem.objects.get(comment=comment, decided_at__isnull=True)
    assert item.for_edit and item.reason == "links"
    assert public_bodies() == ["Approved words"]

    services.decide(item_id=item.pk, version=2, moderator=alice, action="reject", reason="spam")

    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.edit_status) == ("approved", "Approved words", "rejected")
    assert public_bodies() == ["Approved words"]


# 3. An edit never lifts a hold


def test_an_edit_of_a_withheld_comment_stays_in_review_until_a_moderator_decides(
    article, alice, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="An opinion readers disliked", checked_version=1)
    for _ in range(6):
        CommentFlag.objects.create(comment=comment, user=established_reader(), reason="abuse")
    from moderation.flags import on_flag

    on_flag(comment_id=comment.pk, flag_id=CommentFlag.objects.filter(comment=comment).latest("id").pk)
    assert Comment.objects.get(pk=comment.pk).status == "in_review"

    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(comment=comment, user=comment.author, body="An opinion readers disliked!")

    comment.refresh_from_db()
    assert comment.status == "in_review"
    item = ReviewItem.objects.get(comment=comment, decided_at__isnull=True)
    assert item.queue == "reported"
    assert public_bodies() == []
    checked = AuditRecord.objects.filter(comment=comment).latest("id")
    assert (checked.action, checked.comment_version) == ("moderation.comment.checked", 2)

    with django_capture_on_commit_callbacks(execute=True):
        services.decide(item_id=item.pk, version=2, moderator=alice, action="approve")

    assert public_bodies() == ["An opinion readers disliked!"]


def test_an_edit_of_a_reported_comment_is_held_for_the_moderator(article, django_capture_on_commit_callbacks):
    comment = make_comment(article=article, body="Reported but visible", checked_version=1)
    ReviewItem.objects.create(comment=comment, queue="reported", reason="flags")

    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(comment=comment, user=comment.author, body="Reported but visible, edited")

    comment.refresh_from_db()
    assert (comment.body, comment.edit_status) == ("Reported but visible", "in_review")
    assert ReviewItem.objects.filter(comment=comment, decided_at__isnull=True).count() == 1
    assert public_bodies() == ["Reported but visible"]


def test_an_edit_of_a_rejected_comment_is_403(article):
    comment = make_comment(article=article, status="rejected")

    response = api(comment.author).patch(
        f"/api/v1/comments/{comment.pk}/", {"body": "Let me in"}, format="json"
    )

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == comment.body


def test_every_version_is_checked_even_after_a_moderator_published_it(article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    edit_comment(comment=item.comment, user=item.comment.author, body="The text the moderator read")
    services.decide(item_id=item.pk, version=2, moderator=alice, action="approve")

    assert moderate_comment(comment_id=item.comment_id, version=2) != "skipped"

    comment = Comment.objects.get(pk=item.comment_id)
    assert comment.checked_version == 2
    assert AuditRecord.objects.filter(comment=comment, action="moderation.comment.checked").exists()


def test_the_sweep_finds_edits_whose_checks_were_lost(article):
    comment = make_comment(article=article, body="Approved", checked_version=1)
    edit_comment(comment=comment, user=comment.author, body="Edited while the broker was away")
    Comment.objects.filter(pk=comment.pk).update(edited_at=timezone.now() - timedelta(minutes=5))

    assert (comment.pk, 2) in stale_pending(older_than_seconds=60)


# 4. Flags cannot be weaponised


def _signup(client, username: str, address: str) -> None:
    client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": f"{username}@example.com",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
        REMOTE_ADDR=address,
    )


def test_six_fresh_accounts_from_one_address_cannot_withhold_a_comment(client, article, settings):
    settings.SIGNUP_RATE_LIMIT = 12  # past the sign-up throttle, as from a shared address over the hours
    comment = make_comment(article=article, body="A reader's fair point", checked_version=1)
    for n in range(12):
        _signup(client, f"sock{n}", "203.0.113.9")
        client.logout()

    from django.contrib.auth import get_user_model

    socks = get_user_model().objects.filter(username__startswith="sock")
    assert socks.count() == 12
    for sock in socks[:6]:
        assert post_flag(sock, comment, {"reason": "abuse"}).status_code == 201

    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert not ReviewItem.objects.filter(comment=comment).exists()
    assert public_bodies() == ["A reader's fair point"]
    assert sum(CommentFlag.objects.filter(comment=comment).values_list("weight", flat=True)) == 0.25


def test_a_fresh_account_flag_counts_a_quarter_and_says_why(article):
    comment = make_comment(article=article, checked_version=1)

    response = post_flag(UserFactory(), comment, {"reason": "spam"})

    assert response.status_code == 201
    flag = CommentFlag.objects.get(comment=comment)
    assert flag.weight == 0.25
    assert "under a day old" in flag.weight_reason and "no approved comment" in flag.weight_reason


def test_an_established_account_flag_counts_one(article):
    comment = make_comment(article=article, checked_version=1)

    post_flag(established_reader(), comment, {"reason": "spam"})

    assert CommentFlag.objects.get(comment=comment).weight == 1.0


def test_established_accounts_signed_up_from_one_address_count_as_one_flagger(article):
    from accounts.models import Profile

    comment = make_comment(article=article, checked_version=1)
    first, second = established_reader(), established_reader()
    for user in (first, second):
        Profile.objects.create(user=user, signup_address="198.51.100.7")

    for user in (first, second):
        post_flag(user, comment, {"reason": "abuse"})

    weights = list(
        CommentFlag.objects.filter(comment=comment).order_by("id").values_list("weight", flat=True)
    )
    assert weights == [1.0, 0.0]
    assert "same address" in CommentFlag.objects.filter(comment=comment).latest("id").weight_reason


@pytest.mark.parametrize("kind", ["ban", "suspend"])
def test_banned_and_suspended_readers_cannot_flag(article, alice, kind):
    comment = make_comment(article=article, checked_version=1)
    reader = established_reader()
    until = timezone.now() + timedelta(days=1) if kind == "suspend" else None
    Sanction.objects.create(user=reader, kind=kind, reason="abuse", until=until, created_by=alice)

    response = post_flag(reader, comment, {"reason": "abuse"})

    assert response.status_code == 403
    assert "flag" in response.json()["detail"]
    assert not CommentFlag.objects.exists()


def test_a_moderator_sees_each_flags_weight_and_why(article, alice):
    comment = make_comment(article=article, checked_version=1)
    post_flag(UserFactory(), comment, {"reason": "spam"})
    ReviewItem.objects.create(comment=comment, queue="reported", reason="flags")

    flags = api(alice).get("/api/v1/moderation/queue/?queue=reported").json()["results"][0]["flags"]

    assert flags[0]["weight"] == 0.25
    assert "under a day old" in flags[0]["weight_reason"]


# 5. Edits have their own limit


def _one_window(settings) -> None:
    """An hour-long window, started afresh if this one ends within a minute: the edits of a test
    never straddle two fixed windows, however loaded the machine."""
    import time

    settings.COMMENT_EDIT_RATE_PERIOD = 3600
    if time.time() % 3600 > 3540:
        time.sleep(3600 - time.time() % 3600)


def test_edits_beyond_the_limit_are_429_with_retry_after(article, settings):
    _one_window(settings)
    settings.COMMENT_EDIT_RATE_LIMIT = 3
    comment = make_comment(article=article, body="v1", checked_version=1)
    client = api(comment.author)

    answers = [
        client.patch(f"/api/v1/comments/{comment.pk}/", {"body": f"v{n}"}, format="json") for n in range(2, 6)
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert Comment.objects.get(pk=comment.pk).edit_version == 4  # the refused edit stored nothing


def test_the_edit_form_shares_the_edit_limit(client, article, settings):
    _one_window(settings)
    settings.COMMENT_EDIT_RATE_LIMIT = 1
    comment = make_comment(article=article, body="v1", checked_version=1)
    api(comment.author).patch(f"/api/v1/comments/{comment.pk}/", {"body": "v2"}, format="json")
    client.force_login(comment.author)

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "v3"})

    assert response.status_code == 429
    assert response["Retry-After"]


# Admin


@pytest.mark.parametrize("model", ["reviewitem", "sanction"])
def test_admin_shows_review_items_and_sanctions_read_only_even_to_superusers(client, article, alice, model):
    from django.contrib.auth import get_user_model

    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    sanction = Sanction.objects.create(
        user=item.comment.author, kind="premod", reason="links", created_by=alice
    )
    client.force_login(
        get_user_model().objects.create_superuser("root", "root@example.com", "pw-long-enough")
    )
    pk = item.pk if model == "reviewitem" else sanction.pk

    assert client.get(f"/admin/moderation/{model}/{pk}/change/").status_code == 200
    assert client.post(f"/admin/moderation/{model}/{pk}/change/", {}).status_code == 403
    assert client.get(f"/admin/moderation/{model}/add/").status_code == 403
    assert client.post(f"/admin/moderation/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403


def test_admin_shows_audit_records_read_only_even_to_superusers(client, article):
    from django.contrib.auth import get_user_model

    comment = post_comment(article=article, author=UserFactory(), body="Audited")
    record = AuditRecord.objects.create(
        comment=comment, actor_name="system", action="x", from_status="pending", to_status="pending",
        comment_version=1,
    )  # fmt: skip
    client.force_login(
        get_user_model().objects.create_superuser("root", "root@example.com", "pw-long-enough")
    )

    assert client.post(f"/admin/comments/auditrecord/{record.pk}/change/", {}).status_code == 403
    assert client.post(f"/admin/comments/auditrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_ban_refuses_the_authors_waiting_edits_and_keeps_their_approved_text(
    article, alice, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="Approved words", checked_version=1)
    edit_comment(comment=comment, user=comment.author, body="Edited before the ban")

    with django_capture_on_commit_callbacks(execute=True):
        services.apply_sanction(user=comment.author, moderator=alice, kind="ban", reason="spam account")

    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.edit_status) == ("approved", "Approved words", "rejected")


def test_the_queue_page_refuses_a_stale_version_and_shows_the_new_text_marked(client, article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    edit_comment(comment=item.comment, user=item.comment.author, body="The new wording")
    client.force_login(alice)

    response = client.post(
        f"/moderation/items/{item.pk}/decision/", {"action": "approve", "version": 1}, follow=True
    )

    page = response.content.decode()
    assert "changed since you saw version 1" in page
    assert (
        "Changed since it came into the queue" in client.get(f"/moderation/items/{item.pk}/").content.decode()
    )
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"
    fetched = client.post(
        f"/moderation/items/{item.pk}/decision/",
        {"action": "approve", "version": 1},
        HTTP_ACCEPT="application/json",
    )
    assert (fetched.status_code, fetched.json()["changed"]) == (409, True)
