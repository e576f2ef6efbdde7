"""Names that look alike: no reader may take a username or display name that reads as another's.

Compared by their skeletons (Unicode Technical Standard #39, ICU's SpoofChecker through PyICU):
"аdmin" with a Cyrillic "а", "adrnin" and "ADMIN" all read as "admin". Each account's skeletons are
kept on its profile (indexed), so a check is one query.
"""

import icu
from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Profile

_CHECKER = icu.SpoofChecker()


def skeleton(name: str) -> str:
    """What the name looks like: case folded, then UTS #39's skeleton."""
    return _CHECKER.getSkeleton(0, name.casefold()) if name else ""


def looks_taken(name: str, *, other_than=None) -> bool:
    """Whether another account's username or display name looks like `name`."""
    seen = skeleton(name)
    same = Profile.objects.filter(Q(username_skeleton=seen) | Q(display_name_skeleton=seen))
    if other_than is not None:
        same = same.exclude(user=other_than)
    return same.exists()


def keep_username_skeleton(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """Keep the username's skeleton on the profile, whoever saved the user (sign-up, admin,
    createsuperuser): connected to the user model's post_save in AccountsConfig.ready, the one
    place every way of naming an account passes."""
    if update_fields is not None and "username" not in update_fields:
        return  # a login saving last_login, a password change: the name is as it was
    if not instance.is_active and not created:
        return  # a deleted account's tombstone keeps no name to protect
    # By id: the user must not come to hold this copy as its `profile`, which a later change made
    # through another copy (update_profile) would leave stale.
    Profile.objects.update_or_create(
        user_id=instance.pk, defaults={"username_skeleton": skeleton(instance.username)}
    )


def connect() -> None:
    from django.db.models.signals import post_save

    post_save.connect(
        keep_username_skeleton, sender=get_user_model(), dispatch_uid="accounts.username_skeleton"
    )
