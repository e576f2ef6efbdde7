"""Who may post and flag comments now, from the reader's standing.

Moderation writes the standing (accounts.Standing) whenever it bans, suspends or lifts a sanction;
this reads it (one query by primary key, none when the signed-in reader's kept user copy holds
it) and judges its end times against the clock. A reader without a row is in good standing. What moderation does with a committed flag it hears from the
`flag_added` signal (comments/signals.py): comments import nothing above them.
"""

from django.utils import timezone

from accounts.models import Standing


def posting_refusal(author, *, action: str = "post") -> str | None:
    """Why this author may not post (or flag) now, said to them; None if they may.

    `action` is what they try: "post" (and edit) or "flag"."""
    if not getattr(author, "is_authenticated", False):
        return None
    relation = author._meta.get_field("standing")
    if relation.is_cached(author):  # a signed-in reader's kept user copy holds it (reader_store.py)
        standing = relation.get_cached_value(author)
    else:
        standing = Standing.objects.filter(pk=author.pk).first()
    return _refusal(standing, action) if standing else None


def _refusal(standing: Standing, action: str) -> str | None:
    """What a banned or suspended reader is told when they try to post or flag; None if they may."""
    now = timezone.now()
    doing = "flag comments" if action == "flag" else "post comments"
    if standing.banned and (standing.banned_until is None or standing.banned_until > now):
        return f"Your account may no longer {doing}.{_reason(standing.ban_reason)}"
    until = standing.suspended_until
    if until and until > now:
        local, why = timezone.localtime(until), _reason(standing.suspension_reason)
        if action == "flag":
            return (
                f"Your account is suspended and may not flag comments until {local:%d %B %Y, %H:%M %Z}.{why}"
            )
        return f"Your account is suspended from commenting until {local:%d %B %Y, %H:%M %Z}.{why}"
    return None


def _reason(reason: str) -> str:
    """The moderators' reason, as the reader is told it (" Reason: ...")."""
    return f" Reason: {reason.rstrip('.')}." if reason else ""
