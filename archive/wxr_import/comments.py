"""
Comments, pingbacks and trackbacks of a batch of posts, threaded to any depth.

Replies are written a level at a time across the whole batch (every top-level comment, then
every first reply, ...), so a thread ten deep costs ten bulk inserts, not one per comment.
"""

from dataclasses import dataclass
from datetime import datetime

from comments.models import Comment
from comments.services import published_comments_changed

from ..parsers.wxr import WxrComment, WxrItem
from ..upsert import upsert_many
from . import mapping
from .site import SiteImport


@dataclass
class _Row:
    key: str
    parent_key: str | None
    depth: int
    values: dict


def write_comments(state: SiteImport, posts: list[tuple[int, WxrItem]], *, now: datetime) -> None:
    """Write the comments of each (post pk, item), then recount the posts' comments."""
    state.learn_users([comment for _pk, item in posts for comment in item.comments])
    rows = [row for post_pk, item in posts for row in _thread(state, post_pk, item)]
    rows = _without_repeated_linkbacks(state, rows)
    saved: dict[str, Comment] = {}
    for depth in sorted({row.depth for row in rows}):
        for kind in Comment.Kind.values:
            level = [row for row in rows if row.depth == depth and row.values["kind"] == kind]
            if not level:
                continue
            for row in level:
                parent = saved.get(row.parent_key) if row.parent_key else None
                row.values["parent_id"] = parent.pk if parent else None
            saved.update(upsert_many(Comment, rows={row.key: row.values for row in level},
                                     report=state.report, kind=f"{kind}s",
                                     on_create={"imported_at": now}))
    published_comments_changed(post_ids={post_pk for post_pk, _item in posts})


def claim_comments(state: SiteImport, item: WxrItem) -> list[WxrComment]:
    """The item's comments whose ids this file has not used before; repeats are reported."""
    claimed = []
    for comment in item.comments:
        if comment.wp_id in state.seen_comments:
            state.report.warn(f"comment ID {comment.wp_id} (on post {item.wp_id}) is used twice: "
                              "the repeat is skipped")
            state.report.add("comments", "skipped")
            continue
        state.seen_comments.add(comment.wp_id)
        claimed.append(comment)
    return claimed


def _thread(state: SiteImport, post_pk: int, item: WxrItem) -> list[_Row]:
    comments = {comment.wp_id: comment for comment in claim_comments(state, item)}
    depths: dict[int, int] = {}

    def depth(comment: WxrComment) -> int:
        chain, node = [], comment
        while node is not None and node.wp_id not in depths and node.wp_id not in chain:
            chain.append(node.wp_id)
            node = comments.get(node.parent_id)
        # A loop of replies (imported data can hold one) is broken where the file starts it.
        base = depths[node.wp_id] if node is not None and node.wp_id in depths else -1
        for offset, wp_id in enumerate(reversed(chain), start=1):
            depths[wp_id] = base + offset
        return depths[comment.wp_id]

    rows = []
    for comment in comments.values():
        parent_key = None
        if comment.parent_id is not None:
            if comment.parent_id in comments:
                parent_key = mapping.comment_key(state.key, comment.parent_id)
            else:
                state.report.warn(f"comment {comment.wp_id} on post {item.wp_id} replies to "
                                  f"comment {comment.parent_id}, which is not in the file: "
                                  "imported as a top-level comment")
        level = depth(comment) if parent_key else 0
        rows.append(_Row(mapping.comment_key(state.key, comment.wp_id), parent_key, level,
                         _values(state, comment, post_pk=post_pk, depth=level)))
    return rows


def _values(state: SiteImport, comment: WxrComment, *, post_pk: int, depth: int) -> dict:
    kind = mapping.comment_kind(comment)
    if comment.type.lower() not in mapping.COMMENT_KINDS:
        state.warn_once(f"comment type {comment.type!r} is not modelled: imported as comments")
    status = mapping.COMMENT_STATUSES.get(comment.approved)
    if status is None:
        state.warn_once(f"comment status {comment.approved!r} is unknown: imported as pending")
        status = Comment.Status.PENDING
    linkback = kind != Comment.Kind.COMMENT
    url = comment.author_url.strip()
    name = mapping.plain_text(comment.author)
    body, body_format, meta = mapping.comment_body(comment)
    return {
        "post_id": post_pk,
        "depth": depth,
        "kind": kind,
        "status": status,
        "author_name": mapping.clip(Comment, "author_name", name),
        "author_email": mapping.clip(Comment, "author_email", comment.author_email.strip()),
        "author_url": mapping.clip(Comment, "author_url", url),
        "user_id": state.user_for(comment),
        "body": body,
        "body_format": body_format,
        # A linkback's author is the page that linked here, named by its title.
        "source_url": mapping.clip(Comment, "source_url", url) if linkback else "",
        "source_title": mapping.clip(Comment, "source_title", name) if linkback else "",
        "ip_address": mapping.ip_address(comment.author_ip),
        "created_at": mapping.post_date(comment.date, comment.date_gmt),
        "meta": meta,
    }


def _without_repeated_linkbacks(state: SiteImport, rows: list[_Row]) -> list[_Row]:
    """One linkback per source page and post, as the database requires: a repeat (in the
    file, or of a linkback this site received itself) is skipped, not merged."""
    def place(values):
        return values["post_id"], values["source_url"]

    linkbacks = [row for row in rows if row.values["source_url"]]
    if not linkbacks:
        return rows
    held = dict(
        ((post, url), key) for post, url, key in Comment.objects
        .filter(post_id__in={row.values["post_id"] for row in linkbacks})
        .exclude(kind=Comment.Kind.COMMENT).exclude(source_url="")
        .values_list("post_id", "source_url", "source_key")
    )
    kept = []
    for row in rows:
        if row.values["source_url"]:
            holder = held.setdefault(place(row.values), row.key)
            if holder != row.key:
                state.report.warn(f"{row.values['kind']} from {row.values['source_url']} is "
                                  "already on this post: the repeat is skipped")
                state.report.add(f"{row.values['kind']}s", "skipped")
                continue
        kept.append(row)
    return kept
