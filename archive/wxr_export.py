"""
The content model out as a WordPress export (WXR 1.2), the file WordPress's importer reads.

Authors, categories (parents first) and tags, then attachments, then posts and pages, each
with its comments, pingbacks and trackbacks, parents before replies, as the importer needs
them. Attachments go out as URLs: WordPress downloads them itself.

The file is written as a stream with lxml's incremental writer, a post at a time, so memory
follows the largest post and its comments, not the database. Text leaves as stored: bodies,
excerpts and comments exactly, and the plain-text titles and names escaped as the HTML
WordPress keeps them in, so that importing the export gives back the same text. Comments kept
as plain text go out escaped too, so that WordPress shows a reader's "<b>" as typed, and marked
as plain text, so that importing the export here gives back their format as well.
"""

import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from email.utils import format_datetime
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify
from lxml import etree

from comments.models import Comment
from posts import rendering
from posts.models import Author, Blog, Category, Media, Post, Tag

from .parsers.wxr import WORDPRESS_DATE_FORMAT
from .wxr_import.mapping import BODY_FORMAT_META, key_prefix

NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
WP = NAMESPACES["wp"]
ZERO_DATE = "0000-00-00 00:00:00"
POST_STATUSES = {
    Post.Status.PUBLISHED: "publish",
    Post.Status.DRAFT: "draft",
    Post.Status.PENDING: "pending",
    Post.Status.PRIVATE: "private",
    Post.Status.SCHEDULED: "future",
}
COMMENT_STATUSES = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}
# Characters XML 1.0 cannot carry at all, escaped or not: most C0 controls, lone surrogates
# and two non-characters. WordPress's own exporter writes them and produces broken files.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class _Node:
    """An element to write. Elements are written through the stream writer, not built as lxml
    trees, so that every one uses the channel's prefixes: WordPress's fallback parsers look
    for the literal "wp:" prefix."""

    tag: str
    text: str = ""
    cdata: bool = False
    attributes: tuple[tuple[str, str], ...] = ()
    children: tuple["_Node", ...] = ()


def export_wxr(out: BinaryIO, *, blog: Blog | None = None) -> Counter:
    """Write everything (or one blog's posts and attachments) to `out`; return counts by kind."""
    posts = Post.objects.all() if blog is None else Post.objects.filter(blog=blog)
    media = Media.objects.all() if blog is None else Media.objects.filter(
        Q(post__blog=blog) | Q(post__isnull=True, source_key__startswith=key_prefix(blog.url)))
    ids = _Ids(posts, media)
    counts = Counter()
    with etree.xmlfile(out, encoding="UTF-8") as xml:
        xml.write_declaration()
        with xml.element("rss", version="2.0", nsmap=NAMESPACES), xml.element("channel"):
            for node in _channel(blog):
                _write(xml, node)
            for kind, nodes in (("authors", _authors()), ("categories", _categories()),
                                ("tags", _tags())):
                for node in nodes:
                    _write(xml, node)
                    counts[kind] += 1
            for item in media.select_related("post").order_by("pk").iterator(chunk_size=500):
                _write(xml, _attachment(item, ids))
                counts["attachments"] += 1
            for post in _with_relations(posts).iterator(chunk_size=200):
                _write(xml, _post(post, ids, counts))
                counts[f"{post.kind}s"] += 1
    return counts


class _Ids:
    """WordPress ids for what goes out: the id a post or attachment came in with, while no
    other item has it, else a new one above every id in use."""

    def __init__(self, posts, media):
        used: set[int] = set()
        self.posts = self._assign(posts, used)
        self.media = self._assign(media, used)
        self.next = max([0, *used]) + 1
        self._late: list[tuple[dict, int]] = [(self.posts, pk) for pk, v in self.posts.items()
                                              if v is None]
        self._late += [(self.media, pk) for pk, v in self.media.items() if v is None]
        for table, pk in self._late:
            table[pk] = self.next
            self.next += 1

    @staticmethod
    def _assign(queryset, used: set[int]) -> dict[int, int | None]:
        ids = {}
        for pk, wp_id in queryset.order_by("pk").values_list("pk", "wp_id"):
            if wp_id is not None and wp_id not in used:
                used.add(wp_id)
                ids[pk] = wp_id
            else:
                ids[pk] = None
        return ids

    def post(self, pk: int | None) -> int:
        return self.posts.get(pk, 0) if pk is not None else 0


def _with_relations(posts):
    comments = Comment.objects.select_related("user__author_profile").order_by("created_at", "pk")
    return (posts.select_related("author").order_by("pk")
            .prefetch_related("categories", "tags", Prefetch("comments", queryset=comments)))


def _channel(blog: Blog | None) -> Iterable[_Node]:
    site_url = (blog.url if blog and blog.url else settings.SITE_URL).rstrip("/")
    yield _el("title", _as_html(blog.title if blog else settings.SITE_TITLE))
    yield _el("link", site_url)
    yield _el("description", _as_html(blog.tagline if blog else settings.SITE_TAGLINE))
    yield _el("pubDate", format_datetime(timezone.now()))
    yield _el("language", (blog.language if blog else "") or settings.LANGUAGE_CODE)
    yield _el(_wp("wxr_version"), "1.2")
    yield _el(_wp("base_site_url"), site_url)
    yield _el(_wp("base_blog_url"), site_url)
    yield _el("generator", "archive_site")


def _authors() -> Iterable[_Node]:
    for author in Author.objects.order_by("pk").iterator():
        yield _el(_wp("author"), children=[
            _el(_wp("author_id"), str(author.pk)),
            _el(_wp("author_login"), author.slug, cdata=True),
            _el(_wp("author_email"), author.email, cdata=True),
            _el(_wp("author_display_name"), _as_html(author.name), cdata=True),
            _el(_wp("author_first_name"), "", cdata=True),
            _el(_wp("author_last_name"), "", cdata=True),
        ])


def _categories() -> Iterable[_Node]:
    categories = {category.pk: category for category in Category.objects.order_by("pk")}
    written: set[int] = set()

    def ordered(category, seen=()):
        # Parents first, as WordPress's importer needs; a loop of parents is cut where found.
        parent = categories.get(category.parent_id)
        if parent is not None and parent.pk not in written and parent.pk not in seen:
            yield from ordered(parent, (*seen, category.pk))
        if category.pk not in written:
            written.add(category.pk)
            yield category

    for category in categories.values():
        for each in ordered(category):
            parent = categories.get(each.parent_id)
            yield _el(_wp("category"), children=[
                _el(_wp("term_id"), str(each.pk)),
                _el(_wp("category_nicename"), _slug(each.slug), cdata=True),
                _el(_wp("category_parent"), _slug(parent.slug) if parent else "", cdata=True),
                _el(_wp("cat_name"), _as_html(each.name), cdata=True),
                _el(_wp("category_description"), each.description, cdata=True),
            ])


def _tags() -> Iterable[_Node]:
    # WordPress numbers all terms in one sequence; tags follow the categories.
    offset = Category.objects.aggregate(n=Max("pk"))["n"] or 0
    for tag in Tag.objects.order_by("pk").iterator():
        yield _el(_wp("tag"), children=[
            _el(_wp("term_id"), str(offset + tag.pk)),
            _el(_wp("tag_slug"), _slug(tag.slug), cdata=True),
            _el(_wp("tag_name"), _as_html(tag.name), cdata=True),
            _el(_wp("tag_description"), "", cdata=True),
        ])


def _attachment(media: Media, ids: _Ids) -> _Node:
    wp_id = ids.media[media.pk]
    url = settings.SITE_URL + media.file.url if media.file else media.url
    meta = {"_wp_attachment_image_alt": media.alt_text} if media.alt_text else {}
    return _item(
        title=media.title, link=url, guid=media.guid or url, creator="", content="",
        excerpt=media.caption, wp_id=wp_id, date=media.published_at,
        slug=slugify(media.title, allow_unicode=True) or str(wp_id),
        status="inherit", parent=ids.post(media.post_id), menu_order=0, post_type="attachment",
        password="", sticky=False, comment_status="closed", ping_status="closed", terms=[],
        meta=meta, extra=[_el(_wp("attachment_url"), url, cdata=True)],
    )


def _post(post: Post, ids: _Ids, counts: Counter) -> _Node:
    wp_id = ids.posts[post.pk]
    body = post.body if post.body_format == Post.BodyFormat.HTML else str(
        rendering.render(post.body, post.body_format))
    link = post.original_url or settings.SITE_URL + post.get_absolute_url()
    terms = [("category", _slug(c.slug), c.name) for c in post.categories.all()]
    terms += [("post_tag", _slug(t.slug), t.name) for t in post.tags.all()]
    if post.post_format:
        terms.append(("post_format", f"post-format-{post.post_format}", post.post_format.title()))
    meta = {"_wp_page_template": post.template} if post.template else {}
    comments = _parents_first(post.comments.all())
    for comment in comments:
        counts[f"{comment.kind}s"] += 1
    return _item(
        title=post.title, link=link, guid=post.guid or f"{settings.SITE_URL}/?p={wp_id}",
        creator=post.author.slug if post.author else "", content=body, excerpt=post.excerpt,
        wp_id=wp_id, date=post.published_at, slug=post.slug, status=POST_STATUSES[post.status],
        parent=ids.post(post.parent_id), menu_order=post.menu_order, post_type=post.kind,
        password=post.password, sticky=post.sticky, comment_status=post.comment_status,
        ping_status=post.ping_status, terms=terms, meta=meta,
        extra=[_comment(comment) for comment in comments],
    )


def _item(*, title, link, guid, creator, content, excerpt, wp_id, date, slug, status, parent,
          menu_order, post_type, password, sticky, comment_status, ping_status, terms, meta,
          extra) -> _Node:
    local, gmt = _dates(date)
    children = [
        _el("title", _as_html(title)),
        _el("link", link),
        _el("pubDate", format_datetime(date) if date else ""),
        _el(_dc("creator"), creator, cdata=True),
        _el("guid", guid, attributes={"isPermaLink": "false"}),
        _el("description", ""),
        _el(f"{{{NAMESPACES['content']}}}encoded", content, cdata=True),
        _el(f"{{{NAMESPACES['excerpt']}}}encoded", excerpt, cdata=True),
        _el(_wp("post_id"), str(wp_id)),
        _el(_wp("post_date"), local, cdata=True),
        _el(_wp("post_date_gmt"), gmt, cdata=True),
        _el(_wp("comment_status"), comment_status, cdata=True),
        _el(_wp("ping_status"), ping_status, cdata=True),
        _el(_wp("post_name"), _slug(slug), cdata=True),
        _el(_wp("status"), status, cdata=True),
        _el(_wp("post_parent"), str(parent)),
        _el(_wp("menu_order"), str(menu_order)),
        _el(_wp("post_type"), post_type, cdata=True),
        _el(_wp("post_password"), password, cdata=True),
        _el(_wp("is_sticky"), "1" if sticky else "0"),
    ]
    children += [_el("category", _as_html(name), cdata=True,
                     attributes={"domain": domain, "nicename": nicename})
                 for domain, nicename, name in terms]
    children += _meta("postmeta", meta)
    return _el("item", children=children + extra)


def _comment(comment: Comment) -> _Node:
    local, gmt = _dates(comment.created_at)
    linkback = comment.kind != Comment.Kind.COMMENT
    profile = getattr(comment.user, "author_profile", None) if comment.user_id else None
    body, meta = comment.body, comment.meta
    if comment.body_format == Comment.BodyFormat.PLAIN:
        body = _as_html(body)
        meta = {**meta, BODY_FORMAT_META: Comment.BodyFormat.PLAIN.value}
    return _el(_wp("comment"), children=[
        _el(_wp("comment_id"), str(comment.pk)),
        _el(_wp("comment_author"), _as_html(comment.source_title if linkback and comment.source_title
                                            else comment.author_name), cdata=True),
        _el(_wp("comment_author_email"), comment.author_email, cdata=True),
        _el(_wp("comment_author_url"), comment.source_url if linkback and comment.source_url
            else comment.author_url),
        _el(_wp("comment_author_IP"), comment.ip_address or ""),
        _el(_wp("comment_date"), local),
        _el(_wp("comment_date_gmt"), gmt),
        _el(_wp("comment_content"), body, cdata=True),
        _el(_wp("comment_approved"), COMMENT_STATUSES[comment.status]),
        _el(_wp("comment_type"), comment.kind, cdata=True),
        _el(_wp("comment_parent"), str(comment.parent_id or 0)),
        _el(_wp("comment_user_id"), str(profile.pk if profile else 0)),
        *_meta("commentmeta", meta),
    ])


def _parents_first(comments: Iterable[Comment]) -> list[Comment]:
    """WordPress's importer finds a reply's parent among the comments it has already read."""
    comments = list(comments)
    ids = {comment.pk for comment in comments}
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in ids else None
        children.setdefault(parent, []).append(comment)
    ordered, stack, seen = [], list(reversed(children.get(None, []))), set()
    while stack:
        comment = stack.pop()
        if comment.pk not in seen:
            seen.add(comment.pk)
            ordered.append(comment)
            stack.extend(reversed(children.get(comment.pk, [])))
    # Comments in a loop of parents have no way in from the top; they go last, as they are.
    return ordered + [comment for comment in comments if comment.pk not in seen]


def _meta(tag: str, meta: dict) -> list[_Node]:
    return [
        _el(_wp(tag), children=[
            _el(_wp("meta_key"), key, cdata=True),
            _el(_wp("meta_value"), value if isinstance(value, str) else json.dumps(value),
                cdata=True),
        ])
        for key, value in meta.items()
    ]


def _dates(moment) -> tuple[str, str]:
    """WordPress's pair of dates: the site's local time and GMT, or zeros for none."""
    if moment is None:
        return ZERO_DATE, ZERO_DATE
    return (timezone.localtime(moment).strftime(WORDPRESS_DATE_FORMAT),
            moment.astimezone(UTC).strftime(WORDPRESS_DATE_FORMAT))


def _slug(slug: str) -> str:
    """Slugs as WordPress stores them: non-ASCII characters percent-encoded, in lower case."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(slug, safe="-_.~"))


def _as_html(text: str) -> str:
    """Plain text the way WordPress keeps titles and names: as HTML."""
    return html.escape(text, quote=False)


def _wp(name: str) -> str:
    return f"{{{WP}}}{name}"


def _dc(name: str) -> str:
    return f"{{{NAMESPACES['dc']}}}{name}"


def _el(tag: str, text: str = "", *, cdata: bool = False, attributes: dict | None = None,
        children: Iterable[_Node] = ()) -> _Node:
    return _Node(tag, _NOT_XML.sub("", text), cdata, tuple((attributes or {}).items()),
                 tuple(children))


def _write(xml, node: _Node, *, depth: int = 0) -> None:
    if depth == 0:
        xml.write("\n")  # one top-level element per line, for people reading the file
    with xml.element(node.tag, dict(node.attributes)):
        if node.text:
            xml.write(etree.CDATA(node.text) if node.cdata and _fits_cdata(node.text) else node.text)
        for child in node.children:
            _write(xml, child, depth=depth + 1)


def _fits_cdata(text: str) -> bool:
    """Whether text can go out as CDATA, as WordPress writes it; otherwise it goes out escaped,
    which any XML reader reads as the same text. A CDATA section cannot hold "]]>", and lxml
    6.1's incremental writer crashes on one that ends in a single "]"."""
    return "]]>" not in text and not text.endswith("]")
