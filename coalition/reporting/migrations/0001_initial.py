
import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVES = [
    ('pledges', 'reporting', 'progressreport'),
    ('pledges', 'reporting', 'historicalprogressreport'),
    ('pledges', 'reporting', 'progressreporttarget'),
    ('pledges', 'reporting', 'historicalprogressreporttarget'),
    ('pledges', 'reporting', 'evidence'),
    ('pledges', 'reporting', 'historicalevidence'),
    ('pledges', 'reporting', 'progressreporttransition'),
]


def _move_content_types(apps, schema_editor, *, moves):
    """Content types (and so permissions and admin log entries) follow their models to the new app."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for old_label, new_label, model in moves:
        if not content_type.objects.filter(app_label=new_label, model=model).exists():
            content_type.objects.filter(app_label=old_label, model=model).update(app_label=new_label)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, moves=MOVES)


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, moves=[(new, old, model) for old, new, model in MOVES])


class Migration(migrations.Migration):
    """Progress reports, their target actuals, evidence and decisions move here from `pledges`.

    Only Django's record of the models changes: the tables keep their names (`db_table`), so no
    row moves. Content types are relabelled so permissions and admin history stay attached.
    """


    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reference', '0002_import_run_deleted_skipped_warnings'),
        ('pledges', '0006_pledge_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='HistoricalProgressReport',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('period_end', models.DateField(help_text='Last day of the period the report covers.', verbose_name='period end')),
                ('year', models.PositiveSmallIntegerField(db_index=True, editable=False, help_text='The year of the period end.', verbose_name='reporting year')),
                ('implementation_status', models.CharField(blank=True, choices=[('not_started', 'Not started'), ('on_track', 'On track'), ('delayed', 'Delayed'), ('completed', 'Completed'), ('discontinued', 'Discontinued')], max_length=20, verbose_name='implementation status')),
                ('share_delivered', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='share delivered (%)')),
                ('disbursed_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=20, null=True, verbose_name='money disbursed')),
                ('disbursed_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year of the amount')),
                ('disbursed_usd', models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='Derived from amount, currency and year; never typed in.', max_digits=20, null=True, verbose_name='money disbursed (USD)')),
                ('narrative', models.TextField(blank=True, verbose_name='what was done')),
                ('challenges', models.TextField(blank=True, verbose_name='challenges')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('accepted', 'Accepted'), ('returned', 'Returned for changes')], db_index=True, default='draft', editable=False, max_length=20, verbose_name='status')),
                ('verification_level', models.CharField(blank=True, choices=[('self_reported', 'Self-reported'), ('documented', 'Documented'), ('verified', 'Verified')], editable=False, max_length=20, verbose_name='verification level')),
                ('submitted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='submitted at')),
                ('decided_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='decided at')),
                ('reviewer_comment', models.TextField(blank=True, editable=False, verbose_name="reviewer's comment")),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('disbursed_currency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.currency', verbose_name='currency')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('pledge', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pledges.pledge')),
                ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical progress report',
                'verbose_name_plural': 'historical progress reports',
                'db_table': 'pledges_historicalprogressreport',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ProgressReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_end', models.DateField(help_text='Last day of the period the report covers.', verbose_name='period end')),
                ('year', models.PositiveSmallIntegerField(db_index=True, editable=False, help_text='The year of the period end.', verbose_name='reporting year')),
                ('implementation_status', models.CharField(blank=True, choices=[('not_started', 'Not started'), ('on_track', 'On track'), ('delayed', 'Delayed'), ('completed', 'Completed'), ('discontinued', 'Discontinued')], max_length=20, verbose_name='implementation status')),
                ('share_delivered', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='share delivered (%)')),
                ('disbursed_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=20, null=True, verbose_name='money disbursed')),
                ('disbursed_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year of the amount')),
                ('disbursed_usd', models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='Derived from amount, currency and year; never typed in.', max_digits=20, null=True, verbose_name='money disbursed (USD)')),
                ('narrative', models.TextField(blank=True, verbose_name='what was done')),
                ('challenges', models.TextField(blank=True, verbose_name='challenges')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('accepted', 'Accepted'), ('returned', 'Returned for changes')], db_index=True, default='draft', editable=False, max_length=20, verbose_name='status')),
                ('verification_level', models.CharField(blank=True, choices=[('self_reported', 'Self-reported'), ('documented', 'Documented'), ('verified', 'Verified')], editable=False, max_length=20, verbose_name='verification level')),
                ('submitted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='submitted at')),
                ('decided_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='decided at')),
                ('reviewer_comment', models.TextField(blank=True, editable=False, verbose_name="reviewer's comment")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decided_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('disbursed_currency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.currency', verbose_name='currency')),
                ('pledge', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress_reports', to='pledges.pledge')),
                ('submitted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'progress report',
                'verbose_name_plural': 'progress reports',
                'db_table': 'pledges_progressreport',
                'ordering': ['pledge', '-period_end', '-id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalProgressReportTarget',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('actual_value', models.DecimalField(decimal_places=4, max_digits=20, verbose_name='actual value')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('target', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pledges.pledgetarget')),
                ('report', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reporting.progressreport')),
            ],
            options={
                'verbose_name': 'historical target actual',
                'verbose_name_plural': 'historical target actuals',
                'db_table': 'pledges_historicalprogressreporttarget',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEvidence',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('link', 'Link'), ('file', 'File')], max_length=10, verbose_name='kind')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('url', models.URLField(blank=True, max_length=1000, verbose_name='link')),
                ('file', models.TextField(blank=True, max_length=300, verbose_name='file')),
                ('size', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='size (bytes)')),
                ('added_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('added_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reporting.progressreport')),
            ],
            options={
                'verbose_name': 'historical evidence',
                'verbose_name_plural': 'historical evidence',
                'db_table': 'pledges_historicalevidence',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('link', 'Link'), ('file', 'File')], max_length=10, verbose_name='kind')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('url', models.URLField(blank=True, max_length=1000, verbose_name='link')),
                ('file', models.FileField(blank=True, max_length=300, upload_to='evidence/%Y/%m/', verbose_name='file')),
                ('size', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='size (bytes)')),
                ('added_at', models.DateTimeField(auto_now_add=True)),
                ('added_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='reporting.progressreport')),
            ],
            options={
                'verbose_name': 'evidence',
                'verbose_name_plural': 'evidence',
                'db_table': 'pledges_evidence',
                'ordering': ['report', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ProgressReportTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('actual_value', models.DecimalField(decimal_places=4, max_digits=20, verbose_name='actual value')),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='target_actuals', to='reporting.progressreport')),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actuals', to='pledges.pledgetarget')),
            ],
            options={
                'verbose_name': 'target actual',
                'db_table': 'pledges_progressreporttarget',
                'ordering': ['report', 'target__order', 'target_id'],
            },
        ),
        migrations.CreateModel(
            name='ProgressReportTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('submit', 'Submit the report'), ('accept', 'Accept the report'), ('return', 'Return for changes')], max_length=20)),
                ('from_status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('accepted', 'Accepted'), ('returned', 'Returned for changes')], max_length=20)),
                ('to_status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('accepted', 'Accepted'), ('returned', 'Returned for changes')], max_length=20)),
                ('verification_level', models.CharField(blank=True, choices=[('self_reported', 'Self-reported'), ('documented', 'Documented'), ('verified', 'Verified')], max_length=20)),
                ('at', models.DateTimeField()),
                ('comment', models.TextField(blank=True)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='reporting.progressreport')),
            ],
            options={
                'db_table': 'pledges_progressreporttransition',
                'ordering': ['report', 'at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='progressreport',
            index=models.Index(fields=['pledge', 'status', 'submitted_at'], name='pledges_pro_pledge__6b78c3_idx'),
        ),
        migrations.AddConstraint(
            model_name='progressreport',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'accepted')), fields=('pledge', 'year'), name='one_accepted_report_per_pledge_year'),
        ),
        migrations.AddConstraint(
            model_name='progressreport',
            constraint=models.CheckConstraint(condition=models.Q(('share_delivered__isnull', True), models.Q(('share_delivered__gte', 0), ('share_delivered__lte', 100)), _connector='OR'), name='report_share_delivered_0_100'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'link'), models.Q(('url', ''), _negated=True)), models.Q(('kind', 'file'), models.Q(('file', ''), _negated=True)), _connector='OR'), name='evidence_has_its_link_or_file'),
        ),
        migrations.AddConstraint(
            model_name='progressreporttarget',
            constraint=models.UniqueConstraint(fields=('report', 'target'), name='one_actual_per_report_target'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(forwards, backwards),
    ]
