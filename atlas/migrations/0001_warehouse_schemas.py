"""The warehouse schemas: explore (raw), chart (typed), navigate (business-ready)."""
from django.db import migrations

SCHEMAS = ("explore", "chart", "navigate")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.RunSQL(
            sql=[f'CREATE SCHEMA IF NOT EXISTS "{name}"' for name in SCHEMAS],
            reverse_sql=[f'DROP SCHEMA IF EXISTS "{name}" CASCADE' for name in SCHEMAS],
        ),
        migrations.RunSQL(
            # Trigram search is a bonus: a server without contrib still runs Atlas.
            sql=[
                "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; "
                "EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm is not available'; END $$"
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
