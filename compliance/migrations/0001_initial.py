"""The PII inventory, custom recognizers, masking policies and overrides, and the PII audit log."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import compliance.models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalog', '0001_initial'),
        ('pipeline', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ColumnMaskingOverride',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('keep', 'Keep as is'), ('redact', 'Redact (null)'), ('mask', 'Mask (partial, e.g. ****1234)'), ('hash', 'Hash (keyed HMAC-SHA256, joins still work)'), ('encrypt', 'Encrypt (reversible by privacy officers)'), ('drop', 'Drop the column')], max_length=10)),
                ('visible_chars', models.PositiveSmallIntegerField(default=4, validators=[django.core.validators.MaxValueValidator(12)])),
                ('reason', models.CharField(blank=True, max_length=300)),
                ('updated', models.DateTimeField(auto_now=True)),
                ('column', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='masking_override', to='catalog.column')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ('column__dataset__name', 'column__position'),
            },
        ),
        migrations.CreateModel(
            name='CustomRecognizer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True)),
                ('entity', models.CharField(max_length=50, validators=[django.core.validators.RegexValidator('^[A-Z][A-Z0-9_]{1,49}$', 'Use an upper-case entity name such as EMPLOYEE_ID (letters, digits, underscores).')])),
                ('regex', models.TextField(help_text='A Python regular expression matching one value, e.g. EMP-[0-9]{6}.')),
                ('context', models.CharField(blank=True, help_text='Comma-separated words that raise the score near a match or in the column name.', max_length=500)),
                ('validator', models.CharField(blank=True, choices=compliance.models.validator_choices, help_text='A checksum a match must pass.', max_length=30)),
                ('score', models.FloatField(default=0.6, validators=[django.core.validators.MinValueValidator(0.01), django.core.validators.MaxValueValidator(1.0)])),
                ('active', models.BooleanField(default=True)),
                ('description', models.CharField(blank=True, max_length=300)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('updated', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ('entity', 'name'),
            },
        ),
        migrations.CreateModel(
            name='MaskingPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entity', models.CharField(max_length=50, unique=True, validators=[django.core.validators.RegexValidator('^[A-Z][A-Z0-9_]{1,49}$', 'Use an upper-case entity name such as EMPLOYEE_ID (letters, digits, underscores).')])),
                ('action', models.CharField(choices=[('keep', 'Keep as is'), ('redact', 'Redact (null)'), ('mask', 'Mask (partial, e.g. ****1234)'), ('hash', 'Hash (keyed HMAC-SHA256, joins still work)'), ('encrypt', 'Encrypt (reversible by privacy officers)'), ('drop', 'Drop the column')], default='hash', max_length=10)),
                ('visible_chars', models.PositiveSmallIntegerField(default=4, help_text='For mask: how many trailing characters stay visible.', validators=[django.core.validators.MaxValueValidator(12)])),
                ('description', models.CharField(blank=True, max_length=300)),
                ('updated', models.DateTimeField(auto_now=True)),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'masking policies',
                'ordering': ('entity',),
            },
        ),
        migrations.CreateModel(
            name='PiiAuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('action', models.CharField(choices=[('review', 'Finding reviewed'), ('resuggest', 'Finding re-suggested (content changed)'), ('policy', 'Masking policy changed'), ('override', 'Column masking override changed'), ('recognizer', 'Custom recognizer changed'), ('decrypt', 'Value decrypted'), ('rescan', 'Dataset rescanned')], db_index=True, max_length=12)),
                ('summary', models.CharField(max_length=500)),
                ('detail', models.JSONField(blank=True, default=dict)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('column', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='catalog.column')),
                ('dataset', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='catalog.dataset')),
            ],
            options={
                'verbose_name': 'PII audit event',
                'ordering': ('-at',),
            },
        ),
        migrations.CreateModel(
            name='PiiFinding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entity', models.CharField(db_index=True, max_length=50)),
                ('confidence', models.FloatField(help_text='0..1: recognizer scores, share matching, column name.')),
                ('share', models.FloatField(help_text="Share of the column's non-empty values that match, over all rows.")),
                ('sample_size', models.PositiveIntegerField(default=0)),
                ('sample_matches', models.PositiveIntegerField(default=0)),
                ('rows_matching', models.BigIntegerField(blank=True, null=True)),
                ('rows_non_null', models.BigIntegerField(blank=True, null=True)),
                ('free_text', models.BooleanField(default=False, help_text='Found inside longer text, not as whole values.')),
                ('explanation', models.TextField(blank=True)),
                ('current', models.BooleanField(default=True, help_text='Found by the latest scan of its column.')),
                ('status', models.CharField(choices=[('suggested', 'Suggested'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], db_index=True, default='suggested', max_length=10)),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('review_note', models.CharField(blank=True, max_length=500)),
                ('fingerprint', models.JSONField(blank=True, default=dict, help_text="The column's content at the last scan.")),
                ('reviewed_fingerprint', models.JSONField(blank=True, default=dict, help_text="The column's content when the decision was made.")),
                ('masking', models.CharField(blank=True, choices=[('keep', 'Keep as is'), ('redact', 'Redact (null)'), ('mask', 'Mask (partial, e.g. ****1234)'), ('hash', 'Hash (keyed HMAC-SHA256, joins still work)'), ('encrypt', 'Encrypt (reversible by privacy officers)'), ('drop', 'Drop the column')], help_text="What the last publish to navigate did with it ('' = nothing).", max_length=10)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('updated', models.DateTimeField(auto_now=True)),
                ('column', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pii_findings', to='catalog.column')),
                ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pii_findings', to='catalog.dataset')),
                ('first_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pipeline.pipelinerun')),
                ('last_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pipeline.pipelinerun')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'PII finding',
                'ordering': ('dataset__name', 'column__position', '-confidence'),
                'indexes': [models.Index(fields=['dataset', 'status'], name='compliance__dataset_3fc799_idx')],
                'constraints': [models.UniqueConstraint(fields=('column', 'entity'), name='compliance_finding_column_entity')],
            },
        ),
    ]
