"""A real Chromium (Debian's) driven by Playwright's sync API against pytest-django's live_server."""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests import require

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser():
    """One Chromium per test, started after the test database is ready and closed before it is
    reset: under Playwright's greenlets the ORM gets a connection of its own, so pytest-django's
    set-up and serialized rollback must happen outside them."""
    # Playwright's sync API keeps an event loop running in the test thread, and Django refuses
    # ORM calls from a thread with a running loop unless told that this is safe. It is here:
    # the loop only drives the browser. Restored afterwards so other tests keep the check.
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                  args=CHROMIUM_ARGS)
            yield chromium
            # The connection the test's ORM calls opened under Playwright, or PostgreSQL
            # refuses to drop the test database at the end ("being accessed by other users").
            connections.close_all()
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser):
    """Pages in fresh contexts (their own cookies: one reader, or one moderator, each)."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(request):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, step):
        page.screenshot(path=ARTIFACTS / f"{request.node.name}-{step}.png", full_page=True)

    return take
