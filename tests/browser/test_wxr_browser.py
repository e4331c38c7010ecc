"""The theme unit test data, imported, in a real browser: the ten-deep comment thread of
"Template: Comments", and the password-protected post asking for its password.

Reads the file from $ARCHIVE_TESTDATA/wxr (skipped without it). The `browser` fixture
(tests/browser/conftest.py) allows Django's ORM beside Playwright's event loop.
"""

import pytest
from playwright.sync_api import expect

from archive.report import ImportReport
from archive.wxr_import import import_wxr
from comments.models import Comment
from posts.models import Post
from tests.archive.test_wxr_parser import shared_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SITE = "wxr:https://wpthemetestdata.wordpress.com#"
# How many comment list items enclose an element: 0 for a top-level comment.
ENCLOSING_COMMENTS = """element => {
    let levels = 0;
    for (let node = element.parentElement; node; node = node.parentElement) {
        if (node.matches("li.comment")) levels++;
    }
    return levels;
}"""


@pytest.fixture
def theme(settings):
    path = shared_file("themeunittestdata.wordpress.xml")
    # The theme unit test expects WordPress's deepest threading; the site's default is 5.
    settings.COMMENTS_MAX_DEPTH = 10
    import_wxr(path, report=ImportReport())


def test_template_comments_shows_its_ten_deep_thread(live_server, new_page, screenshot, theme):
    post = Post.objects.get(source_key=f"{SITE}1148")
    deepest = Comment.objects.get(source_key=f"{SITE}comment-915")
    page = new_page()
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Template: Comments", exact=True)).to_be_visible()
    comment = page.locator(f"#comment-{deepest.pk}")
    expect(comment).to_contain_text("Comment Depth 10")
    assert comment.evaluate(ENCLOSING_COMMENTS) == 9
    for depth in range(1, 10):
        expect(page.locator(f"li.comment.depth-{depth}").first).to_be_visible()
    screenshot(page, "thread")


def test_the_password_protected_post_asks_for_its_password(live_server, new_page, screenshot,
                                                           theme):
    post = Post.objects.get(source_key=f"{SITE}1168")
    page = new_page()
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    expect(page.get_by_text("This content is password protected.")).to_be_visible()
    text = "This content, comments, pingbacks, and trackbacks should not be visible"
    expect(page.get_by_text(text)).to_have_count(0)
    screenshot(page, "1-locked")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Enter").click()
    expect(page.get_by_role("alert")).to_have_text("That is not the password for this post.")
    page.get_by_label("Password").fill("enter")
    page.get_by_role("button", name="Enter").click()
    expect(page.get_by_text("This content is password protected.")).to_have_count(0)
    expect(page.locator(".entry-content")).to_contain_text(text)
    expect(page.locator("#comments")).to_contain_text("Jane Doe")
    screenshot(page, "2-unlocked")
