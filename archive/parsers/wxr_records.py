"""The plain records the WXR parser produces, and its one error type.

Text fields hold exactly what the XML said, after XML parsing only: no
stripping, no HTML unescaping, backslashes kept. The exceptions are codes
(post_type, status, comment_status, ping_status, a comment's approved and
type), stripped of surrounding whitespace. Fields the parser turns into
numbers, dates or flags say so in their types. WordPress writes 0 for
"no parent" or "no user"; these records say None instead.
"""

import re
from dataclasses import dataclass
from datetime import datetime

WXR_VERSIONS = ("1.0", "1.1", "1.2")
WORDPRESS_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_WORDPRESS_DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", re.ASCII)
# What WordPress writes for "no date yet", e.g. the GMT date of a draft.
WORDPRESS_ZERO_DATE = "0000-00-00 00:00:00"


class WxrError(ValueError):
    """A file the parser refuses, with where: str(error) is "<source>:<line>: <message>"."""

    def __init__(self, source: str, line: int, message: str):
        super().__init__(f"{source}:{line}: {message}")
        self.source = source
        self.line = line
        self.message = message


def parse_wordpress_date(text: str) -> datetime | None:
    """Read a "YYYY-MM-DD HH:MM:SS" date as a naive datetime.

    Blank and zero dates mean "no date" and give None; anything else that does
    not match raises ValueError.
    """
    text = text.strip()
    if not text or text == WORDPRESS_ZERO_DATE:
        return None
    # fromisoformat reads this shape ten times faster than strptime, and a large export holds
    # hundreds of thousands of dates; it would take other shapes too, which WordPress never
    # writes, so those are refused first.
    if not _WORDPRESS_DATE.fullmatch(text):
        raise ValueError(f"time data {text!r} does not match format {WORDPRESS_DATE_FORMAT!r}")
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class WxrSite:
    title: str
    link: str
    description: str
    language: str
    base_site_url: str
    base_blog_url: str
    wxr_version: str


@dataclass(frozen=True)
class WxrAuthor:
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str
    wp_id: int | None  # WXR 1.0 exports have no author ids


@dataclass(frozen=True)
class WxrTerm:
    """A declared category (taxonomy "category"), tag ("post_tag") or other term."""

    taxonomy: str
    slug: str
    name: str
    parent_slug: str  # "" for a top-level term
    description: str
    wp_id: int | None


@dataclass(frozen=True)
class WxrComment:
    """A comment, pingback or trackback on an item."""

    wp_id: int
    parent_id: int | None  # None for a top-level comment
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: datetime | None  # the blog's local time, naive
    date_gmt: datetime | None  # UTC, timezone-aware
    content: str
    approved: str  # "1", "0", "spam", "trash", ... as written
    type: str  # "" or "comment" for comments, "pingback", "trackback", or a plugin's type
    user_id: int | None  # None when the commenter was not logged in
    meta: dict[str, str]


@dataclass(frozen=True)
class WxrItem:
    """One <item>: a post, page, attachment, menu item or any other post type."""

    post_type: str  # "" when the item has no wp:post_type
    wp_id: int | None  # None only when the item has no wp:post_id
    title: str  # raw: may hold HTML and entities
    link: str
    guid: str
    creator: str  # dc:creator as written; not always a declared author's login
    content: str
    excerpt: str
    status: str
    post_date: datetime | None  # the blog's local time, naive
    post_date_gmt: datetime | None  # UTC, timezone-aware; None for unscheduled drafts
    post_name: str  # the slug as written: may be percent-encoded or non-ASCII
    parent_id: int | None
    menu_order: int
    password: str
    is_sticky: bool
    comment_status: str
    ping_status: str
    # (domain, nicename, name), e.g. ("category", "news", "News") or ("post_tag", ...)
    categories: tuple[tuple[str, str, str], ...]
    # The first value of each key, as get_post_meta(id, key, single=True) would give.
    postmeta: dict[str, str]
    attachment_url: str
    comments: tuple[WxrComment, ...]
    line: int  # where the <item> starts in the file


@dataclass(frozen=True)
class WxrExport:
    """A whole export in memory; see parse_wxr."""

    site: WxrSite
    authors: tuple[WxrAuthor, ...]
    terms: tuple[WxrTerm, ...]
    items: tuple[WxrItem, ...]
