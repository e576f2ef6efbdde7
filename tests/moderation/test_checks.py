from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import checks, classifier
from moderation.checks import CheckContext
from moderation.classifier import Verdict
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


def verdict(kind: str = "threat", score: float = 0.0, language: str = "en") -> Verdict:
    return Verdict(kind=kind, score=score, language=language, scores={kind: score})


@pytest.mark.parametrize(
    ("score", "decided"),
    [
        (0.0, "approve"),
        (0.49, "approve"),
        (0.5, "review"),
        (0.969, "review"),
        (0.97, "reject"),
        (1.0, "reject"),
    ],
)
def test_the_harm_check_reviews_the_grey_band_and_rejects_only_clear_cases(score, decided, monkeypatch):
    monkeypatch.setattr(classifier.model(), "thresholds", {"en": 0.5, "uk": 0.6, "ru": 0.6})

    assert checks.harm(verdict(score=score), RulesFactory(harm_reject=0.97)).verdict == decided


def test_the_harm_check_uses_the_threshold_of_the_texts_language(monkeypatch):
    monkeypatch.setattr(classifier.model(), "thresholds", {"en": 0.5, "uk": 0.8, "ru": 0.6})

    assert checks.harm(verdict(score=0.7, language="uk"), RulesFactory()).verdict == "approve"
    assert checks.harm(verdict(score=0.7, language="ru"), RulesFactory()).verdict == "review"


def test_in_other_languages_the_admins_review_threshold_applies(monkeypatch):
    monkeypatch.setattr(classifier.model(), "thresholds", {"en": 0.5})
    rules = RulesFactory(harm_review_other=0.9)

    assert checks.harm(verdict(score=0.85, language="other"), rules).verdict == "approve"
    assert checks.harm(verdict(score=0.91, language="other"), rules).verdict == "review"


def test_a_held_text_names_its_kind_and_the_author_is_told_the_plain_category(monkeypatch):
    monkeypatch.setattr(classifier.model(), "thresholds", {"en": 0.5})

    result = checks.harm(verdict("self-harm", 0.8), RulesFactory())

    assert (result.kind, result.author_reason) == ("self-harm", "encouraging self-harm")
    assert result.version == classifier.model().version


def test_a_refused_text_tells_the_author_the_rule_of_its_kind():
    result = checks.harm(verdict("doxxing", 0.999), RulesFactory(harm_reject=0.97))

    assert (result.verdict, result.author_reason) == ("reject", "it breaks our rules on personal information")


def test_real_model_scores_civil_text_low_and_abuse_high():
    civil, abuse = checks.model_verdicts([CIVIL, "you are a worthless piece of shit"])

    assert civil.score < 0.5 < abuse.score


def test_model_verdicts_come_in_order():
    batch = checks.model_verdicts([CIVIL, "fuck you", CIVIL])

    assert batch[0] == batch[2]
    assert batch[1].kind == "profanity"


def test_model_with_no_texts_returns_nothing():
    assert checks.model_verdicts([]) == []


def test_a_listed_threat_phrasing_holds_as_a_threat():
    result = checks.threat_words(ctx("I will find you."), RulesFactory(threat=("i/we will * find you",)))

    assert (result.verdict, result.kind, result.author_reason) == ("review", "threat", "threatening language")
    assert result.explanation == "threat: listed phrasing “i/we will * find you”"


def test_a_listed_hate_phrasing_holds_as_hate():
    result = checks.hate_words(ctx("They are vermin."), RulesFactory(hate=("are/re * vermin",)))

    assert (result.verdict, result.author_reason) == ("review", "hateful language about a group of people")


@pytest.mark.parametrize(
    "text",
    [
        "Reporter Jane Kemp lives at 12 Alder Road, Hull. Visit her.",
        "Call the author on +44 7700 900987 and tell him.",
        "Її телефон 067 555 11 22, дзвоніть їй.",
        "Он живёт на ул. Чехова, д. 8, кв. 3.",
    ],
)
def test_a_phone_number_or_address_next_to_a_person_is_doxxing(text):
    result = checks.personal_data(ctx(text))

    assert (result.verdict, result.kind, result.author_reason) == (
        "review", "doxxing", "someone's personal information"
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "The flood helpline 0800 123 4567 is free.",
        "The museum at 12 Alder Road reopens on Monday.",
        "Гаряча лінія 1545 працює цілодобово.",
        "In 2022 about 98,000 people crossed the border.",
    ],
)
def test_a_helpline_or_an_address_alone_is_not_doxxing(text):
    assert checks.personal_data(ctx(text)).verdict == "approve"


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


def test_a_check_result_serializes_with_its_version_but_without_author_reason():
    result = checks.author_standing(ctx(author_is_banned=True))

    assert result.as_dict() == {
        "name": "author_standing", "verdict": "reject", "score": 1.0, "explanation": "the author is banned",
        "version": "2",
    }  # fmt: skip


def test_a_check_that_found_a_kind_serializes_it():
    result = checks.spam(ctx("Great deals on meds, see bit.ly/3xYzAbc"), RulesFactory())

    assert result.as_dict()["kind"] == "spam"


def test_the_harm_model_switched_off_approves_and_says_so(settings):
    settings.MODERATION_TOXICITY_CHECK = False

    [switched_off] = checks.model_verdicts(["you are a worthless idiot"])
    result = checks.harm(switched_off, RulesFactory())

    assert switched_off is None
    assert (result.verdict, result.explanation) == ("approve", "the harm model is switched off")


QUOTING = RulesFactory(banned=("kill yourself",), threat=("hope * you * die",), hate=("breed like rats",))
REPORT = 'The court heard that he posted "I hope you die" under her photo; he was fined.'


def test_a_listed_phrasing_only_inside_quotes_does_not_hold_a_report_the_model_calls_innocent():
    result = checks.threat_words(ctx(REPORT), QUOTING, verdict("threat", 0.2))

    assert result.verdict == "approve"
    assert result.explanation == "threat: hope * you * die, only inside quotes, harm score 0.2 < 0.5"


@pytest.mark.parametrize(
    ("check", "text"),
    [
        (
            checks.banned_words,
            "Hundreds of accounts replied «kill yourself» to the girl, and none were removed.",
        ),
        (checks.hate_words, "The minister who said refugees 'breed like rats' has resigned at last."),
        (checks.threat_words, REPORT),
    ],
)
def test_a_quoted_listed_phrasing_goes_to_review_never_reject_when_the_model_has_doubts(check, text):
    assert check(ctx(text), QUOTING, verdict("threat", 0.2)).verdict == "approve"
    assert check(ctx(text), QUOTING, verdict("threat", 0.6)).verdict == "review"
    assert check(ctx(text), QUOTING, None).verdict == "review"  # the model switched off


@pytest.mark.parametrize(
    "text",
    [
        '"I hope you die"',  # the quote is all there is
        "I hope you die, and I mean it.",
        'He said "I hope you die" and so do I: I hope you die.',  # said again, outside the quotes
    ],
)
def test_a_listed_phrasing_of_the_commenters_own_still_holds(text):
    assert checks.threat_words(ctx(text), QUOTING, verdict("threat", 0.1)).verdict == "review"


def test_a_banned_phrase_of_the_commenters_own_is_still_rejected_next_to_a_quote():
    text = 'She wrote "please stop" and I say kill yourself.'

    assert checks.banned_words(ctx(text), QUOTING, verdict("self-harm", 0.1)).verdict == "reject"


@pytest.mark.django_db
def test_reports_quoting_listed_threats_and_slurs_are_approved_with_the_installed_lists():
    from moderation.policy import evaluate_texts

    texts = [
        'Prosecutors say he sent her "I hope you die" forty times; the trial starts on Monday.',
        "Ведучий сказав, що біженці «плодяться як щури», і тепер його звільнили.",
    ]

    assert [d.decision for d in evaluate_texts(texts)] == ["approve", "approve"]
