"""The checks shared by all three kinds of linkback: finding the target post, fetching and
reading the source under the site's limits, and the switches that close a post to linkbacks.
Also the advertising of our endpoints on post pages."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from comments.moderation import Policy
from linkbacks import verification
from linkbacks.fetching import fetch_policy
from linkbacks.policy import LinkbackPolicy, accepts_linkbacks
from linkbacks.verification import (
    AccessDenied,
    Busy,
    NoLink,
    SourceGone,
    SourceNotFound,
    TargetNotFound,
    UpstreamFailure,
    find_target,
    verify_source,
)
from posts.models import Post
from tests.factories import PageFactory, PostFactory

HOSTS = ("testserver",)


def test_the_fetch_policy_comes_from_settings(settings):
    settings.LINKBACKS_FETCH_TIMEOUT = 4
    settings.LINKBACKS_FETCH_MAX_BYTES = 1234
    settings.LINKBACKS_FETCH_MAX_REDIRECTS = 2
    settings.LINKBACKS_PUBLIC_ADDRESSES = ["192.0.2.7"]

    policy = fetch_policy()

    assert (policy.timeout, policy.max_bytes, policy.max_redirects) == (4, 1234, 2)
    assert not policy.allow_private
    assert [str(address) for address in policy.treat_as_public] == ["192.0.2.7"]


# --- the target ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_targets_are_found_by_their_full_address(settings):
    settings.SITE_URL = "https://blog.example"
    post = PostFactory(slug="bohnen-grün")
    undated = PostFactory(published_at=None)
    parent = PageFactory(slug="garden")
    child = PageFactory(slug="beds", parent=parent)

    assert find_target("http://testserver" + post.get_absolute_url(), hosts=HOSTS) == post
    assert find_target("https://blog.example" + post.get_absolute_url() + "#comments", hosts=()) == post
    assert find_target("http://testserver" + undated.get_absolute_url(), hosts=HOSTS) == undated
    assert find_target("http://testserver/garden/beds/", hosts=HOSTS) == child
    assert find_target("http://testserver/garden/", hosts=HOSTS) == parent


@pytest.mark.django_db
def test_anything_else_is_not_a_target():
    post = PostFactory(published_at=timezone.make_aware(datetime.datetime(2020, 5, 1, 12)))
    draft = PostFactory(status=Post.Status.DRAFT)
    wrong_date = post.get_absolute_url().replace("/05/01/", "/05/02/")
    for url in (
        "http://elsewhere.example" + post.get_absolute_url(),
        "http://testserver" + wrong_date,
        "http://testserver" + draft.get_absolute_url(),
        "http://testserver/category/nothing/",
        "http://testserver/beds/",  # a child page's slug, without its parent
        "ftp://testserver" + post.get_absolute_url(),
    ):
        with pytest.raises(TargetNotFound):
            find_target(url, hosts=HOSTS)


# --- the source ------------------------------------------------------------------------------

TARGET = "http://testserver/2020/01/01/beans/"


@pytest.fixture
def page(http_server, linkback_settings):
    def serve(body, **options):
        return http_server.page("/source", body, **options)

    return serve


def test_a_relative_link_counts_once_resolved(page, http_server):
    # The page says its links are relative to the target's site.
    source = page("<base href='http://testserver/2020/'><title>Diary</title><p>See <a href='01/01/beans/'>"
                  "the beans</a> today.</p>")

    found = verify_source(source_url=source, target_url=TARGET)

    assert (found.url, found.title, found.excerpt) == (source, "Diary", "[…] See the beans today. […]")


@pytest.mark.parametrize(
    ("status", "error"), [(404, SourceNotFound), (410, SourceGone), (500, UpstreamFailure)]
)
def test_error_statuses(page, status, error):
    with pytest.raises(error):
        verify_source(source_url=page(f"<a href='{TARGET}'>x</a>", status=status), target_url=TARGET)


def test_unreachable_and_invalid_sources(http_server, linkback_settings):
    with pytest.raises(UpstreamFailure):
        verify_source(source_url="http://no-such-host.invalid/", target_url=TARGET)
    with pytest.raises(SourceNotFound):
        verify_source(source_url="http://[::1/", target_url=TARGET)
    with pytest.raises(AccessDenied):
        verify_source(source_url=http_server.redirect("/r", to="file:///etc/passwd"), target_url=TARGET)


def test_non_html_does_not_link(page):
    with pytest.raises(NoLink):
        verify_source(source_url=page(TARGET, content_type="text/plain"), target_url=TARGET)


def test_fetches_are_rate_limited_per_host(page, http_server, linkback_settings):
    linkback_settings.LINKBACKS_RATE_LIMIT = 2
    source = page(f"<a href='{TARGET}'>x</a>")

    for _ in range(2):
        verify_source(source_url=source, target_url=TARGET)
    with pytest.raises(Busy):
        verify_source(source_url=source, target_url=TARGET)

    # Another host name for the same server has a count of its own.
    verify_source(source_url=http_server.url("/source", host="localhost"), target_url=TARGET)
    assert len(http_server.requests) == 3


def test_microformats_are_read_only_from_the_fetched_page(page, socket_connects, http_server):
    # An h-card whose photo and URL point elsewhere: nothing but the source may be fetched.
    source = page(f"""<div class="h-entry"><div class="p-author h-card"><img class="u-photo"
        src="http://10.0.0.1/me.jpg"><a class="p-name u-url" href="javascript:x()">Sam</a></div>
        <p class="p-summary">{"Beans. " * 80}</p><a href="{TARGET}">x</a></div>""")

    found = verify_source(source_url=source, target_url=TARGET, microformats=True)

    assert (found.author_name, found.author_url) == ("Sam", "")
    assert len(found.excerpt) <= 310 and found.excerpt.endswith("[…]")
    assert {address[0] for address in socket_connects} == {"127.0.0.1"}
    assert len(http_server.requests) == 1


# --- the switches ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_linkbacks_need_both_switches_and_a_recent_enough_post(settings):
    policy = Policy.current()
    post = PostFactory(published_at=timezone.now() - datetime.timedelta(days=30))

    assert accepts_linkbacks(post, policy=policy)
    assert not accepts_linkbacks(PostFactory(ping_status=Post.Discussion.CLOSED), policy=policy)
    assert not accepts_linkbacks(post, policy=dataclasses.replace(policy, close_after_days=10))
    settings.LINKBACKS_ACCEPT = False
    assert not accepts_linkbacks(post, policy=policy)


@pytest.mark.django_db
def test_the_linkback_policy_follows_pings_not_comments():
    post = PostFactory(comment_status=Post.Discussion.CLOSED, ping_status=Post.Discussion.OPEN)
    policy = LinkbackPolicy.current()

    assert policy.accepts_comments(post)
    assert not Policy.current().accepts_comments(post)
    assert not policy.over_rate_limit("203.0.113.9")


# --- advertising -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_post_pages_advertise_the_endpoints(client):
    post = PostFactory()

    response = client.get(post.get_absolute_url())

    assert response.headers["X-Pingback"] == "http://testserver/xmlrpc/"
    assert response.headers["Link"] == '<http://testserver/webmention/>; rel="webmention"'
    assert '<link rel="pingback" href="http://testserver/xmlrpc/">' in response.text
    assert '<link rel="webmention" href="http://testserver/webmention/">' in response.text


@pytest.mark.django_db
def test_pages_that_take_no_linkbacks_do_not_advertise(client):
    closed = PostFactory(ping_status=Post.Discussion.CLOSED)

    for response in (client.get(closed.get_absolute_url()), client.get("/")):
        assert "X-Pingback" not in response.headers and "Link" not in response.headers
        assert 'rel="pingback"' not in response.text


def test_canonical_urls_make_one_page_one_source():
    assert verification.canonical_url("HTTP://Example.ORG:80/a b#frag") == "http://example.org/a%20b"
