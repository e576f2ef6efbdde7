"""Personal data about a person in a comment: a phone number or street address next to someone.

Phone numbers are found by `phonenumbers` (Google's libphonenumber) in the numbering plans our
readers use; street addresses by their shape in English, Ukrainian and Russian (a house number
with a street word); the person by a name or a word that points at one (he, her number, the
author, його, её). Either alone is ordinary: a helpline, a museum's address, a named official.
"""

import re
from dataclasses import dataclass

import phonenumbers

_REGIONS = ("UA", "RU", "GB", "US")
_DIGITS = re.compile(r"\d")
_STREET_EN = (
    r"street|st|road|rd|avenue|ave|lane|ln|grove|court|close|drive|dr|way|place|crescent|terrace"
    r"|boulevard|blvd|square|row|gardens|walk|hill|park"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+(?:[A-Z][\w'’-]+\s+){{1,3}}(?i:{_STREET_EN})\b\.?"
    r"|(?i:\b(?:вул|вулиц[яіею]|просп|проспект[іеу]?|пр-т|ул|улиц[аеуы]|бульвар[іеу]?|бул|пров|провулок"
    r"|переул[оке]к?|площ[аі]|площад[ьи]|шосе|шоссе)\.?\s+[\w'’. -]{2,30}?,?\s+(?:буд\.?\s*|д\.?\s*|дом\s+)?\d{1,4})"
    r"|(?i:\b(?:apt|apartment|flat|кв|квартира)\.?\s*\d{1,4}\b)",
)
_PERSON = re.compile(
    r"(?i:\b(?:he|she|him|his|her|hers|they|their|author|editor|reporter|journalist|moderator|councillor"
    r"|wife|husband|daughter|son|kids|mum|mom|dad|він|вона|його|її|йому|їй|автор\w*|редактор\w*|журналіст\w*"
    r"|модератор\w*|депутат\w*|дружин\w*|чолові\w*|син\w*|доч\w*|донь\w*|он|она|его|её|ее|ему|ей|журналист\w*"
    r"|жен\w*|муж\w*|живе|живёт|живет|lives|works|працює|работает)\b)"
    r"|\b[A-ZА-ЯІЇЄҐ][a-zа-яіїєґё'’]+\s+[A-ZА-ЯІЇЄҐ][a-zа-яіїєґё'’]+\b"
)


@dataclass(frozen=True)
class Found:
    what: list[str]  # "phone number +380 67 ...", "address вул. ..."
    person: str  # the words that point at a person, "" if none

    @property
    def is_doxxing(self) -> bool:
        return bool(self.what and self.person)


def phone_numbers(text: str) -> list[str]:
    if len(_DIGITS.findall(text)) < 7:
        return []
    found: dict[str, str] = {}
    for region in _REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            # POSSIBLE also takes a year or a short code ("in 2022"): a number to call has 7+ digits.
            if len(_DIGITS.findall(match.raw_string)) >= 7:
                found.setdefault(match.raw_string.strip(), region)
    return list(found)


def addresses(text: str) -> list[str]:
    return [m.group(0).strip() for m in _ADDRESS.finditer(text)]


def find(text: str) -> Found:
    """Phone numbers and street addresses in the text, and what points at a person."""
    phones, places = phone_numbers(text), addresses(text)
    what = [f"phone number {n}" for n in phones] + [f"address “{a}”" for a in places]
    rest = text
    for span in (*phones, *places):  # "12 Alder Road" is a place, not a person called Alder Road
        rest = rest.replace(span, " ")
    person = _PERSON.search(rest) if what else None
    return Found(what=what, person=person.group(0) if person else "")
