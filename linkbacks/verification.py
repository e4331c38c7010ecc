"""Checking a linkback before anything is stored, the same way for pingbacks, trackbacks and
webmentions: is the target one of our published posts, and does the source page really link
to it?

The source is fetched through linkbacks.fetching (http(s) only, one time budget, at most
1 MB, no private addresses, a per-host rate limit). The link must be an `<a href>` that
resolves to the target; the target's address merely appearing in the page is not enough.

Errors carry the Pingback 1.0 fault code that describes them; the trackback and Webmention
endpoints report the same errors in their own ways.
"""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import mf2py
from django.conf import settings
from django.urls import Resolver404, resolve

from posts.models import Post

from . import fetch
from .fetching import ACCEPT_HTML, RateLimited, fetch_page, html_of
from .html import excerpt_around_link, links_to, normalise_url, page_title

MAX_URL_LENGTH = 1000  # Comment.source_url and OutgoingLinkback.target hold no more
MAX_SUMMARY = 300  # characters of a microformats summary or content shown as the excerpt

# The views whose pages take linkbacks, and the kind of post each shows.
_POST_VIEWS = {
    "posts:post": Post.Kind.POST,
    "posts:undated_post": Post.Kind.POST,
    "posts:page": Post.Kind.PAGE,
}


class LinkbackError(Exception):
    fault_code = 0  # Pingback 1.0: "a generic fault code"


class SourceNotFound(LinkbackError):
    fault_code = 0x0010


class SourceGone(SourceNotFound):
    """The source answered 410 Gone: any mention from it should go too."""


class NoLink(LinkbackError):
    fault_code = 0x0011


class TargetNotFound(LinkbackError):
    fault_code = 0x0020


class TargetClosed(LinkbackError):
    fault_code = 0x0021


class AlreadyRegistered(LinkbackError):
    fault_code = 0x0030


class AccessDenied(LinkbackError):
    fault_code = 0x0031


class Busy(AccessDenied):
    """We fetched from the source's host too often lately; the same ping may work later."""


class UpstreamFailure(LinkbackError):
    fault_code = 0x0032


@dataclass(frozen=True)
class Source:
    """What a verified source page says about itself. Plain text throughout."""

    url: str
    title: str
    excerpt: str
    author_name: str = ""
    author_url: str = ""


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        normalise_url(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and len(url) <= MAX_URL_LENGTH


def canonical_url(url: str) -> str:
    """`url` as we store and compare it, so that one page pinging twice in different spellings
    (upper-case host, explicit default port, a fragment) is still one linkback."""
    if not is_http_url(url):
        raise SourceNotFound(f"{url[:200]!r} is not an http or https URL")
    return normalise_url(url)


def site_netloc(url: str) -> str:
    """Host and port as `normalise_url` writes them: "example.org", "localhost:8000"."""
    return urlsplit(normalise_url(url)).netloc


def find_target(target_url: str, *, hosts) -> Post:
    """The published post or page at `target_url`, which must be on one of `hosts` (host[:port]
    as requests name them). Raises TargetNotFound."""
    if not is_http_url(target_url):
        raise TargetNotFound(f"{target_url[:200]!r} is not an http or https URL")
    ours = {site_netloc(f"http://{host}") for host in hosts} | {site_netloc(settings.SITE_URL)}
    if site_netloc(target_url) not in ours:
        raise TargetNotFound(f"{target_url} is not on this site")
    path = unquote(urlsplit(target_url).path)
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    kind = _POST_VIEWS.get(match.view_name) if match else None
    if kind is None:
        raise TargetNotFound(f"{target_url} is not a post on this site")
    slug = match.kwargs.get("slug") or match.kwargs["path"].rsplit("/", 1)[-1]
    # The slug narrows it to a handful; the full address (date, parent pages) decides.
    for post in Post.objects.published().filter(kind=kind, slug=slug):
        if unquote(post.get_absolute_url()) == path:
            return post
    raise TargetNotFound(f"{target_url} is not a post on this site")


def verify_source(*, source_url: str, target_url: str, microformats: bool = False) -> Source:
    """Fetch `source_url` and confirm that it links to `target_url`; raises a LinkbackError.

    With `microformats`, an h-entry on the page supplies the author and a summary, as
    Webmention receivers conventionally show them.
    """
    result = _fetch_source(source_url)
    if result.status == 410:
        raise SourceGone(f"{source_url} is gone (HTTP 410)")
    if result.status >= 500:
        raise UpstreamFailure(f"{source_url} answered HTTP {result.status}")
    if result.status >= 400:
        raise SourceNotFound(f"{source_url} answered HTTP {result.status}")
    html = html_of(result)
    if html is None or not links_to(html, base_url=result.url, target=target_url):
        raise NoLink(f"{source_url} does not link to {target_url}")
    title = page_title(html)
    excerpt = excerpt_around_link(html, base_url=result.url, target=target_url)
    if not microformats:
        return Source(url=source_url, title=title, excerpt=excerpt)
    entry = _h_entry(html, base_url=result.url)
    return Source(
        url=source_url,
        title=title or entry.name,
        excerpt=entry.summary or excerpt,
        author_name=entry.author_name,
        author_url=entry.author_url,
    )


def _fetch_source(url: str) -> fetch.FetchResult:
    try:
        return fetch_page(url, headers={"Accept": ACCEPT_HTML})
    except RateLimited as error:
        raise Busy(str(error)) from error
    except (fetch.BlockedAddress, fetch.BadScheme) as error:
        raise AccessDenied(str(error)) from error
    except fetch.InvalidUrl as error:
        raise SourceNotFound(str(error)) from error
    except fetch.FetchError as error:  # timeouts, refused connections, broken HTTP, redirect loops
        raise UpstreamFailure(str(error)) from error


@dataclass(frozen=True)
class _Entry:
    name: str = ""
    summary: str = ""
    author_name: str = ""
    author_url: str = ""


def _h_entry(html: str, *, base_url: str) -> _Entry:
    """What the page's first h-entry says, as plain text.

    mf2py is always handed the page: given only a URL it would fetch it itself, unchecked.
    """
    parsed = mf2py.parse(doc=html, url=base_url, html_parser="lxml")
    entry = next((item for item in parsed["items"] if "h-entry" in item.get("type", ())), None)
    if entry is None:
        return _Entry()
    properties = entry.get("properties", {})
    author = (properties.get("author") or [""])[0]
    # An author is an h-card, or just a name.
    author_properties = author.get("properties", {}) if isinstance(author, dict) else {"name": [author]}
    author_url = _first_text(author_properties.get("url"))
    return _Entry(
        name=_collapse(_first_text(properties.get("name"))),
        summary=_shorten(_first_text(properties.get("summary")) or _first_text(properties.get("content"))),
        author_name=_collapse(_first_text(author_properties.get("name"))),
        author_url=author_url if is_http_url(author_url) else "",
    )


def _first_text(values) -> str:
    """The first value of an mf2 property as text: e-* properties are {"html", "value"}, nested
    microformats {"type", "properties", "value"}."""
    value = (values or [""])[0]
    if isinstance(value, dict):
        value = value.get("value", "")
    return value if isinstance(value, str) else ""


def _shorten(text: str) -> str:
    text = _collapse(text)
    if len(text) <= MAX_SUMMARY:
        return text
    return text[:MAX_SUMMARY].rsplit(" ", 1)[0] + " […]"


def _collapse(text: str) -> str:
    return " ".join(text.split())
