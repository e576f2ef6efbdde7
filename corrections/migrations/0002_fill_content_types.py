from django.db import migrations

# The correction models' content types move with them, so their permissions (the Corrections desk
# group's), admin history and anything else pointing at them still resolve. Where the new label
# already has a content type (created by a run that stopped half-way), the old one is left alone.
MODELS = ["correctionreport", "correctionstatuschange", "correctionnotice", "correctionnoticerevision"]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new, model__in=MODELS).values_list("model", flat=True))
    ContentType.objects.filter(app_label=old, model__in=set(MODELS) - taken).update(app_label=new)


def fill_content_types(apps, schema_editor):
    _relabel(apps, "articles", "corrections")


def unfill_content_types(apps, schema_editor):
    _relabel(apps, "corrections", "articles")


class Migration(migrations.Migration):
    dependencies = [
        ("corrections", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill_content_types, unfill_content_types)]
