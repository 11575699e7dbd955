
from django.db import migrations


class Migration(migrations.Migration):
    """Access requests now live in `entities`. State only; the table keeps its name.
    """


    dependencies = [
        ('accounts', '0003_notifications'),
        ('entities', '0001_initial'),
    ]

    state_operations = [
        migrations.DeleteModel(
            name='AccessRequest',
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
