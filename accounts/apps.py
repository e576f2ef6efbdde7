from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from delivery import changes

        from . import names
        from .models import IgnoredCommenter, Profile, Standing

        names.connect()
        # A signed-in reader's kept state holds their user row and profile, whether they moderate
        # (their groups and permissions), whom they ignore and whether they may post.
        user_model = get_user_model()
        changes.on_save(user_model, lambda user: [changes.reader(user.pk, account=True)])
        changes.on_save(Profile, lambda profile: [changes.reader(profile.user_id, account=True)])
        changes.on_save(IgnoredCommenter, lambda ignore: [changes.reader(ignore.user_id)])
        changes.on_save(
            Standing, lambda standing: [changes.reader(standing.user_id, account=True)]
        )  # kept with the user
        changes.on_save(Group, lambda _: [changes.all_readers()])  # renamed or deleted: anyone's
        for through in (user_model.groups.through, user_model.user_permissions.through):
            changes.on_m2m(through, _memberships_changed)


def _memberships_changed(instance, reverse: bool, pk_set) -> list:
    from django.contrib.auth.models import Group

    from delivery import changes

    if not reverse:  # user.groups.add(...), user.user_permissions.remove(...)
        return [changes.reader(instance.pk)]
    if isinstance(instance, Group) and pk_set is not None:  # group.user_set.add(...)
        return [changes.reader(user_id) for user_id in pk_set]
    return [changes.all_readers()]
