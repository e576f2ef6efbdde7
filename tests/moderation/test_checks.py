from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import checks
from moderation.checks import CheckContext, Rules

RULES = Rules(banned=("fuck", "kill yourself"), suspect=("idiot", "click here"))
CIVIL = "Thanks for the careful reporting on the border crossings."


def ctx(text: str = CIVIL, **kwargs) -> CheckContext:
    return CheckContext(text=text, **{"author_approved_count": 10, **kwargs})


def test_banned_word_rejects_naming_the_word_for_moderators():
    result = checks.banned_words(ctx("f.u.c.k this"), RULES)

    assert (result.verdict, result.score, result.explanation) == ("reject", 1.0, "banned: fuck")


def test_banned_word_tells_the_author_only_a_category():
    result = checks.banned_words(ctx("k1ll y0urself"), RULES)

    assert result.author_reason == "it breaks our rules on abusive language"


def test_suspect_word_sends_to_review():
    result = checks.suspect_words(ctx("what an id1ot"), RULES)

    assert (result.verdict, result.explanation, result.author_reason) == (
        "review", "suspect: idiot", "held for review"
    )  # fmt: skip


@pytest.mark.parametrize(
    "text", [CIVIL, "a class act", "Scunthorpe", "I can't believe it", "clicking heresy"]
)
def test_innocent_text_passes_the_word_checks(text):
    assert checks.banned_words(ctx(text), RULES).verdict == "approve"
    assert checks.suspect_words(ctx(text), RULES).verdict == "approve"


def test_word_checks_with_empty_lists_approve():
    assert checks.banned_words(ctx("fuck"), Rules()).verdict == "approve"


@pytest.mark.parametrize(
    ("probability", "verdict"),
    [
        (0.0, "approve"),
        (0.79, "approve"),
        (0.8, "review"),
        (0.969, "review"),
        (0.97, "reject"),
        (1.0, "reject"),
    ],
)
def test_toxicity_thresholds(probability, verdict):
    assert checks.toxicity(probability, Rules()).verdict == verdict


def test_toxicity_thresholds_come_from_the_rules():
    assert checks.toxicity(0.5, Rules(toxicity_review=0.4, toxicity_reject=0.6)).verdict == "review"


def test_toxicity_records_the_probability_and_the_model_version():
    result = checks.toxicity(0.123456, Rules())

    assert result.score == 0.1235
    assert result.version.startswith("2+alt-profanity-check-")


def test_real_classifier_scores_civil_text_low():
    assert checks.toxicity_probabilities([CIVIL])[0] < 0.5


def test_real_classifier_scores_abuse_high():
    assert checks.toxicity_probabilities(["you are a worthless piece of shit"])[0] >= 0.97


def test_real_classifier_sees_through_leetspeak():
    assert checks.toxicity_probabilities(["what a load of sh1t"])[0] >= 0.8


def test_classifier_scores_a_batch_in_order():
    probabilities = checks.toxicity_probabilities([CIVIL, "fuck you", CIVIL])

    assert probabilities[0] == probabilities[2] < 0.5 < probabilities[1]


def test_classifier_with_no_texts_returns_nothing():
    assert checks.toxicity_probabilities([]) == []


def test_up_to_two_links_from_an_established_commenter_pass():
    result = checks.links(ctx("see https://a.example/x and www.b.org"), Rules())

    assert (result.verdict, result.score) == ("approve", 2.0)


def test_more_than_two_links_go_to_review():
    text = "see https://a.example https://b.example https://c.example"

    assert checks.links(ctx(text), Rules()).verdict == "review"


def test_bare_domains_count_as_links():
    assert (
        checks.links(ctx("buy at cheap-pills.com now", author_approved_count=0), Rules()).verdict == "review"
    )


def test_a_link_hidden_with_a_zero_width_space_still_counts():
    assert checks.links(ctx("see ht\u200btps://spam.example", author_approved_count=0), Rules()).score == 1.0


def test_a_link_from_a_commenter_with_fewer_than_three_approved_comments_goes_to_review():
    result = checks.links(ctx("Source: https://example.com/report", author_approved_count=2), Rules())

    assert (result.verdict, result.author_reason) == (
        "review", "links from new accounts are checked by a moderator first"
    )  # fmt: skip


def test_a_link_from_a_commenter_with_three_approved_comments_passes():
    assert checks.links(ctx("https://example.com", author_approved_count=3), Rules()).verdict == "approve"


def test_text_without_links_from_a_new_commenter_passes():
    assert (
        checks.links(ctx("No links here. Just words.", author_approved_count=0), Rules()).verdict == "approve"
    )


def test_same_text_from_the_same_author_is_rejected_as_a_duplicate():
    result = checks.repeats(ctx(same_text_by_author_24h=1), Rules())

    assert (result.verdict, result.author_reason) == ("reject", "you already posted the same comment")


def test_same_text_from_three_accounts_is_a_spam_wave():
    assert checks.repeats(ctx(distinct_accounts_same_text_10min=3), Rules()).verdict == "review"


def test_same_text_from_two_accounts_is_not_a_wave():
    assert checks.repeats(ctx(distinct_accounts_same_text_10min=2), Rules()).verdict == "approve"


def test_a_duplicate_is_rejected_even_during_a_wave():
    result = checks.repeats(ctx(same_text_by_author_24h=1, distinct_accounts_same_text_10min=5), Rules())

    assert result.verdict == "reject"


@pytest.mark.parametrize(
    ("standing", "verdict"),
    [
        ({"author_is_banned": True}, "reject"),
        ({"author_suspended_until": timezone.now() + timedelta(days=1)}, "reject"),
        ({"author_suspended_until": timezone.now() - timedelta(minutes=1)}, "approve"),
        ({"author_is_premoderated": True}, "review"),
        ({"author_is_new_and_site_premod": True}, "review"),
        ({}, "approve"),
    ],
)
def test_author_standing(standing, verdict):
    assert checks.author_standing(ctx(**standing)).verdict == verdict


def test_a_suspended_author_is_told_the_account_is_suspended():
    result = checks.author_standing(ctx(author_suspended_until=timezone.now() + timedelta(hours=1)))

    assert result.author_reason == "your account is suspended from commenting for now"


def test_a_new_account_is_told_why_its_first_comment_waits():
    result = checks.author_standing(ctx(author_is_new_and_site_premod=True))

    assert result.author_reason == "first comments from new accounts are checked by a moderator first"


def test_article_premoderation_sends_to_review():
    result = checks.article_premoderation(ctx(article_premoderated=True))

    assert (result.verdict, result.author_reason) == (
        "review", "comments on this article are checked by a moderator first"
    )  # fmt: skip


def test_article_without_premoderation_approves():
    assert checks.article_premoderation(ctx()).verdict == "approve"


def test_a_check_result_serializes_without_version_or_author_reason():
    result = checks.author_standing(ctx(author_is_banned=True))

    assert result.as_dict() == {
        "name": "author_standing", "verdict": "reject", "score": 1.0, "explanation": "the author is banned"
    }  # fmt: skip


def test_toxicity_switched_off_approves_and_says_so(settings):
    settings.MODERATION_TOXICITY_CHECK = False

    [probability] = checks.toxicity_probabilities(["you are a worthless idiot"])
    result = checks.toxicity(probability, Rules())

    assert probability is None
    assert (result.verdict, result.explanation) == ("approve", "the classifier is switched off")
