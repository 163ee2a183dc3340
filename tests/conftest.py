from pathlib import Path

import pytest
from django.utils import translation

DATA = Path(__file__).parent / "data"


@pytest.fixture
def samhsa_sample() -> Path:
    """The 478 real California listings from the SAMHSA locator (public domain)."""
    return DATA / "samhsa-locator-ca-sample.csv"


@pytest.fixture(autouse=True)
def caller_key_store(settings, tmp_path) -> Path:
    """Each test keeps callers' keys in a key store of its own (guides/keystore.py)."""
    settings.CALLER_KEYS_PATH = tmp_path / "caller-keys.sqlite3"
    return settings.CALLER_KEYS_PATH


@pytest.fixture(autouse=True)
def catalogue_copies_of_its_own(settings, tmp_path) -> Path:
    """Each test's workers share their copies of the catalogue (programs/engine.py) in a
    directory of its own."""
    settings.CATALOGUE_COPY_DIR = tmp_path / "catalogue"
    # Tests write and then search at once, in browsers too: a busy machine's slow read of a
    # small catalogue must not send the next read to the background (as a large catalogue's
    # does). tests/programs/test_catalogue_reload.py sets it to 0 where that is tested.
    settings.CATALOGUE_WAIT_MS = 60_000
    return settings.CATALOGUE_COPY_DIR


@pytest.fixture(autouse=True)
def cache_of_its_own(settings, request):
    """Each test counts the public's submissions per address (corrections/limits.py) in a
    cache of its own, in memory: never a real Redis named by CACHE_URL."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A request in Spanish leaves Spanish active in the thread: the next test starts in the
    site's default language."""
    yield
    translation.deactivate()
