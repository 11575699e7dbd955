
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Entities and focal points now live in `entities`, progress reports in `reporting`: `pledges`
    forgets them and points its foreign keys at the new apps. State only; no table changes.
    """


    dependencies = [
        ('pledges', '0006_pledge_search'),
        ('entities', '0001_initial'),
        ('reporting', '0001_initial'),
        ('accounts', '0004_access_requests_move_to_entities'),
    ]

    state_operations = [
        migrations.RemoveIndex(
            model_name='entity',
            name='pledges_ent_home_co_9a08b9_idx',
        ),
        migrations.RemoveField(
            model_name='historicalfocalpoint',
            name='entity',
        ),
        migrations.AlterField(
            model_name='pledgepartner',
            name='entity',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='partnerships', to='entities.entity'),
        ),
        migrations.RemoveField(
            model_name='pledge',
            name='partners',
        ),
        migrations.AlterField(
            model_name='pledge',
            name='lead_entity',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='led_pledges', to='entities.entity'),
        ),
        migrations.AlterField(
            model_name='historicalpledgepartner',
            name='entity',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='entities.entity'),
        ),
        migrations.AlterField(
            model_name='historicalpledge',
            name='lead_entity',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='entities.entity'),
        ),
        migrations.RemoveField(
            model_name='focalpoint',
            name='entity',
        ),
        migrations.RemoveConstraint(
            model_name='evidence',
            name='evidence_has_its_link_or_file',
        ),
        migrations.RemoveField(
            model_name='focalpoint',
            name='user',
        ),
        migrations.RemoveField(
            model_name='historicalentity',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalentity',
            name='home_country',
        ),
        migrations.RemoveField(
            model_name='historicalevidence',
            name='added_by',
        ),
        migrations.RemoveField(
            model_name='historicalevidence',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalevidence',
            name='report',
        ),
        migrations.RemoveField(
            model_name='historicalfocalpoint',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalfocalpoint',
            name='user',
        ),
        migrations.RemoveField(
            model_name='historicalprogressreport',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='historicalprogressreport',
            name='decided_by',
        ),
        migrations.RemoveField(
            model_name='historicalprogressreport',
            name='disbursed_currency',
        ),
        migrations.RemoveField(
            model_name='historicalprogressreport',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalprogressreport',
            name='pledge',
        ),
        migrations.RemoveField(
            model_name='historicalprogressreport',
            name='submitted_by',
        ),
        migrations.RemoveField(
            model_name='historicalprogressreporttarget',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalprogressreporttarget',
            name='report',
        ),
        migrations.RemoveField(
            model_name='historicalprogressreporttarget',
            name='target',
        ),
        migrations.RemoveIndex(
            model_name='progressreport',
            name='pledges_pro_pledge__6b78c3_idx',
        ),
        migrations.RemoveConstraint(
            model_name='progressreport',
            name='one_accepted_report_per_pledge_year',
        ),
        migrations.RemoveConstraint(
            model_name='progressreport',
            name='report_share_delivered_0_100',
        ),
        migrations.RemoveField(
            model_name='progressreporttransition',
            name='report',
        ),
        migrations.RemoveConstraint(
            model_name='progressreporttarget',
            name='one_actual_per_report_target',
        ),
        migrations.RemoveField(
            model_name='progressreporttransition',
            name='actor',
        ),
        migrations.RemoveField(
            model_name='entity',
            name='home_country',
        ),
        migrations.AddField(
            model_name='pledge',
            name='partners',
            field=models.ManyToManyField(blank=True, related_name='partner_pledges', through='pledges.PledgePartner', to='entities.entity'),
        ),
        migrations.RemoveField(
            model_name='evidence',
            name='added_by',
        ),
        migrations.RemoveField(
            model_name='evidence',
            name='report',
        ),
        migrations.DeleteModel(
            name='FocalPoint',
        ),
        migrations.DeleteModel(
            name='HistoricalEntity',
        ),
        migrations.DeleteModel(
            name='HistoricalEvidence',
        ),
        migrations.DeleteModel(
            name='HistoricalFocalPoint',
        ),
        migrations.DeleteModel(
            name='HistoricalProgressReport',
        ),
        migrations.DeleteModel(
            name='HistoricalProgressReportTarget',
        ),
        migrations.RemoveField(
            model_name='progressreport',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='progressreport',
            name='decided_by',
        ),
        migrations.RemoveField(
            model_name='progressreport',
            name='disbursed_currency',
        ),
        migrations.RemoveField(
            model_name='progressreport',
            name='pledge',
        ),
        migrations.RemoveField(
            model_name='progressreport',
            name='submitted_by',
        ),
        migrations.RemoveField(
            model_name='progressreporttarget',
            name='report',
        ),
        migrations.RemoveField(
            model_name='progressreporttarget',
            name='target',
        ),
        migrations.DeleteModel(
            name='ProgressReportTransition',
        ),
        migrations.DeleteModel(
            name='Entity',
        ),
        migrations.DeleteModel(
            name='Evidence',
        ),
        migrations.DeleteModel(
            name='ProgressReport',
        ),
        migrations.DeleteModel(
            name='ProgressReportTarget',
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
