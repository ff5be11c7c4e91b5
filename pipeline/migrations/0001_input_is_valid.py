"""atlas_input_is_valid(value, type): does ``value`` cast to ``type`` without an error?

PostgreSQL 16 has pg_input_is_valid; on older servers the same answer comes from
a PL/pgSQL block that catches the cast error.
"""
from django.db import migrations

MODERN = """
CREATE OR REPLACE FUNCTION atlas_input_is_valid(value text, type_name text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT pg_input_is_valid(value, type_name) $$;
"""
LEGACY = """
CREATE OR REPLACE FUNCTION atlas_input_is_valid(value text, type_name text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  EXECUTE format('SELECT %L::%s', value, type_name);
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END $$;
"""


def create_function(apps, schema_editor):
    version = schema_editor.connection.pg_version
    # params=None: the SQL goes as written, so format()'s %L is not taken for a placeholder.
    schema_editor.execute(MODERN if version >= 160000 else LEGACY, params=None)


def drop_function(apps, schema_editor):
    schema_editor.execute("DROP FUNCTION IF EXISTS atlas_input_is_valid(text, text)")


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_function, drop_function)]
