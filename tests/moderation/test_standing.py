"""The reader's standing that comments read before a post or a flag (accounts.Standing): moderation
keeps it from the bans and suspensions in force, however a sanction is written."""

import importlib
import threading
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from accounts.models import Standing
from comments.services import posting_refusal
from moderation import services
from moderation.models import Sanction
from tests.factories import UserFactory, moderator

pytestmark = pytest.mark.django_db
FILL = importlib.import_module("moderation.migrations.0015_fill_reader_standing")


def _standing(user) -> dict | None:
    return (
        Standing.objects.filter(pk=user.pk)
        .values("banned", "banned_until", "ban_reason", "suspended_until", "suspension_reason")
        .first()
    )


def test_a_ban_writes_the_standing_and_lifting_it_clears_it(alice, carol):
    sanction = services.apply_sanction(user=carol, moderator=alice, kind="ban", reason="spam account")

    assert _standing(carol) == {
        "banned": True, "banned_until": None, "ban_reason": "spam account",
        "suspended_until": None, "suspension_reason": "",
    }  # fmt: skip

    services.lift_sanction(sanction=sanction, moderator=alice)

    assert _standing(carol) is None
    assert posting_refusal(carol) is None


def test_pre_moderation_leaves_the_reader_free_to_post(alice, carol):
    services.apply_sanction(user=carol, moderator=alice, kind="premod", reason="watch closely")

    assert _standing(carol) is None


def test_overlapping_sanctions_last_until_the_last_ends_and_tell_its_reason(alice, carol):
    now = timezone.now()
    services.apply_sanction(
        user=carol, moderator=alice, kind="suspend", reason="first", until=now + timedelta(days=3)
    )
    services.apply_sanction(
        user=carol, moderator=alice, kind="suspend", reason="second", until=now + timedelta(days=1)
    )
    services.apply_sanction(
        user=carol, moderator=alice, kind="ban", reason="a week", until=now + timedelta(days=7)
    )

    standing = _standing(carol)
    assert standing["banned"] and standing["banned_until"] == now + timedelta(days=7)
    assert standing["suspended_until"] == now + timedelta(days=3)
    assert standing["suspension_reason"] == "first"  # "second" ends after one day, "first" after three


def test_sanctions_written_outside_the_services_count_too(alice, carol):
    """The admin, a data fix or a test writes the row itself: the standing follows."""
    sanction = Sanction.objects.create(user=carol, kind="ban", reason="abuse", created_by=alice)
    assert posting_refusal(carol) == "Your account may no longer post comments. Reason: abuse."

    sanction.lifted_at = timezone.now()
    sanction.save()
    assert _standing(carol) is None

    again = Sanction.objects.create(user=carol, kind="ban", reason="abuse again", created_by=alice)
    again.delete()
    assert _standing(carol) is None


def test_the_migration_fills_the_standing_from_the_sanctions_in_force_and_empties_it_back(alice, carol):
    now = timezone.now()
    until = now + timedelta(hours=2)
    Sanction.objects.create(user=carol, kind="suspend", reason="heated", until=until)
    Sanction.objects.create(user=carol, kind="premod", reason="watch")
    Sanction.objects.create(user=alice, kind="ban", reason="old", lifted_at=now)
    Sanction.objects.create(user=alice, kind="suspend", reason="over", until=now + timedelta(hours=1))
    Sanction.objects.filter(user=alice, kind="suspend").update(until=now - timedelta(seconds=1))
    Standing.objects.all().delete()

    FILL.fill_standing(apps, None)

    assert _standing(carol) == {
        "banned": False, "banned_until": None, "ban_reason": "",
        "suspended_until": until, "suspension_reason": "heated",
    }  # fmt: skip
    assert _standing(alice) is None

    FILL.empty_standing(apps, None)
    assert not Standing.objects.exists()


def test_two_moderators_sanctioning_one_reader_at_once_both_count(transactional_db, postgres):
    reader, until = UserFactory(), timezone.now() + timedelta(days=1)
    moderators = [moderator(username="first"), moderator(username="second")]
    sanctions = [{"kind": "ban", "reason": "spam"}, {"kind": "suspend", "reason": "heated", "until": until}]
    barrier, errors = threading.Barrier(2), []

    def work(by, sanction) -> None:
        try:
            barrier.wait(timeout=30)
            services.apply_sanction(user=reader, moderator=by, **sanction)
        except BaseException as error:  # reported by the test thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=pair) for pair in zip(moderators, sanctions, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    standing = _standing(reader)
    assert standing["banned"] and standing["suspended_until"] == until
