"""The safe fetcher, against real local servers. Private-address tests never connect
anywhere: the address check comes first, and `socket_connects` proves it."""

import ipaddress
import time

import pytest

from linkbacks.fetch import (
    BadScheme,
    BlockedAddress,
    FetchPolicy,
    HostRateLimiter,
    InProcessCounter,
    InvalidUrl,
    Timeout,
    TooManyRedirects,
    UpstreamError,
    fetch,
    is_public_address,
)
from tests.linkbacks.http_server import LocalHTTPServer, Reply, public_policy


@pytest.fixture
def policy():
    return public_policy(timeout=5)


def header(result, name):
    return next((value for key, value in result.headers if key.lower() == name.lower()), None)


def test_fetches_a_page(http_server, policy):
    url = http_server.page(
        "/post", "<p>café</p>", content_type="text/html; charset=UTF-8", headers=[("X-Hi", "1")]
    )

    result = fetch(url, policy=policy)

    assert (result.url, result.status, result.truncated) == (url, 200, False)
    assert result.body == "<p>café</p>".encode()
    assert (result.content_type, result.charset) == ("text/html", "utf-8")
    assert header(result, "x-hi") == "1"
    sent = http_server.requests[0].headers
    assert sent["User-Agent"] == "archive_site linkbacks"
    assert sent["Accept-Encoding"] == "identity"
    assert sent["Host"] == f"127.0.0.1:{http_server.port}"


def test_error_statuses_are_results_not_exceptions(http_server, policy):
    result = fetch(http_server.page("/deleted", "gone", status=410), policy=policy)

    assert result.status == 410
    assert result.body == b"gone"


def test_missing_content_type_reads_as_empty(http_server, policy):
    url = http_server.add("/bare", lambda request: Reply(body=b"x"))

    result = fetch(url, policy=policy)

    assert (result.content_type, result.charset) == ("", None)


def test_posts_form_data_and_bytes(http_server, policy):
    url = http_server.page("/endpoint", "ok", status=202)

    fetch(url, policy=policy, method="POST", data={"source": "http://a/", "target": "http://b/"})
    fetch(url, policy=policy, method="POST", data=b"<xml/>", headers={"content-type": "text/xml"})

    form, xml = http_server.requests
    assert form.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form.body == b"source=http%3A%2F%2Fa%2F&target=http%3A%2F%2Fb%2F"
    assert (xml.headers["Content-Type"], xml.body) == ("text/xml", b"<xml/>")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "data:text/html,hi",
        "example.com/no-scheme",
    ],
)
def test_refuses_schemes_other_than_http_and_https(url, socket_connects):
    with pytest.raises(BadScheme) as caught:
        fetch(url)

    assert caught.value.reason == "bad_scheme"
    assert socket_connects == []


@pytest.mark.parametrize("url", ["http://", "http:///path", "http://example.com:99999/"])
def test_refuses_malformed_urls(url):
    with pytest.raises(InvalidUrl):
        fetch(url)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.0.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:169.254.169.254]",
        "[fd00::1]",
        "[fe80::1]",
        "localhost",
        "2130706433",  # 127.0.0.1 as one decimal number
    ],
)
def test_default_policy_blocks_private_addresses_without_connecting(http_server, host, socket_connects):
    with pytest.raises(BlockedAddress) as caught:
        fetch(f"http://{host}:{http_server.port}/")

    assert caught.value.reason == "blocked_address"
    assert "not a public internet address" in str(caught.value)
    assert socket_connects == []
    assert http_server.requests == []


def test_blocks_a_name_when_any_of_its_addresses_is_private(http_server, socket_connects):
    policy = public_policy(names={"public.test": "127.0.0.1"})
    both = FetchPolicy(
        resolver=lambda host: [*policy.resolver(host), ipaddress.ip_address("10.0.0.1")],
        treat_as_public=policy.treat_as_public,
    )

    with pytest.raises(BlockedAddress, match=r"10\.0\.0\.1"):
        fetch(http_server.url("/", host="public.test"), policy=both)

    assert socket_connects == []


@pytest.mark.parametrize(
    "target", ["http://127.0.0.2:{port}/", "http://[::1]:{port}/", "http://private.test:{port}/"]
)
def test_refuses_a_redirect_from_an_allowed_url_to_a_private_one(http_server, target, socket_connects):
    policy = public_policy(names={"public.test": "127.0.0.1", "private.test": "127.0.0.2"})
    start = http_server.redirect("/hop", to=target.format(port=http_server.port))

    with pytest.raises(BlockedAddress):
        fetch(start, policy=policy)

    assert [request.path for request in http_server.requests] == ["/hop"]
    assert socket_connects == [("127.0.0.1", http_server.port)]


def test_allow_private_lets_development_fetch_loopback(http_server):
    url = http_server.page("/local", "hi")

    assert fetch(url, policy=FetchPolicy(allow_private=True)).status == 200


def test_connects_to_the_checked_address_without_resolving_again(http_server, socket_connects):
    # A rebinding DNS server: a public-looking answer first, a private one afterwards.
    answers = [[ipaddress.ip_address("127.0.0.1")], [ipaddress.ip_address("127.0.0.3")]]
    policy = FetchPolicy(
        resolver=lambda host: answers.pop(0),
        treat_as_public=frozenset({ipaddress.ip_address("127.0.0.1")}),
    )
    url = http_server.page("/post", "hi")

    result = fetch(url.replace("127.0.0.1", "rebind.test"), policy=policy)

    assert result.status == 200
    assert len(answers) == 1  # looked up once
    assert socket_connects == [("127.0.0.1", http_server.port)]
    assert http_server.requests[0].headers["Host"] == f"rebind.test:{http_server.port}"


def test_follows_redirects_re_resolving_each_hop(http_server, policy):
    final = http_server.page("/final", "arrived")
    http_server.redirect("/two", to="/final", status=301)
    http_server.redirect("/one", to=http_server.url("/two", host="public.test"), status=307)
    start = http_server.redirect("/start", to="/one")

    result = fetch(start, policy=policy)

    assert (result.status, result.body, result.url) == (
        200,
        b"arrived",
        final.replace("127.0.0.1", "public.test"),
    )
    assert [request.path for request in http_server.requests] == ["/start", "/one", "/two", "/final"]


def test_gives_up_after_max_redirects(http_server, policy):
    for step in range(4):
        http_server.redirect(f"/{step}", to=f"/{step + 1}")
    http_server.page("/4", "too far")

    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        fetch(http_server.url("/0"), policy=policy)

    assert len(http_server.requests) == 4


def test_see_other_after_post_becomes_a_bodiless_get(http_server, policy):
    http_server.page("/thanks", "thanks")
    url = http_server.redirect("/endpoint", to="/thanks", status=303)

    fetch(url, policy=policy, method="POST", data={"source": "http://a/"})

    post, get = http_server.requests
    assert (post.method, get.method) == ("POST", "GET")
    assert get.body == b""
    assert "Content-Type" not in get.headers


def test_permanent_redirect_keeps_post_and_body(http_server, policy):
    http_server.page("/new", "ok")
    url = http_server.redirect("/old", to="/new", status=308)

    fetch(url, policy=policy, method="POST", data={"source": "http://a/"})

    assert [(r.method, r.body) for r in http_server.requests] == [
        ("POST", b"source=http%3A%2F%2Fa%2F"),
        ("POST", b"source=http%3A%2F%2Fa%2F"),
    ]


@pytest.mark.parametrize("in_headers", [False, True], ids=["slow body", "slow headers"])
def test_a_trickling_server_is_cut_off_at_the_deadline(http_server, in_headers):
    url = http_server.trickle("/slow", pause=0.5, in_headers=in_headers)
    started = time.monotonic()

    with pytest.raises(Timeout, match=r"within 1\.5 s"):
        fetch(url, policy=public_policy(timeout=1.5))

    assert time.monotonic() - started < 2.5


def test_the_deadline_covers_name_lookups():
    def slow_resolver(host):
        time.sleep(1)
        return []

    started = time.monotonic()
    with pytest.raises(Timeout):
        fetch("http://slow.test/", policy=FetchPolicy(timeout=0.3, resolver=slow_resolver))

    assert time.monotonic() - started < 0.8


def test_a_huge_body_is_read_only_up_to_max_bytes(http_server, policy):
    result = fetch(http_server.huge("/huge", size=5_000_000), policy=policy)

    assert result.truncated
    assert len(result.body) == 1_000_000
    assert result.body.startswith(b"<p>xxx")


def test_a_body_of_exactly_max_bytes_is_not_truncated(http_server):
    url = http_server.huge("/exact", size=1000)

    result = fetch(url, policy=public_policy(max_bytes=1000))

    assert (len(result.body), result.truncated) == (1000, False)


def test_a_refused_connection_is_an_upstream_error(policy):
    closed = LocalHTTPServer()
    closed.close()

    with pytest.raises(UpstreamError) as caught:
        fetch(closed.url("/"), policy=policy)

    assert caught.value.reason == "upstream_error"


def test_an_unknown_host_is_an_upstream_error(policy):
    with pytest.raises(UpstreamError, match=r"looking up nowhere\.test failed"):
        fetch("http://nowhere.test/", policy=policy)


def test_https_checks_the_certificate_against_the_host_name(https_server, test_ca_context):
    https_server.page("/secure", "secret")
    policy = public_policy(names={"public.test": "127.0.0.1"}, tls_context=test_ca_context)

    result = fetch(https_server.url("/secure", host="public.test"), policy=policy)

    assert (result.status, result.body) == (200, b"secret")
    assert https_server.server_names == ["public.test"]
    assert https_server.requests[0].headers["Host"] == f"public.test:{https_server.port}"


def test_https_refuses_a_certificate_for_another_name(https_server, test_ca_context):
    https_server.page("/secure", "secret")
    policy = public_policy(names={"other.test": "127.0.0.1"}, tls_context=test_ca_context)

    with pytest.raises(UpstreamError, match=r"not valid for other\.test"):
        fetch(https_server.url("/secure", host="other.test"), policy=policy)

    assert https_server.requests == []


def test_https_refuses_an_untrusted_certificate_by_default(https_server):
    https_server.page("/secure", "secret")

    with pytest.raises(UpstreamError, match="not valid"):
        fetch(https_server.url("/secure", host="public.test"), policy=public_policy())


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1",
        "100.127.255.255", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255",
        "192.0.2.1", "::", "::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "fc00::1",
        "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "2001:db8::1", "2002:a00:1::1",
        "64:ff9b::a00:1",
    ],
)  # fmt: skip
def test_non_public_addresses(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "1.1.1.1", "100.128.0.1", "2606:4700::1111", "::ffff:1.1.1.1"]
)
def test_public_addresses(address):
    assert is_public_address(ipaddress.ip_address(address))


def test_rate_limiter_counts_per_host_per_window():
    now = [0.0]
    limiter = HostRateLimiter(limit=2, window=60, store=InProcessCounter(clock=lambda: now[0]))

    assert [limiter.allow("Example.com"), limiter.allow("example.com.")] == [True, True]
    assert not limiter.allow("example.com")
    assert limiter.allow("other.example")
    now[0] = 60.0
    assert limiter.allow("example.com")
