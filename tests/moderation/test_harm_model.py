"""The harm model through the whole policy: each kind caught in English, Ukrainian and Russian in
phrasings the training set does not contain (test_training.py checks that), innocent traps passed.

The texts are the tests' own, not rows of the bench splits.
"""

import pytest

from moderation import classifier, policy

pytestmark = pytest.mark.django_db

# Eight kinds in three languages, written for these tests.
CAUGHT = [
    ("threat", "en", "Enjoy your quiet evenings while they last, we know which flat is yours."),
    ("threat", "uk", "Гарно тобі спиться? Недовго лишилось, ми вже знаємо твій під'їзд."),
    ("threat", "ru", "Недолго тебе осталось спокойно спать, мы уже знаем твой подъезд."),
    ("harassment", "en", "Gareth, you're an insufferable, dim little man and everybody pities you."),
    ("harassment", "uk", "Ти нікчемна, дурна людина, і всі тебе зневажають."),
    ("harassment", "ru", "Ты никчёмный, глупый человечишка, и все тебя презирают."),
    ("hate", "en", "Those people are a pestilence; scrub every one of them out of our towns."),
    ("hate", "uk", "Ці люди — гидка пошесть, їх треба вичистити з наших міст."),
    ("hate", "ru", "Эти люди — мерзкая зараза, их надо вычистить из наших городов."),
    ("sexual", "en", "Take everything off for the camera, darling, then I'll read your report."),
    ("sexual", "uk", "Зніми все з себе на камеру, люба, тоді прочитаю твій репортаж."),
    ("sexual", "ru", "Сними с себя всё на камеру, милая, тогда прочитаю твой репортаж."),
    ("self-harm", "en", "Honestly just go end your own life, it's the only useful thing left for you."),
    ("self-harm", "uk", "Просто візьми й убий себе, це єдине корисне, що ти можеш зробити."),
    ("self-harm", "ru", "Просто возьми и убей себя, это единственное полезное, что ты можешь сделать."),
    ("doxxing", "en", "Fiona Grant is at 31 Larch Street, flat 6, every evening. Go and see her."),
    ("doxxing", "uk", "Ганна Шевчук живе на вул. Липова, 31, кв. 6. Навідайтесь до неї."),
    ("doxxing", "ru", "Анна Шевченко живёт на ул. Липовая, 31, кв. 6. Навестите её."),
    ("spam", "en", "Guaranteed 40% monthly returns, text our broker on WhatsApp today."),
    ("spam", "uk", "Гарантовані 40% прибутку щомісяця, пишіть нашому брокеру у Вайбер."),
    ("spam", "ru", "Гарантированные 40% прибыли ежемесячно, пишите нашему брокеру в Вайбер."),
    ("profanity", "en", "What a steaming pile of shit, you fucking clowns."),
    ("profanity", "uk", "Що за срана хуйня, йобані клоуни."),
    ("profanity", "ru", "Что за сраная хуйня, ёбаные клоуны."),
]
INNOCENT = [
    "The defence minister misled parliament about the shell shortage and should go.",
    "Reporting that a mob chanted 'hang the traitors' is not the same as agreeing with it.",
    "My sister was killed in the strike on the station. I am so angry I shake.",
    "Penistone's councillors met in Scunthorpe to discuss the bypass.",
    "Full text of the resolution: https://www.un.org/en/ga/",
    "Міністр оборони ввів парламент в оману щодо снарядів і має піти.",
    "Мою сестру вбило під час удару по вокзалу. Я така зла, що аж трясе.",
    "Дякую за репортаж із Харкова, чекаємо на продовження.",
    "Министр обороны ввёл парламент в заблуждение насчёт снарядов и должен уйти.",
    "Мою сестру убило при ударе по вокзалу. Я так зла, что трясёт.",
    "Спасибо за репортаж из Харькова, ждём продолжения.",
]


@pytest.mark.parametrize(("kind", "language", "text"), CAUGHT)
def test_each_kind_is_held_in_each_language_and_named(kind, language, text):
    decision = next(policy.evaluate_texts([text]))

    assert decision.decision != "approve", text
    assert decision.kind == kind, decision.deciding.explanation


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_traps_are_approved(text):
    decision = next(policy.evaluate_texts([text]))

    assert decision.decision == "approve", decision.deciding.explanation


@pytest.mark.parametrize(("language", "text"), [(lang, text) for _, lang, text in CAUGHT[::3]])
def test_the_model_names_the_language(language, text):
    [verdict] = classifier.model().predict([text])

    assert verdict.language == language


def test_the_author_of_a_held_comment_is_told_its_plain_category():
    decision = next(
        policy.evaluate_texts(["Просто візьми й убий себе, це єдине корисне, що ти можеш зробити."])
    )

    assert decision.author_reason in {"encouraging self-harm", "it breaks our rules on encouraging self-harm"}


def test_the_harm_check_names_kind_score_language_and_model_version():
    decision = next(policy.evaluate_texts(["Ты никчёмный, глупый человечишка, и все тебя презирают."]))

    harm = next(c for c in decision.checks if c.name == "harm")
    assert harm.as_dict()["kind"] == "harassment"
    assert harm.as_dict()["language"] == "ru"
    assert harm.version == classifier.model().version
    assert harm.explanation.startswith(f"harassment {harm.score} (ru, model {classifier.model().version})")


def test_a_clear_case_is_rejected():
    clear = next(policy.evaluate_texts(["Что за сраная хуйня, ёбаные клоуны, убейтесь все."]))

    assert clear.decision == "reject"


def test_the_model_is_loaded_once_per_process():
    classifier.model.cache_clear()

    first, second = classifier.model(), classifier.model()

    assert first is second
    assert classifier.model.cache_info().misses == 1
