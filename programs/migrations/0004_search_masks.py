"""Search: each program's vocabulary terms as bit sets (for one-pass facet counts), then fill
every search column (text from 0003 and these) from the related rows."""

from django.db import migrations, models


def backfill_search_index(apps, schema_editor):
    from programs.services import refresh_search_index

    refresh_search_index(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_search")]

    operations = [
        migrations.AddField(
            model_name="program",
            name="insurer_mask",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="language_mask",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="payment_mask",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="population_mask",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="service_mask",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(backfill_search_index, migrations.RunPython.noop),
    ]
