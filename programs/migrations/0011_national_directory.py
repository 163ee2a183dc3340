from importlib import import_module

from django.db import migrations, models

engine_migration = import_module("programs.migrations.0010_search_engine")


# SQLite drops a table's triggers when it adds a column (migration 0010 says more).
site_triggers_again = engine_migration.sqlite_triggers_again("programs_site")


def sync_vocabulary(apps, schema_editor):
    from programs.services import sync_vocabulary

    sync_vocabulary(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("programs", "0010_search_engine")]

    operations = [
        # Reversed last: after the column goes, the triggers are made again.
        migrations.RunPython(migrations.RunPython.noop, site_triggers_again),
        migrations.AddField(
            model_name="site",
            name="placed_at_zip",
            field=models.BooleanField(
                default=False,
                help_text="SAMHSA's National Directory gives an address but no coordinates: distances are from the ZIP code's centre until a curator sets the coordinates.",
                verbose_name="placed at its ZIP code's centre",
            ),
        ),
        migrations.AddField(
            model_name="historicalsite",
            name="placed_at_zip",
            field=models.BooleanField(
                default=False,
                help_text="SAMHSA's National Directory gives an address but no coordinates: distances are from the ZIP code's centre until a curator sets the coordinates.",
                verbose_name="placed at its ZIP code's centre",
            ),
        ),
        migrations.RunPython(site_triggers_again, migrations.RunPython.noop),
        # The languages, groups and services SAMHSA's National Directory names.
        migrations.RunPython(sync_vocabulary, migrations.RunPython.noop),
    ]
