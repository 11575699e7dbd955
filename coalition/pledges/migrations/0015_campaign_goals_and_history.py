"""Campaign goals (pledges and/or US dollars), host event, French description, and the
campaigns' history. Each campaign already registered gets a first version, dated now: its
history starts here (nothing says what it was before)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def first_versions(apps, schema_editor):
    Campaign = apps.get_model("pledges", "Campaign")
    History = apps.get_model("pledges", "HistoricalCampaign")
    now = timezone.now()
    fields = [f.attname for f in Campaign._meta.concrete_fields]
    History.objects.bulk_create([
        History(history_date=now, history_type="+", history_change_reason="history begins",
                **{name: getattr(campaign, name) for name in fields})
        for campaign in Campaign.objects.all()
    ])


class Migration(migrations.Migration):

    dependencies = [
        ('pledges', '0014_reporting_reopened'),
        ('reference', '0006_sdg_short_titles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalCampaign',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('valid_to', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the next version of the object replaced this one; empty for its current version.', null=True)),
                ('slug', models.SlugField()),
                ('name_en', models.CharField(max_length=200)),
                ('name_fr', models.CharField(blank=True, max_length=200)),
                ('host', models.CharField(blank=True, help_text='Where the pledges were announced, e.g. “Fifth UN Conference on the LDCs, Doha”.', max_length=250, verbose_name='host event or organiser')),
                ('start_date', models.DateField()),
                ('end_date', models.DateField(blank=True, null=True)),
                ('location', models.CharField(blank=True, max_length=200)),
                ('url', models.URLField(blank=True)),
                ('description', models.TextField(blank=True)),
                ('description_fr', models.TextField(blank=True, verbose_name='description (French)')),
                ('goal_pledges', models.PositiveIntegerField(blank=True, help_text='How many pledges the campaign aims to gather.', null=True, verbose_name='goal (pledges)')),
                ('goal_usd', models.DecimalField(blank=True, decimal_places=2, help_text='The estimated value, in US dollars, the campaign aims to gather.', max_digits=20, null=True, verbose_name='goal (US$)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical campaign',
                'verbose_name_plural': 'historical campaigns',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='campaign',
            name='description_fr',
            field=models.TextField(blank=True, verbose_name='description (French)'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='goal_pledges',
            field=models.PositiveIntegerField(blank=True, help_text='How many pledges the campaign aims to gather.', null=True, verbose_name='goal (pledges)'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='goal_usd',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='The estimated value, in US dollars, the campaign aims to gather.', max_digits=20, null=True, verbose_name='goal (US$)'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='host',
            field=models.CharField(blank=True, help_text='Where the pledges were announced, e.g. “Fifth UN Conference on the LDCs, Doha”.', max_length=250, verbose_name='host event or organiser'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('goal_pledges__isnull', True), ('goal_pledges__gt', 0), _connector='OR'), name='campaign_goal_pledges_positive'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('goal_usd__isnull', True), ('goal_usd__gt', 0), _connector='OR'), name='campaign_goal_usd_positive'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='country',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.country'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='initiative',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.initiative'),
        ),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]
