"""PostgreSQL refuses TRUNCATE of the audit log to every role but the table's owner, even one
granted TRUNCATE: the application runs as a role that does not own its tables
(`manage.py grant_app_role`, README "Running under a least-privilege role").

The owner keeps it: whoever owns the table may drop it or its triggers anyway, and Django's
test runner empties every table with TRUNCATE, as the owner, between transactional tests.
SQLite has no TRUNCATE (see migration 0004).
"""

from importlib import import_module

from django.db import migrations

on_postgresql = import_module(
    "guides.migrations.0004_audit_log_append_only_in_database"
).on_postgresql

CREATE = """
CREATE FUNCTION guides_audit_entry_truncate_by_owner_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_has_role(
        current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE'
    ) THEN
        RAISE EXCEPTION USING
            MESSAGE = 'the audit log is append-only: TRUNCATE refused to ' || current_user,
            ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER guides_auditentry_truncate_by_owner_only
    BEFORE TRUNCATE ON guides_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION guides_audit_entry_truncate_by_owner_only();
"""

DROP = """
DROP TRIGGER IF EXISTS guides_auditentry_truncate_by_owner_only ON guides_auditentry;
DROP FUNCTION IF EXISTS guides_audit_entry_truncate_by_owner_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0004_audit_log_append_only_in_database"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),
    ]
