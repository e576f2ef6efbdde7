from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import checks
from moderation.checks import CheckContext


def ctx(text="A civil remark about the article.", **kwargs) -> CheckContext:
    return CheckContext(text=text, banned=["fuck"], suspect=["idiot", "click here"], **kwargs)


def test_banned_word_rejects_and_names_it():
    result = checks.banned_words(ctx("f.u.c.k this"))

    assert result.verdict == "reject"
    assert "fuck" in result.explanation


def test_suspect_word_sends_to_review():
    assert checks.suspect_words(ctx("what an id1ot")).verdict == "review"


def test_civil_text_passes_the_word_checks():
    assert checks.banned_words(ctx()).verdict == "approve"
    assert checks.suspect_words(ctx()).verdict == "approve"


def test_toxicity_records_the_classifier_probability():
    result = checks.toxicity(ctx("Thank you for the careful reporting."))

    assert result.verdict == "approve"
    assert 0 <= result.score < 0.8


def test_toxicity_at_review_and_reject_thresholds(settings):
    assert checks.toxicity(ctx(toxicity=0.85)).verdict == "review"
    assert checks.toxicity(ctx(toxicity=0.97)).verdict == "reject"
    assert checks.toxicity(ctx(toxicity=0.79)).verdict == "approve"


def test_real_classifier_scores_abuse_high():
    assert checks.toxicity_scores(["you are a worthless piece of shit"])[0] >= 0.8


def test_more_than_two_links_go_to_review():
    text = "see https://a.example https://b.example https://c.example"

    assert checks.links(ctx(text, author_approved_count=50)).verdict == "review"


def test_a_link_from_a_new_commenter_goes_to_review_with_a_plain_reason():
    result = checks.links(ctx("see https://a.example", author_approved_count=2))

    assert result.verdict == "review"
    assert result.hold_reason == "links from new accounts are checked by a moderator first"


def test_a_link_from_an_established_commenter_passes():
    assert checks.links(ctx("see https://a.example", author_approved_count=3)).verdict == "approve"


def test_same_text_from_same_author_is_rejected_as_duplicate():
    assert checks.repeats(ctx(same_text_by_author=1)).verdict == "reject"


def test_same_text_from_three_accounts_is_a_spam_wave():
    assert checks.repeats(ctx(accounts_with_same_text=3)).verdict == "review"
    assert checks.repeats(ctx(accounts_with_same_text=2)).verdict == "approve"


@pytest.mark.parametrize(
    ("standing", "verdict"),
    [
        ({"author_is_banned": True}, "reject"),
        ({"author_suspended_until": timezone.now() + timedelta(days=1)}, "reject"),
        ({"author_is_premoderated": True}, "review"),
        ({"author_is_new": True, "premoderate_new_commenters": True}, "review"),
        ({"author_is_new": True, "premoderate_new_commenters": False}, "approve"),
        ({}, "approve"),
    ],
)
def test_author_standing(standing, verdict):
    assert checks.author_standing(ctx(**standing)).verdict == verdict


def test_article_premoderation_sends_to_review():
    assert checks.article_setting(ctx(article_premoderated=True)).verdict == "review"


@pytest.mark.parametrize(
    ("verdicts", "decision"),
    [
        (["approve", "approve"], "approve"),
        (["approve", "review"], "review"),
        (["review", "reject"], "reject"),
        (["reject", "approve", "review"], "reject"),
        ([], "approve"),
    ],
)
def test_policy_any_reject_wins_else_any_review_else_approve(verdicts, decision):
    results = [checks.CheckResult(f"c{n}", v, 0.0, "") for n, v in enumerate(verdicts)]

    assert checks.decide(results).decision == decision
