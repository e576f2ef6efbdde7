import pytest

from moderation import policy
from moderation.checks import CheckContext, CheckResult
from moderation.models import ModerationSettings, WordListEntry
from tests.factories import RulesFactory

CIVIL = "Thanks for the careful reporting on the border crossings."


@pytest.mark.parametrize(
    ("verdicts", "decision"),
    [
        ([], "approve"),
        (["approve", "approve"], "approve"),
        (["approve", "review"], "review"),
        (["review", "review"], "review"),
        (["approve", "reject"], "reject"),
        (["review", "reject"], "reject"),
        (["reject", "approve", "review"], "reject"),
    ],
)
def test_any_reject_wins_else_any_review_else_approve(verdicts, decision):
    results = [CheckResult(f"check{n}", verdict, 0.0, "") for n, verdict in enumerate(verdicts)]

    assert policy.decide(results).decision == decision


def test_a_decision_keeps_every_check_result():
    results = [CheckResult("a", "approve", 0.1, "fine"), CheckResult("b", "review", 0.9, "hmm")]

    assert policy.decide(results).checks == results


def test_the_deciding_check_is_the_first_with_the_decided_verdict():
    results = [
        CheckResult("a", "review", 1.0, "", author_reason="held for review"),
        CheckResult("b", "reject", 1.0, "", author_reason="you already posted the same comment"),
        CheckResult("c", "reject", 1.0, "", author_reason="it breaks our rules on abusive language"),
    ]

    decision = policy.decide(results)

    assert decision.deciding.name == "b"
    assert decision.author_reason == "you already posted the same comment"


def test_an_approval_has_no_deciding_check_or_author_reason():
    decision = policy.decide([CheckResult("a", "approve", 0.0, "")])

    assert (decision.deciding, decision.author_reason) == (None, "")


def test_evaluate_runs_every_check_in_a_stable_order():
    decision = policy.evaluate(
        CheckContext(text=CIVIL, author_approved_count=5), rules=RulesFactory(), model=None
    )

    assert [c.name for c in decision.checks] == [
        "author_standing", "article_premoderation", "banned_words", "threat_words", "hate_words",
        "personal_data", "spam", "harm", "suspect_words", "links", "repeats",
    ]  # fmt: skip


def test_a_civil_comment_by_an_author_in_good_standing_without_links_is_approved():
    decision = policy.evaluate(CheckContext(text=CIVIL), rules=RulesFactory(), model=None)

    assert decision.decision == "approve"


@pytest.mark.django_db
def test_evaluate_texts_judges_each_text_in_order():
    decisions = list(
        policy.evaluate_texts(
            [CIVIL, "f.u.c.k off", "see https://a.example https://b.example https://c.example"]
        )
    )

    assert [d.decision for d in decisions] == ["approve", "reject", "review"]


@pytest.mark.django_db
def test_evaluate_texts_calls_the_model_once_per_batch(monkeypatch):
    calls = []
    real = policy.checks.model_verdicts
    monkeypatch.setattr(
        policy.checks, "model_verdicts", lambda texts: calls.append(len(texts)) or real(texts)
    )
    monkeypatch.setattr(policy, "BATCH_SIZE", 3)

    decisions = list(policy.evaluate_texts([CIVIL] * 7))

    assert len(decisions) == 7
    assert calls == [3, 3, 1]


@pytest.mark.django_db
def test_evaluate_texts_uses_the_context_factory():
    def premoderated(text):
        return CheckContext(text=text, author_approved_count=10, article_premoderated=True)

    decision = next(policy.evaluate_texts([CIVIL], context_factory=premoderated))

    assert decision.decision == "review"


@pytest.mark.django_db
def test_the_tools_judge_a_link_as_from_an_established_commenter():
    decision = next(policy.evaluate_texts(["Source: https://example.com/report"]))

    assert decision.decision == "approve"


@pytest.mark.django_db
def test_the_starter_word_lists_are_in_the_database():
    rules = policy.current_rules()

    assert "fuck" in rules.banned
    assert "idiot" in rules.suspect


@pytest.mark.django_db
def test_a_word_list_change_applies_to_the_next_evaluation():
    assert next(policy.evaluate_texts(["We frobnicate daily."])).decision == "approve"

    entry = WordListEntry.objects.create(phrase="frobnicate", kind="banned")

    assert next(policy.evaluate_texts(["We frobnicate daily."])).decision == "reject"

    entry.is_active = False
    entry.save()

    assert next(policy.evaluate_texts(["We frobnicate daily."])).decision == "approve"


@pytest.mark.django_db
def test_a_deactivated_starter_word_no_longer_counts():
    WordListEntry.objects.filter(phrase="idiot").update(is_active=False)

    assert "idiot" not in policy.current_rules().suspect


@pytest.mark.django_db
def test_a_settings_change_applies_to_the_next_evaluation():
    text = "see https://a.example https://b.example https://c.example"
    assert next(policy.evaluate_texts([text])).decision == "review"

    ModerationSettings(max_links=5).save()

    assert next(policy.evaluate_texts([text])).decision == "approve"


@pytest.mark.django_db
def test_rules_come_from_the_environment_until_settings_are_saved(settings):
    settings.MODERATION_TOXICITY_REVIEW = 0.5

    assert policy.current_rules().harm_review_other == 0.5
    assert not ModerationSettings.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "The minister is a liar and the figures prove it.",
        "I cannot believe 98,000 people left in a week. Where will they all live?",
        "Kazakhstan handled this better than anyone expected; a class act from Almaty.",
        "Scunthorpe and Penistone residents assess the damage after the storm.",
        "I can't believe it.",
        "The assassination of the archduke was a turning point.",
    ],
)
def test_normal_news_discussion_is_approved_with_the_starter_lists(text):
    assert next(policy.evaluate_texts([text])).decision == "approve"


@pytest.mark.django_db
def test_a_starter_word_with_an_innocent_sense_is_held_not_rejected():
    decision = next(policy.evaluate_texts(["That is a chink in the armour of the government."]))

    assert decision.decision == "review"
