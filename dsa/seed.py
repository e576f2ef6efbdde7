"""The first version of the community guidelines, installed by migration 0002 (and again by
`install` should the table ever be empty, so a restriction always has a clause to cite).

Later versions are written in admin, never by editing this text: statements cite the version
they were made under."""

from datetime import UTC, datetime

PUBLISHED_AT = datetime(2026, 12, 1, tzinfo=UTC)
CHANGES = "First version, with statements of reasons and appeals under the EU Digital Services Act."

CLAUSES = [
    (
        "civility",
        "Be civil",
        "Argue with ideas, not with people. No abuse, insults, name-calling or profanity aimed at "
        "anyone, including the people in the story and our journalists.",
    ),
    (
        "threats",
        "No threats or calls for violence",
        "No threats against anyone, no wishes or calls for violence, and no glorifying of violence "
        "against people.",
    ),
    (
        "hate",
        "No hatred against groups",
        "No attacks on people for their ethnicity, nationality, religion, gender, sexual "
        "orientation, disability or age, and no language that dehumanises a group.",
    ),
    (
        "harassment",
        "No harassment or personal attacks",
        "Do not target a person: no pursuing someone across threads, no intimidation, no piling on.",
    ),
    (
        "privacy",
        "Respect privacy",
        "Do not share anyone's personal information: addresses, phone numbers, private messages, "
        "photographs or details that identify a private person.",
    ),
    (
        "misinformation",
        "No false or misleading claims of fact",
        "Opinions are welcome; claims of fact that are false or misleading, above all about "
        "elections, health or public safety, are not.",
    ),
    (
        "on-topic",
        "Stay on topic",
        "Comments discuss the article they are under. Off-topic comments may be removed.",
    ),
    (
        "spam",
        "No spam or advertising",
        "No advertising, promotional links, repeated texts or posting in concert with other accounts.",
    ),
    (
        "law",
        "Nothing illegal",
        "No content that is illegal under EU or national law, such as illegal hate speech, "
        "terrorist content, defamation, infringements of copyright, child sexual abuse material or "
        "scams. Anyone may report such content with “Report illegal content” beside a comment.",
    ),
    (
        "accounts",
        "One person, one account; breaches have consequences",
        "Comment under one account of your own. Repeated or serious breaches of these guidelines "
        "lead to your comments being checked first, a suspension for a time, or a ban.",
    ),
    (
        "general",
        "Keep the discussion worth reading",
        "Comments that otherwise harm the discussion, such as deliberate provocation or "
        "impersonating others, may be removed; the statement of reasons says why.",
    ),
]


def install(version_model, clause_model) -> None:
    """Write the first version unless one exists; the models are passed in (migrations use theirs)."""
    if version_model.objects.exists():
        return
    version = version_model.objects.create(number=1, published_at=PUBLISHED_AT, changes=CHANGES)
    clause_model.objects.bulk_create(
        clause_model(version=version, code=code, number=n, title=title, text=text)
        for n, (code, title, text) in enumerate(CLAUSES, start=1)
    )
