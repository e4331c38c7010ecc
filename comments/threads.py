"""
A post's comments as a numbered, paged tree, built in Python from one flat query.

The template gets a flat list of entries in reading order, each knowing its depth, whether it
opens a list of replies and how many lists close after it, so that a thread of any size renders
in one loop without recursive includes. Pages hold whole threads: a page is a slice of the
top-level comments, with every reply under them.
"""

from dataclasses import dataclass, field
from itertools import pairwise

from .models import Comment


@dataclass
class Entry:
    comment: object
    depth: int = 0
    number: int | None = None  # approved comments only, in reading order across all pages
    root_index: int = 0  # which top-level thread this entry belongs to
    has_children: bool = False
    closes: range = field(default_factory=lambda: range(0))
    can_reply: bool = False

    @property
    def pending(self):
        return self.comment.status == Comment.Status.PENDING


class Thread:
    def __init__(self, comments, *, per_page, max_depth):
        self.per_page = per_page
        self.max_depth = max_depth
        self.entries = _reading_order(list(comments), max_depth)
        self.count = sum(1 for entry in self.entries if entry.number is not None)
        self.roots = self.entries[-1].root_index + 1 if self.entries else 0
        self.by_id = {entry.comment.pk: entry for entry in self.entries}

    @property
    def num_pages(self):
        return max(1, -(-self.roots // self.per_page))

    def clamp(self, number):
        return min(max(1, number), self.num_pages)

    def page(self, number):
        """The entries of page `number` (1-based), with the markers the template needs."""
        first = (self.clamp(number) - 1) * self.per_page
        entries = [e for e in self.entries if first <= e.root_index < first + self.per_page]
        for entry, following in pairwise([*entries, None]):
            next_depth = following.depth if following else 0
            entry.has_children = next_depth > entry.depth
            entry.closes = range(0 if entry.has_children else entry.depth - next_depth)
        return entries

    def page_of(self, comment_id):
        entry = self.by_id.get(comment_id)
        return entry.root_index // self.per_page + 1 if entry else 1


def _reading_order(comments, max_depth):
    """Depth-first, oldest first. Replies whose parent is not shown are treated as top-level;
    below the depth limit replies continue at the deepest level, as WordPress displays them."""
    children, roots = {}, []
    shown = {comment.pk for comment in comments}
    for comment in comments:
        if comment.parent_id in shown and comment.parent_id != comment.pk:
            children.setdefault(comment.parent_id, []).append(comment)
        else:
            roots.append(comment)

    entries, seen, number, root_index = [], set(), 0, -1
    # After the real roots, any comment still unseen sat in a parent loop (imported data can
    # hold one) and would otherwise vanish: it starts a thread of its own.
    for root in roots + comments:
        if root.pk in seen:
            continue
        root_index += 1
        stack = [(root, 0)]
        while stack:
            comment, depth = stack.pop()
            if comment.pk in seen:
                continue
            seen.add(comment.pk)
            approved = comment.status == Comment.Status.APPROVED
            if approved:
                number += 1
            entries.append(Entry(
                comment, depth=depth, number=number if approved else None, root_index=root_index,
                # By the stored depth, as comments.services places replies.
                can_reply=approved and comment.depth + 1 < max_depth,
            ))
            child_depth = min(depth + 1, max_depth - 1)
            stack.extend((child, child_depth) for child in reversed(children.get(comment.pk, [])))
    return entries
