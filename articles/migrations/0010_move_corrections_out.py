from django.db import migrations


# The four correction models moved to the `corrections` app, keeping their tables (their db_table is
# still articles_*): only Django's record of where they live changes, no table is touched.


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_add_require_verified_email"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="correctionnoticerevision",
                    name="notice",
                ),
                migrations.RemoveField(
                    model_name="correctionnoticerevision",
                    name="replaced_by",
                ),
                migrations.RemoveField(
                    model_name="correctionreport",
                    name="article",
                ),
                migrations.RemoveField(
                    model_name="correctionreport",
                    name="assignee",
                ),
                migrations.RemoveField(
                    model_name="correctionreport",
                    name="duplicate_of",
                ),
                migrations.RemoveField(
                    model_name="correctionreport",
                    name="group",
                ),
                migrations.RemoveField(
                    model_name="correctionstatuschange",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="correctionstatuschange",
                    name="changed_by",
                ),
                migrations.DeleteModel(
                    name="CorrectionNotice",
                ),
                migrations.DeleteModel(
                    name="CorrectionNoticeRevision",
                ),
                migrations.DeleteModel(
                    name="CorrectionReport",
                ),
                migrations.DeleteModel(
                    name="CorrectionStatusChange",
                ),
            ],
        ),
    ]
