"""The reader's standing that comments read before a post or a flag (accounts.Standing), kept
from the bans and suspensions in force.

Rewritten whenever a sanction is saved or deleted, in the same transaction (the receivers are
connected by ModerationConfig.ready, so the admin and every service count). The end times are
kept, not judged: comments compare them with the clock, so nothing needs writing when a
suspension runs out. Pre-moderation does not stop anyone posting: the checks read it.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Standing

from .models import Sanction


def keep(user_id: int) -> None:
    """Write the reader's standing from their sanctions in force now; no row when none are."""
    with transaction.atomic():
        # Two moderators sanctioning one reader at once: the second waits and reads the first's row.
        # NO KEY UPDATE: each insert holds KEY SHARE on the user's row, which this does not wait for.
        users = get_user_model().objects.select_for_update(no_key=True).filter(pk=user_id)
        list(users.values_list("pk"))
        now = timezone.now()
        in_force = [
            sanction
            for sanction in Sanction.objects.filter(
                user_id=user_id, lifted_at=None, kind__in=[Sanction.Kind.BAN, Sanction.Kind.SUSPEND]
            ).order_by("-created_at", "-pk")
            if sanction.is_active(now)
        ]
        if not in_force:
            Standing.objects.filter(pk=user_id).delete()
            return
        Standing.objects.update_or_create(user_id=user_id, defaults=_fields(in_force))


def _fields(in_force: list[Sanction]) -> dict:
    """The standing's fields from the sanctions in force, newest first: a ban or suspension lasts
    until the last of its kind ends, and the reader is told the reason of the one that ends last
    (the newest of those), which is still in force for as long as the standing says."""
    bans = [s for s in in_force if s.kind == Sanction.Kind.BAN]
    suspensions = [s for s in in_force if s.kind == Sanction.Kind.SUSPEND]
    return {
        "banned": bool(bans),
        "banned_until": _last_end(bans),
        "ban_reason": _lasting_reason(bans),
        "suspended_until": _last_end(suspensions),
        "suspension_reason": _lasting_reason(suspensions),
    }


def _lasting_reason(sanctions: list[Sanction]) -> str:
    """The reason of the sanction that ends last (one for good first; newest first among equals)."""
    if not sanctions:
        return ""
    ends_last = _last_end(sanctions)
    return next(s.reason for s in sanctions if s.until == ends_last)


def _last_end(sanctions: list[Sanction]):
    """When the last of these ends: None for none, or when one is for good."""
    ends = [s.until for s in sanctions]
    return None if not ends or None in ends else max(ends)


def sanction_changed(sender, instance: Sanction, **kwargs) -> None:
    keep(instance.user_id)
