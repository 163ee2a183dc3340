"""Curators resolve the public's correction reports: the group gets the permissions
guides/roles.py lists (a curator made with `create_guide --curator-only` got 403 on them)."""

from django.db import migrations


def sync_groups(apps, schema_editor):
    from guides.roles import sync_staff_groups

    sync_staff_groups(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0006_callers_sealed"),
        ("corrections", "0002_not_listed"),
    ]

    # Going back leaves the groups as they are: 0002 removes them altogether.
    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
