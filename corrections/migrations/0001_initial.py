import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# The correction models as they were in `articles` (its 0010 took them out of its state), on the
# same tables: only Django's record of where they live changes, no table is created.


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0010_move_corrections_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='CorrectionNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.CharField(max_length=2000)),
                        ('published_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(blank=True, null=True)),
                        ('passage_before', models.TextField(blank=True)),
                        ('passage_after', models.TextField(blank=True)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='correction_notices', to='articles.article')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('revision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='articles.articleblockrevision')),
                    ],
                    options={
                        'db_table': 'articles_correctionnotice',
                        'ordering': ['-published_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CorrectionNoticeRevision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.CharField(max_length=2000)),
                        ('replaced_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('notice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='corrections.correctionnotice')),
                        ('replaced_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'articles_correctionnoticerevision',
                        'ordering': ['replaced_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CorrectionReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quote', models.CharField(blank=True, max_length=1000, verbose_name='passage')),
                        ('prefix', models.CharField(blank=True, help_text='Text just before the passage.', max_length=200)),
                        ('suffix', models.CharField(blank=True, help_text='Text just after the passage.', max_length=200)),
                        ('passage_start', models.PositiveIntegerField(blank=True, null=True)),
                        ('passage_end', models.PositiveIntegerField(blank=True, null=True)),
                        ('message', models.CharField(max_length=5000, verbose_name='what is wrong')),
                        ('suggestion', models.CharField(blank=True, max_length=5000, verbose_name='suggested wording')),
                        ('name', models.CharField(blank=True, max_length=100)),
                        ('email', models.EmailField(blank=True, max_length=254)),
                        ('status', models.CharField(choices=[('new', 'New'), ('in_progress', 'In progress'), ('published', 'Published'), ('rejected', 'Rejected'), ('duplicate', 'Duplicate')], db_index=True, default='new', max_length=20)),
                        ('reply', models.TextField(blank=True, help_text="The desk's answer to the reader.")),
                        ('spam_reason', models.CharField(blank=True, max_length=300)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('checked_at', models.DateTimeField(blank=True, help_text='When the text checks ran.', null=True)),
                        ('acknowledged_at', models.DateTimeField(blank=True, help_text='When the thank-you email went out.', null=True)),
                        ('resolution_sent_at', models.DateTimeField(blank=True, help_text='When the email about the outcome went out.', null=True)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='correction_reports', to='articles.article')),
                        ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='duplicates', to='corrections.correctionreport')),
                        ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='corrections.correctionreport')),
                    ],
                    options={
                        'db_table': 'articles_correctionreport',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.AddField(
                    model_name='correctionnotice',
                    name='group',
                    field=models.ForeignKey(help_text='The reports it answers.', on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='corrections.correctionreport'),
                ),
                migrations.CreateModel(
                    name='CorrectionStatusChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_status', models.CharField(choices=[('new', 'New'), ('in_progress', 'In progress'), ('published', 'Published'), ('rejected', 'Rejected'), ('duplicate', 'Duplicate')], max_length=20)),
                        ('to_status', models.CharField(choices=[('new', 'New'), ('in_progress', 'In progress'), ('published', 'Published'), ('rejected', 'Rejected'), ('duplicate', 'Duplicate')], max_length=20)),
                        ('actor', models.CharField(max_length=150)),
                        ('changed_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('note', models.TextField(blank=True)),
                        ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='status_changes', to='corrections.correctionreport')),
                    ],
                    options={
                        'db_table': 'articles_correctionstatuschange',
                        'ordering': ['changed_at', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='correctionreport',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['new', 'in_progress', 'published', 'rejected', 'duplicate'])), name='correctionreport_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='correctionreport',
                    constraint=models.CheckConstraint(condition=models.Q(('message', ''), _negated=True), name='correctionreport_has_message'),
                ),
                migrations.AddConstraint(
                    model_name='correctionreport',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('duplicate_of__isnull', False), ('status', 'duplicate')), models.Q(models.Q(('status', 'duplicate'), _negated=True), ('duplicate_of__isnull', True)), _connector='OR'), name='correctionreport_duplicate_has_original'),
                ),
                migrations.AddConstraint(
                    model_name='correctionreport',
                    constraint=models.CheckConstraint(condition=models.Q(('duplicate_of', models.F('pk')), _negated=True), name='correctionreport_not_own_duplicate'),
                ),
                migrations.AddConstraint(
                    model_name='correctionreport',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'in_progress'), _negated=True), ('assignee__isnull', False), _connector='OR'), name='correctionreport_in_progress_has_assignee'),
                ),
                migrations.AddConstraint(
                    model_name='correctionreport',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('reply', ''), _negated=True), models.Q(('spam_reason', ''), _negated=True), _connector='OR'), name='correctionreport_rejected_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='correctionnotice',
                    constraint=models.CheckConstraint(condition=models.Q(('text', ''), _negated=True), name='correctionnotice_has_text'),
                ),
            ],
        ),
    ]
