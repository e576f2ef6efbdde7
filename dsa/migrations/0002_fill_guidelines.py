from django.db import migrations

from dsa import seed


def fill_guidelines(apps, schema_editor):
    seed.install(apps.get_model("dsa", "GuidelinesVersion"), apps.get_model("dsa", "Clause"))


def remove_guidelines(apps, schema_editor):
    version = apps.get_model("dsa", "GuidelinesVersion").objects.filter(number=1).first()
    if version is not None:
        version.clauses.all().delete()
        version.delete()


class Migration(migrations.Migration):
    dependencies = [("dsa", "0001_initial")]

    operations = [migrations.RunPython(fill_guidelines, remove_guidelines)]
