"""`fetch()` as this site uses it: the limits from the LINKBACKS_* settings, and a per-host rate
limit counted in the cache, so that every worker process shares one count.

Receiving (checking a source page) and sending (finding and calling a target's endpoint) both
fetch through `fetch_page`, so neither can be used to hammer a host or to reach our own network.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

from archive_site import ratelimit

from .fetch import FetchError, FetchPolicy, FetchResult, HostRateLimiter, InvalidUrl, fetch
from .html import decode_html

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# What we want back when checking a page for a link (Webmention 3.2.2 asks for an Accept header).
ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"


class RateLimited(FetchError):
    reason = "rate_limited"


class CacheCounter:
    """HostRateLimiter's counts in the Django cache, shared by every process using it."""

    def hit(self, key: str, *, window: float) -> int:
        return ratelimit.hit(key, window=window)


def fetch_policy() -> FetchPolicy:
    return FetchPolicy(
        timeout=settings.LINKBACKS_FETCH_TIMEOUT,
        max_bytes=settings.LINKBACKS_FETCH_MAX_BYTES,
        max_redirects=settings.LINKBACKS_FETCH_MAX_REDIRECTS,
        allow_private=settings.LINKBACKS_ALLOW_PRIVATE,
        treat_as_public=frozenset(
            ipaddress.ip_address(address) for address in settings.LINKBACKS_PUBLIC_ADDRESSES
        ),
        user_agent=f"{settings.SITE_TITLE} linkbacks (+{settings.SITE_URL}/)",
    )


def rate_limiter() -> HostRateLimiter:
    return HostRateLimiter(
        limit=settings.LINKBACKS_RATE_LIMIT, window=settings.LINKBACKS_RATE_PERIOD, store=CacheCounter()
    )


def fetch_page(url: str, **options) -> FetchResult:
    """`fetch(url, **options)` under the site's policy, once the host's rate limit allows it.
    Raises a FetchError subclass, RateLimited included, when there is no response."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError as error:  # e.g. an unclosed IPv6 bracket in a discovered endpoint
        raise InvalidUrl(f"{url!r} is not a valid URL: {error}") from error
    if not rate_limiter().allow(host):
        raise RateLimited(f"not fetching {url}: too many requests to {host} lately; try again later")
    return fetch(url, policy=fetch_policy(), **options)


def html_of(result: FetchResult) -> str | None:
    """The decoded page if the response is HTML (or untyped), else None."""
    if result.content_type and result.content_type not in HTML_TYPES:
        return None
    return decode_html(result.body, charset=result.charset)
