from django.db import migrations

GROUP = "Trusted flaggers"  # dsa.notices.TRUSTED_FLAGGERS


def fill_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dsa", "0002_fill_guidelines"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(fill_group, remove_group)]
