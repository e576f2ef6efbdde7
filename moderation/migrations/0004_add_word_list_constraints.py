from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0003_add_moderation_settings'),
    ]

    operations = [
        migrations.AlterField(
            model_name='wordlistentry',
            name='phrase',
            field=models.CharField(help_text='A word or phrase in plain lowercase letters, matched as whole words after the text is normalized (so leetspeak, look-alike letters and spacing tricks are caught).', max_length=100, unique=True),
        ),
        migrations.AddConstraint(
            model_name='wordlistentry',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['banned', 'suspect'])), name='wordlistentry_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='wordlistentry',
            constraint=models.CheckConstraint(condition=models.Q(('phrase', ''), _negated=True), name='wordlistentry_has_phrase'),
        ),
    ]
