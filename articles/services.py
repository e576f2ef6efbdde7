"""Writes to articles: the kept wordings of their paragraphs."""

import difflib

from .models import Article, ArticleBlock, ArticleBlockRevision


def article_text(article: Article) -> str:
    """The article's current text as one string, paragraphs separated by a blank line."""
    return "\n\n".join(article.paragraphs())


def keep_block_revision(*, block: ArticleBlock, previous: str, user, note: str = "") -> ArticleBlockRevision:
    """Record a paragraph's new wording (already saved) after `previous`, numbered per block."""
    last = block.revisions.order_by("-number").first()
    if last is None:
        last = ArticleBlockRevision.objects.create(block=block, number=1, text=previous, note="as published")
    return ArticleBlockRevision.objects.create(
        block=block, number=last.number + 1, text=block.text, created_by=user, note=note
    )


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The change from `old` to `new` word by word: ("equal" | "delete" | "insert", text) pieces."""
    a, b = old.split(" "), new.split(" ")
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            pieces.append(("equal" if op == "equal" else "delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            pieces.append(("insert", " ".join(b[j1:j2])))
    return pieces
