from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def samhsa_sample() -> Path:
    """The 478 real California listings from the SAMHSA locator (public domain)."""
    return DATA / "samhsa-locator-ca-sample.csv"
