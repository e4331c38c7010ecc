"""
How WXR records become field values: keys, statuses, kinds, slugs, titles and dates.

Plain functions of the records, with no database access, so that each rule is tested on its
own. Text that WordPress shows as HTML but that we keep as plain text (titles, term and author
names) is unescaped here; post bodies, excerpts and comments are kept exactly as written.
"""

import html
import ipaddress
import mimetypes
from datetime import datetime
from functools import cache
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from comments.models import Comment
from posts.models import Post

from ..parsers.wxr import WxrComment, WxrItem, WxrSite

POST_STATUSES = {
    "publish": Post.Status.PUBLISHED,
    "draft": Post.Status.DRAFT,
    "pending": Post.Status.PENDING,
    "private": Post.Status.PRIVATE,
    # Scheduled, never published early: the post becomes visible when its date comes.
    "future": Post.Status.SCHEDULED,
}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    # What WordPress sets on the comments of a post sent to the trash.
    "post-trashed": Comment.Status.TRASH,
}
COMMENT_KINDS = {
    "": Comment.Kind.COMMENT,
    "comment": Comment.Kind.COMMENT,
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
    "webmention": Comment.Kind.WEBMENTION,
}
POST_KINDS = {"post": Post.Kind.POST, "page": Post.Kind.PAGE}
ATTACHMENT = "attachment"
POST_FORMAT_PREFIX = "post-format-"
# Taxonomies we model; terms of any other (nav_menu, a plugin's) are counted as skipped.
CATEGORY, TAG, POST_FORMAT = "category", "post_tag", "post_format"
# The commentmeta with which our export marks a comment kept here as plain text (it goes out
# escaped, as the HTML that shows the same text), so that importing it gives back that text.
BODY_FORMAT_META = "_archive_site_body_format"


def site_key(site: WxrSite, *, source_name: str) -> str:
    """What makes WordPress ids unique: the blog's address, else the file's name."""
    address = site.base_blog_url or site.link or site.base_site_url
    if address.strip():
        return address.strip().rstrip("/")[:400]
    return f"file:{PurePosixPath(source_name).stem}"[:400]


def key_prefix(site: str) -> str:
    """What the source keys of everything imported from one site start with."""
    return f"wxr:{site}#"


def item_key(site: str, wp_id: int) -> str:
    return f"{key_prefix(site)}{wp_id}"


def guid_key(site: str, guid: str) -> str:
    return f"{key_prefix(site)}guid:{guid}"[:500]


def comment_key(site: str, wp_id: int) -> str:
    return f"{key_prefix(site)}comment-{wp_id}"


def plain_text(text: str) -> str:
    """A title or name as readers saw it: WordPress shows these as HTML, we keep the text."""
    if "<" not in text and "&" not in text:
        return text  # most names: no markup to read, and strip_tags is slow
    return html.unescape(strip_tags(text))


def decode_slug(text: str) -> str:
    """WordPress stores non-ASCII slugs percent-encoded (%e6%97%a5); we keep the characters."""
    return unquote(text.strip())


def slug_for(item: WxrItem) -> str:
    """The item's slug; an unpublished draft has none yet, so it gets one from its title."""
    slug = decode_slug(item.post_name) or slugify(plain_text(item.title), allow_unicode=True)
    return (slug or (str(item.wp_id) if item.wp_id is not None else "untitled"))[:200]


def term_slug(nicename: str) -> str:
    return decode_slug(nicename)[:200]


def author_slug(login: str) -> str:
    """A login reduced as WordPress's sanitize_user() would: "admin>" and "admin" are one."""
    return slugify(plain_text(login), allow_unicode=True)[:200]


def post_date(date: datetime | None, date_gmt: datetime | None) -> datetime | None:
    """The moment, from the GMT date when WordPress gave one, else the local date read in the
    site's time zone (a draft's GMT date is zero until it is published)."""
    if date_gmt is not None:
        return date_gmt
    if date is not None:
        return timezone.make_aware(date)
    return None


def post_format(item: WxrItem) -> str:
    for domain, nicename, _name in item.categories:
        if domain == POST_FORMAT and nicename.startswith(POST_FORMAT_PREFIX):
            return nicename.removeprefix(POST_FORMAT_PREFIX)
    return ""


def discussion(text: str) -> str:
    return Post.Discussion.CLOSED if text == "closed" else Post.Discussion.OPEN


def ip_address(text: str) -> str | None:
    """A valid IP address or None: the database column refuses anything else."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def mime_type(url: str) -> str:
    guessed, _encoding = mimetypes.guess_type(urlsplit(url).path)
    return guessed or ""


def comment_kind(comment: WxrComment) -> str:
    """Comment for an empty type or a plugin's own type (which we do not model), else the
    linkback kind."""
    return COMMENT_KINDS.get(comment.type.lower(), Comment.Kind.COMMENT)


def comment_body(comment: WxrComment) -> tuple[str, str, dict[str, str]]:
    """The comment's body, its format and the rest of its commentmeta: WordPress's HTML as
    written, or the plain text our export marked as such, unescaped."""
    meta = dict(comment.meta)
    if meta.pop(BODY_FORMAT_META, None) == Comment.BodyFormat.PLAIN:
        return html.unescape(comment.content), Comment.BodyFormat.PLAIN, meta
    return comment.content, Comment.BodyFormat.HTML, meta


def clip(model: type[models.Model], field: str, text: str) -> str:
    """Text cut to the column's length; a longer value would fail on PostgreSQL."""
    return text[: _max_length(model, field)]


@cache
def _max_length(model: type[models.Model], field: str) -> int:
    return model._meta.get_field(field).max_length
