"""
Full-page cache for anonymous readers, keyed by the content generation.

A page is stored only when it was built for nobody in particular: a GET without a session or
messages cookie (so no login, no pending comment, no flash message), answered 200 with nothing
private in it. Any change to content moves the generation on (archive_site.generations), so
stored pages are never invalidated by hunting for keys: they simply stop being read.

Cached pages still carry working comment forms. The CSRF token in the stored copy is replaced by
a placeholder, and every hit fills in the reader's own token (and sets the CSRF cookie, through
CsrfViewMiddleware), so no reader ever receives another reader's token. Apps renew their own
per-request values (e.g. the comment form's signed timestamp) through PAGE_CACHE_REFRESHERS.
"""

import functools
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.http import http_date, quote_etag
from django.utils.module_loading import import_string

from . import generations

CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"__CSRF_TOKEN__"
# Query parameters that select a page of something; anything else is not worth storing.
CACHEABLE_PARAMETERS = {"page", "cpage", "replytocom"}
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Pingback")


def _is_cacheable_request(request):
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return set(request.GET) <= CACHEABLE_PARAMETERS


def _is_cacheable_response(response):
    if response.status_code != 200 or response.streaming:
        return False
    if response.has_header("Cache-Control") and (
        "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    ):
        return False
    # A response that starts a session or sets anything beyond the CSRF cookie is personal.
    return set(response.cookies) <= {settings.CSRF_COOKIE_NAME}


def _key(request):
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return generations.key("content", "page", url)


def _stored(response):
    body = CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    return {
        "body": body,
        "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        "etag": quote_etag(hashlib.sha256(body).hexdigest()[:32]),
        "modified": time.time(),
    }


@functools.cache
def _refreshers():
    """Apps' hooks that renew per-request values in a stored page (PAGE_CACHE_REFRESHERS)."""
    return [import_string(path) for path in settings.PAGE_CACHE_REFRESHERS]


def _not_modified(request, entry):
    if request.headers.get("If-None-Match") == entry["etag"]:
        return True
    since = request.headers.get("If-Modified-Since")
    return since is not None and since == http_date(entry["modified"])


def _served(request, entry):
    if _not_modified(request, entry):
        response = HttpResponseNotModified()
    else:
        body = entry["body"]
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        for refresh in _refreshers():
            body = refresh(request, body)
        response = HttpResponse(body)
        for name, value in entry["headers"].items():
            response[name] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["modified"])
    response["X-Page-Cache"] = "hit"
    return response


class PageCacheMiddleware:
    """Sits below the session and CSRF middleware and above everything that reads the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        entry = cache.get(key)
        if entry is not None:
            return _served(request, entry)
        response = self.get_response(request)
        if _is_cacheable_response(response):
            entry = _stored(response)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            response["ETag"] = entry["etag"]
            response["Last-Modified"] = http_date(entry["modified"])
            response["X-Page-Cache"] = "miss"
        return response
