"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Outside CI they skip with a clear message when Chromium is missing; in CI
(CI=true) a missing browser is a failure, never a silent skip.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MISSING = (
    f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
    "(or set CHROMIUM_PATH) to run the browser tests."
)

# Playwright's sync API runs an event loop in the test thread; the live server
# and ORM calls made from the test itself are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        for item in browser_items:
            item.add_marker(pytest.mark.usefixtures("_chromium_required"))
        return
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture
def _chromium_required():
    pytest.fail(MISSING)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ (ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name, target=None):
        path = ARTIFACTS / f"{name}.png"
        (target or page).screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def browser_library(transactional_db):
    """Library rows committed, so the live server thread sees them on PostgreSQL too."""
    from roles.services import library_load

    return library_load()
