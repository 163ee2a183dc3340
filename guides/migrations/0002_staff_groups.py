from django.db import migrations


def create_groups(apps, schema_editor):
    from guides.roles import sync_staff_groups

    sync_staff_groups(apps=apps)


def remove_groups(apps, schema_editor):
    from guides.roles import GROUP_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0001_initial"),
        ("programs", "0002_vocabulary"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
