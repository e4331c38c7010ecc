"""How WXR elements become records: which namespaces and tags mean what.

Everything here is namespace-aware: an element counts only if its namespace
URI is the document's WXR namespace, whatever prefix the file uses for it.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from lxml import etree

from .wxr_records import (
    WxrAuthor,
    WxrComment,
    WxrItem,
    WxrTerm,
    parse_wordpress_date,
)

# Exports differ in WXR version and in http or https, so each namespace is
# recognised by the shape of its URI rather than by one fixed string.
_NAMESPACE_PATTERNS = {
    "wp": re.compile(r"https?://wordpress\.org/export/1\.[012]/"),
    "excerpt": re.compile(r"https?://wordpress\.org/export/1\.[012]/excerpt/"),
    "content": re.compile(r"https?://purl\.org/rss/1\.0/modules/content/"),
    "dc": re.compile(r"https?://purl\.org/dc/elements/1\.1/"),
    "wfw": re.compile(r"https?://wellformedweb\.org/CommentAPI/"),
}

# The channel children that make up the site header, by (namespace, local name) -> field;
# a namespace of None means none at all, as in plain RSS.
_HEADER_FIELDS = {
    (None, "title"): "title",
    (None, "link"): "link",
    (None, "description"): "description",
    (None, "language"): "language",
    ("wp", "wxr_version"): "wxr_version",
    ("wp", "base_site_url"): "base_site_url",
    ("wp", "base_blog_url"): "base_blog_url",
}

# Where each kind of declared term keeps its slug, name, parent and description.
_TERM_FIELDS = {
    "category": ("category_nicename", "cat_name", "category_parent", "category_description"),
    "tag": ("tag_slug", "tag_name", None, "tag_description"),
    "term": ("term_slug", "term_name", "term_parent", "term_description"),
}


@dataclass(frozen=True)
class WxrNamespaces:
    """The namespace URIs a document uses; None for one it does not declare."""

    wp: str | None
    excerpt: str | None
    content: str | None
    dc: str | None
    wfw: str | None


class InvalidValue(ValueError):
    """A field the parser cannot read, and the line it is on."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def detect_namespaces(declared: Mapping[str | None, str]) -> WxrNamespaces:
    """Find the WXR namespaces among a document's declarations (prefix -> URI).

    When several URIs fit one role, the one bound to the usual prefix wins
    (namespace-edge-cases.xml binds wp to 1.2 and wp2 to 1.1); failing that,
    the greatest URI, so that the choice does not depend on declaration order.
    """
    found = {}
    for role, pattern in _NAMESPACE_PATTERNS.items():
        matches = [uri for uri in declared.values() if pattern.fullmatch(uri)]
        usual = declared.get(role)
        found[role] = usual if usual in matches else max(matches, default=None)
    return WxrNamespaces(**found)


def qualified(namespace: str | None, name: str) -> str | None:
    """The tag lxml gives an element; None (matching nothing) for an undeclared namespace."""
    return f"{{{namespace}}}{name}" if namespace else None


def header_field(tag: str, namespaces: WxrNamespaces) -> str | None:
    """The WxrSite field a channel child holds, if it is part of the header."""
    for (role, name), field in _HEADER_FIELDS.items():
        expected = name if role is None else qualified(getattr(namespaces, role), name)
        if tag == expected:
            return field
    return None


def text_of(element: etree._Element) -> str:
    # .text would stop at an XML comment or a stray child element; itertext
    # takes all the text (CDATA included) and leaves the comments out.
    return "".join(element.itertext())


def record_reader(
    tag: str, namespaces: WxrNamespaces
) -> Callable[[etree._Element, WxrNamespaces], WxrAuthor | WxrTerm | WxrItem] | None:
    """The function that reads a channel child into a record; None for other elements."""
    if tag == "item":
        return read_item
    if tag == qualified(namespaces.wp, "author"):
        return read_author
    if tag in {qualified(namespaces.wp, kind) for kind in _TERM_FIELDS}:
        return read_term
    return None


def read_author(element: etree._Element, namespaces: WxrNamespaces) -> WxrAuthor:
    fields = _Fields(element)
    wp = partial(qualified, namespaces.wp)
    return WxrAuthor(
        login=fields.text(wp("author_login")),
        email=fields.text(wp("author_email")),
        display_name=fields.text(wp("author_display_name")),
        first_name=fields.text(wp("author_first_name")),
        last_name=fields.text(wp("author_last_name")),
        wp_id=fields.number(wp("author_id")),
    )


def read_term(element: etree._Element, namespaces: WxrNamespaces) -> WxrTerm:
    """Read a wp:category, wp:tag or wp:term declaration."""
    kind = etree.QName(element).localname
    slug, name, parent, description = _TERM_FIELDS[kind]
    fields = _Fields(element)
    wp = partial(qualified, namespaces.wp)
    # wp:category and wp:tag imply their taxonomy; wp:term names it.
    taxonomy = {"category": "category", "tag": "post_tag"}.get(kind) or fields.text(wp("term_taxonomy"))
    return WxrTerm(
        taxonomy=taxonomy,
        slug=fields.text(wp(slug)),
        name=fields.text(wp(name)),
        parent_slug=fields.text(wp(parent)) if parent else "",
        description=fields.text(wp(description)),
        wp_id=fields.number(wp("term_id")),
    )


def read_item(element: etree._Element, namespaces: WxrNamespaces) -> WxrItem:
    fields = _Fields(element)
    wp = partial(qualified, namespaces.wp)
    return WxrItem(
        post_type=fields.text(wp("post_type")).strip(),
        wp_id=fields.number(wp("post_id")),
        title=fields.text("title"),
        link=fields.text("link"),
        guid=fields.text("guid"),
        creator=fields.text(qualified(namespaces.dc, "creator")),
        content=fields.text(qualified(namespaces.content, "encoded")),
        excerpt=fields.text(qualified(namespaces.excerpt, "encoded")),
        status=fields.text(wp("status")).strip(),
        post_date=fields.date(wp("post_date")),
        post_date_gmt=fields.gmt_date(wp("post_date_gmt")),
        post_name=fields.text(wp("post_name")),
        parent_id=fields.number(wp("post_parent")) or None,
        menu_order=fields.number(wp("menu_order")) or 0,
        password=fields.text(wp("post_password")),
        is_sticky=fields.text(wp("is_sticky")).strip() == "1",
        comment_status=fields.text(wp("comment_status")).strip(),
        ping_status=fields.text(wp("ping_status")).strip(),
        categories=_categories(element),
        postmeta=_meta(element, wp("postmeta"), namespaces),
        attachment_url=fields.text(wp("attachment_url")),
        comments=tuple(_read_comment(comment, namespaces) for comment in _children(element, wp("comment"))),
        line=element.sourceline,
    )


def _read_comment(element: etree._Element, namespaces: WxrNamespaces) -> WxrComment:
    fields = _Fields(element)
    wp = partial(qualified, namespaces.wp)
    wp_id = fields.number(wp("comment_id"))
    if wp_id is None:
        raise InvalidValue(element.sourceline, "wp:comment has no wp:comment_id")
    return WxrComment(
        wp_id=wp_id,
        parent_id=fields.number(wp("comment_parent")) or None,
        author=fields.text(wp("comment_author")),
        author_email=fields.text(wp("comment_author_email")),
        author_url=fields.text(wp("comment_author_url")),
        author_ip=fields.text(wp("comment_author_IP")),
        date=fields.date(wp("comment_date")),
        date_gmt=fields.gmt_date(wp("comment_date_gmt")),
        content=fields.text(wp("comment_content")),
        approved=fields.text(wp("comment_approved")).strip(),
        type=fields.text(wp("comment_type")).strip(),
        user_id=fields.number(wp("comment_user_id")) or None,
        meta=_meta(element, wp("commentmeta"), namespaces),
    )


def _categories(item: etree._Element) -> tuple[tuple[str, str, str], ...]:
    categories = []
    for category in _children(item, "category"):
        nicename = category.get("nicename")
        # WXR 1.0 writes each term twice, once without a nicename for plain RSS
        # readers; WordPress's importer skips those, and so do we.
        if nicename is None:
            continue
        domain = category.get("domain", "")
        # WXR 1.0 calls tags "tag"; later versions use the taxonomy name.
        if domain == "tag":
            domain = "post_tag"
        categories.append((domain, nicename, text_of(category)))
    return tuple(categories)


def _meta(element: etree._Element, meta_tag: str | None, namespaces: WxrNamespaces) -> dict[str, str]:
    """Read wp:postmeta or wp:commentmeta pairs; the first value of a repeated key wins."""
    meta: dict[str, str] = {}
    for entry in _children(element, meta_tag):
        fields = _Fields(entry)
        key = fields.text(qualified(namespaces.wp, "meta_key"))
        meta.setdefault(key, fields.text(qualified(namespaces.wp, "meta_value")))
    return meta


def _children(element: etree._Element, tag: str | None) -> list[etree._Element]:
    return [] if tag is None else list(element.iterchildren(tag))


class _Fields:
    """The child elements of one element, read by tag.

    When a tag repeats, the first element wins, as it does for WordPress. A
    tag of None (from an undeclared namespace) is never there.
    """

    def __init__(self, element: etree._Element):
        self._children: dict[str, etree._Element] = {}
        for child in element.iterchildren(tag=etree.Element):
            self._children.setdefault(child.tag, child)

    def text(self, tag: str | None) -> str:
        child = self._children.get(tag)
        return "" if child is None else text_of(child)

    def number(self, tag: str | None) -> int | None:
        """A whole number; None when the element is missing or blank."""
        text = self.text(tag).strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise self._invalid(tag, "a whole number")
        return int(text)

    def date(self, tag: str | None) -> datetime | None:
        try:
            return parse_wordpress_date(self.text(tag))
        except ValueError:
            raise self._invalid(tag, "a YYYY-MM-DD HH:MM:SS date") from None

    def gmt_date(self, tag: str | None) -> datetime | None:
        date = self.date(tag)
        return None if date is None else date.replace(tzinfo=UTC)

    def _invalid(self, tag: str, expected: str) -> InvalidValue:
        child = self._children[tag]
        name = etree.QName(child).localname
        shown = f"{child.prefix}:{name}" if child.prefix else name
        return InvalidValue(child.sourceline, f"{shown} is {self.text(tag)!r}, not {expected}")
