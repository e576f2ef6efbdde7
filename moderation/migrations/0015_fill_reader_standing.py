"""Fill the readers' standing (accounts.Standing) from the bans and suspensions in force, as
moderation/standing.py keeps it from now on. Backwards: the rows go (comments read them only)."""

from collections import defaultdict

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def _last_end(sanctions):
    ends = [s.until for s in sanctions]
    return None if not ends or None in ends else max(ends)


def _lasting_reason(sanctions):
    """The reason of the one that ends last (newest first among equals), as moderation/standing.py."""
    ends_last = _last_end(sanctions)
    return next((s.reason for s in sanctions if s.until == ends_last), "")


def fill_standing(apps, schema_editor):
    Sanction = apps.get_model("moderation", "Sanction")
    Standing = apps.get_model("accounts", "Standing")
    in_force = defaultdict(lambda: {"ban": [], "suspend": []})
    for sanction in (
        Sanction.objects.filter(lifted_at=None, kind__in=["ban", "suspend"])
        .filter(Q(until=None) | Q(until__gt=timezone.now()))
        .order_by("-created_at", "-pk")
    ):
        in_force[sanction.user_id][sanction.kind].append(sanction)
    Standing.objects.bulk_create(
        Standing(
            user_id=user_id,
            banned=bool(kinds["ban"]),
            banned_until=_last_end(kinds["ban"]),
            ban_reason=_lasting_reason(kinds["ban"]),
            suspended_until=_last_end(kinds["suspend"]),
            suspension_reason=_lasting_reason(kinds["suspend"]),
        )
        for user_id, kinds in in_force.items()
    )


def empty_standing(apps, schema_editor):
    apps.get_model("accounts", "Standing").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_add_standing"),
        ("moderation", "0014_owed_decision_mail"),
    ]

    operations = [migrations.RunPython(fill_standing, empty_standing)]
