"""Sending pingbacks and webmentions for our own posts.

For each page a published post links to, find where that page takes notifications (Webmention
first, then Pingback), notify it, and record the attempt in an OutgoingLinkback. Every fetch
goes through linkbacks.fetching, under the same limits as receiving: no private addresses
(Webmention 4.3: a sender must not be turned against its own network), one time budget, a size
cap, a per-host rate limit.

Nothing is sent twice for the same version of a post: saving it unchanged sends nothing. When
the text changes, webmention targets are told again (they update or drop their mention), as
are targets the post no longer links to; a pingback, which cannot be updated, is sent once.
Timeouts, 5xx and 429 answers and our own rate limit are retried with exponential backoff.
"""

import hashlib
import xmlrpc.client
from collections import Counter
from datetime import timedelta
from urllib.parse import urldefrag

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from posts.models import Post

from . import fetch
from .fetching import ACCEPT_HTML, RateLimited, fetch_page, html_of
from .html import discover_endpoints, extract_links
from .models import OutgoingLinkback
from .verification import MAX_URL_LENGTH, site_netloc
from .xmlrpc import loads

Status = OutgoingLinkback.Status
Protocol = OutgoingLinkback.Protocol
ALREADY_REGISTERED = 0x0030  # Pingback faults: the receiver already has it ...
UPSTREAM_ERROR = 0x0032  # ... or could not fetch our page just now
# A claim this old belonged to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=15)
MAX_RESPONSE = 1000  # characters of an answer kept for the admin


class Transient(Exception):
    """Worth trying again later."""


class Permanent(Exception):
    """Trying again would give the same answer."""


def source_url(post: Post) -> str:
    return settings.SITE_URL + post.get_absolute_url()


def content_digest(post: Post, *, source: str) -> str:
    """What receivers see of the post: its address, title and text."""
    return hashlib.sha256("\n".join([source, post.title, post.body]).encode()).hexdigest()


def outbound_links(post: Post, *, source: str) -> list[str]:
    """The pages `post` links to, each once and without fragments (a fragment is a place in
    the same page), leaving out our own site unless LINKBACKS_SELF_PINGS."""
    own_site = site_netloc(settings.SITE_URL)
    links = []
    for link in extract_links(str(post.body_html), base_url=source):
        link = urldefrag(link).url
        if link in links or len(link) > MAX_URL_LENGTH:
            continue
        if site_netloc(link) == own_site and not settings.LINKBACKS_SELF_PINGS:
            continue
        links.append(link)
    return links


def send_for_post(*, post: Post, now=None) -> Counter:
    """Notify the targets of a published post that have not heard about this version of it.
    Returns how many targets ended in each status, plus "skipped"."""
    now = now or timezone.now()
    source = source_url(post)
    digest = content_digest(post, source=source)
    links = outbound_links(post, source=source)
    records = {record.target: record for record in post.outgoing_linkbacks.all()}
    unlinked = [target for target, record in records.items() if target not in links]
    # Targets that never heard from us need not hear that the link is gone.
    OutgoingLinkback.objects.filter(
        post=post, target__in=unlinked, status__in=[Status.PENDING, Status.RETRYING]
    ).update(status=Status.FAILED, next_retry_at=None, response="The post no longer links here.")
    told_before = [
        target for target in unlinked
        if records[target].status == Status.SENT and records[target].protocol == Protocol.WEBMENTION
    ]
    report = Counter()
    for target in links + told_before:
        record = records.get(target) or OutgoingLinkback.objects.get_or_create(post=post, target=target)[0]
        if not _due(record, digest=digest, now=now) or not _claim(record, now=now):
            report["skipped"] += 1
            continue
        _attempt(record, source=source, digest=digest, linked=target in links, now=now)
        report[record.status] += 1
    return report


def retry_due(*, now=None) -> Counter:
    """Try again the transient failures whose time has come."""
    now = now or timezone.now()
    report = Counter()
    due_posts = OutgoingLinkback.objects.due(now).values("post_id")
    for post in Post.objects.published().filter(pk__in=due_posts):
        report += send_for_post(post=post, now=now)
    return report


def next_retry_at(*, now=None):
    """When the earliest retry still to come is due; None when nothing waits."""
    waiting = OutgoingLinkback.objects.filter(
        status=Status.RETRYING, next_retry_at__gt=now or timezone.now()
    )
    return waiting.aggregate(at=Min("next_retry_at"))["at"]


def _due(record: OutgoingLinkback, *, digest: str, now) -> bool:
    if record.status == Status.SENT and record.protocol == Protocol.PINGBACK:
        return False
    if record.status == Status.PENDING:
        return True
    if record.status == Status.SENDING:
        return record.last_attempt_at < now - STALE_CLAIM
    if record.content_digest != digest:
        return True
    return record.status == Status.RETRYING and record.next_retry_at <= now


def _claim(record: OutgoingLinkback, *, now) -> bool:
    """Mark the record as being sent, unless another worker changed it since we read it: two
    saves of a post in quick succession must not notify a target twice."""
    claimed = OutgoingLinkback.objects.filter(
        pk=record.pk, status=record.status, last_attempt_at=record.last_attempt_at
    ).update(status=Status.SENDING, last_attempt_at=now)
    if claimed:
        record.status, record.last_attempt_at = Status.SENDING, now
    return bool(claimed)


def _attempt(record: OutgoingLinkback, *, source: str, digest: str, linked: bool, now) -> None:
    if record.content_digest != digest:
        record.content_digest, record.attempts = digest, 0
    record.attempts += 1
    record.next_retry_at = None
    try:
        found = _discover(record.target)
        if found is None:
            record.status, record.protocol, record.endpoint = Status.NO_ENDPOINT, "", ""
            record.response = "The page advertises no Webmention or Pingback endpoint."
        else:
            record.protocol, record.endpoint = found
            notify = _send_webmention if record.protocol == Protocol.WEBMENTION else _send_pingback
            record.response = notify(record.endpoint, source=source, target=record.target)
            record.status = Status.SENT if linked else Status.UNLINKED
    except Transient as error:
        record.response = str(error)
        if record.attempts < settings.LINKBACKS_SEND_ATTEMPTS:
            record.status = Status.RETRYING
            delay = settings.LINKBACKS_RETRY_DELAY * 2 ** (record.attempts - 1)
            record.next_retry_at = now + timedelta(seconds=delay)
        else:
            record.status = Status.FAILED
    except Permanent as error:
        record.status, record.response = Status.FAILED, str(error)
    record.response = record.response[:MAX_RESPONSE]
    record.save()


def _discover(target: str) -> tuple[str, str] | None:
    """(protocol, endpoint) for the target page, Webmention preferred; None if it has neither."""
    result = _fetch(target, headers={"Accept": ACCEPT_HTML})
    _require_success(result, what="the target")
    endpoints = discover_endpoints(base_url=result.url, headers=result.headers, html=html_of(result))
    found = [(Protocol.WEBMENTION, endpoints.webmention), (Protocol.PINGBACK, endpoints.pingback)]
    protocol, endpoint = next(((p, url) for p, url in found if url), (None, None))
    if endpoint is not None and len(endpoint) > MAX_URL_LENGTH:
        raise Permanent(f"the {protocol} endpoint's address is too long")
    return (protocol, endpoint) if endpoint else None


def _send_webmention(endpoint: str, *, source: str, target: str) -> str:
    result = _fetch(endpoint, method="POST", data={"source": source, "target": target})
    _require_success(result, what="the endpoint")
    return f"HTTP {result.status}: {result.body[:200].decode('utf-8', errors='replace')}".strip()


def _send_pingback(endpoint: str, *, source: str, target: str) -> str:
    call = xmlrpc.client.dumps((source, target), methodname="pingback.ping", encoding="utf-8")
    result = _fetch(endpoint, method="POST", data=call.encode("utf-8"), headers={"Content-Type": "text/xml"})
    _require_success(result, what="the endpoint")
    try:
        params, _ = loads(result.body)
    except xmlrpc.client.Fault as fault:
        answer = f"fault {fault.faultCode}: {fault.faultString}"
        if fault.faultCode == ALREADY_REGISTERED:
            return answer
        raise (Transient if fault.faultCode == UPSTREAM_ERROR else Permanent)(answer) from fault
    except ValueError as error:
        raise Permanent(f"the endpoint did not answer in XML-RPC: {error}") from error
    return str(params[0]) if params else ""


def _fetch(url: str, **options) -> fetch.FetchResult:
    try:
        return fetch_page(url, **options)
    except (fetch.Timeout, fetch.UpstreamError, RateLimited) as error:
        raise Transient(str(error)) from error
    except fetch.FetchError as error:  # a private address, a bad URL, a redirect loop
        raise Permanent(str(error)) from error


def _require_success(result: fetch.FetchResult, *, what: str) -> None:
    if result.status == 429 or result.status >= 500:
        raise Transient(f"{what} answered HTTP {result.status}")
    if not 200 <= result.status < 300:
        raise Permanent(f"{what} answered HTTP {result.status}")
