"""Callers' personal details sealed with a key of their own (guides/sealing.py, keystore.py).

Existing callers each get a key in the key store, and their alias, phone, notes, screening
answers and result, and their referrals' notes are sealed with it. Values written before
this migration may remain in the database's dead rows and WAL until vacuumed and recycled.
"""

from django.db import migrations, models

import guides.sealing

SEALED_TEXT = {
    "caller": ["alias", "phone", "notes"],
    "referral": ["note"],
    "referralevent": ["note"],
}
SEALED_JSON = ["screening_answers", "screening_result"]


def seal_existing(apps, schema_editor):
    import json

    from guides import keystore
    from guides.sealing import seal

    Caller = apps.get_model("guides", "Caller")
    Referral = apps.get_model("guides", "Referral")
    ReferralEvent = apps.get_model("guides", "ReferralEvent")
    for row in Caller.objects.values("pk", "alias", "phone", "notes", *SEALED_JSON):
        key_id = keystore.make_key(phone=str(row["phone"]), alias=str(row["alias"]))
        key = keystore.keys_of([key_id])[key_id]

        def sealed(text, key=key):
            return seal(key, str(text)) if text else text

        Caller.objects.filter(pk=row["pk"]).update(
            key_id=key_id,
            alias=sealed(row["alias"]),
            phone=sealed(row["phone"]),
            notes=sealed(row["notes"]),
            **{
                name: None if row[name] is None else seal(key, json.dumps(json.loads(row[name]), sort_keys=True))
                for name in SEALED_JSON
            },
        )
        for referral in Referral.objects.filter(caller_id=row["pk"]).values("pk", "note"):
            Referral.objects.filter(pk=referral["pk"]).update(note=sealed(referral["note"]))
        events = ReferralEvent.objects.filter(referral__caller_id=row["pk"]).values("pk", "note")
        for event in events:
            ReferralEvent.objects.filter(pk=event["pk"]).update(note=sealed(event["note"]))


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0005_audit_log_truncate_by_owner_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="caller",
            name="key_id",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.AlterField(
            model_name="caller",
            name="alias",
            field=guides.sealing.SealedTextField(max_length=60, verbose_name="first name or alias"),
        ),
        migrations.AlterField(
            model_name="caller",
            name="phone",
            field=guides.sealing.SealedTextField(blank=True, max_length=40, verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="caller",
            name="notes",
            field=guides.sealing.SealedTextField(blank=True, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="caller",
            name="screening_answers",
            field=guides.sealing.SealedJSONField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="caller",
            name="screening_result",
            field=guides.sealing.SealedJSONField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="referral",
            name="note",
            field=guides.sealing.SealedTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="referralevent",
            name="note",
            field=guides.sealing.SealedTextField(blank=True, verbose_name="note"),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="caller",
            name="key_id",
            field=models.CharField(editable=False, max_length=32, unique=True),
        ),
    ]
