"""A reader's journeys through the archive in Chromium, on a desktop and on a phone, plus axe."""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from tests import require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(os.environ.get("AXE_CORE_JS", settings.BASE_DIR / "var/npm/node_modules/axe-core/axe.min.js"))
README_SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def save_for_readme(page, name):
    """`UPDATE_SCREENSHOTS=1 make test` refreshes the README's pictures from this journey."""
    if os.environ.get("UPDATE_SCREENSHOTS"):
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=README_SCREENSHOTS / f"{name}.png")


@pytest.fixture
def archive(settings):
    settings.COMMENTS_GRAVATAR = False
    call_command("import_seeds", stdout=io.StringIO())


def test_browse_home_post_category_month_and_search(live_server, new_page, screenshot, archive):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("archive_site")
    screenshot(page, "1-home")
    save_for_readme(page, "home")

    page.get_by_role("link", name="On Stalin", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/2007/10/21/on-stalin/$"))
    expect(page.locator(".comment-list > li")).to_have_count(4)
    screenshot(page, "2-post")
    save_for_readme(page, "post")

    page.locator(".entry-footer").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History")
    expect(page.get_by_role("link", name="On Stalin", exact=True).first).to_be_visible()

    page.get_by_role("link", name="October 2007").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("October 2007")

    page.get_by_role("searchbox").first.fill("Khrushchev")
    page.get_by_role("button", name="Search").first.click()
    expect(page).to_have_url(re.compile(r"/search/\?q=Khrushchev"))
    expect(page.locator("main")).to_contain_text("Khrushchev")
    screenshot(page, "3-search")


def test_reading_on_a_375_pixel_phone(live_server, new_page, screenshot, archive):
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    for path in ("/", "/2007/10/21/on-stalin/", "/about-us/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.scrollingElement.scrollWidth")
        assert overflow <= 375, f"{path} scrolls sideways ({overflow}px wide)"
        font_size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main .entry-content p')).fontSize)")
        assert font_size >= 16
    expect(page.locator("aside")).to_be_visible()
    screenshot(page, "phone")


@pytest.mark.parametrize("path", ["/", "/2007/10/21/on-stalin/", "/about-us/",
                                  "/category/history/", "/2007/10/", "/search/?q=Stalin"])
def test_main_pages_have_no_serious_accessibility_violations(live_server, new_page, archive, path):
    require(AXE.exists(), f"axe-core is not installed at {AXE} (.ci/run installs it)")
    # axe is injected as a script; the site's own policy would rightly refuse it.
    page = new_page(bypass_csp=True)
    page.goto(f"{live_server.url}{path}")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{path}: {serious}"
