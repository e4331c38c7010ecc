"""The Webmention endpoint against the receiver requirements of the W3C Recommendation that can
be checked offline: request verification (3.2.1), webmention verification, updates and deletes
(3.2.2-3.2.4) and the security considerations (4). Sources are pages on a real local server."""

import pytest

from comments import services
from comments.models import Comment
from posts.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

ENDPOINT = "/webmention/"


@pytest.fixture(autouse=True)
def _settings(linkback_settings):
    linkback_settings.COMMENTS_HOLD_ALL = True


@pytest.fixture
def target(post):
    return "http://testserver" + post.get_absolute_url()


def linking_page(target, *, text="these notes", title="Bean diary"):
    return f"<title>{title}</title><p>My beans grew after <a href='{target}'>{text}</a> said so.</p>"


@pytest.fixture
def mention(client, django_capture_on_commit_callbacks):
    """Send a webmention and let the verification task run, as a worker would."""

    def send(source, target):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(ENDPOINT, {"source": source, "target": target})
        return response

    return send


# --- 3.2.1 Request verification --------------------------------------------------------------


def test_a_valid_request_is_accepted_with_202_and_verified_afterwards(
    client, http_server, post, target, django_capture_on_commit_callbacks
):
    source = http_server.page("/diary", linking_page(target))

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(ENDPOINT, {"source": source, "target": target})

    assert response.status_code == 202
    assert "Location" not in response.headers  # only a 201 carries one
    assert http_server.requests == []  # the source is fetched later, not during the request
    assert not post.comments.exists()

    for callback in queued:
        callback()
    mention = post.comments.get()
    assert (mention.kind, mention.source_url, mention.status) == (
        Comment.Kind.WEBMENTION, source, Comment.Status.PENDING)


@pytest.mark.parametrize("missing", ["source", "target"])
def test_source_and_target_are_required(client, target, missing):
    data = {"source": "https://elsewhere.example/post", "target": target}
    del data[missing]
    assert client.post(ENDPOINT, data).status_code == 400


@pytest.mark.parametrize(
    "url",
    ["ftp://elsewhere.example/post", "javascript:alert(1)", "/relative/post/", "http://", "mailto:a@b.c"],
)
def test_source_and_target_must_be_http_urls(client, target, url):
    assert client.post(ENDPOINT, {"source": url, "target": target}).status_code == 400
    assert client.post(ENDPOINT, {"source": "https://elsewhere.example/p", "target": url}).status_code == 400


def test_the_source_must_differ_from_the_target(client, target):
    for source in (target, target.replace("http://testserver", "HTTP://TESTSERVER:80") + "#top"):
        response = client.post(ENDPOINT, {"source": source, "target": target})
        assert response.status_code == 400
        assert "same page" in response.text


def test_the_target_must_be_on_this_site(client, post):
    response = client.post(ENDPOINT, {"source": "https://elsewhere.example/p",
                                      "target": "https://other.example" + post.get_absolute_url()})
    assert response.status_code == 400
    assert "not on this site" in response.text


def test_the_target_must_be_a_published_post(client):
    draft = PostFactory(status=Post.Status.DRAFT)
    for path in (draft.get_absolute_url(), "/no-such-page/", "/category/nothing/"):
        response = client.post(ENDPOINT, {"source": "https://elsewhere.example/p",
                                          "target": "http://testserver" + path})
        assert response.status_code == 400


def test_the_target_must_accept_webmentions(client, linkback_settings):
    closed = PostFactory(ping_status=Post.Discussion.CLOSED)
    data = {"source": "https://elsewhere.example/p",
            "target": "http://testserver" + closed.get_absolute_url()}
    assert client.post(ENDPOINT, data).status_code == 400

    linkback_settings.LINKBACKS_ACCEPT = False
    data["target"] = "http://testserver" + PostFactory().get_absolute_url()
    assert client.post(ENDPOINT, data).status_code == 400


def test_the_endpoint_takes_only_post(client):
    assert client.get(ENDPOINT).status_code == 405


# --- 3.2.2 Webmention verification -----------------------------------------------------------


def test_verification_asks_for_html_and_follows_redirects(mention, http_server, post, target):
    page = http_server.page("/diary", linking_page(target))
    source = http_server.redirect("/old-diary", to=page, status=301)

    mention(source, target)

    redirect, fetched = http_server.requests
    assert (redirect.path, fetched.path) == ("/old-diary", "/diary")
    assert redirect.headers["Accept"].startswith("text/html")
    assert post.comments.get().source_url == source


def test_a_source_that_does_not_link_creates_nothing(mention, http_server, post, target):
    assert mention(http_server.page("/diary", "<p>No links here.</p>"), target).status_code == 202
    assert not post.comments.exists()


def test_the_link_must_be_an_href_not_the_address_in_text(mention, http_server, post, target):
    source = http_server.page("/diary", f"<p>{target}</p><img src='{target}'><a href='{target}x'>x</a>")
    mention(source, target)
    assert not post.comments.exists()


def test_a_non_html_source_does_not_count(mention, http_server, post, target):
    source = http_server.page("/diary.txt", linking_page(target), content_type="text/plain")
    mention(source, target)
    assert not post.comments.exists()


def test_microformats_give_the_author_and_the_text(mention, http_server, post, target):
    source = http_server.page("/diary", f"""
        <title>Diary – Allotment</title>
        <article class="h-entry">
          <a class="p-author h-card" href="https://alex.example/">Alex Gardener</a>
          <div class="e-content">Replying to <a href="{target}">the beans post</a>: mine came up too.</div>
        </article>""")

    mention(source, target)

    mention_ = post.comments.get()
    assert (mention_.author_name, mention_.author_url) == ("Alex Gardener", "https://alex.example/")
    assert mention_.body == "Replying to the beans post: mine came up too."
    assert mention_.source_title == "Diary – Allotment"


# --- 3.2.4 Updates and deletes ---------------------------------------------------------------


def test_a_repeated_mention_updates_the_existing_one(mention, http_server, post, target):
    source = http_server.page("/diary", linking_page(target, text="these notes"))
    mention(source, target)
    first = post.comments.get()
    services.approve(Comment.objects.filter(pk=first.pk))

    http_server.page("/diary", linking_page(target, text="the updated notes"))
    mention(source, target)

    updated = post.comments.get()
    assert updated.pk == first.pk
    assert "the updated notes" in updated.body
    assert updated.status == Comment.Status.APPROVED


def test_a_source_that_stops_linking_removes_the_mention(mention, http_server, post, target):
    source = http_server.page("/diary", linking_page(target))
    mention(source, target)
    services.approve(post.comments.all())

    http_server.page("/diary", "<p>I took the link out.</p>")
    mention(source, target)

    assert not post.comments.exists()
    assert Post.objects.get(pk=post.pk).comment_count == 0


def test_a_source_that_is_gone_removes_the_mention(mention, http_server, post, target):
    source = http_server.page("/diary", linking_page(target))
    mention(source, target)

    http_server.page("/diary", "Deleted.", status=410)
    mention(source, target)

    assert not post.comments.exists()


def test_a_source_that_is_merely_unreachable_keeps_the_mention(mention, http_server, post, target):
    source = http_server.page("/diary", linking_page(target))
    mention(source, target)

    http_server.page("/diary", "Down for maintenance.", status=503)
    mention(source, target)

    assert post.comments.count() == 1


# --- 4 Security considerations ---------------------------------------------------------------


def test_mentions_are_moderated_like_comments(mention, http_server, post, target, settings):
    settings.COMMENTS_HOLD_ALL = False
    settings.COMMENTS_BLOCKLIST = {"words": ["casino"], "ips": [], "emails": [], "urls": []}

    mention(http_server.page("/good", linking_page(target)), target)
    mention(http_server.page("/bad", linking_page(target, title="Best casino")), target)

    statuses = dict(post.comments.values_list("source_url", "status"))
    assert statuses == {http_server.url("/good"): "approved", http_server.url("/bad"): "spam"}


def test_a_private_source_is_never_fetched(
    mention, post, target, private_blocked, http_server, socket_connects
):
    http_server.page("/diary", linking_page(target))

    for source in (http_server.url("/diary"), "http://10.0.0.1/diary", "http://169.254.169.254/"):
        assert mention(source, target).status_code == 202

    assert not post.comments.exists()
    assert http_server.requests == [] and socket_connects == []


def test_what_the_source_says_is_shown_as_text(mention, http_server, post, target, client):
    page = linking_page(target, title="<script>alert(1)</script>", text="&lt;b&gt;bold&lt;/b&gt; notes")
    source = http_server.page("/diary", page)
    mention(source, target)
    services.approve(post.comments.all())

    page = client.get(post.get_absolute_url()).text

    assert "<script>alert(1)" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)" in page
