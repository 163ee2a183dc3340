"""The catalogue's version token, changed by the database on every write to programs_program
(programs.models.CatalogueVersion): each worker's copy of the published catalogue in memory
(programs/catalogue_index.py) is read again when the token it was read at has changed.

Triggers, not the application, so that every write counts: the admin, imports, raw SQL,
bulk updates. PostgreSQL: one statement-level trigger (TRUNCATE too). SQLite: row triggers.
"""

from django.db import migrations, models

TOKEN_TABLE = "programs_catalogueversion"

POSTGRESQL_CREATE = [
    f"""
    CREATE FUNCTION programs_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TOKEN_TABLE} (id, token) VALUES (1, gen_random_uuid()::text)
        ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER programs_program_catalogue_changed
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programs_program
        FOR EACH STATEMENT EXECUTE FUNCTION programs_catalogue_changed()
    """,
    f"INSERT INTO {TOKEN_TABLE} (id, token) VALUES (1, gen_random_uuid()::text)",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS programs_program_catalogue_changed ON programs_program",
    "DROP FUNCTION IF EXISTS programs_catalogue_changed()",
]
SQLITE_EVENTS = ("insert", "update", "delete")
SQLITE_CREATE = [
    f"""
    CREATE TRIGGER programs_program_catalogue_{event} AFTER {event.upper()} ON programs_program
    BEGIN
        INSERT OR REPLACE INTO {TOKEN_TABLE} (id, token) VALUES (1, lower(hex(randomblob(16))));
    END
    """
    for event in SQLITE_EVENTS
] + [f"INSERT INTO {TOKEN_TABLE} (id, token) VALUES (1, lower(hex(randomblob(16))))"]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS programs_program_catalogue_{e}" for e in SQLITE_EVENTS]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in statements.get(vendor, []):
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0008_search_flags_and_covering_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=36)),
            ],
            options={
                "verbose_name": "catalogue version",
            },
        ),
        migrations.RunPython(
            run({"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}),
            run({"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}),
        ),
    ]
