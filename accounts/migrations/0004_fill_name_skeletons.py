import icu
from django.conf import settings
from django.db import migrations


def fill_name_skeletons(apps, schema_editor):
    """Every account's name skeletons, as accounts/names.py computes them (written out here: a
    migration must not follow later changes of the app's code)."""
    checker = icu.SpoofChecker()
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    Profile = apps.get_model("accounts", "Profile")
    for user in User.objects.filter(is_active=True).iterator():
        profile, _ = Profile.objects.get_or_create(user=user)
        profile.username_skeleton = checker.getSkeleton(0, user.username.casefold())
        if profile.display_name:
            profile.display_name_skeleton = checker.getSkeleton(0, profile.display_name.casefold())
        profile.save(update_fields=["username_skeleton", "display_name_skeleton"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_add_name_skeletons"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(fill_name_skeletons, migrations.RunPython.noop)]
