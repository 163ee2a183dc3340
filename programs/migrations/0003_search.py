"""Search: denormalised search text on programs (filled by 0004); on PostgreSQL a weighted
tsvector generated from it (name A, provider A, place B, services C) with a GIN index.

The tsvector column exists only on PostgreSQL, so it is not a model field; programs/search.py
refers to it by name.
"""

from django.db import migrations, models

SEARCH_VECTOR_SQL = """
ALTER TABLE programs_program ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(name, '')), 'A')
    || setweight(to_tsvector('english', coalesce(search_provider, '')), 'A')
    || setweight(to_tsvector('english', coalesce(search_place, '')), 'B')
    || setweight(to_tsvector('english', coalesce(search_services, '')), 'C')
) STORED;
CREATE INDEX program_search_vector ON programs_program USING GIN (search_vector);
"""
DROP_SEARCH_VECTOR_SQL = "ALTER TABLE programs_program DROP COLUMN IF EXISTS search_vector;"


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_VECTOR_SQL)


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SEARCH_VECTOR_SQL)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_vocabulary")]

    operations = [
        migrations.AddField(
            model_name="program",
            name="search_place",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="program",
            name="search_provider",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="program",
            name="search_services",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(add_search_vector, drop_search_vector),
    ]
