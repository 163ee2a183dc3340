"""The audit log refuses changes and deletions in PostgreSQL itself, not only in the
application (guides.models.AuditEntry): raw SQL, a shell or a bug cannot rewrite history.

SQLite keeps the application's guard only: Django empties SQLite tables with DELETE between
tests, which such a trigger would refuse. TRUNCATE: migration 0005.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION guides_audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER guides_auditentry_append_only
    BEFORE UPDATE OR DELETE ON guides_auditentry
    FOR EACH ROW EXECUTE FUNCTION guides_audit_entry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS guides_auditentry_append_only ON guides_auditentry;
DROP FUNCTION IF EXISTS guides_audit_entry_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0003_audit_list_action"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),
    ]
