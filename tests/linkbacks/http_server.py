"""A real HTTP(S) server on 127.0.0.1 for linkback tests: actual sockets, no mocks.

Get one from the `http_server` (or `https_server`) fixture in conftest.py, add routes and
fetch their URLs:

    def test_something(http_server):
        post = http_server.page("/post", "<a href='https://example.com/'>hi</a>",
                                headers=[("Link", '</webmention>; rel="webmention"')])
        old = http_server.redirect("/old", to=post)        # 302 unless status= says otherwise
        http_server.add("/xmlrpc", lambda request: Reply(body=b"<methodResponse>…"))
        ...
        http_server.requests    # a RecordedRequest(method, path, headers, body) per request

Every route helper returns the absolute URL of its route; `url(path, host=...)` builds
others, e.g. with a made-up host name. Routes match on the path without the query string;
an unknown path gets a 404. Besides `page`, `redirect` and `add` there are `trickle` (one
byte every `pause` seconds, in the body or while still sending headers) and `huge` (a big
body, streamed). An HTTPS server records the SNI names clients sent in `server_names`.

To fetch from it, `public_policy()` builds a FetchPolicy under which 127.0.0.1 counts as a
public address and made-up names ("public.test") resolve to it, so the real address check
still runs and every other private address stays blocked.
"""

import ipaddress
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from linkbacks.fetch import FetchPolicy

PUBLIC_LOOPBACK = ipaddress.ip_address("127.0.0.1")


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # as sent, query string included
    headers: Message  # case-insensitive: request.headers["host"]
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""


Responder = Callable[[RecordedRequest], Reply]
# A route writes the whole response itself, so it can also misbehave on purpose.
_Route = Callable[[BaseHTTPRequestHandler, RecordedRequest], None]


class LocalHTTPServer:
    """A threaded HTTP server on host:<free port>, serving until `close()`."""

    def __init__(self, *, host: str = "127.0.0.1", tls_context: ssl.SSLContext | None = None):
        self.host = host
        self.scheme = "https" if tls_context else "http"
        self.requests: list[RecordedRequest] = []
        self.server_names: list[str | None] = []
        self._routes: dict[str, _Route] = {}
        if tls_context is not None:
            tls_context.sni_callback = self._record_server_name
        self._server = _Server((host, 0), owner=self, tls_context=tls_context)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, path: str = "/", *, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def add(self, path: str, respond: Responder) -> str:
        """Answer requests for `path` with whatever `respond(request)` returns."""
        self._routes[path] = lambda handler, request: _send(handler, respond(request))
        return self.url(path)

    def page(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: Sequence[tuple[str, str]] = (),
    ) -> str:
        content = body.encode("utf-8") if isinstance(body, str) else body
        reply = Reply(status=status, headers=[("Content-Type", content_type), *headers], body=content)
        return self.add(path, lambda request: reply)

    def redirect(self, path: str, *, to: str, status: int = 302) -> str:
        return self.add(path, lambda request: Reply(status=status, headers=[("Location", to)]))

    def trickle(self, path: str, *, pause: float = 0.5, count: int = 60, in_headers: bool = False) -> str:
        """A server that sends one byte every `pause` seconds, `count` times: in the body,
        or (in_headers=True) inside a header line that never ends."""
        start = b"X-Slow: " if in_headers else b"Content-Type: text/html\r\n\r\n"

        def route(handler: BaseHTTPRequestHandler, request: RecordedRequest) -> None:
            handler.wfile.write(b"HTTP/1.0 200 OK\r\n" + start)
            for _ in range(count):
                time.sleep(pause)
                handler.wfile.write(b"x")

        self._routes[path] = route
        return self.url(path)

    def huge(self, path: str, *, size: int = 5_000_000) -> str:
        """A `size`-byte HTML body, streamed in chunks with a Content-Length."""

        def route(handler: BaseHTTPRequestHandler, request: RecordedRequest) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(size))
            handler.end_headers()
            chunk = b"<p>" + b"x" * 65_529 + b"</p>\n"
            for offset in range(0, size, len(chunk)):
                handler.wfile.write(chunk[: size - offset])

        self._routes[path] = route
        return self.url(path)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        request = RecordedRequest(
            method=handler.command,
            path=handler.path,
            headers=handler.headers,
            body=handler.rfile.read(length),
        )
        self.requests.append(request)
        route = self._routes.get(urlsplit(handler.path).path)
        if route is None:
            _send(handler, Reply(status=404, body=b"not found"))
        else:
            route(handler, request)

    def _record_server_name(self, tls_socket, server_name, context) -> None:
        self.server_names.append(server_name)


def public_policy(*, names: Mapping[str, str] | None = None, **options: object) -> FetchPolicy:
    """A FetchPolicy that treats 127.0.0.1 as a public address, with a resolver that knows
    only `names` (default: "public.test" -> 127.0.0.1). Unknown names fail to resolve,
    so tests never reach a real DNS server. `options` are other FetchPolicy fields."""
    addresses = {
        name: ipaddress.ip_address(address)
        for name, address in (names or {"public.test": "127.0.0.1"}).items()
    }

    def resolve(host: str) -> list:
        if host not in addresses:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is not a test host name")
        return [addresses[host]]

    return FetchPolicy(resolver=resolve, treat_as_public=frozenset({PUBLIC_LOOPBACK}), **options)


@dataclass(frozen=True)
class Certificates:
    authority: Path  # the test CA's certificate, for clients to trust
    certificate: Path  # the server's, for the names it was made for
    key: Path


def make_certificates(directory: Path, *, names: Sequence[str]) -> Certificates:
    """A throwaway certificate authority and a server certificate it signed for `names`."""
    ca_key, ca, key, request, certificate, extensions = (
        directory / name for name in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem", "san.cnf")
    )
    extensions.write_text("subjectAltName=" + ",".join(f"DNS:{name}" for name in names))
    ec_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for command in (
        ["req", "-x509", *ec_key, "-keyout", ca_key, "-out", ca, "-days", "2",
         "-subj", "/CN=linkbacks test CA"],
        ["req", *ec_key, "-keyout", key, "-out", request, "-subj", f"/CN={names[0]}"],
        ["x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
         "-days", "2", "-extfile", extensions, "-out", certificate],
    ):  # fmt: skip
        subprocess.run(["openssl", *map(str, command)], check=True, capture_output=True)
    return Certificates(authority=ca, certificate=certificate, key=key)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, *, owner: LocalHTTPServer, tls_context: ssl.SSLContext | None):
        self.owner = owner
        self.tls_context = tls_context
        super().__init__(address, _Handler)

    def get_request(self):
        sock, address = super().get_request()
        if self.tls_context is not None:
            # The handshake then happens on the first read, in the request's own thread,
            # so a client that refuses our certificate cannot stall the accept loop.
            sock = self.tls_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address) -> None:
        # Clients in these tests hang up on purpose: timeouts, size caps, refused TLS.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    timeout = 10  # a client that never sends a request does not hold a thread forever

    def do_GET(self) -> None:
        self.server.owner._handle(self)

    do_HEAD = do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests look at `requests` instead."""


def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    handler.send_response(reply.status)
    for name, value in reply.headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(reply.body)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(reply.body)
