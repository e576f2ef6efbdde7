"""Reads: the guidelines, a reader's statements and notices, their part of "download my data"."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from . import seed
from .models import Appeal, Clause, GuidelinesVersion, Notice, Statement


def guidelines(number: int | None = None) -> GuidelinesVersion | None:
    """A version of the guidelines with its clauses: the one in force, or the one numbered."""
    versions = GuidelinesVersion.objects.prefetch_related("clauses")
    if number is not None:
        return versions.filter(number=number).first()
    if not GuidelinesVersion.objects.exists():  # emptied (a test's flush): the first version again
        seed.install(GuidelinesVersion, Clause)
    return versions.filter(published_at__lte=timezone.now()).order_by("-number").first()


def guidelines_versions() -> QuerySet:
    return GuidelinesVersion.objects.filter(published_at__lte=timezone.now()).order_by("-number")


def _with_everything(statements: QuerySet, user) -> QuerySet:
    own = Prefetch("appeals", queryset=Appeal.objects.filter(appellant=user), to_attr="own_appeals")
    return statements.select_related("clause__version", "comment__article", "sanction").prefetch_related(own)


def statements_of(user, *, before: int | None = None, limit: int = 20) -> tuple[list[Statement], int | None]:
    """The restrictions of the reader's comments and account, newest first, and the next cursor.

    Three queries: the page (with clause, comment, article, sanction), and the reader's appeals.
    """
    statements = Statement.objects.filter(user=user, withdrawn_at=None).exclude(
        decision=Statement.Decision.NO_ACTION
    )
    if before is not None:
        statements = statements.filter(pk__lt=before)
    page = list(_with_everything(statements.order_by("-pk"), user)[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return page, (page[-1].pk if more and page else None)


def notices_of(user, *, limit: int = 20) -> list[Notice]:
    """The notices the reader sent while signed in, newest first, with the decision on each."""
    notices = Notice.objects.filter(notifier=user).select_related(
        "comment__article", "statement__comment", "statement__sanction"
    )
    found = list(notices.order_by("-pk")[:limit])
    appealed = set(
        Appeal.objects.filter(
            appellant=user, statement__in=[n.statement_id for n in found if n.statement_id]
        ).values_list("statement_id", flat=True)
    )
    for notice in found:
        notice.appealed = notice.statement_id in appealed
    return found


def export_data(user) -> dict:
    return {
        "statements_of_reasons": [
            {
                "id": s.pk,
                "decision": s.decision,
                "ground": s.ground,
                "explanation": s.explanation,
                "facts": s.facts,
                "date": s.created_at,
                "end_date": s.end_date,
            }
            for s in Statement.objects.filter(user=user, withdrawn_at=None).exclude(
                decision=Statement.Decision.NO_ACTION
            )
        ],
        "notices": list(
            Notice.objects.filter(notifier=user).values(
                "id", "comment_id", "category", "explanation", "created_at", "outcome"
            )
        ),
        "appeals": list(
            Appeal.objects.filter(appellant=user).values(
                "id", "statement_id", "text", "created_at", "outcome", "answer"
            )
        ),
    }
