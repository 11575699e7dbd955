import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0004_version_intervals'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalprogressreport',
            name='assigned_to',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text="The reviewer in charge of this report's review.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='progressreport',
            name='assigned_to',
            field=models.ForeignKey(blank=True, editable=False, help_text="The reviewer in charge of this report's review.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='assigned_reports', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='progressreporttransition',
            name='content',
            field=models.JSONField(blank=True, editable=False, help_text="On a submission: the report's content as submitted, to show reviewers what changed since.", null=True),
        ),
    ]
