"""Read replicas: where reads and writes go, and that a writer always reads their own writes.

The replica is a second alias on the test database (TEST MIRROR, as settings.py configures
DATABASE_REPLICA_URLS). It shares the primary's connection, so that it sees each test's
uncommitted rows: the tests check routing decisions, not replication.
"""

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from archive_site import db_router
from comments.moderation import Policy
from posts.models import Post, Tag
from tests.factories import PostFactory
from tests.site.test_statelessness import read_settings

REPLICA = "replica"
PIN_MIDDLEWARE = "archive_site.db_router.PrimaryPinMiddleware"


@pytest.fixture
def replica(settings):
    """A replica alias reading the test database, with the router and middleware installed."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.DATABASE_REPLICA_LAG_SECONDS = 5
    settings.DATABASE_ROUTERS = ["archive_site.db_router.PrimaryReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
                      PIN_MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    db_router._last_flag_refresh = 0.0
    connections[REPLICA] = connections[DEFAULT_DB_ALIAS]
    yield REPLICA
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def reads(replica, monkeypatch):
    """The alias of every read the router sends somewhere, in order."""
    routed = []
    decide = db_router.PrimaryReplicaRouter.db_for_read

    def recording(self, model, **hints):
        routed.append(decide(self, model, **hints))
        return routed[-1]

    monkeypatch.setattr(db_router.PrimaryReplicaRouter, "db_for_read", recording)
    return routed


def in_request(view, *, method="GET", cookies=None):
    """Run `view(request)` inside PrimaryPinMiddleware, as a request would."""
    request = RequestFactory().generic(method, "/")
    request.COOKIES.update(cookies or {})
    outcome = {}

    def get_response(request):
        outcome["value"] = view(request)
        return HttpResponse()

    response = db_router.PrimaryPinMiddleware(get_response)(request)
    return outcome["value"], response


def read_alias(request=None):
    return Post.objects.all().db


def test_a_page_reads_from_a_replica_and_writes_go_to_the_primary(replica):
    (reads, writes), _ = in_request(
        lambda request: (read_alias(), router.db_for_write(Post)))
    assert reads == REPLICA
    assert writes == DEFAULT_DB_ALIAS


def test_outside_a_request_everything_reads_the_primary(replica):
    # Commands, tasks and the shell usually write next, or have just written.
    assert read_alias() == DEFAULT_DB_ALIAS


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_request_that_may_write_reads_the_primary_throughout(replica, method):
    reads, _ = in_request(read_alias, method=method)
    assert reads == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_a_get_that_writes_reads_the_primary_from_then_on_and_pins_the_reader(replica):
    def view(request):
        before = read_alias()
        Tag.objects.create(name="beans", slug="beans")
        return before, read_alias()

    (before, after), response = in_request(view)
    assert (before, after) == (REPLICA, DEFAULT_DB_ALIAS)
    pin = response.cookies[db_router.PIN_COOKIE]
    assert pin["max-age"] == 5 and pin["httponly"]


def test_a_pinned_reader_reads_the_primary_until_the_cookie_expires(replica):
    pinned, _ = in_request(read_alias, cookies={db_router.PIN_COOKIE: "1"})
    unpinned, response = in_request(read_alias)
    assert (pinned, unpinned) == (DEFAULT_DB_ALIAS, REPLICA)
    assert db_router.PIN_COOKIE not in response.cookies  # reading alone pins nobody


@pytest.mark.django_db
def test_any_write_sends_every_reader_to_the_primary_for_a_while(replica, redis_cache):
    # Cached pages are keyed by a generation the write just moved: whoever builds the new
    # page must not build it from a replica that has not caught up.
    PostFactory()  # outside any request: an import, a task, the admin in another process
    assert in_request(read_alias)[0] == DEFAULT_DB_ALIAS

    cache.delete(db_router.RECENT_WRITE_KEY)  # DATABASE_REPLICA_LAG_SECONDS later
    assert in_request(read_alias)[0] == REPLICA


@pytest.mark.django_db
def test_the_window_starts_again_when_a_long_transaction_commits(
    replica, redis_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        PostFactory()
        PostFactory()
        cache.delete(db_router.RECENT_WRITE_KEY)  # the transaction outlasted the window
    assert cache.get(db_router.RECENT_WRITE_KEY)


def test_only_the_primary_is_migrated(replica):
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "posts")
    assert not router.allow_migrate(REPLICA, "posts")


def test_objects_from_replica_and_primary_may_be_related(replica):
    on_replica, on_primary = Post(), Tag()
    on_replica._state.db, on_primary._state.db = REPLICA, DEFAULT_DB_ALIAS
    assert router.allow_relation(on_replica, on_primary)


@pytest.mark.django_db
def test_a_reader_sees_their_own_comment_at_once(reads, client, settings):
    """Over HTTP: pages read the replica; posting a comment pins the writer to the primary."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.COMMENTS_MIN_SECONDS = 0
    post = PostFactory()
    url = post.get_absolute_url()
    cache.delete(db_router.RECENT_WRITE_KEY)  # the post was written a while ago

    def routed(send):
        reads.clear()
        return send(), set(reads)

    page, aliases = routed(lambda: client.get(url))
    assert page.status_code == 200 and aliases == {REPLICA}

    form = {"author_name": "Ann Gardener", "author_email": "ann@example.org", "author_url": "",
            "body": "Mine, at once.", "parent": "", "homepage": "",
            "token": Policy.current().issue_token(post)}
    sent, aliases = routed(lambda: client.post(reverse("comments:post", args=[post.pk]), form))
    assert sent.status_code == 302 and aliases == {DEFAULT_DB_ALIAS}
    assert db_router.PIN_COOKIE in sent.cookies

    mine, aliases = routed(lambda: client.get(url))
    assert aliases == {DEFAULT_DB_ALIAS} and "Mine, at once." in mine.text

    del client.cookies[db_router.PIN_COOKIE]
    cache.delete(db_router.RECENT_WRITE_KEY)
    later, aliases = routed(lambda: client.get(url))
    assert aliases == {REPLICA} and "Mine, at once." in later.text  # the session remembers it


def test_replica_urls_become_aliases_behind_the_router(monkeypatch, tmp_path):
    values = read_settings(monkeypatch, tmp_path, DATABASE_URL="postgres://app@primary/site",
                           DATABASE_REPLICA_URLS="postgres://app@r1/site, postgres://app@r2/site")
    assert values["DATABASE_REPLICAS"] == ["replica1", "replica2"]
    assert values["DATABASES"]["replica2"]["HOST"] == "r2"
    assert values["DATABASES"]["replica1"]["TEST"] == {"MIRROR": "default"}
    assert values["DATABASE_ROUTERS"] == ["archive_site.db_router.PrimaryReplicaRouter"]
    middleware = values["MIDDLEWARE"]
    assert middleware.index(PIN_MIDDLEWARE) == (
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1)

    single = read_settings(monkeypatch, tmp_path, DATABASE_URL="postgres://app@primary/site")
    assert single["DATABASE_REPLICAS"] == [] and "DATABASE_ROUTERS" not in single
