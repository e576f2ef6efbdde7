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


# Round 2: more phrasings per kind, evasions in each language, and the innocent traps the frozen
# test split held too often (grief and anger, quoting abuse to condemn it, criticism of armies and
# governments, civil Cyrillic). Written for these tests; none is in the training set (test_training.py).
CAUGHT_MORE = [
    ("threat", "en", "Nice house on the corner you've got. Shame if the windows got broken some night."),
    ("threat", "uk", "Гарний у тебе будинок на розі. Шкода буде, якщо вночі хтось поб'є вікна."),
    ("threat", "ru", "Хороший у тебя дом на углу. Жаль будет, если ночью кто-то разобьёт окна."),
    ("harassment", "en", "Dmytro, you spineless nobody, even your own dog avoids you."),
    ("harassment", "uk", "Дмитре, ти безхребетний ніхто, навіть власний пес тебе уникає."),
    ("harassment", "ru", "Дима, ты бесхребетное ничтожество, даже твоя собака тебя избегает."),
    ("hate", "en", "That whole nation is a swarm of locusts; push them back over the border, all of them."),
    ("hate", "uk", "Увесь цей народ — сарана, виженіть їх за кордон, до останнього."),
    ("hate", "ru", "Весь этот народ — саранча, выгоните их за границу, всех до последнего."),
    ("sexual", "en", "Bet the weather girl would look even better with nothing on, send pics."),
    ("sexual", "uk", "Закладаюсь, ведуча ще краща без одягу, скинь фоточки."),
    ("sexual", "ru", "Спорим, ведущая ещё лучше без одежды, скинь фоточки."),
    ("self-harm", "en", "Nobody needs you around, just take the pills and sleep forever."),
    ("self-harm", "uk", "Ти нікому не потрібен, просто випий пігулки і засни назавжди."),
    ("self-harm", "ru", "Ты никому не нужен, просто выпей таблетки и усни навсегда."),
    ("spam", "en", "Passive income 3000$ weekly!!! contact manager on telegram @easycash_pro"),
    ("spam", "uk", "Пасивний дохід 3000$ щотижня!!! пишіть менеджеру в телеграм @easycash_pro"),
    ("spam", "ru", "Пассивный доход 3000$ в неделю!!! пишите менеджеру в телеграм @easycash_pro"),
    ("profanity", "en", "Fuck this shitty paper and every dickhead writing for it."),
    ("profanity", "uk", "Йобана газетка і всі довбойоби, що в ній пишуть."),
    ("profanity", "ru", "Ёбаная газетёнка и все долбоёбы, которые в ней пишут."),
]
# Evasions: look-alike letters of the other script, zero-width characters, digits for letters,
# stretched and spaced letters. Held, as profanity or as the kind of harm they hide.
EVASIONS = [
    ("en", "what a sh\u200bitty p\u200biece of w\u200britin\u200bg, moth\u200berfu\u200bcker"),
    ("en", "the author is a fuсking іdiot"),  # Cyrillic с and і
    ("en", "b u l l s h i t, you m0r0n"),
    ("uk", "яка ж це хyйня, aвторe"),  # Latin y, a, e
    ("uk", "ти п!здюк і бл9дь"),
    ("uk", "с у к а, закрий рота"),
    ("ru", "пошёл ты нaхyй, журнaлист"),  # Latin a and y
    ("ru", "ну ты и мyдaк, ёпт"),
    ("ru", "сууууука, что за х\u200bу\u200bй\u200bня"),
]
INNOCENT_MORE = [
    "My neighbour's boy was killed at Bakhmut. I am so full of rage I could scream at the sky.",
    "A man who wrote to a reporter that he knew her children's school got two years, and rightly so.",
    "The general staff sent untrained conscripts into that assault; whoever signed it should be tried.",
    "Greetings from Essex; my uncle Richard (Dick) Cockburn says hello.",
    "The sources are on the ministry's site: https://www.gov.uk/government/news",
    "Сусідського хлопця вбили під Бахмутом. Я так лютую, що хочеться кричати в небо.",
    "Чоловік, який писав журналістці «ми знайдемо твоїх дітей», отримав два роки, і правильно.",
    "Генштаб кинув непідготовлених хлопців у той штурм; хто це підписав, має сісти.",
    "Херсонські волонтери знову везуть воду в Бериславський район.",
    "Соседского парня убили под Бахмутом. Я так злюсь, что хочется кричать в небо.",
    "Мужчина, писавший журналистке «мы найдём твоих детей», получил два года, и правильно.",
    "Генштаб бросил неподготовленных ребят в тот штурм; кто это подписал, должен сесть.",
    "Застрахуйте машину заранее, в сезон дождей будет дороже.",
]


@pytest.mark.parametrize(("kind", "language", "text"), CAUGHT_MORE)
def test_more_phrasings_of_each_kind_are_held_in_each_language_and_named(kind, language, text):
    decision = next(policy.evaluate_texts([text]))

    assert decision.decision != "approve", text
    assert decision.kind == kind, decision.deciding.explanation


@pytest.mark.parametrize(("language", "text"), EVASIONS)
def test_evasions_in_each_language_are_held(language, text):
    decision = next(policy.evaluate_texts([text]))

    assert decision.decision != "approve", text
    assert classifier.model().predict([text])[0].language == language


@pytest.mark.parametrize("text", INNOCENT_MORE)
def test_more_innocent_traps_are_approved(text):
    decision = next(policy.evaluate_texts([text]))

    assert decision.decision == "approve", decision.deciding.explanation


def test_the_model_reads_one_spelling_for_many_evasions():
    assert classifier.clean("хyйня") == "хуйня"  # a Latin y in a Cyrillic word
    assert classifier.clean("fuсk") == "fuck"  # a Cyrillic с in a Latin word
    assert classifier.clean("k\u200by\u200bs") == "kys"
    assert classifier.clean("d1ck a$$h0le бл9ть п!зда") == "dick asshole блять пизда"
    assert classifier.clean("shiiiiit сууууука") == "shit сука"
    assert classifier.clean("f u c k") == "fuck"
    # Numbers, ordinary words and Cyrillic text stay as written.
    assert classifier.clean("3rd place at 10am, COVID-19, Херсон") == "3rd place at 10am, COVID-19, Херсон"
