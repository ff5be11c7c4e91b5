"""Before PostgreSQL 16, atlas_input_is_valid catches the cast error in a PL/pgSQL block.

Such a block is a subtransaction, which parallel workers cannot start: marked
PARALLEL SAFE, a load large enough to be read in parallel would fail. On those
servers the function is PARALLEL UNSAFE, so the planner keeps those loads serial.
"""
from django.db import migrations


def mark(apps, schema_editor):
    if schema_editor.connection.pg_version < 160000:
        schema_editor.execute("ALTER FUNCTION atlas_input_is_valid(text, text) PARALLEL UNSAFE")


def unmark(apps, schema_editor):
    if schema_editor.connection.pg_version < 160000:
        schema_editor.execute("ALTER FUNCTION atlas_input_is_valid(text, text) PARALLEL SAFE")


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0002_initial")]
    operations = [migrations.RunPython(mark, unmark)]
