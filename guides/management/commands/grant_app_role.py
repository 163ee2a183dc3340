"""Give the running application a PostgreSQL role of its own that owns nothing, so that it may
append to the audit log and read it, never change, delete or empty it (README "Running under a
least-privilege role"). Run by the role that owns the tables (the one that runs `migrate`),
again after every `migrate`: each run sets the role's privileges to exactly these."""

import os
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from guides.models import AuditEntry

# Plain lower-case names only: a role name is written into the SQL, it cannot be a parameter.
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
EVERY_ROW_PRIVILEGE = "SELECT, INSERT, UPDATE, DELETE"
# The exceptions to EVERY_ROW_PRIVILEGE: the audit log is read and appended to, and which
# migrations ran is written by `migrate` alone.
EXCEPTIONS = {
    AuditEntry._meta.db_table: "SELECT, INSERT",
    MigrationRecorder.Migration._meta.db_table: "SELECT",
}


class Command(BaseCommand):
    help = (
        "Create the application's PostgreSQL role if missing and grant it exactly what the "
        "application needs: rows of every table, but only reading and appending to the audit "
        "log. Run it as the owner of the tables after each migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role the application connects as.")
        parser.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="Set the role's password from this environment variable (not needed "
            "where PostgreSQL trusts or authenticates the connection otherwise).",
        )

    def handle(self, *args, role, password_from_env, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are for PostgreSQL; SQLite has none.")
        if not ROLE_NAME.fullmatch(role):
            raise CommandError("Use a lower-case role name: letters, digits and underscores.")
        password = self._password(password_from_env)
        with transaction.atomic(), connection.cursor() as cursor:
            database, schema, owner = self._where(cursor)
            created = self._create_or_check(cursor, role, owner, password)
            quote = connection.ops.quote_name
            for statement in grants(quote(role), quote(database), quote(schema), quote(owner)):
                cursor.execute(statement)
        exceptions = "; ".join(f"{table}: {what}" for table, what in EXCEPTIONS.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Updated'} the role {role}: {EVERY_ROW_PRIVILEGE} "
                f"on every table but {exceptions}; never TRUNCATE, REFERENCES, TRIGGER or "
                "ownership."
            )
        )

    def _password(self, variable):
        if not variable:
            return None
        password = os.environ.get(variable, "")
        if not password:
            raise CommandError(f"The environment variable {variable} is empty or not set.")
        return password

    def _where(self, cursor):
        """The database, the schema of the tables and the role owning them."""
        cursor.execute(
            "SELECT current_database(), current_schema(), tableowner FROM pg_tables "
            "WHERE tablename = %s AND schemaname = current_schema()",
            [AuditEntry._meta.db_table],
        )
        where = cursor.fetchone()
        if where is None:
            raise CommandError("No tables yet: run migrate first.")
        return where

    def _create_or_check(self, cursor, role, owner, password) -> bool:
        quoted = connection.ops.quote_name(role)
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls OR pg_has_role(%s, %s, 'USAGE') "
            "FROM pg_roles WHERE rolname = %s",
            [role, owner, role],
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(f"CREATE ROLE {quoted} LOGIN")
        elif row[0]:
            raise CommandError(
                f"{role} is a superuser or has the privileges of the tables' owner: the "
                "application needs a role of its own that owns nothing."
            )
        if password:
            cursor.execute(f"ALTER ROLE {quoted} PASSWORD %s", [password])
        return row is None


def grants(role: str, database: str, schema: str, owner: str):
    """The statements, names quoted. Each run starts from nothing, so a privilege granted by
    hand, or by the default privileges to a table that is an exception, is taken back."""
    yield f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}"
    yield f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}"
    yield f"GRANT CONNECT ON DATABASE {database} TO {role}"
    yield f"GRANT USAGE ON SCHEMA {schema} TO {role}"
    yield f"GRANT {EVERY_ROW_PRIVILEGE} ON ALL TABLES IN SCHEMA {schema} TO {role}"
    for table, privileges in EXCEPTIONS.items():
        table = connection.ops.quote_name(table)
        yield f"REVOKE ALL ON {table} FROM {role}"
        yield f"GRANT {privileges} ON {table} TO {role}"
    # nextval for new rows' ids; setval (UPDATE) only loaddata needs, run by the owner.
    yield f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}"
    # The triggers' functions (catalogue token, audit log guards) run as the writer.
    yield f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {role}"
    # Tables a later migration adds are usable before this command runs again.
    default = f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}"
    yield f"{default} GRANT {EVERY_ROW_PRIVILEGE} ON TABLES TO {role}"
    yield f"{default} GRANT USAGE, SELECT ON SEQUENCES TO {role}"
    yield f"{default} GRANT EXECUTE ON FUNCTIONS TO {role}"
