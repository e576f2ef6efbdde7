from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import SiteSettings
from comments.models import AuditRecord, Comment
from comments.services import NotAllowed, edit_comment, post_comment
from moderation import classifier
from moderation.models import ModerationSettings, ReviewItem, Sanction, WordListEntry
from moderation.services import moderate_comment
from tests.factories import ArticleFactory, UserFactory, clock, make_comment, post_checked

pytestmark = pytest.mark.django_db


@pytest.fixture
def regular():
    """An author in good standing: three approved comments already."""
    user = UserFactory()
    other = ArticleFactory()
    for n in range(3):
        make_comment(article=other, author=user, body=f"earlier {n}")
    return user


def test_civil_comment_is_approved_with_every_check_in_the_audit(
    article, regular, django_capture_on_commit_callbacks
):
    comment = post_checked(
        article, regular, "Thanks for the clear reporting.", django_capture_on_commit_callbacks
    )

    assert comment.status == "approved"
    record = AuditRecord.objects.get(comment=comment)
    assert record.actor_name == "system"
    assert record.action == "moderation.comment.approved"
    assert {r["name"] for r in record.reasons} == {
        "author_standing", "article_premoderation", "banned_words", "threat_words", "hate_words",
        "personal_data", "spam", "harm", "suspect_words", "links", "repeats",
    }  # fmt: skip
    assert all({"name", "verdict", "score", "explanation", "version"} <= set(r) for r in record.reasons)


def test_the_audit_record_of_an_automated_decision_names_the_model_version(
    article, regular, django_capture_on_commit_callbacks
):
    comment = post_checked(
        article, regular, "Thanks for the clear reporting.", django_capture_on_commit_callbacks
    )

    harm = next(r for r in AuditRecord.objects.get(comment=comment).reasons if r["name"] == "harm")
    assert harm["version"] == classifier.model().version
    assert f"model {classifier.model().version}" in harm["explanation"]


@pytest.fixture
def reviews_only():
    """Nothing is rejected for its words alone: the model's clear cases are reviewed too."""
    ModerationSettings.objects.create(toxicity_review_threshold=0.95, toxicity_reject_threshold=1.0)


def test_a_held_comments_review_item_names_its_kind_and_the_check_its_score(
    article, regular, reviews_only, django_capture_on_commit_callbacks
):
    comment = post_checked(
        article,
        regular,
        "Ти нікчемна, дурна людина, і всі тебе зневажають.",
        django_capture_on_commit_callbacks,
    )

    assert (comment.status, comment.hold_reason) == ("in_review", "insulting or harassing language")
    assert ReviewItem.objects.get(comment=comment).reason == "harassment"
    harm = next(r for r in AuditRecord.objects.get(comment=comment).reasons if r["name"] == "harm")
    assert (harm["kind"], harm["language"]) == ("harassment", "uk")
    assert harm["explanation"].startswith(f"harassment {harm['score']} (uk")


def test_banned_word_rejects_naming_the_check(article, regular, django_capture_on_commit_callbacks):
    comment = post_checked(article, regular, "f.u.c.k this", django_capture_on_commit_callbacks)

    assert comment.status == "rejected"
    record = AuditRecord.objects.get(comment=comment)
    assert record.actor_name == "system:banned_words@2"
    assert record.action == "moderation.comment.rejected"


def test_link_from_new_commenter_is_held_in_premod_with_a_plain_reason(
    article, django_capture_on_commit_callbacks
):
    comment = post_checked(
        article, UserFactory(), "Source: https://example.com/report", django_capture_on_commit_callbacks
    )

    assert comment.status == "in_review"
    assert comment.hold_reason == "links from new accounts are checked by a moderator first"
    assert ReviewItem.objects.get(comment=comment).queue == "premod"


def test_author_sees_the_hold_reason_on_their_comment(client, article, django_capture_on_commit_callbacks):
    author = UserFactory()
    post_checked(article, author, "Source: https://example.com/report", django_capture_on_commit_callbacks)
    client.force_login(author)

    page = client.get("/articles/story/").content.decode()

    assert "awaiting moderation: links from new accounts are checked by a moderator first" in page
    assert "toxicity" not in page


def test_a_threat_is_held_for_review_with_the_kind_named_and_scored(
    article, regular, reviews_only, django_capture_on_commit_callbacks
):
    comment = post_checked(
        article, regular, "I know where you live, and I will find you.", django_capture_on_commit_callbacks
    )

    assert (comment.status, comment.hold_reason) == ("in_review", "threatening language")
    assert ReviewItem.objects.get(comment=comment).reason == "threat"
    record = AuditRecord.objects.get(comment=comment)
    assert record.actor_name == "system:threat_words@2"
    threat = next(r for r in record.reasons if r["name"] == "threat_words")
    assert threat["verdict"] == "review"
    assert threat["explanation"].startswith("threat: listed phrasing “")


def test_spam_from_an_established_commenter_is_held_as_advertising(
    article, regular, django_capture_on_commit_callbacks
):
    comment = post_checked(
        article, regular, "Work from home, see bit.ly/3kTq9", django_capture_on_commit_callbacks
    )

    assert (comment.status, comment.hold_reason) == ("in_review", "advertising")
    assert ReviewItem.objects.get(comment=comment).reason == "spam"


def test_the_author_page_shows_the_category_never_the_scores(
    client, article, django_capture_on_commit_callbacks
):
    author = UserFactory()
    for n in range(3):
        make_comment(article=ArticleFactory(), author=author, body=f"earlier {n}")
    post_checked(article, author, "Someone should shoot the mayor.", django_capture_on_commit_callbacks)
    client.force_login(author)

    page = client.get("/articles/story/").content.decode()

    assert "awaiting moderation: threatening language" in page
    assert "phrasing" not in page and "review threshold" not in page


def test_the_reject_threshold_saved_in_admin_applies_to_the_next_comment(
    admin_client, article, regular, django_capture_on_commit_callbacks
):
    text = "This columnist is clueless and should be ashamed."  # held for a person by default
    assert post_checked(article, regular, text, django_capture_on_commit_callbacks).status != "rejected"
    data = {
        "toxicity_review_threshold": 0.5, "toxicity_reject_threshold": 0.5,
        "flags_to_report": 3, "flags_to_withhold": 6, "max_links": 2, "links_min_approved": 3,
        "duplicate_window_hours": 24, "wave_accounts": 3, "wave_window_minutes": 10, "sweep_after_seconds": 60,
    }  # fmt: skip

    admin_client.post("/admin/moderation/moderationsettings/add/", data)
    again = post_checked(article, regular, text + " Truly.", django_capture_on_commit_callbacks)

    assert again.status == "rejected"
    harm = next(r for r in AuditRecord.objects.get(comment=again).reasons if r["name"] == "harm")
    assert "≥ reject threshold" in harm["explanation"]


def test_comments_without_latin_letters_are_not_duplicates_of_each_other(
    article, regular, django_capture_on_commit_callbacks
):
    texts = ["我同意这篇文章。", "这个数据有问题。", "شكرا على المقال", "👍👍", "2024"]

    statuses = [
        post_checked(article, regular, text, django_capture_on_commit_callbacks).status for text in texts
    ]

    assert statuses == ["approved"] * 5


def test_word_list_change_applies_to_the_next_comment(article, regular, django_capture_on_commit_callbacks):
    WordListEntry.objects.create(phrase="frobnicate", kind="banned")

    comment = post_checked(article, regular, "You frobnicate!", django_capture_on_commit_callbacks)

    assert comment.status == "rejected"


def test_premoderated_article_holds_every_comment(regular, django_capture_on_commit_callbacks):
    article = ArticleFactory(premoderate_comments=True)

    assert (
        post_checked(article, regular, "Fine words.", django_capture_on_commit_callbacks).status
        == "in_review"
    )


def test_site_setting_holds_first_comment_of_new_accounts(article, django_capture_on_commit_callbacks):
    SiteSettings.objects.update_or_create(pk=1, defaults={"premoderate_new_commenters": True})

    assert (
        post_checked(article, UserFactory(), "Hello all.", django_capture_on_commit_callbacks).status
        == "in_review"
    )


def test_banned_author_may_not_post_and_what_waited_is_rejected(article, regular):
    waiting = make_comment(article=article, author=regular, body="Posted before the ban.", status="pending")
    Sanction.objects.create(user=regular, kind="ban", reason="abuse")

    with pytest.raises(NotAllowed, match="may no longer post"):
        post_comment(article=article, author=regular, body="Hello again.")
    assert moderate_comment(comment_id=waiting.pk, version=waiting.version) == "reject"
    assert Comment.objects.get(pk=waiting.pk).status == "rejected"
    assert AuditRecord.objects.get(comment=waiting).actor_name == "system:author_standing@2"


def test_suspended_author_may_post_again_once_the_suspension_ends(article, regular):
    sanction = Sanction.objects.create(
        user=regular, kind="suspend", until=timezone.now() + timedelta(hours=2), reason="heated"
    )
    with pytest.raises(NotAllowed, match="suspended from commenting until"):
        post_comment(article=article, author=regular, body="Let me in.")

    with clock(sanction.until + timedelta(seconds=1)):
        assert post_comment(article=article, author=regular, body="Back again.").status == "pending"


def test_same_text_twice_from_one_author_is_rejected_as_duplicate(
    article, regular, django_capture_on_commit_callbacks
):
    post_checked(article, regular, "Same words here.", django_capture_on_commit_callbacks)

    again = post_checked(article, regular, "SAME   words here!", django_capture_on_commit_callbacks)

    assert again.status == "rejected"
    assert AuditRecord.objects.get(comment=again).actor_name == "system:repeats@2"


def test_same_text_from_three_accounts_is_held_as_a_spam_wave(article, django_capture_on_commit_callbacks):
    statuses = [
        post_checked(
            article, UserFactory(), "Thanks for the update on the bridge", django_capture_on_commit_callbacks
        ).status
        for _ in range(3)
    ]

    assert statuses == ["approved", "approved", "in_review"]


def test_edited_comment_is_checked_again(article, regular, django_capture_on_commit_callbacks):
    comment = post_checked(article, regular, "Nice piece.", django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(comment=comment, user=regular, body="Nice piece, f u c k")

    comment.refresh_from_db()
    assert (comment.status, comment.body) == ("approved", "Nice piece.")  # the approved text stays
    assert comment.edit_status == "rejected"
    assert comment.audit_records.count() == 3


def test_a_redelivered_task_changes_nothing(article, regular, django_capture_on_commit_callbacks):
    comment = post_checked(article, regular, "Once only.", django_capture_on_commit_callbacks)

    assert moderate_comment(comment_id=comment.pk, version=comment.version) == "skipped"
    assert AuditRecord.objects.filter(comment=comment).count() == 1


def test_a_task_for_an_older_version_changes_nothing(article, regular):
    comment = make_comment(article=article, author=regular, status="pending", version=2)

    assert moderate_comment(comment_id=comment.pk, version=1) == "skipped"
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_sweep_requeues_comments_left_pending(article, regular, settings):
    from moderation.tasks import sweep_pending

    settings.MODERATION_SWEEP_AFTER_SECONDS = 60
    comment = make_comment(article=article, author=regular, status="pending")
    Comment.objects.filter(pk=comment.pk).update(status_changed_at=timezone.now() - timedelta(minutes=5))

    assert sweep_pending() == 1

    comment.refresh_from_db()
    assert comment.status == "approved"


def test_correction_reports_go_through_the_same_banned_words_evasions_included(
    django_capture_on_commit_callbacks,
):
    from corrections.services import create_correction_report

    WordListEntry.objects.create(phrase="grotesquerie", kind="banned")
    article = ArticleFactory(paragraphs=["The river rose by four metres overnight."])
    with django_capture_on_commit_callbacks(execute=True):
        spam = create_correction_report(article=article, message="What g.r.0.t.e.s.q.u.e.r.i.e this is")
        fair = create_correction_report(article=article, message="It rose by three metres, not four.")

    spam.refresh_from_db()
    fair.refresh_from_db()
    assert (spam.status, spam.spam_reason) == ("rejected", "banned_words: grotesquerie")
    assert (fair.status, fair.spam_reason) == ("new", "")
