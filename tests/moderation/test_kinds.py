"""Kinds of harm the checks hold with the starter lists, the harm model and its thresholds, and the
innocent texts they pass (in English; test_harm_model.py has every kind in three languages).

These are the tests' own examples, not rows of the bench splits.
"""

import pytest

from moderation import checks, policy

pytestmark = pytest.mark.django_db


def judged(text: str) -> policy.Decision:
    return next(policy.evaluate_texts([text]))


def held_as(text: str) -> str:
    decision = judged(text)
    assert decision.decision != "approve", f"not held: {text}"
    return decision.kind


@pytest.mark.parametrize(
    "text",
    [
        "We will find you, reporter, and you will pay.",
        "I know where your family lives.",
        "Someone should shoot that councillor.",
        "He deserves to be lynched for this.",
        "If I see you in town I'm going to break your neck.",
        "You won't live to see your next birthday.",
        "I'm coming for you, count on it.",
    ],
)
def test_threats_in_plain_words_are_held_as_threats(text):
    assert held_as(text) == "threat"


@pytest.mark.parametrize(
    "text", ["I hope you choke on your lies and die.", "Go hang yourself, nobody reads you anyway."]
)
def test_wishing_death_and_telling_someone_to_die_are_held_as_threats_or_self_harm(text):
    # The threat list names them threats; the harm model, when it is sure enough to refuse them,
    # names them self-harm or harassment: the author is told one of those plain categories.
    assert held_as(text) in {"threat", "self-harm", "harassment"}


@pytest.mark.parametrize(
    "text",
    [
        "Refugees are vermin and nothing else.",
        "These people breed like rats.",
        "Every last one of them should be gassed.",
        "Exterminate them, all of them.",
        "Death to all foreigners.",
        "Migrants are a disease infecting the continent.",
        "The only good immigrant is a dead one.",
    ],
)
def test_dehumanising_language_and_calls_for_extermination_are_held_as_hate(text):
    assert held_as(text) == "hate"


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("Great deals on meds, see bit.ly/3xYzAbc", "shortened link bit.ly"),
        ("Join my channel t.me/easyprofits for daily tips", "messenger link t.me"),
        ("Best prices on watches at replica-shop.xyz", "throwaway-domain link replica-shop.xyz"),
        ("Order your pills at pharmacy dot com", "an address spelled out"),
        (
            "Questions about the loan? Call me now on +44 7700 900123",
            "contact +44 7700 900123 with a call to action",
        ),
        ("Passive income with guaranteed profits every week", "promotional phrasing “passive income”"),
    ],
)
def test_spam_is_held_from_an_established_commenter_naming_what_it_saw(text, seen):
    decision = judged(text)

    assert decision.deciding.name == "spam"
    assert seen in decision.deciding.explanation


@pytest.mark.parametrize(
    "text",
    [
        "ꜱʜᴜᴛ ᴜᴘ you ꜰᴜᴄᴋɪɴɢ idiot",  # small capitals
        "f+u+c+k off",  # a separator today's table did not know
        "you are a f u c k i n g disgrace",  # spelled out inside a sentence
        "phuuuuck this",  # phonetic and repeated
        "what a c*nt",  # a masked letter
        "fu3ck you",  # a digit inside the word
    ],
)
def test_evasions_are_held(text):
    assert judged(text).decision != "approve"


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe and Penistone flooded again; Cockburn's vineyard too.",
        "Dick Cheney's daughter spoke in Essex yesterday.",
        "The government lied about this war and its ministers should resign in disgrace.",
        "This invasion is a crime and the regime that launched it must be held to account.",
        "Pest control exterminated the wasps in the school roof.",
        "Our striker killed it; we will destroy them in the final.",
        "Дякую за чесну статтю про Харків.",
        "Спасибо, очень точный репортаж из Орска.",
        "Мақала үшін рахмет, бәрі дұрыс жазылған.",
        "The hotline 0800 123 4567 is free for flood victims.",
        "Source: https://www.ons.gov.uk/census for the figures.",
        "The dot com bubble burst in 2000.",
    ],
)
def test_innocent_traps_are_approved(text):
    decision = judged(text)

    assert decision.decision == "approve", decision.deciding.explanation


def test_place_names_that_contain_rude_words_are_never_refused_outright():
    # The harm model reads "Bitche" through its character n-grams and "they are …, look them up"
    # as talk about a group: it holds this for a person (hate 0.96 with the shipped model) where
    # the word lists alone passed it. A known false hold, left to review rather than hidden.
    decision = judged("Twatt and Bitche are real places, look them up.")

    assert decision.decision != "reject"


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("I will hunt you down.", "threat"),
        ("They are cockroaches, all of them.", "hate"),
        ("Cheap meds at bit.ly/xyz", "spam"),
    ],
)
def test_the_author_is_told_the_plain_category_only(text, told):
    decision = judged(text)

    assert decision.author_reason in {checks.HOLD[told], checks.REFUSED[told]}
