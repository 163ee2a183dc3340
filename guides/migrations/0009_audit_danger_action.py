from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0008_audit_send_action"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("list", "Seen in a list"),
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("screen", "Screened"),
                    ("shortlist", "Added to shortlist"),
                    ("referral", "Updated a referral"),
                    ("export", "Exported"),
                    ("send", "Sent the list"),
                    ("danger", "Handled danger now"),
                    ("erase", "Erased"),
                ],
                max_length=12,
                verbose_name="what",
            ),
        ),
    ]
