"""The legacy TrackBack endpoint: a form POST answered with the spec's XML. Unlike WordPress we
fetch the source, and a trackback stays held until it has been seen to link to the post."""

import pytest
from defusedxml import ElementTree

from comments.models import Comment
from linkbacks.receiving import VERIFIED_AT
from posts.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(linkback_settings):
    # The policy would publish at once; only the missing verification holds a trackback.
    linkback_settings.COMMENTS_HOLD_ALL = False


def endpoint(post):
    return f"/trackback/{post.pk}/"


def answer(response):
    """(error, message) from the XML response."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "response"
    return root.findtext("error"), root.findtext("message")


def ping(client, post, **data):
    return client.post(endpoint(post), {"title": "Bean diary", "excerpt": "Mine came up too.",
                                        "blog_name": "Allotment", **data})


def test_a_trackback_is_held_until_verified_then_moderated(
    client, http_server, post, django_capture_on_commit_callbacks
):
    source = http_server.page("/diary", f"<p>After <a href='http://testserver{post.get_absolute_url()}'>"
                                        "these notes</a>, mine came up.</p>")

    with django_capture_on_commit_callbacks() as queued:
        response = ping(client, post, url=source)

    assert answer(response) == ("0", None)
    trackback = post.comments.get()
    assert (trackback.kind, trackback.status) == (Comment.Kind.TRACKBACK, Comment.Status.PENDING)
    assert (trackback.author_name, trackback.source_title, trackback.body) == (
        "Allotment", "Bean diary", "[…] Mine came up too. […]")
    assert VERIFIED_AT not in trackback.meta
    assert http_server.requests == []

    for callback in queued:
        callback()

    trackback.refresh_from_db()
    assert trackback.status == Comment.Status.APPROVED
    assert VERIFIED_AT in trackback.meta
    assert Post.objects.get(pk=post.pk).comment_count == 1


def test_a_trackback_whose_source_does_not_link_is_removed(
    client, http_server, post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ping(client, post, url=http_server.page("/diary", "<p>No link.</p>"))

    assert answer(response) == ("0", None)
    assert not post.comments.exists()


def test_a_trackback_needs_an_http_url(client, post):
    for url in ("", "ftp://elsewhere.example/", "javascript:alert(1)"):
        error, message = answer(ping(client, post, url=url))
        assert error == "1" and "http" in message
    assert not post.comments.exists()


def test_only_published_posts_take_trackbacks(client):
    draft = PostFactory(status=Post.Status.DRAFT)
    error, message = answer(ping(client, draft, url="https://elsewhere.example/"))
    assert error == "1" and f"no post {draft.pk}" in message
    assert answer(client.post("/trackback/999999/", {"url": "https://elsewhere.example/"}))[0] == "1"


def test_a_post_with_pings_closed_refuses_trackbacks(client):
    closed = PostFactory(ping_status=Post.Discussion.CLOSED)
    error, message = answer(ping(client, closed, url="https://elsewhere.example/"))
    assert error == "1" and "does not take" in message


def test_a_repeated_trackback_is_refused(client, post):
    ping(client, post, url="https://elsewhere.example/diary")
    error, message = answer(ping(client, post, url="https://ELSEWHERE.example/diary"))
    assert error == "1" and "already registered" in message
    assert post.comments.count() == 1


def test_the_endpoint_takes_only_post(client, post):
    assert client.get(endpoint(post)).status_code == 405


def test_long_excerpts_are_shortened(client, post):
    ping(client, post, url="https://elsewhere.example/diary", excerpt="beans " * 200)
    body = post.comments.get().body
    assert len(body) < 320 and body.endswith("[…]")
