"""`make run` loads the demo data on every start: curators' edits to it must survive."""

import pytest
from django.core.management import call_command

from programs.models import Program

pytestmark = pytest.mark.django_db


def test_loads_the_samples_and_the_samhsa_sample_once_and_keeps_edits(samhsa_sample):
    call_command("load_demo_data", str(samhsa_sample), verbosity=0)
    samples = Program.objects.filter(is_sample=True, source=Program.Source.MANUAL)
    imported = Program.objects.filter(source=Program.Source.SAMHSA)
    assert samples.count() >= 40
    assert imported.count() == 197

    edited = samples.order_by("pk").first()
    Program.objects.filter(pk=edited.pk).update(name="Renamed by a curator")
    call_command("load_demo_data", str(samhsa_sample), verbosity=0)

    assert Program.objects.get(pk=edited.pk).name == "Renamed by a curator"
    assert samples.count() >= 40
    assert imported.count() == 197


def test_make_run_loads_real_listings_only_and_once(samhsa_sample, settings):
    """`make run` (load_listings): SAMHSA's listings, no fictional samples unless asked."""
    settings.NATIONAL_DIRECTORY_FILES = [samhsa_sample]  # the real directories: 21,451 rows
    call_command("load_listings", verbosity=0)
    imported = Program.objects.filter(source=Program.Source.SAMHSA)
    assert imported.count() == 197
    assert not Program.objects.filter(is_sample=True).exists()

    Program.objects.filter(pk=imported.order_by("pk").first().pk).update(name="Edited")
    call_command("load_listings", verbosity=0)  # already there: left alone
    assert imported.count() == 197
    assert imported.filter(name="Edited").count() == 1

    settings.SAMHSA_LOCATOR_SAMPLE = str(samhsa_sample)
    call_command("load_listings", "--samples", verbosity=0)
    assert Program.objects.filter(is_sample=True, source=Program.Source.MANUAL).count() >= 40
