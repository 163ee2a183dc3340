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
