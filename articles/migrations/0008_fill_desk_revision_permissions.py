from django.db import migrations

# The desk reads the kept wordings of paragraphs and of notices (the revisions pages and history).
PERMISSIONS = ["view_articleblockrevision", "view_correctionnoticerevision"]


def fill_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

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
    dependencies = [("articles", "0007_add_block_and_notice_revisions")]

    operations = [migrations.RunPython(fill_permissions, remove_permissions)]
