"""
Every OWASP filter-evasion vector, through every field of the comment form and a post body,
loaded in a real Chromium: no dialog opens, no injected handler or `javascript:` URL survives in
the live DOM, no console error, and no request leaves for anything but the site itself.
"""

import json
import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment
from comments.moderation import Policy
from tests import require
from tests.comments.test_xss import VECTORS as CLASSIC_VECTORS
from tests.factories import PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FIELDS = ("author_name", "author_email", "author_url", "body")

# Runs in the page after load: anything in the live DOM that could still run script.
FIND_LIVE_HANDLERS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(`${el.tagName}[${name}]`);
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(name)
          && /^(javascript:|vbscript:|data:text)/.test(value)) {
        found.push(`${el.tagName}[${name}=${attr.value}]`);
      }
    }
  }
  return found;
}"""


def owasp_vectors():
    testdata = os.environ.get("ARCHIVE_TESTDATA")
    require(testdata, "ARCHIVE_TESTDATA is not set; CI sets it to the shared test data folder")
    path = Path(testdata) / "xss" / "owasp_xss_filter_evasion_vectors.json"
    return [entry["payload"] for entry in json.loads(path.read_text())]


@pytest.fixture
def vectors():
    return list(dict.fromkeys(owasp_vectors() + CLASSIC_VECTORS))


@pytest.fixture
def open_policy(settings):
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 100_000
    settings.COMMENTS_PER_PAGE = 10_000
    settings.COMMENTS_MAX_LINKS = 1_000
    settings.COMMENTS_GRAVATAR = False


def submit_everywhere(vectors):
    """Each vector through each field of the real form; returns the pages that came back."""
    client = Client()
    posts = {field: PostFactory(title=f"XSS in {field}") for field in FIELDS}
    rejections = []
    for field, post in posts.items():
        for n, vector in enumerate(vectors):
            data = {"author_name": f"Tester {n}", "author_email": f"t{n}@example.org",
                    "author_url": "", "body": f"Comment {n}", "parent": "", "homepage": "",
                    "token": Policy.current().issue_token(post), field: vector}
            response = client.post(reverse("comments:post", args=[post.pk]), data)
            if response.status_code != 302:
                rejections.append(response)
    services.approve(Comment.objects.all())
    return list(posts.values()), rejections


@pytest.fixture
def watched_page(new_page, live_server):
    """A page that records dialogs, console errors and requests to anywhere but the site."""
    page = new_page()
    page.events = {"dialogs": [], "console": [], "foreign_requests": []}
    page.on("dialog", lambda dialog: (page.events["dialogs"].append(dialog.message),
                                      dialog.dismiss()))
    # Same-origin 404s (a sanitized <img src=x>) are network noise, not script.
    page.on("console", lambda message: message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and page.events["console"].append(message.text))
    page.on("pageerror", lambda error: page.events["console"].append(str(error)))
    page.on("request", lambda request: request.url.startswith((live_server.url, "data:"))
            or page.events["foreign_requests"].append(request.url))
    return page


def assert_inert(page, where):
    page.wait_for_load_state("load")
    page.mouse.move(5, 5)
    live = page.evaluate(FIND_LIVE_HANDLERS)
    assert live == [], f"{where}: {live}"
    assert page.events == {"dialogs": [], "console": [], "foreign_requests": []}, where


def test_every_vector_in_every_comment_field_renders_inert(
        live_server, watched_page, vectors, open_policy):
    posts, rejections = submit_everywhere(vectors)

    for post in posts:
        watched_page.goto(f"{live_server.url}{post.get_absolute_url()}")
        assert_inert(watched_page, post.title)
    assert Comment.objects.count() > len(vectors)

    # Refused submissions come back with the reader's text in the form: those pages too,
    # replayed as the browser got them (with a 200, so only script errors reach the console).
    rejected_url = f"{live_server.url}/comments/rejected-for-test/"
    for response in rejections:
        watched_page.route(rejected_url, lambda route, _request, r=response: route.fulfill(
            status=200, body=r.content, headers={
                "Content-Type": r["Content-Type"],
                "Content-Security-Policy": r["Content-Security-Policy"]}))
        watched_page.goto(rejected_url)
        assert_inert(watched_page, response.content[:200])
        watched_page.unroute(rejected_url)


def test_every_vector_in_a_post_body_renders_inert(live_server, watched_page, vectors):
    # NUL cannot be stored in PostgreSQL text, and every form refuses it before it could be.
    body = "\n\n".join(vector.replace("\x00", "") for vector in vectors)
    markdown = PostFactory(title="Markdown vectors", body=body)
    html = PostFactory(title="HTML vectors", body=body, body_format="html")

    for post in (markdown, html):
        watched_page.goto(f"{live_server.url}{post.get_absolute_url()}")
        assert_inert(watched_page, post.title)
    watched_page.goto(f"{live_server.url}/")
    assert_inert(watched_page, "home page teasers")
