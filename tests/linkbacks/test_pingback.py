"""Pingback 1.0 against the running site: a real xmlrpc.client.ServerProxy calls live_server,
and the source pages come from a real HTTP server on 127.0.0.1. Each fault code is tested in
the case the spec names it for; the SSRF cases never connect anywhere but loopback."""

import http.client
import time
import xmlrpc.client
from urllib.parse import urlsplit

import pytest

from comments import services
from comments.models import Comment
from posts.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def server(live_server, linkback_settings):
    # Closed at the end, so that the live server's thread for this keep-alive connection ends
    # with the test rather than whenever the proxy is garbage-collected.
    with xmlrpc.client.ServerProxy(f"{live_server.url}/xmlrpc/") as proxy:
        yield proxy


@pytest.fixture
def target(live_server, post):
    return live_server.url + post.get_absolute_url()


def linking_page(target, *, title="Bean diary"):
    return f"<title>{title}</title><p>My beans grew after <a href='{target}'>these notes</a> said so.</p>"


def fault_of(call, *args):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args)
    return info.value.faultCode


def test_a_valid_pingback_is_held_then_approved_and_shown(server, http_server, post, target, client):
    source = http_server.page("/diary", linking_page(target))

    answer = server.pingback.ping(source, target)

    assert "registered" in answer
    pingback = Comment.objects.get(post=post)
    assert (pingback.kind, pingback.status) == (Comment.Kind.PINGBACK, Comment.Status.PENDING)
    assert (pingback.source_url, pingback.source_title, pingback.author_name) == (
        source, "Bean diary", "Bean diary")
    assert pingback.body == "[…] My beans grew after these notes said so. […]"
    assert "these notes said so" not in client.get(post.get_absolute_url()).text

    services.approve(Comment.objects.filter(pk=pingback.pk))

    page = client.get(post.get_absolute_url()).text
    assert "Bean diary" in page and "these notes said so" in page
    assert Post.objects.get(pk=post.pk).comment_count == 1


def test_0x0010_when_the_source_does_not_exist(server, http_server, target):
    assert fault_of(server.pingback.ping, http_server.url("/missing"), target) == 0x0010


def test_0x0011_when_the_source_does_not_link_to_the_target(server, http_server, target):
    # The address in the text, or inside another link, is not a link to it.
    source = http_server.page(
        "/unrelated", f"<p>See {target} or <a href='{target}extra/'>this</a>.</p>"
    )
    assert fault_of(server.pingback.ping, source, target) == 0x0011


@pytest.mark.parametrize("path", ["/2001/01/01/no-such-post/", "/category/nothing/", "/nowhere/"])
def test_0x0020_when_the_target_does_not_exist(server, http_server, live_server, path):
    target = live_server.url + path
    source = http_server.page("/diary", linking_page(target))
    assert fault_of(server.pingback.ping, source, target) == 0x0020


def test_0x0020_for_a_draft_or_another_site(server, http_server, live_server):
    draft = PostFactory(status=Post.Status.DRAFT)
    for target in (live_server.url + draft.get_absolute_url(), "https://elsewhere.example/post/"):
        source = http_server.page("/diary", linking_page(target))
        assert fault_of(server.pingback.ping, source, target) == 0x0020


def test_0x0021_when_the_target_takes_no_pings(server, http_server, live_server, linkback_settings):
    closed = PostFactory(ping_status=Post.Discussion.CLOSED)
    target = live_server.url + closed.get_absolute_url()
    source = http_server.page("/diary", linking_page(target))
    assert fault_of(server.pingback.ping, source, target) == 0x0021

    linkback_settings.LINKBACKS_ACCEPT = False
    open_post = PostFactory()
    target = live_server.url + open_post.get_absolute_url()
    assert fault_of(server.pingback.ping, http_server.page("/other", linking_page(target)), target) == 0x0021


def test_0x0030_for_a_second_identical_ping(server, http_server, post, target):
    source = http_server.page("/diary", linking_page(target))
    server.pingback.ping(source, target)

    assert fault_of(server.pingback.ping, source, target) == 0x0030
    # Spelled differently, it is still the same page.
    assert fault_of(server.pingback.ping, source.replace("http://", "HTTP://"), target) == 0x0030
    assert Comment.objects.filter(post=post).count() == 1


def test_0x0031_when_the_source_is_refused(server, target):
    assert fault_of(server.pingback.ping, "http://10.0.0.1/post/", target) == 0x0031


def test_0x0032_when_the_source_server_fails(server, http_server, target):
    assert fault_of(server.pingback.ping, http_server.page("/broken", "oops", status=503), target) == 0x0032


def test_pings_are_taken_when_comments_are_closed_but_pings_open(server, http_server, live_server):
    post = PostFactory(comment_status=Post.Discussion.CLOSED)
    target = live_server.url + post.get_absolute_url()
    server.pingback.ping(http_server.page("/diary", linking_page(target)), target)
    assert post.comments.get().kind == Comment.Kind.PINGBACK


def test_system_list_methods(server):
    assert "pingback.ping" in server.system.listMethods()


def test_unknown_methods_and_wrong_arguments_are_faults(server, target):
    assert fault_of(server.pingback.pong, "x") == -32601
    assert fault_of(server.pingback.ping, target) == -32602
    assert fault_of(server.pingback.ping, 1, 2) == -32602


def post_raw(live_server, body: bytes, *, method="POST"):
    parts = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, "/xmlrpc/", body=body, headers={"Content-Type": "text/xml"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_entities_are_refused_unexpanded(live_server, linkback_settings):
    laughs = b"".join(
        b'<!ENTITY %c "%s">' % (name, b"&%c;" % (name - 1) * 10) for name in range(ord("b"), ord("k"))
    )
    bomb = (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "lol">' + laughs
            + b"]><methodCall><methodName>&j;</methodName></methodCall>")

    status, body = post_raw(live_server, bomb)

    assert status == 200
    with pytest.raises(xmlrpc.client.Fault) as info:
        xmlrpc.client.loads(body)
    assert info.value.faultCode == -32700


def test_requests_over_the_size_limit_are_refused_unread(live_server, linkback_settings):
    linkback_settings.LINKBACKS_MAX_REQUEST_BYTES = 1000
    status, _ = post_raw(live_server, xmlrpc.client.dumps(("x" * 2000, "y"), "pingback.ping").encode())
    assert status == 413


def test_only_post_is_answered(live_server, linkback_settings):
    assert post_raw(live_server, b"", method="GET")[0] == 405


# --- SSRF: with private addresses blocked, none of these is fetched --------------------------


@pytest.mark.parametrize(
    "source",
    [
        "http://127.0.0.1:{port}/diary",
        "http://10.0.0.1/diary",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/diary",
        "http://localhost:{port}/diary",  # a name that resolves to loopback
    ],
)
def test_private_sources_are_refused(server, http_server, target, private_blocked, socket_connects, source):
    http_server.page("/diary", linking_page(target))

    assert fault_of(server.pingback.ping, source.format(port=http_server.port), target) == 0x0031

    assert http_server.requests == []
    assert {address[0] for address in socket_connects} <= {"127.0.0.1"}  # only the call to live_server


@pytest.mark.parametrize(
    "hop", ["http://127.0.0.2:{port}/diary", "http://[::1]:{port}/diary", "http://169.254.169.254/latest/"]
)
def test_a_redirect_to_a_private_address_is_refused(server, http_server, target, socket_connects, hop):
    http_server.page("/diary", linking_page(target))
    source = http_server.redirect("/moved", to=hop.format(port=http_server.port))

    assert fault_of(server.pingback.ping, source, target) == 0x0031

    assert [request.path for request in http_server.requests] == ["/moved"]
    assert {address[0] for address in socket_connects} <= {"127.0.0.1"}


def test_a_slow_source_is_cut_off(server, http_server, target, linkback_settings):
    linkback_settings.LINKBACKS_FETCH_TIMEOUT = 1
    source = http_server.trickle("/slow", pause=0.2)

    started = time.monotonic()
    assert fault_of(server.pingback.ping, source, target) == 0x0032
    assert time.monotonic() - started < 3


def test_a_huge_source_is_read_only_up_to_the_limit(server, http_server, target):
    # The link comes after the first megabyte, so it is never seen.
    padding = "<p>" + "beans " * 200_000 + "</p>"
    source = http_server.page("/huge", f"<title>Long</title>{padding}{linking_page(target)}")

    assert fault_of(server.pingback.ping, source, target) == 0x0011
    assert fault_of(server.pingback.ping, http_server.huge("/endless", size=20_000_000), target) == 0x0011
