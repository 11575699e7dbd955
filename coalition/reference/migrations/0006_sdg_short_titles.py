# The SDG classification Coalition ships gives each target a short title (English, French);
# the official texts become optional, added by `coalition data fetch` or a data folder.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reference", "0005_exchange_rate_provisional"),
    ]

    operations = [
        migrations.AddField(
            model_name="sdgtarget",
            name="short_en",
            field=models.CharField(default="", help_text="Short title written for Coalition", max_length=120),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="sdgtarget",
            name="short_fr",
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AlterField(
            model_name="sdggoal",
            name="title_en",
            field=models.TextField(blank=True, help_text="The official title (UN SDG API or a data folder)"),
        ),
        migrations.AlterField(
            model_name="sdgtarget",
            name="title_en",
            field=models.TextField(blank=True, help_text="The official text (UN SDG API or a data folder)"),
        ),
    ]
