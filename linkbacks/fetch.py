"""The one HTTP fetcher for linkbacks (and, later, imported media).

A pingback, trackback or webmention asks us to fetch a URL of the sender's choosing. Done
naively, that lets anyone make this server hit its own network, the cloud metadata service
(169.254.169.254) or, multiplied by thousands of blogs, a third party: the pingback DDoS of
WordPress changeset 24917 and CVE-2014-5265. So every fetch here:

- speaks only http and https;
- resolves the host itself and refuses if *any* of its addresses is not public;
- connects to the address it checked, never resolving the name a second time, so a DNS
  server that answers differently the second time (DNS rebinding) gains nothing;
- follows at most a few redirects, checking each hop the same way;
- spends one time budget on everything: lookups, connects, TLS, headers, body, redirects;
- reads at most `max_bytes` of body and then stops reading.

`HostRateLimiter` caps how often we fetch from any one host; callers ask it before `fetch`.
"""

import functools
import http.client
import ipaddress
import queue
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, urlencode, urljoin, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_READ_CHUNK = 64 * 1024
# Characters left alone when percent-encoding a request path or query: the reserved and
# unreserved ones, and "%" so that existing escapes survive.
_URL_SAFE = "/%:@!$&'()*+,;=-._~"


def is_public_address(address: IPAddress) -> bool:
    """Whether `address` is an ordinary internet address that we may connect to.

    IPv6 forms that carry an IPv4 address (::ffff:a.b.c.d, 6to4) are judged by that
    IPv4 address, so ::ffff:127.0.0.1 is loopback like 127.0.0.1.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return is_public_address(embedded)
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address in _CGNAT
    )


def resolve_host(host: str) -> list[IPAddress]:
    """Every address the system resolver gives for `host`, in its order of preference."""
    addresses: list[IPAddress] = []
    for *_, sockaddr in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


@dataclass(frozen=True)
class FetchPolicy:
    """How far a fetch may go. The defaults are the production ones.

    `timeout` is one budget for the whole fetch, redirects included, not a per-read limit.

    `resolver` and `treat_as_public` let tests stand a loopback server in for the internet:
    map a made-up name such as "public.test" to 127.0.0.1 and treat exactly that address as
    public, while every other private address (127.0.0.2, ::1, 10.x, …) stays blocked.
    Production leaves both alone. `allow_private` (development only) turns the address
    check off altogether.

    `tls_context` defaults to the system's verifying context; tests pass one that trusts
    their own certificate authority.
    """

    timeout: float = 10.0
    max_bytes: int = 1_000_000
    max_redirects: int = 3
    allow_private: bool = False
    user_agent: str = "archive_site linkbacks"
    resolver: Callable[[str], Sequence[IPAddress]] = resolve_host
    treat_as_public: frozenset[IPAddress] = frozenset()
    tls_context: ssl.SSLContext | None = None


@dataclass(frozen=True)
class FetchResult:
    """A response, whatever its status: a 404 or 410 is an answer, not an error.

    Only the first `max_bytes` of the body are read. `truncated` says there was more;
    that is fine for finding a link near the top of a page, and a caller that needs
    whole bodies (media downloads) should refuse truncated results.
    """

    url: str  # after redirects
    status: int
    headers: tuple[tuple[str, str], ...]  # as received: in order, repeats kept
    body: bytes
    truncated: bool
    content_type: str  # lower-case media type without parameters; "" when not given
    charset: str | None  # from the Content-Type header, lower-case


class FetchError(Exception):
    """A fetch that produced no response. str(error) is for people; `reason` is a stable
    code for logs and for choosing a pingback fault or webmention error."""

    reason = "fetch_failed"


class InvalidUrl(FetchError):
    reason = "invalid_url"


class BadScheme(InvalidUrl):
    reason = "bad_scheme"


class BlockedAddress(FetchError):
    reason = "blocked_address"


class Timeout(FetchError):
    reason = "timeout"


class TooManyRedirects(FetchError):
    reason = "too_many_redirects"


class UpstreamError(FetchError):
    """The other side failed us: no such host, refused connection, bad TLS, broken HTTP."""

    reason = "upstream_error"


def fetch(
    url: str,
    *,
    policy: FetchPolicy = FetchPolicy(),
    method: str = "GET",
    data: bytes | Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> FetchResult:
    """Fetch `url` under `policy`, following redirects. Raises a FetchError subclass when
    there is no response to return.

    A mapping as `data` is sent form-encoded; bytes are sent as they are, with whatever
    Content-Type the caller puts in `headers`. Caller headers override ours except Host,
    which always names the URL's host.
    """
    deadline = _Deadline(policy.timeout, url=url)
    body, content_type = _encode_body(data)
    extra_headers = {name.title(): value for name, value in (headers or {}).items()}
    if content_type:
        extra_headers.setdefault("Content-Type", content_type)
    for _ in range(policy.max_redirects + 1):
        target = _parse_target(url)
        addresses = _checked_addresses(target, policy=policy, deadline=deadline)
        request_headers = _request_headers(
            target, policy=policy, extra=extra_headers, has_body=body is not None
        )
        result, location = _exchange(
            target,
            addresses=addresses,
            method=method,
            body=body,
            headers=request_headers,
            policy=policy,
            deadline=deadline,
        )
        if location is None:
            return result
        url = urljoin(url, location)
        method = _method_after_redirect(result.status, method)
        if method in ("GET", "HEAD"):
            body = None
    raise TooManyRedirects(f"gave up on {deadline.url}: more than {policy.max_redirects} redirects")


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII hostname or IP literal, without brackets
    port: int
    path: str  # the request target: percent-encoded path and query


def _parse_target(url: str) -> _Target:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"{url!r} is not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise BadScheme(f"refusing {url!r}: only http and https URLs are fetched")
    host = parts.hostname
    if not host:
        raise InvalidUrl(f"{url!r} has no host")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise InvalidUrl(f"{url!r} has an invalid host name: {exc}") from exc
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_URL_SAFE + "?")
    default_port = 443 if parts.scheme == "https" else 80
    return _Target(url=url, scheme=parts.scheme, host=host, port=port or default_port, path=path)


class _Deadline:
    """The one time budget of a fetch, spent by every lookup, connect and read of every hop."""

    def __init__(self, seconds: float, *, url: str):
        self.seconds = seconds
        self.url = url
        self._expires_at = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self._expires_at - time.monotonic()
        if left <= 0:
            raise self.exceeded()
        return left

    def exceeded(self) -> Timeout:
        return Timeout(f"gave up on {self.url}: no complete response within {self.seconds:g} s")


def _checked_addresses(target: _Target, *, policy: FetchPolicy, deadline: _Deadline) -> list[IPAddress]:
    """The addresses to connect to for `target`, refusing the host if any one is not public.

    Checking every address, not just the first, matters: a name with one public and one
    private address would otherwise reach the private one whenever the public one fails.
    """
    try:
        addresses = [ipaddress.ip_address(target.host)]
    except ValueError:
        addresses = _resolve(target.host, resolver=policy.resolver, deadline=deadline)
    if not addresses:
        raise UpstreamError(f"cannot fetch {target.url}: {target.host} has no addresses")
    if policy.allow_private:
        return addresses
    for address in addresses:
        if address not in policy.treat_as_public and not is_public_address(address):
            raise BlockedAddress(
                f"refusing {target.url}: {target.host} is at {address}, which is not a public "
                "internet address"
            )
    return addresses


def _resolve(host: str, *, resolver: Callable, deadline: _Deadline) -> list[IPAddress]:
    # getaddrinfo has no timeout of its own, so it runs on a thread of its own and we wait
    # only as long as the budget allows. An abandoned lookup ends whenever the resolver does.
    answers: queue.SimpleQueue = queue.SimpleQueue()

    def look_up() -> None:
        try:
            answers.put(list(resolver(host)))
        except Exception as exc:
            answers.put(exc)

    threading.Thread(target=look_up, name=f"resolve {host}", daemon=True).start()
    try:
        answer = answers.get(timeout=deadline.remaining())
    except queue.Empty:
        raise deadline.exceeded() from None
    if isinstance(answer, TimeoutError):
        raise deadline.exceeded() from answer
    if isinstance(answer, OSError):
        raise UpstreamError(f"cannot fetch {deadline.url}: looking up {host} failed: {answer}")
    if isinstance(answer, Exception):
        raise answer
    return answer


def _request_headers(
    target: _Target, *, policy: FetchPolicy, extra: Mapping[str, str], has_body: bool
) -> dict[str, str]:
    # http.client would derive Host from the port it connects to and get https wrong
    # (it assumes 80 is the default), so we always send our own.
    host = f"[{target.host}]" if ":" in target.host else target.host
    if target.port != (443 if target.scheme == "https" else 80):
        host = f"{host}:{target.port}"
    headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "identity"}
    headers.update(extra)
    if not has_body:
        headers.pop("Content-Type", None)
    headers["Host"] = host
    return headers


def _encode_body(data: bytes | Mapping[str, str] | None) -> tuple[bytes | None, str | None]:
    if isinstance(data, Mapping):
        return urlencode(data).encode("ascii"), "application/x-www-form-urlencoded"
    return data, None


def _method_after_redirect(status: int, method: str) -> str:
    """The method for the next hop, as browsers do it: 307 and 308 keep the method and body,
    303 turns anything but HEAD into GET, and 301 and 302 turn a POST into a GET."""
    if status == 303 and method != "HEAD":
        return "GET"
    if status in (301, 302) and method == "POST":
        return "GET"
    return method


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP or HTTPS connection to addresses that were already checked.

    http.client would resolve the hostname again when connecting, reopening the gap that
    DNS rebinding exploits. This connects to the checked addresses instead; the hostname is
    still what the Host header, TLS SNI and the certificate check use.
    """

    def __init__(
        self,
        target: _Target,
        *,
        addresses: Sequence[IPAddress],
        deadline: _Deadline,
        tls_context: ssl.SSLContext | None,
    ):
        super().__init__(target.host, target.port)
        self._addresses = addresses
        self._deadline = deadline
        self._tls_context = tls_context  # None for plain http
        # The socket stays here after http.client hands it over to the response and clears
        # self.sock, so that the deadline can still cut it off.
        self.connected_socket: socket.socket | None = None

    def connect(self) -> None:
        sock = _connect_any(self._addresses, self.port, deadline=self._deadline)
        if self._tls_context is not None:
            sock = self._tls_context.wrap_socket(
                sock, server_hostname=self.host, do_handshake_on_connect=False
            )
        # Published before the TLS handshake so that the deadline can cut a slow one off.
        self.sock = self.connected_socket = sock
        if self._tls_context is not None:
            sock.do_handshake()


def _connect_any(addresses: Sequence[IPAddress], port: int, *, deadline: _Deadline):
    """A socket connected to the first of `addresses` that answers."""
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout=deadline.remaining())
        except OSError as exc:
            error = exc
    raise error  # addresses is never empty, so this is the last failure


def _exchange(
    target: _Target,
    *,
    addresses: Sequence[IPAddress],
    method: str,
    body: bytes | None,
    headers: Mapping[str, str],
    policy: FetchPolicy,
    deadline: _Deadline,
) -> tuple[FetchResult, str | None]:
    """One request and its response, without following redirects. Returns the result and,
    for a redirect, where it points; a redirect's body is not read."""
    tls_context = None
    if target.scheme == "https":
        tls_context = policy.tls_context or _default_tls_context()
    connection = _PinnedConnection(target, addresses=addresses, deadline=deadline, tls_context=tls_context)
    try:
        with _cut_off_at(deadline, connection):
            connection.request(method, target.path, body=body, headers=headers)
            response = connection.getresponse()
            location = None
            if response.status in REDIRECT_STATUSES:
                location = response.getheader("Location")
            if location is None:
                content, truncated = _read_at_most(response, limit=policy.max_bytes)
            else:
                content, truncated = b"", False
    except FetchError:
        raise
    except TimeoutError as exc:
        raise deadline.exceeded() from exc
    except ssl.SSLCertVerificationError as exc:
        raise UpstreamError(
            f"cannot fetch {target.url}: the TLS certificate is not valid for {target.host}: "
            f"{exc.verify_message}"
        ) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise UpstreamError(f"cannot fetch {target.url}: {type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()
    message = response.msg
    result = FetchResult(
        url=target.url,
        status=response.status,
        headers=tuple(message.items()),
        body=content,
        truncated=truncated,
        content_type=message.get_content_type() if "Content-Type" in message else "",
        charset=message.get_content_charset(),
    )
    return result, location


@functools.cache
def _default_tls_context() -> ssl.SSLContext:
    """The system's verifying context, built once: loading the CA store is not free."""
    return ssl.create_default_context()


@contextmanager
def _cut_off_at(deadline: _Deadline, connection: _PinnedConnection) -> Iterator[None]:
    """Hold the connection to the deadline, however slowly the server trickles.

    Socket timeouts bound each read, not their sum: a server sending a byte every half
    second never trips them. At the deadline this shuts the socket down under the reader;
    whatever error or early end of data that causes is reported as a Timeout.
    """
    fired = threading.Event()

    def cut_off() -> None:
        fired.set()
        sock = connection.connected_socket
        if sock is not None:
            # socket.socket.shutdown, not SSLSocket.shutdown: the latter also drops the TLS
            # state that the reading thread is using.
            with suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    timer = threading.Timer(deadline.remaining(), cut_off)
    timer.daemon = True
    timer.start()
    try:
        yield
    except (OSError, http.client.HTTPException) as exc:
        if fired.is_set():
            raise deadline.exceeded() from exc
        raise
    finally:
        timer.cancel()
    if fired.is_set():
        raise deadline.exceeded()


def _read_at_most(response: http.client.HTTPResponse, *, limit: int) -> tuple[bytes, bool]:
    """Up to `limit` bytes of body, and whether there was more. The rest is never read."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        # read1 returns whatever one read brings, where read(n) would wait for all n bytes.
        chunk = response.read1(min(_READ_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    body = b"".join(chunks)
    return body[:limit], len(body) > limit


class CounterStore(Protocol):
    """Where HostRateLimiter keeps its counts. A Django cache makes a good one:
    `cache.add(key, 0, timeout=window)` then `return cache.incr(key)`."""

    def hit(self, key: str, *, window: float) -> int:
        """Count one event under `key`; return the count in the current window."""


class InProcessCounter:
    """A CounterStore in this process's memory, with fixed windows. Each process counts on
    its own, so several workers need a shared store instead."""

    _PRUNE_ABOVE = 10_000  # keys; beyond this, expired windows are dropped

    def __init__(self, *, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (window ends at, count)

    def hit(self, key: str, *, window: float) -> int:
        now = self._clock()
        with self._lock:
            ends_at, count = self._windows.get(key, (0.0, 0))
            if ends_at <= now:
                ends_at, count = now + window, 0
            self._windows[key] = (ends_at, count + 1)
            if len(self._windows) > self._PRUNE_ABOVE:
                self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
            return count + 1


class HostRateLimiter:
    """At most `limit` fetches per `window` seconds from any one host, so nobody can use our
    linkback checks to hammer a site. Ask `allow(host)` before each fetch."""

    def __init__(self, *, limit: int, window: float, store: CounterStore | None = None):
        self.limit = limit
        self.window = window
        self.store = store or InProcessCounter()

    def allow(self, host: str) -> bool:
        key = "linkbacks:fetch-host:" + host.lower().rstrip(".")
        return self.store.hit(key, window=self.window) <= self.limit
