"""Compose the training examples from the hand-written parts, reproducibly (one seeded Random).

Each hand-written sentence is kept as written and also varied: with an opening or a closing in
its language, joined to an innocent sentence or to another of its kind, in a different case or
with dropped punctuation and a typo, and, for abuse, spelled to dodge filters (leetspeak,
spaced or masked letters, Cyrillic written in Latin letters). Innocent examples are varied too,
and harmful sentences quoted in a report that condemns them are innocent, so the model learns
the kind, not the words. Doxxing and spam are also built from names, addresses, phone numbers,
offers and contacts, since those are what the kind is about.
"""

import random

from . import HERE, INNOCENT, LANGUAGES, read_tsv

_OPENINGS = {
    "en": [
        "Hey author,",
        "Listen,",
        "You know what?",
        "Honestly,",
        "To the writer:",
        "Mate,",
        "Ok so",
        "@reporter",
    ],
    "uk": [
        "Слухай, авторе,",
        "Гей, ти,",
        "Знаєш що?",
        "Чесно кажучи,",
        "Журналісте,",
        "Ну що ж,",
        "До автора:",
    ],
    "ru": [
        "Слушай, автор,",
        "Эй, ты,",
        "Знаешь что?",
        "Честно говоря,",
        "Журналист,",
        "Ну что ж,",
        "Автору:",
    ],
}
_CLOSINGS = {
    "en": ["Remember that.", "Think about it.", "Just saying.", "You've been warned.", "lol", "!!!", "Bye."],
    "uk": ["Запам'ятай.", "Подумай про це.", "Просто кажу.", "Тебе попередили.", "!!!", "Бувай."],
    "ru": ["Запомни.", "Подумай об этом.", "Просто говорю.", "Тебя предупредили.", "!!!", "Пока."],
}
# Reports that quote harm to condemn it: innocent, whatever they quote.
_QUOTES = {
    "en": [
        'The troll wrote "{}" and was banned.',
        'Messages like "{}" are abuse, and the police should act.',
        'She showed us the comment "{}". Disgusting.',
        'The court heard the accused had posted: "{}"',
        'Reporting "{}" is how we expose these people.',
        "Under the video someone wrote {} and the channel did nothing. Shameful.",
        'Quoting the abuse she got ("{}") is the only way readers understand what she faces.',
        "Propaganda like '{}' comes before the killing; it has to be called out.",
        'He was fined for telling a neighbour "{}" on Facebook, good.',
        "The article documents messages such as «{}», which the prosecutors now have.",
        'Why does the platform leave up posts saying "{}"? I reported it three times.',
        # Round 3: reported speech, with or without quotation marks
        "A reader forwarded us a message that said {}, and we passed it to the police.",
        'In the recording he can be heard shouting "{}" at the crowd; he has been charged.',
        "Comments such as {} are exactly why moderators burn out. Please report them.",
    ],
    "uk": [
        "Троль написав «{}», і його заблокували.",
        "Повідомлення на кшталт «{}» — це цькування, поліція має діяти.",
        "Вона показала нам коментар «{}». Огидно.",
        "Суд почув, що обвинувачений писав: «{}»",
        "Під відео хтось написав {}, і канал нічого не зробив. Ганьба.",
        "Процитувати образи, які вона отримує («{}»), — єдиний спосіб показати, що вона переживає.",
        "Пропаганда на кшталт «{}» передує вбивствам, її треба викривати.",
        "Його оштрафували за те, що написав сусідові «{}». І правильно.",
        "Чому платформа не видаляє дописи «{}»? Я скаржився тричі.",
        # Round 3: непряма мова, з лапками або без
        "Читач переслав нам повідомлення, де було {}, і ми передали його поліції.",
        "На записі чути, як він кричить натовпу «{}»; йому вже висунули обвинувачення.",
        "Коментарі на кшталт {} — саме через них модератори вигорають. Скаржтеся на них.",
    ],
    "ru": [
        "Тролль написал «{}», и его заблокировали.",
        "Сообщения вроде «{}» — это травля, полиция должна действовать.",
        "Она показала нам комментарий «{}». Отвратительно.",
        "Суд услышал, что обвиняемый писал: «{}»",
        "Под видео кто-то написал {}, и канал ничего не сделал. Позор.",
        "Процитировать оскорбления, которые она получает («{}»), — единственный способ показать, что она переживает.",
        "Пропаганда вроде «{}» предшествует убийствам, её надо разоблачать.",
        "Его оштрафовали за то, что он написал соседу «{}». И правильно.",
        "Почему платформа не удаляет посты «{}»? Я жаловался трижды.",
        # Round 3: косвенная речь, с кавычками или без
        "Читатель переслал нам сообщение, где было {}, и мы передали его полиции.",
        "На записи слышно, как он кричит толпе «{}»; ему уже предъявили обвинение.",
        "Комментарии вроде {} — именно из-за них модераторы выгорают. Жалуйтесь на них.",
    ],
}
_NAMES = {
    "en": [
        "Anna Lewis",
        "Tom Baker",
        "Priya Shah",
        "John O'Neill",
        "Maria Costa",
        "the editor",
        "this reporter",
    ],
    "uk": [
        "Олена Ткачук",
        "Василь Гнатюк",
        "Тетяна Руденко",
        "Микола Лисенко",
        "цей редактор",
        "ця журналістка",
    ],
    "ru": [
        "Елена Смирнова",
        "Василий Попов",
        "Татьяна Волкова",
        "Николай Фёдоров",
        "этот редактор",
        "эта журналистка",
    ],
}
_STREETS = {
    "en": ["{n} Willow Road", "{n} High Street, flat {m}", "{n} Station Avenue", "{n} Brook Lane, apt {m}"],
    "uk": [
        "вул. Лугова, {n}, кв. {m}",
        "вулиця Соборна {n}",
        "просп. Свободи, {n}",
        "вул. Зелена {n}, кв. {m}",
    ],
    "ru": [
        "ул. Луговая, д. {n}, кв. {m}",
        "улица Советская {n}",
        "пр-т Мира, {n}",
        "ул. Зелёная {n}, кв. {m}",
    ],
}
_PHONES = {
    "en": ["07{a} {b}{c}", "+44 7{a} {b}{c}", "({a}) {b}-{c}", "+1 {a} {b} {c}"],
    "uk": ["+380 {a} {b} {c}", "0{a} {b} {c}", "0{a}-{b}-{c}"],
    "ru": ["+7 9{a} {b}-{c}", "8 (9{a}) {b}-{c}", "8-9{a}-{b}-{c}"],
}
_DOX = {
    "en": [
        "{who} lives at {addr}. Go pay a visit.",
        "{who}'s number: {phone}. Call day and night.",
        "Home address of {who}: {addr}",
        "Ring {who} on {phone} and let them have it.",
        "Everyone, {who} is at {addr}, make yourselves known.",
    ],
    "uk": [
        "{who} живе за адресою {addr}. Завітайте.",
        "Номер, щоб подзвонити {who}: {phone}. Дзвоніть.",
        "Домашня адреса — {addr}, там {who}.",
        "Подзвоніть на {phone} і все скажіть, це {who}.",
    ],
    "ru": [
        "{who} живёт по адресу {addr}. Загляните.",
        "Номер, по которому звонить, {who}: {phone}. Звоните.",
        "Домашний адрес — {addr}, там {who}.",
        "Позвоните на {phone} и всё скажите, это {who}.",
    ],
}
_HELPFUL = {
    "en": [
        "The food bank at {addr} is open till six.",
        "For a lift to the shelter call the volunteers on {phone}.",
        "The new library at {addr} opens on Monday.",
        "The helpline {phone} is free for anyone who lost power.",
        "Blood donors are needed at the clinic, {addr}.",
        "Our choir rehearses at {addr} every Thursday.",
        "The council's number for flood damage is {phone}.",
        "Call {phone} to book a free legal consultation.",
    ],
    "uk": [
        "Пункт допомоги за адресою {addr} працює до шостої.",
        "Волонтери на зв'язку: {phone}.",
        "Нова бібліотека відкрилась: {addr}.",
        "Гаряча лінія {phone} безкоштовна для всіх, хто без світла.",
        "Потрібні донори крові, клініка: {addr}.",
        "Телефон міської ради для заяв про збитки: {phone}.",
        "Безкоштовна юридична консультація за номером {phone}.",
    ],
    "ru": [
        "Пункт помощи по адресу {addr} работает до шести.",
        "Волонтёры на связи: {phone}.",
        "Новая библиотека открылась: {addr}.",
        "Горячая линия {phone} бесплатна для всех, кто без света.",
        "Нужны доноры крови, клиника: {addr}.",
        "Телефон горсовета для заявлений об ущербе: {phone}.",
        "Бесплатная юридическая консультация по номеру {phone}.",
    ],
}
_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "а": "@", "о": "0", "е": "3"})
_TRANSLIT = str.maketrans(
    {"а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ё": "yo", "ж": "zh",
     "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
     "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
     "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}
)  # fmt: skip


_HOMOGLYPHS = str.maketrans(
    {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "y": "у", "i": "і",
     "а": "a", "е": "e", "о": "o", "с": "c", "р": "p", "х": "x", "у": "y", "і": "i"}
)  # fmt: skip
_CYRILLIC_LEET = str.maketrans({"о": "0", "з": "3", "а": "@", "и": "!", "ч": "4", "б": "6", "я": "9"})


# Round 3: spellings of the kinds the team had not written, so the model learns the kind of
# disguise rather than the team's own: every vowel of a word masked, letters split by varying
# punctuation, vowels dropped, wider leetspeak, Greek and Armenian look-alikes, stretched and
# spaced letters together.
_VOWELS = set("aeiouyаеєиіїоуюяёэы")
_WIDE_LEET = {
    "a": ["4", "@", "/\\"], "b": ["8", "6"], "c": ["(", "<"], "e": ["3", "€"], "g": ["9"], "i": ["1", "!", "|"],
    "k": ["|<"], "l": ["1", "|"], "o": ["0", "()"], "s": ["5", "$"], "t": ["7", "+"], "u": ["v", "|_|"],
    "а": ["@", "4"], "б": ["6"], "в": ["8"], "е": ["3", "€"], "з": ["3"], "и": ["u"], "й": ["u"],
    "к": ["k"], "н": ["h"], "о": ["0"], "р": ["p"], "с": ["c"], "т": ["t"], "у": ["y"], "х": ["x"],
    "ч": ["4"], "я": ["9"],
}  # fmt: skip
_OTHER_LOOKALIKES = str.maketrans({"a": "α", "e": "ε", "i": "ι", "o": "ο", "u": "υ", "k": "κ", "n": "ո"})


def _disguise(word: str, rng: random.Random) -> str:
    how = rng.randrange(6)
    if how == 0:  # f*ck, f**k, бл*ть
        return "".join(
            "*" if ch.lower() in _VOWELS and 0 < i < len(word) - 1 else ch for i, ch in enumerate(word)
        )
    if how == 1:  # f.u-c_k
        return word[0] + "".join(rng.choice([".", "-", "_", "*", " ", "·", "~"]) + ch for ch in word[1:])
    if how == 2 and len(word) > 3:  # fck, блть
        kept = word[0] + "".join(ch for ch in word[1:-1] if ch.lower() not in _VOWELS) + word[-1]
        return kept if len(kept) > 2 else word
    if how == 3:
        return "".join(
            rng.choice(_WIDE_LEET[ch]) if ch in _WIDE_LEET and rng.random() < 0.6 else ch
            for ch in word.lower()
        )
    if how == 4:
        return word.translate(_OTHER_LOOKALIKES)
    return " ".join(ch * rng.choice((1, 1, 2, 3)) for ch in word)  # f u u c k


def _disguised(text: str, rng: random.Random) -> str:
    """One to three of a text's longer words disguised, each its own way."""
    words = text.split()
    longest = sorted(range(len(words)), key=lambda i: -len(words[i].strip(".,!?")))[: rng.randint(1, 3)]
    for i in longest:
        core = words[i].strip('.,!?«»"')
        if len(core) > 2:
            words[i] = words[i].replace(core, _disguise(core, rng))
    return " ".join(words)


def _evade(text: str, rng: random.Random) -> str:
    """One filter-dodging spelling of a text."""
    words = text.split()
    how = rng.randrange(14)
    if how >= 10:
        return _disguised(text, rng)
    if how == 0:
        return text.lower().translate(_LEET)
    if how == 1:
        return text.lower().translate(_TRANSLIT)
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if how == 2:
        words[longest] = rng.choice([" ", "-", ".", "_", "*", " . "]).join(word)
    elif how == 3 and len(word) > 3:
        at = rng.randrange(1, len(word) - 1)
        words[longest] = word[:at] + rng.choice("*#%") + word[at + 1 :]
    elif how == 4:
        words[longest] = word.translate(_HOMOGLYPHS)  # look-alikes of the other script
    elif how == 5:
        words[longest] = word.lower().translate(_CYRILLIC_LEET).translate(_LEET)
    elif how == 6:
        words[longest] = "\u200b".join(word)
    elif how == 7 and len(word) > 2:
        at = rng.randrange(1, len(word))
        words[longest] = word[:at] + word[at] * rng.randrange(3, 7) + word[at + 1 :]
    elif how == 8:
        return text.upper()
    else:
        words[longest] = ".".join(word)
    return " ".join(words)


def _noisy(text: str, rng: random.Random) -> str:
    how = rng.randrange(4)
    if how == 0:
        return text.lower().rstrip(".!")
    if how == 1:
        return text.upper()
    if how == 2 and len(text) > 8:
        at = rng.randrange(1, len(text) - 2)
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    return text.replace(",", "").replace("'", "")


def _phone(language: str, rng: random.Random) -> str:
    digits = lambda n: "".join(str(rng.randrange(10)) for _ in range(n))  # noqa: E731
    return rng.choice(_PHONES[language]).format(
        a=digits(2 if language == "ru" else 3), b=digits(3), c=digits(4)
    )


def _address(language: str, rng: random.Random) -> str:
    return rng.choice(_STREETS[language]).format(n=rng.randrange(1, 200), m=rng.randrange(1, 90))


def _personal(language: str, rng: random.Random) -> tuple[str, str]:
    fields = {
        "who": rng.choice(_NAMES[language]),
        "addr": _address(language, rng),
        "phone": _phone(language, rng),
    }
    return rng.choice(_DOX[language]).format(**fields), rng.choice(_HELPFUL[language]).format(**fields)


def examples(seed: int = 25) -> list[tuple[str, str]]:
    """(text, label) pairs: every hand-written sentence and its variations, in a fixed order."""
    rng = random.Random(seed)
    disguiser = random.Random(seed + 1)
    out: list[tuple[str, str]] = []
    for language in LANGUAGES:
        harmful = [(kind, text) for kind, text in read_tsv(HERE / f"harmful_{language}.tsv")]
        innocent = [text for _, text in read_tsv(HERE / f"innocent_{language}.tsv")]
        for text in innocent:
            out.append((text, INNOCENT))
            out.append((_noisy(text, rng), INNOCENT))
            out.append((f"{text} {rng.choice(innocent)}", INNOCENT))
            # Round 3: an innocent sentence with a word or three disguised is still innocent, so
            # an odd spelling or a rare word ("grotesquerie") is not taken for abuse by itself
            # (its own Random: the other examples stay as they were).
            out.append((_disguised(text, disguiser), INNOCENT))
        for kind, text in harmful:
            out.append((text, kind))
            out.append((f"{rng.choice(_OPENINGS[language])} {text[0].lower()}{text[1:]}", kind))
            out.append((f"{text} {rng.choice(_CLOSINGS[language])}", kind))
            out.append((f"{rng.choice(innocent)} {text}", kind))
            out.append((_noisy(text, rng), kind))
            same = [t for k, t in harmful if k == kind and t != text]
            out.append((f"{text} {rng.choice(same)}", kind))
            if kind in {"profanity", "harassment", "self-harm", "hate", "sexual"}:
                out.extend((_evade(text, rng), kind) for _ in range(3 if kind == "profanity" else 2))
            if kind in {"threat", "hate", "self-harm", "harassment", "sexual", "profanity"}:
                out.extend(
                    (template.format(text.rstrip(".!")), INNOCENT)
                    for template in rng.sample(_QUOTES[language], 2)
                )
        out.extend(_innocent_parts(language, rng))
        for _ in range(60):
            dox, helpful = _personal(language, rng)
            out.append((dox, "doxxing"))
            out.append((helpful, INNOCENT))
    out.extend((text, INNOCENT) for _, text in read_tsv(HERE / "innocent_interface.tsv"))
    return out


def _innocent_parts(language: str, rng: random.Random) -> list[tuple[str, str]]:
    """Every subject with every predicate, and each idiom as written and varied."""
    parts: dict[str, list[str]] = {}
    for lang, slot, text in read_tsv(HERE / "innocent_parts.tsv"):
        if lang == language:
            parts.setdefault(slot, []).append(text)
    out = [(f"{s} {p}", INNOCENT) for s in parts["subject"] for p in parts["predicate"]]
    for idiom in parts["idiom"]:
        out += [
            (idiom, INNOCENT),
            (_noisy(idiom, rng), INNOCENT),
            (f"{idiom} {rng.choice(out)[0]}", INNOCENT),
        ]
    # Short replies: most comments under a story are a few words, and abuse is often short too.
    for reply in parts["short"]:
        out += [(reply, INNOCENT), (_noisy(reply, rng), INNOCENT), (reply.lower().rstrip(".!?"), INNOCENT)]
    return out
