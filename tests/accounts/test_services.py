import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from accounts import selectors, services
from accounts.models import IgnoredCommenter, Profile
from comments.models import AuditRecord, Comment, CommentFlag, CommentRevision
from comments.services import change_status, flag_comment
from tests.factories import UserFactory, make_comment

pytestmark = pytest.mark.django_db


def test_signup_mails_a_link_that_verifies_the_address(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.record_signup(user=alice, address="203.0.113.5")
    link = mail.outbox[0].body.split("/accounts/verify/")[1].split("/")[0]

    services.verify_email(token=link)

    assert selectors.is_verified(alice)


def test_a_link_to_the_old_address_is_refused_once_the_address_changed(alice):
    old_token = services.verification_token(alice)

    services.verify_email(token=services.email_change_token(alice, "new@example.com"))

    with pytest.raises(services.AccountError, match="no longer uses"):
        services.verify_email(token=old_token)


def test_a_tampered_verification_link_is_refused(alice):
    with pytest.raises(services.AccountError, match="not valid"):
        services.verify_email(token=services.verification_token(alice) + "x")


def test_an_expired_verification_link_is_refused(alice, monkeypatch):
    token = services.verification_token(alice)
    monkeypatch.setattr(services, "VERIFY_MAX_AGE", -1)

    with pytest.raises(services.AccountError, match="expired"):
        services.verify_email(token=token)


def test_display_name_is_shown_instead_of_the_username(alice):
    services.update_profile(user=alice, display_name="  Alice   from Almaty ")

    assert selectors.display_name(get_user_model().objects.get(pk=alice.pk)) == "Alice from Almaty"


def test_an_empty_display_name_falls_back_to_the_username(alice):
    services.update_profile(user=alice, display_name="")

    assert selectors.display_name(alice) == "alice"


def test_ignoring_twice_is_one_ignore_and_undo_removes_it(alice, bob):
    services.ignore(user=alice, ignored_id=bob.pk)
    services.ignore(user=alice, ignored_id=bob.pk)

    assert selectors.ignored_ids(alice) == {bob.pk}

    services.unignore(user=alice, ignored_id=bob.pk)

    assert selectors.ignored_ids(alice) == set()


def test_a_reader_cannot_ignore_themselves(alice):
    with pytest.raises(services.AccountError):
        services.ignore(user=alice, ignored_id=alice.pk)


def test_ignoring_someone_who_does_not_exist_is_refused(alice):
    with pytest.raises(services.AccountError, match="No such commenter"):
        services.ignore(user=alice, ignored_id=999_999)


def test_deleting_an_account_keeps_its_comments_as_placeholders_holding_replies(article, alice, bob):
    top = make_comment(article=article, author=alice, body="Alice's own words")
    reply = make_comment(article=article, author=bob, parent=top, body="Bob answers")

    services.delete_account(user=alice)

    top.refresh_from_db()
    assert top.status == Comment.Status.DELETED
    assert top.body == ""
    reply.refresh_from_db()
    assert reply.status == Comment.Status.APPROVED


def test_deleting_an_account_removes_its_personal_data(article, alice, bob):
    services.record_signup(user=alice, address="203.0.113.5")
    services.update_profile(user=alice, display_name="Alice A.")
    services.ignore(user=alice, ignored_id=bob.pk)
    comment = make_comment(article=article, author=alice, body="v1")
    CommentRevision.objects.create(
        comment=comment, version=1, body="an earlier text", created_at=comment.created_at
    )
    flag_comment(comment=make_comment(article=article, author=bob), user=alice, reason="spam", note="my note")

    anonymous = services.delete_account(user=alice)

    user = get_user_model().objects.get(pk=alice.pk)
    assert (user.username, user.email, user.is_active, user.has_usable_password()) == (
        anonymous,
        "",
        False,
        False,
    )
    assert not Profile.objects.filter(user=user).exists()
    assert not IgnoredCommenter.objects.exists()
    assert not CommentRevision.objects.exists()
    assert CommentFlag.objects.get(user=user).note == ""


def test_audit_records_of_a_deleted_account_keep_only_an_anonymous_id(article, alice):
    comment = make_comment(article=article, author=alice, status="pending")
    change_status(
        comment=comment, to_status="approved", actor=alice, actor_name="alice", action="test.approved"
    )

    anonymous = services.delete_account(user=alice)

    names = set(AuditRecord.objects.values_list("actor_name", flat=True))
    assert names == {anonymous}
    assert AuditRecord.objects.filter(action="accounts.account.deleted").count() == 1


def test_a_deleted_account_cannot_log_in(client, alice):
    services.delete_account(user=alice)

    assert not client.login(username="alice", password="correct horse battery staple")


def test_export_holds_the_account_its_comments_likes_and_flags(article, alice, bob):
    services.record_signup(user=alice, address="203.0.113.5")
    make_comment(article=article, author=alice, body="Mine", status="rejected", rejection_reason="it is spam")
    flag_comment(comment=make_comment(article=article, author=bob), user=alice, reason="spam")

    data = selectors.export_for(alice)

    assert data["account"]["username"] == "alice"
    assert data["account"]["signup_address"] == "203.0.113.5"
    assert [(c["body"], c["status"], c["reason"]) for c in data["comments"]] == [
        ("Mine", "rejected", "it is spam")
    ]
    assert [f["reason"] for f in data["flags"]] == ["spam"]
    json.dumps(data)  # JSON all the way down


def test_a_deleted_placeholder_without_replies_drops_out_of_the_thread(client, article, alice):
    make_comment(article=article, author=alice, body="Alone")
    make_comment(article=article, author=UserFactory(), body="Someone else")

    services.delete_account(user=alice)

    page = client.get("/api/v1/articles/story/comments/").json()
    assert [c["body"] for c in page["results"]] == ["Someone else"]


def test_a_display_name_another_reader_uses_is_refused(alice, bob):
    services.update_profile(user=bob, display_name="The Reporter")

    for name in ["the reporter", "BOB"]:
        with pytest.raises(services.AccountError, match="Another reader uses this name"):
            services.update_profile(user=alice, display_name=name)


def test_a_reader_may_use_their_own_username_as_display_name(alice):
    services.update_profile(user=alice, display_name="Alice")

    assert selectors.display_name(alice) == "Alice"


def test_export_holds_the_sanctions_on_the_reader(alice):
    from moderation.models import Sanction

    Sanction.objects.create(user=alice, kind="ban", reason="spam")

    data = selectors.export_for(alice)

    assert [(s["kind"], s["reason"]) for s in data["sanctions"]] == [("ban", "spam")]
    json.dumps(data, default=str)
