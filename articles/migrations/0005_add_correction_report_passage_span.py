from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_fill_corrections_desk_permissions")]

    operations = [
        migrations.AddField(
            model_name="correctionreport",
            name="passage_start",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="correctionreport",
            name="passage_end",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
    ]
