"""The reader's decisions on their own page (comments' me.html loads this, as articles' page loads
the comments' and corrections' tags): statements of reasons, notices sent, appeal forms."""

from django import template

from .. import appeals, selectors
from ..forms import AppealForm
from ..models import Notice

register = template.Library()


@register.inclusion_tag("dsa/_decisions.html", takes_context=True)
def reader_decisions(context) -> dict:
    user = context["request"].user
    statements, _ = selectors.statements_of(user, limit=50)
    for statement in statements:
        statement.appeal = statement.own_appeals[0] if statement.own_appeals else None
        statement.appealable = appeals.open_to_appeal(statement, appealed=statement.appeal is not None)
    notices = selectors.notices_of(user)
    for notice in notices:
        notice.appealable = (
            notice.outcome == Notice.Outcome.KEPT
            and notice.statement_id is not None
            and appeals.open_to_appeal(notice.statement, appealed=notice.appealed)
        )
    return {
        "statements": statements,
        "notices": notices,
        "appeal_form": AppealForm(),
        "csrf_token": context.get("csrf_token"),
    }
