from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import checks
from moderation.checks import CheckContext
from tests.factories import RulesFactory

RULES = RulesFactory(banned=("fuck", "kill yourself"), suspect=("idiot", "click here"))
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
        "review", "suspect: idiot", "possibly abusive language"
    )  # fmt: skip


@pytest.mark.parametrize(
    "text", [CIVIL, "a class act", "Scunthorpe", "I can't believe it", "clicking heresy"]
)
def test_innocent_text_passes_the_word_checks(text):
    assert checks.banned_words(ctx(text), RULES).verdict == "approve"
    assert checks.suspect_words(ctx(text), RULES).verdict == "approve"


def test_word_checks_with_empty_lists_approve():
    assert checks.banned_words(ctx("fuck"), RulesFactory()).verdict == "approve"


def scores(**kinds) -> dict[str, float]:
    return {
        "toxicity": 0.0, "severe_toxicity": 0.0, "obscene": 0.0, "threat": 0.0, "insult": 0.0,
        "identity_attack": 0.0, **kinds,
    }  # fmt: skip


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
    assert checks.toxicity(scores(toxicity=probability), RulesFactory()).verdict == verdict


def test_toxicity_thresholds_come_from_the_rules():
    rules = RulesFactory(toxicity_review=0.4, toxicity_reject=0.6)

    assert checks.toxicity(scores(toxicity=0.5), rules).verdict == "review"


def test_toxicity_records_the_score_and_the_model_version():
    result = checks.toxicity(scores(toxicity=0.1235), RulesFactory())

    assert result.score == 0.1235
    assert result.version == "3+toxic-comment-classifier-0.3.0"


def test_real_classifier_scores_civil_text_low():
    assert checks.classifier_scores([CIVIL])[0]["toxicity"] < 0.5


def test_real_classifier_scores_abuse_high():
    assert checks.classifier_scores(["you are a worthless piece of shit"])[0]["toxicity"] >= 0.97


def test_real_classifier_sees_through_leetspeak():
    assert checks.classifier_scores(["what a load of sh1t, you 1d10t"])[0]["toxicity"] >= 0.8


def test_real_classifier_scores_every_kind():
    assert set(checks.classifier_scores([CIVIL])[0]) == {
        "toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack"
    }  # fmt: skip


def test_classifier_scores_a_batch_in_order():
    batch = checks.classifier_scores([CIVIL, "fuck you", CIVIL])

    assert batch[0] == batch[2]
    assert batch[0]["toxicity"] < 0.5 < batch[1]["toxicity"]


def test_classifier_with_no_texts_returns_nothing():
    assert checks.classifier_scores([]) == []


def test_severe_toxicity_above_its_threshold_rejects():
    result = checks.severe_toxicity(scores(severe_toxicity=0.6), RulesFactory(severe_toxicity_reject=0.5))

    assert (result.verdict, result.explanation) == ("reject", "severe_toxicity 0.6 ≥ reject threshold 0.5")


def test_an_insult_above_its_threshold_is_held_and_the_author_told_so():
    result = checks.insult(scores(insult=0.95), RulesFactory(insult_review=0.9))

    assert (result.verdict, result.author_reason) == ("review", "insulting language")


def test_a_threat_score_above_its_threshold_is_held_naming_the_kind_and_score():
    result = checks.threat(ctx(), scores(threat=0.4), RulesFactory(threat_review=0.3))

    assert (result.name, result.verdict, result.score) == ("threat", "review", 0.4)
    assert result.explanation == "threat 0.4 ≥ review threshold 0.3"
    assert result.author_reason == "threatening language"


def test_a_listed_threat_phrasing_holds_whatever_the_model_says():
    result = checks.threat(
        ctx("I will find you."), scores(threat=0.01), RulesFactory(threat=("i/we will * find you",))
    )

    assert result.verdict == "review"
    assert result.explanation == "threat: phrasing “i/we will * find you” (model 0.01)"


def test_a_listed_hate_phrasing_is_an_identity_attack():
    result = checks.identity_attack(
        ctx("They are vermin."), scores(), RulesFactory(hate=("are/re * vermin",))
    )

    assert (result.verdict, result.author_reason) == ("review", "hateful language about a group of people")


def test_listed_phrasings_work_with_the_classifier_switched_off():
    result = checks.threat(ctx("kys"), None, RulesFactory(threat=("kys",)))

    assert (result.verdict, result.explanation) == (
        "review",
        "threat: phrasing “kys” (classifier switched off)",
    )


def test_up_to_two_links_from_an_established_commenter_pass():
    result = checks.links(ctx("see https://a.example/x and www.b.org"), RulesFactory())

    assert (result.verdict, result.score) == ("approve", 2.0)


def test_more_than_two_links_go_to_review():
    text = "see https://a.example https://b.example https://c.example"

    assert checks.links(ctx(text), RulesFactory()).verdict == "review"


def test_bare_domains_count_as_links():
    assert (
        checks.links(ctx("buy at cheap-pills.com now", author_approved_count=0), RulesFactory()).verdict
        == "review"
    )


def test_a_link_hidden_with_a_zero_width_space_still_counts():
    assert (
        checks.links(ctx("see ht\u200btps://spam.example", author_approved_count=0), RulesFactory()).score
        == 1.0
    )


def test_a_link_from_a_commenter_with_fewer_than_three_approved_comments_goes_to_review():
    result = checks.links(ctx("Source: https://example.com/report", author_approved_count=2), RulesFactory())

    assert (result.verdict, result.author_reason) == (
        "review", "links from new accounts are checked by a moderator first"
    )  # fmt: skip


def test_a_link_from_a_commenter_with_three_approved_comments_passes():
    assert (
        checks.links(ctx("https://example.com", author_approved_count=3), RulesFactory()).verdict == "approve"
    )


def test_text_without_links_from_a_new_commenter_passes():
    assert (
        checks.links(ctx("No links here. Just words.", author_approved_count=0), RulesFactory()).verdict
        == "approve"
    )


def test_same_text_from_the_same_author_is_rejected_as_a_duplicate():
    result = checks.repeats(ctx(same_text_by_author_24h=1), RulesFactory())

    assert (result.verdict, result.author_reason) == ("reject", "you already posted the same comment")


def test_same_text_from_three_accounts_is_a_spam_wave():
    assert checks.repeats(ctx(distinct_accounts_same_text_10min=3), RulesFactory()).verdict == "review"


def test_same_text_from_two_accounts_is_not_a_wave():
    assert checks.repeats(ctx(distinct_accounts_same_text_10min=2), RulesFactory()).verdict == "approve"


def test_a_duplicate_is_rejected_even_during_a_wave():
    result = checks.repeats(
        ctx(same_text_by_author_24h=1, distinct_accounts_same_text_10min=5), RulesFactory()
    )

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

    [switched_off] = checks.classifier_scores(["you are a worthless idiot"])
    result = checks.toxicity(switched_off, RulesFactory())

    assert switched_off is None
    assert (result.verdict, result.explanation) == ("approve", "the classifier is switched off")
