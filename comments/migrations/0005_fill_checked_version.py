from django.db import migrations
from django.db.models import F


def fill_checked_version(apps, schema_editor):
    # Comments decided before versions were tracked were judged on their current text; only
    # pending ones still wait for their checks.
    Comment = apps.get_model("comments", "Comment")
    Comment.objects.exclude(status="pending").update(checked_version=F("version"))


def unfill_checked_version(apps, schema_editor):
    apps.get_model("comments", "Comment").objects.update(checked_version=0)


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_add_waiting_edits_and_flag_weight_reasons")]

    operations = [migrations.RunPython(fill_checked_version, unfill_checked_version)]
