from django.db import migrations


def load_vocabulary(apps, schema_editor):
    from programs.services import sync_vocabulary

    sync_vocabulary(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(load_vocabulary, migrations.RunPython.noop)]
