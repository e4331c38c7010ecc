"""
Full-page cache for anonymous readers, in front of Django, keyed by the content generation.

It wraps the WSGI application (archive_site/wsgi.py) rather than sitting among the middleware,
because a hit should cost about what serving a static file does, and Django's request handling
alone costs more than that (docs/performance.md). A hit never reaches Django; a miss goes
through it whole, and the page is stored with the final headers every middleware gave it.

What is stored: the answer to a GET made for nobody in particular (no session or messages
cookie, so no login, no pending comment, no flash message; no query parameters but the paging
ones), when it is a 200, not streamed, not marked private, and sets no cookie but the CSRF one.
Any change to content moves the generation on (archive_site.generations), so stored pages are
never hunted down: they simply stop being read.

Where: in the shared cache, and in front of it a copy in each process (PAGE_CACHE_LOCAL_BYTES),
so that a hit costs no round trip. The generation in the key is read through the cache's
process mirror, which every change empties on every node at once.

Per reader: forms in a stored page still work. Every value that must differ per request is cut
out of the page when it is stored, and filled in on each hit: the reader's CSRF secret (their
cookie's, or a new one with its cookie), and whatever apps declare in PAGE_CACHE_REFRESHERS (the
comment form's signed timestamp). No reader ever receives another reader's token. The secret
goes into forms unmasked, as Django accepts: masking defends against BREACH, which needs text
an attacker chose in the same compressed response, and a page shared by every reader has none.
"""

import functools
import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, parse_cookie
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.http import http_date
from django.utils.module_loading import import_string

from . import generations
from .fragments import LocalCopies

# Query parameters that select a page of something; anything else is not worth storing.
CACHEABLE_PARAMETERS = frozenset({"page", "cpage", "replytocom"})
# Headers that belong to one answer, not to the page: set afresh on every hit.
PER_ANSWER_HEADERS = frozenset({"set-cookie", "content-length", "date", "etag", "last-modified"})
VARY_ALLOWED = frozenset({"cookie", "accept-encoding"})
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]*)"')
_SECRET_CHARS = re.compile(f"[{re.escape(CSRF_ALLOWED_CHARS)}]{{{CSRF_SECRET_LENGTH}}}")
# os.urandom bytes as secret characters: 248 is 4 x 62, so dropping the bytes above it keeps
# every character equally likely.
_TO_SECRET_CHARS = bytes(CSRF_ALLOWED_CHARS.encode()[b % len(CSRF_ALLOWED_CHARS)]
                         for b in range(256))
_UNEVEN_BYTES = bytes(range(4 * len(CSRF_ALLOWED_CHARS), 256))


@dataclass(frozen=True)
class Refresher:
    """A per-request value in pages, renewed on every hit.

    When a page is stored, `pattern` finds the value (its group 1) and `parse` turns it into
    what `fill` needs, or None to leave it as it is; on every hit, `fill(parsed, reader)` gives
    the bytes that stand in its place.
    """

    pattern: re.Pattern
    parse: Callable[[bytes], object]
    fill: Callable[[object, "Reader"], bytes]


CSRF_REFRESHER = Refresher(pattern=CSRF_FIELD, parse=lambda value: True,
                           fill=lambda parsed, reader: reader.csrf_secret.encode())


@dataclass(frozen=True)
class Reader:
    """What a hit knows of whoever asked."""

    csrf_secret: str


@dataclass(frozen=True)
class Entry:
    status: str
    headers: tuple
    pieces: tuple  # the page's bytes around its per-request values
    slots: tuple  # (refresher name, parsed value) for each gap between pieces
    etag: str
    modified: str  # HTTP date
    size: int

    @property
    def has_form(self):
        return any(name == "csrf" for name, _ in self.slots)


def new_csrf_secret() -> str:
    while True:
        chars = os.urandom(2 * CSRF_SECRET_LENGTH).translate(_TO_SECRET_CHARS, _UNEVEN_BYTES)
        if len(chars) >= CSRF_SECRET_LENGTH:
            return chars[:CSRF_SECRET_LENGTH].decode()


@functools.cache
def refreshers() -> dict:
    """The CSRF secret, then the apps' own (PAGE_CACHE_REFRESHERS), by name."""
    named = {"csrf": CSRF_REFRESHER}
    named.update((path, import_string(path)) for path in settings.PAGE_CACHE_REFRESHERS)
    return named


def _request_key(environ):
    """The request's cache key without the generation, or None if it must reach Django."""
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return None
    query = environ.get("QUERY_STRING", "")
    if query and not {part.partition("=")[0] for part in query.split("&")} <= CACHEABLE_PARAMETERS:
        return None
    cookies = environ.get("HTTP_COOKIE")
    if cookies and (settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies):
        parsed = parse_cookie(cookies)
        if settings.SESSION_COOKIE_NAME in parsed or "messages" in parsed:
            return None
    # Everything the page may depend on, as sent: two spellings of one address are two entries.
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    return "\n".join((
        environ["wsgi.url_scheme"], environ.get(proxy_header[0], "") if proxy_header else "",
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), query,
    ))


def _reader(environ) -> Reader:
    secret = parse_cookie(environ.get("HTTP_COOKIE", "")).get(settings.CSRF_COOKIE_NAME, "")
    return Reader(csrf_secret=secret if _SECRET_CHARS.fullmatch(secret) else new_csrf_secret())


_SECRET_STAND_IN = "x" * CSRF_SECRET_LENGTH


@functools.lru_cache(maxsize=4)
def _csrf_cookie_template(second):
    """The Set-Cookie value Django's CSRF middleware would send now, with a stand-in secret."""
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME, _SECRET_STAND_IN, max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN, path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE, httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    return response.cookies[settings.CSRF_COOKIE_NAME].OutputString()


def _stored(status, headers, body) -> Entry:
    named = refreshers()
    found = sorted(
        (match.start(1), match.end(1), name, parsed)
        for name, refresher in named.items()
        for match in refresher.pattern.finditer(body)
        if (parsed := refresher.parse(match.group(1))) is not None
    )
    pieces, slots, position = [], [], 0
    for start, end, name, parsed in found:
        pieces.append(body[position:start])
        slots.append((name, parsed))
        position = end
    pieces.append(body[position:])
    digest = hashlib.sha256(repr(slots).encode())
    for piece in pieces:
        digest.update(piece)
    return Entry(
        status=status,
        headers=tuple((k, v) for k, v in headers if k.lower() not in PER_ANSWER_HEADERS),
        pieces=tuple(pieces), slots=tuple(slots), etag=digest.hexdigest()[:32],
        modified=http_date(), size=len(body) + 512,
    )


def _storable(environ, status, headers, result) -> bool:
    if environ["REQUEST_METHOD"] != "GET" or not status.startswith("200 "):
        return False
    if not isinstance(result, HttpResponse):  # streamed, or a file
        return False
    for name, value in headers:
        name = name.lower()
        if name == "set-cookie" and not value.lstrip().startswith(settings.CSRF_COOKIE_NAME + "="):
            return False  # a session, a message: something personal
        if name == "cache-control" and re.search(r"private|no-cache|no-store", value):
            return False
        if name == "vary" and not {v.strip().lower() for v in value.split(",")} <= VARY_ALLOWED:
            return False
    return True


def _served(entry, environ, start_response, state):
    headers = [("Last-Modified", entry.modified), ("X-Page-Cache", state)]
    reader = None
    if entry.has_form:
        # As Django's CSRF middleware does, the cookie goes with every form, renewing its age.
        reader = _reader(environ)
        headers.append(("Set-Cookie", _csrf_cookie_template(int(time.time())).replace(
            _SECRET_STAND_IN, reader.csrf_secret, 1)))
        # The reader's copy carries their secret: a copy made for another secret is not theirs.
        mark = hashlib.blake2b(reader.csrf_secret.encode(), digest_size=6).hexdigest()
        etag = f'"{entry.etag}-{mark}"'
    else:
        etag = f'"{entry.etag}"'
    headers.append(("ETag", etag))
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if (if_none_match == etag if if_none_match is not None
            else environ.get("HTTP_IF_MODIFIED_SINCE") == entry.modified):
        start_response("304 Not Modified", headers)
        return [b""]
    named = refreshers()
    parts = [entry.pieces[0]]
    for (name, parsed), piece in zip(entry.slots, entry.pieces[1:], strict=True):
        parts.append(named[name].fill(parsed, reader))
        parts.append(piece)
    body = b"".join(parts)
    start_response(entry.status, [*entry.headers, ("Content-Length", str(len(body))), *headers])
    return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


class PageCache:
    """WSGI middleware: anonymous pages from the cache, everything else from `application`."""

    def __init__(self, application):
        self.application = application
        self.local = LocalCopies(settings.PAGE_CACHE_LOCAL_BYTES)

    def __call__(self, environ, start_response):
        request_key = _request_key(environ)
        key = request_key and generations.key(
            "content", "page", hashlib.sha256(request_key.encode()).hexdigest())
        if key is None:
            return self.application(environ, start_response)
        entry = self.local.get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is None:
                return self._through(key, environ, start_response)
            self.local.put(key, entry, settings.PAGE_CACHE_SECONDS, entry.size)
        return _served(entry, environ, start_response, "hit")

    def _through(self, key, environ, start_response):
        answered = []

        def capture(status, headers, exc_info=None):
            answered[:] = [status, headers, exc_info]

        result = self.application(environ, capture)
        status, headers, exc_info = answered
        if not _storable(environ, status, headers, result):
            start_response(status, headers, exc_info)
            return result
        try:
            body = result.content
        finally:
            result.close()
        entry = _stored(status, headers, body)
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        self.local.put(key, entry, settings.PAGE_CACHE_SECONDS, entry.size)
        return _served(entry, environ, start_response, "miss")
