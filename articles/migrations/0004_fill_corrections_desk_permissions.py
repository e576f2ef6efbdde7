from django.db import migrations

# What the desk may do in admin: work reports (no adding or deleting: readers file them and they
# are kept), read the status history, and write notices.
PERMISSIONS = [
    "view_correctionreport",
    "change_correctionreport",
    "view_correctionstatuschange",
    "view_correctionnotice",
    "add_correctionnotice",
    "change_correctionnotice",
    "view_article",
]


def fill_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure they exist now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    desk, _ = Group.objects.get_or_create(name="Corrections desk")
    desk.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=PERMISSIONS))


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for desk in Group.objects.filter(name="Corrections desk"):
        desk.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_add_correction_reports"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill_permissions, remove_permissions)]
