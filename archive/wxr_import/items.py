"""
Posts, pages and attachments from WXR items, a batch at a time.

A batch is written in a few bulk queries per level of page hierarchy: parents inside the batch
are written before their children, so each row is inserted with its parent already known. A
parent further down the file is filled in when the file ends (`link_late_parents`).
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from posts.models import RESERVED_PAGE_SLUGS, Media, Post

from ..parsers.wxr import WxrItem
from ..upsert import upsert_many
from . import mapping
from .site import SiteImport


@dataclass(frozen=True)
class LateParent:
    """A row whose parent had not been read when the row was written."""

    model: type[Post] | type[Media]
    pk: int
    parent_wp_id: int
    wp_id: int | None


def claim(state: SiteImport, item: WxrItem) -> str | None:
    """The key an item is written under, or None when it must be skipped.

    A repeated WordPress id is never merged into the first item with it: an item with another
    GUID is a different post and gets a key of its own; the same GUID again is the same post
    written twice, and is skipped.
    """
    guid = item.guid.strip()
    if item.wp_id is None:
        if guid:
            return mapping.guid_key(state.key, guid)
        state.report.warn(f"{state.source_name}:{item.line}: item has neither wp:post_id nor "
                          "guid: skipped")
        return None
    first = state.seen_items.get(item.wp_id)
    if first is None:
        state.seen_items[item.wp_id] = hash(guid)
        return mapping.item_key(state.key, item.wp_id)
    if guid and first != hash(guid):
        state.report.warn(f"{state.source_name}:{item.line}: post ID {item.wp_id} is used twice; "
                          "this item has another GUID and is imported as a post of its own")
        return mapping.guid_key(state.key, guid)
    state.report.warn(f"{state.source_name}:{item.line}: post ID {item.wp_id} is used twice: "
                      "the repeat is skipped")
    return None


def write_items(state: SiteImport, items: list[tuple[str, WxrItem]], *,
                now: datetime) -> list[tuple[Post, WxrItem]]:
    """Write claimed posts, pages and attachments (key, item), posts and pages first; return
    the posts and pages written, with their items."""
    posts = [(key, item) for key, item in items if item.post_type in mapping.POST_KINDS]
    attachments = [(key, item) for key, item in items if item.post_type == mapping.ATTACHMENT]
    _ensure_terms(state, [item for _key, item in posts])
    parents_in_db = _parents_in_database(state, [item for _key, item in items])
    written = []
    for level in _levels(posts):
        for wp_type, kind in mapping.POST_KINDS.items():
            group = [(key, item) for key, item in level if item.post_type == wp_type]
            if group:
                written += _write_posts(state, group, kind=kind, parents_in_db=parents_in_db,
                                        now=now)
    _write_attachments(state, attachments, parents_in_db=parents_in_db, now=now)
    return written


def _write_posts(state, group, *, kind, parents_in_db, now) -> list[tuple[Post, WxrItem]]:
    slugs = _Slugs(kind, wanted=[mapping.slug_for(item) for _key, item in group])
    rows, m2m, late = {}, {}, []
    for key, item in group:
        parent = _parent(state, item, parents_in_db)
        values = _post_values(state, item, kind=kind)
        values["parent_id"] = parent
        values["slug"] = slugs.allocate(key, mapping.slug_for(item), parent)
        rows[key] = values
        m2m[key] = {"categories": _term_pks(state, item, mapping.CATEGORY),
                    "tags": _term_pks(state, item, mapping.TAG)}
        if item.parent_id is not None and parent is None:
            late.append((key, item))
    saved = upsert_many(Post, rows=rows, report=state.report, kind=f"{kind}s",
                        on_create={"imported_at": now}, m2m=m2m)
    for key, item in group:
        if item.wp_id is not None and key == mapping.item_key(state.key, item.wp_id):
            state.post_pks[item.wp_id] = saved[key].pk
    state.late_parents.extend(LateParent(Post, saved[key].pk, item.parent_id, item.wp_id)
                              for key, item in late)
    return [(saved[key], item) for key, item in group]


def _post_values(state: SiteImport, item: WxrItem, *, kind: str) -> dict:
    status = mapping.POST_STATUSES.get(item.status)
    published_at = mapping.post_date(item.post_date, item.post_date_gmt)
    if status is None:
        state.warn_once(f"post status {item.status!r} is not one WordPress publishes: "
                        "imported as draft")
        status = Post.Status.DRAFT
    if status == Post.Status.SCHEDULED and published_at is None:
        state.report.warn(f"{state.source_name}:{item.line}: scheduled post {item.wp_id} has "
                          "no date: imported as draft")
        status = Post.Status.DRAFT
    return {
        "kind": kind,
        "title": mapping.clip(Post, "title", mapping.plain_text(item.title)),
        "body": item.content,
        "body_format": Post.BodyFormat.HTML,
        "excerpt": item.excerpt,
        "status": status,
        "published_at": published_at,
        "author_id": state.author_for(item.creator),
        "sticky": item.is_sticky,
        "comment_status": mapping.discussion(item.comment_status),
        "ping_status": mapping.discussion(item.ping_status),
        "menu_order": item.menu_order,
        "blog_id": state.blog_id,
        "original_url": mapping.clip(Post, "original_url", item.link.strip()),
        "source_file": mapping.clip(Post, "source_file", PurePath(state.source_name).name),
        "password": mapping.clip(Post, "password", item.password),
        "post_format": mapping.clip(Post, "post_format", mapping.post_format(item)),
        "template": mapping.clip(Post, "template", item.postmeta.get("_wp_page_template", "")),
        "guid": mapping.clip(Post, "guid", item.guid.strip()),
        "wp_id": item.wp_id,
    }


def _write_attachments(state, attachments, *, parents_in_db, now) -> None:
    rows, late = {}, []
    for key, item in attachments:
        parent = _parent(state, item, parents_in_db)
        url = (item.attachment_url or item.guid).strip()
        rows[key] = {
            "post_id": parent,
            "url": mapping.clip(Media, "url", url),
            "title": mapping.clip(Media, "title", mapping.plain_text(item.title)),
            "alt_text": mapping.clip(Media, "alt_text",
                                     item.postmeta.get("_wp_attachment_image_alt", "")),
            # WordPress keeps an attachment's caption in its excerpt.
            "caption": item.excerpt,
            "mime_type": mapping.clip(Media, "mime_type", mapping.mime_type(url)),
            "published_at": mapping.post_date(item.post_date, item.post_date_gmt),
            "guid": mapping.clip(Media, "guid", item.guid.strip()),
            "wp_id": item.wp_id,
        }
        if item.parent_id is not None and parent is None:
            late.append((key, item))
    saved = upsert_many(Media, rows=rows, report=state.report, kind="attachments",
                        on_create={"imported_at": now})
    state.late_parents.extend(LateParent(Media, saved[key].pk, item.parent_id, item.wp_id)
                              for key, item in late)


def link_late_parents(state: SiteImport) -> None:
    """Give rows the parents that came after them in the file; warn about parents never seen."""
    for model, field in ((Post, "parent_id"), (Media, "post_id")):
        rows = [late for late in state.late_parents if late.model is model]
        found = [(late.pk, state.post_pks[late.parent_wp_id]) for late in rows
                 if late.parent_wp_id in state.post_pks]
        objs = [model(pk=pk, **{field: parent}) for pk, parent in found]
        model._default_manager.bulk_update(objs, [field], batch_size=500)
        for late in rows:
            if late.parent_wp_id not in state.post_pks:
                state.report.warn(f"item {late.wp_id} names parent {late.parent_wp_id}, which is "
                                  "not a post or page in the file: left without a parent")
    state.late_parents = []


def _parents_in_database(state: SiteImport, items: list[WxrItem]) -> dict[int, int]:
    """Parents neither in this batch's maps nor written yet by this run, but already in the
    database from an earlier import (a re-import, or a resumed --batch run)."""
    wanted = {item.parent_id for item in items
              if item.parent_id is not None and item.parent_id not in state.post_pks}
    keys = {mapping.item_key(state.key, wp_id): wp_id for wp_id in wanted}
    found = Post.objects.filter(source_key__in=keys).values_list("source_key", "pk")
    return {keys[key]: pk for key, pk in found}


def _parent(state: SiteImport, item: WxrItem, parents_in_db: dict[int, int]) -> int | None:
    if item.parent_id is None:
        return None
    return state.post_pks.get(item.parent_id) or parents_in_db.get(item.parent_id)


def _levels(posts: list[tuple[str, WxrItem]]) -> list[list[tuple[str, WxrItem]]]:
    """The batch split so that a parent in the batch comes a level before its children."""
    by_id = {item.wp_id: item for _key, item in posts if item.wp_id is not None}
    depth_of: dict[int, int] = {}

    def depth(item: WxrItem) -> int:
        chain, node = [], item
        while node is not None and node.wp_id not in depth_of and node not in chain:
            chain.append(node)
            node = by_id.get(node.parent_id) if node.parent_id != node.wp_id else None
        base = depth_of.get(node.wp_id, -1) if node is not None and node not in chain else -1
        for offset, link in enumerate(reversed(chain), start=1):
            if link.wp_id is not None:
                depth_of[link.wp_id] = base + offset
        return base + len(chain)

    levels: list[list] = []
    for key, item in posts:
        level = depth(item)
        levels.extend([] for _ in range(level + 1 - len(levels)))
        levels[level].append((key, item))
    return levels


def _ensure_terms(state: SiteImport, items: list[WxrItem]) -> None:
    uses: dict[str, dict[str, str]] = {mapping.CATEGORY: {}, mapping.TAG: {}}
    for item in items:
        for domain, nicename, name in item.categories:
            if domain in uses:
                uses[domain].setdefault(mapping.term_slug(nicename), name)
    state.ensure_terms(uses)


def _term_pks(state: SiteImport, item: WxrItem, taxonomy: str) -> set[int]:
    terms = state.terms[taxonomy]
    return {terms[slug] for domain, nicename, _name in item.categories
            if domain == taxonomy and (slug := mapping.term_slug(nicename)) in terms}


class _Slugs:
    """Slugs for posts of one kind about to be written, unique where the database needs them:
    posts among posts, pages among the pages under the same parent."""

    def __init__(self, kind: str, *, wanted: list[str]):
        self.kind = kind
        self.owners: dict[tuple[int | None, str], str] = {}
        self.fetched: set[str] = set()
        self.claimed: dict[tuple[int | None, str], str] = {}
        self._fetch(wanted)

    def allocate(self, key: str, slug: str, parent: int | None) -> str:
        scope = parent if self.kind == Post.Kind.PAGE else None
        candidate, n = slug, 2
        while not self._free(key, scope, candidate):
            candidate, n = f"{slug[:190]}-{n}", n + 1
        self.claimed[(scope, candidate)] = key
        return candidate

    def _free(self, key: str, scope: int | None, slug: str) -> bool:
        if (scope, slug) in self.claimed:
            return self.claimed[(scope, slug)] == key
        if self.kind == Post.Kind.PAGE and scope is None and slug in RESERVED_PAGE_SLUGS:
            return False
        if slug not in self.fetched:
            self._fetch([slug])
        return self.owners.get((scope, slug), key) == key

    def _fetch(self, slugs: list[str]) -> None:
        """Who holds these slugs in the database, by source key ("" for posts written here)."""
        self.fetched.update(slugs)
        rows = Post.objects.filter(kind=self.kind, slug__in=slugs)
        for parent, slug, owner in rows.values_list("parent_id", "slug", "source_key"):
            scope = parent if self.kind == Post.Kind.PAGE else None
            self.owners[(scope, slug)] = owner
