
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVES = [
    ('pledges', 'entities', 'entity'),
    ('pledges', 'entities', 'historicalentity'),
    ('pledges', 'entities', 'focalpoint'),
    ('pledges', 'entities', 'historicalfocalpoint'),
    ('accounts', 'entities', 'accessrequest'),
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
    """Entities, focal points and access requests move here from `pledges` and `accounts`.

    Only Django's record of the models changes: the tables keep their names (`db_table`), so no
    row moves. Content types are relabelled so permissions and admin history stay attached.
    """


    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reference', '0002_import_run_deleted_skipped_warnings'),
        ('accounts', '0003_notifications'),
        ('pledges', '0006_pledge_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Entity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=250)),
                ('acronym', models.CharField(blank=True, max_length=40)),
                ('entity_type', models.CharField(choices=[('government', 'Government'), ('private_sector', 'Private sector'), ('civil_society', 'Civil society'), ('academia', 'Academia'), ('un_igo', 'UN / intergovernmental organisation'), ('ifi', 'International financial institution'), ('donor_agency', 'Donor agency')], db_index=True, max_length=20, verbose_name='type')),
                ('itu_membership', models.CharField(choices=[('member_state', 'ITU Member State'), ('sector_member', 'ITU-D Sector Member'), ('associate', 'ITU-D Associate'), ('academia', 'ITU Academia member'), ('none', 'Not an ITU member')], default='none', max_length=20, verbose_name='ITU membership')),
                ('website', models.URLField(blank=True)),
                ('description', models.TextField(blank=True)),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo data, not a real organisation.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('home_country', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='entities', to='reference.country')),
            ],
            options={
                'verbose_name_plural': 'entities',
                'db_table': 'pledges_entity',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='AccessRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('join_entity', 'Join an entity'), ('new_entity', 'Register a new entity'), ('country', 'Act for a country')], max_length=20)),
                ('new_entity_name', models.CharField(blank=True, max_length=250)),
                ('new_entity_type', models.CharField(blank=True, max_length=20)),
                ('new_entity_website', models.URLField(blank=True)),
                ('message', models.TextField(blank=True)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('declined', 'Declined')], db_index=True, default='pending', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('reason', models.TextField(blank=True)),
                ('country', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='access_requests', to='reference.country')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('new_entity_country', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.country')),
                ('requester', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_requests', to=settings.AUTH_USER_MODEL)),
                ('entity', models.ForeignKey(blank=True, help_text='The entity to join; for a new entity, the one created on approval.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='access_requests', to='entities.entity')),
            ],
            options={
                'db_table': 'accounts_accessrequest',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='FocalPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('email', models.EmailField(max_length=254)),
                ('phone', models.CharField(blank=True, max_length=40)),
                ('position', models.CharField(blank=True, max_length=200)),
                ('is_primary', models.BooleanField(default=False)),
                ('entity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='focal_points', to='entities.entity')),
                ('user', models.ForeignKey(blank=True, help_text='The account that acts for the entity, if the person has one.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='focal_points', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'pledges_focalpoint',
                'ordering': ['entity', '-is_primary', 'name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalEntity',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=250)),
                ('acronym', models.CharField(blank=True, max_length=40)),
                ('entity_type', models.CharField(choices=[('government', 'Government'), ('private_sector', 'Private sector'), ('civil_society', 'Civil society'), ('academia', 'Academia'), ('un_igo', 'UN / intergovernmental organisation'), ('ifi', 'International financial institution'), ('donor_agency', 'Donor agency')], db_index=True, max_length=20, verbose_name='type')),
                ('itu_membership', models.CharField(choices=[('member_state', 'ITU Member State'), ('sector_member', 'ITU-D Sector Member'), ('associate', 'ITU-D Associate'), ('academia', 'ITU Academia member'), ('none', 'Not an ITU member')], default='none', max_length=20, verbose_name='ITU membership')),
                ('website', models.URLField(blank=True)),
                ('description', models.TextField(blank=True)),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo data, not a real organisation.')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('home_country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.country')),
            ],
            options={
                'verbose_name': 'historical entity',
                'verbose_name_plural': 'historical entities',
                'db_table': 'pledges_historicalentity',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalFocalPoint',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('email', models.EmailField(max_length=254)),
                ('phone', models.CharField(blank=True, max_length=40)),
                ('position', models.CharField(blank=True, max_length=200)),
                ('is_primary', models.BooleanField(default=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('entity', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='entities.entity')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, help_text='The account that acts for the entity, if the person has one.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical focal point',
                'verbose_name_plural': 'historical focal points',
                'db_table': 'pledges_historicalfocalpoint',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name='entity',
            index=models.Index(fields=['home_country', 'entity_type'], name='pledges_ent_home_co_9a08b9_idx'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(forwards, backwards),
    ]
