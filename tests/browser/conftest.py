"""Real Chromium (Debian's `chromium` package) driven by Playwright, against the live server.

A missing browser fails the tests: CI installs it (see .ci/run); nothing is skipped.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.getenv("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright runs an event loop in this thread; the live server's database calls are sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (see .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (most visitors are on a phone) whose base URL is the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="en-US"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """screenshot("name") saves a full-page PNG under test-artifacts/ to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def assert_accessible(page):
    """Run axe-core on the current page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(context: str = "") -> None:
        results = axe.run(page)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
        ]
        summary = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in bad
        )
        assert not bad, f"axe found serious/critical violations {context}:\n{summary}"

    return check


@pytest.fixture(autouse=True)
def migration_rows(request):
    """Live-server tests run in real transactions, and Django empties every table after each
    one, including the rows the data migrations create (the vocabulary, the staff groups).
    Put them back before each browser test, with the same code the migrations use."""
    if not request.node.get_closest_marker("browser"):
        return
    request.getfixturevalue("transactional_db")
    from guides.roles import sync_staff_groups
    from programs.services import sync_vocabulary

    sync_vocabulary()
    sync_staff_groups()
