"""The tallies of reporting standing: each stored day keeps the changes of status the days alone
will bring after it (`TalliedDay.changes`). The days stored before were counted without the
statuses and the four parts of the value: forget them, so that each is counted again."""

from django.db import migrations, models


def forget(apps, schema_editor):
    apps.get_model("explore", "TalliedDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("explore", "0001_daily_tallies")]

    operations = [
        migrations.AddField(
            model_name="talliedday",
            name="changes",
            field=models.JSONField(
                blank=True, default=list,
                help_text="The changes of reporting status the days alone will bring after this day, as [kind, code, "
                          "pledges, value] rows (`tallies.standing_advance`): what counting a later day from this one "
                          "needs.",
            ),
        ),
        migrations.RunPython(forget, migrations.RunPython.noop),
    ]
