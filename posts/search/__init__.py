"""
Full-text search over published posts and pages: one interface, a backend per database.

    results = search("runner beans -broad", category=veg, year=2020, kind="post")
    len(results); results[0:10]  # -> [Hit(post, rank, snippet), ...]

Results are lazy and sliceable, so Django's Paginator can page through them: a slice runs one
query for that page's ranks, snippets and the number of matches, and one for its posts. Read
the page first (`SearchView` does) and `len()` costs nothing more. Visibility is
`Post.objects.published()`, as everywhere else: drafts, private and protected text never show.

A search lists at most MAX_RESULTS posts. When more match, `capped` is true and the count stops
at MAX_RESULTS: ranking every one of 100,000 matches is what made common words slow, and no
reader pages that far. Which matches are listed then is the backend's choice (see postgres.py).
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.safestring import SafeString

from ..models import Post
from . import postgres, sqlite
from .highlight import highlight
from .index import index_posts
from .query import is_searchable

BACKENDS = {"postgresql": postgres, "sqlite": sqlite}
MAX_RESULTS = 1000

__all__ = ["Hit", "SearchResults", "index_posts", "is_searchable", "search"]


@dataclass(frozen=True)
class Hit:
    post: Post
    rank: float
    snippet: SafeString


class SearchResults:
    """Matches for one query, best first; `len()` counts them, a slice fetches a page of Hits."""

    def __init__(self, text, posts):
        self.text = text
        self.backend = BACKENDS[connection.vendor]
        self.sql, self.params = posts.order_by().values("pk").query.sql_with_params()
        # Matches as the backends count them: exactly up to MAX_RESULTS, then MAX_RESULTS + 1.
        self._matched = None if text else 0
        self._pages = {}

    def _matches(self):
        if self._matched is None:
            self._matched = self.backend.count(self.text, self.sql, self.params, cap=MAX_RESULTS)
        return self._matched

    def count(self):
        return min(self._matches(), MAX_RESULTS)

    __len__ = count

    @property
    def capped(self):
        """Whether more posts matched than are listed."""
        return self._matches() > MAX_RESULTS

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.step not in (None, 1) or (window.start or 0) < 0:
            raise TypeError("Search results are read a page (a slice from 0 up) at a time.")
        start, stop = window.start or 0, window.stop
        if stop is None or self._matched == 0:
            return []
        stop = min(stop, MAX_RESULTS)
        if stop <= start:
            return []
        if (start, stop) not in self._pages:
            self._pages[start, stop] = self._fetch(start, stop)
        return self._pages[start, stop]

    def _fetch(self, start, stop):
        rows = self.backend.hits(self.text, self.sql, self.params,
                                 limit=stop - start, offset=start, cap=MAX_RESULTS)
        if rows:
            self._matched = rows[0][3]
        posts = Post.objects.for_listing().in_bulk([row[0] for row in rows])
        return [Hit(posts[post_id], rank, highlight(snippet or ""))
                for post_id, rank, snippet, _ in rows if post_id in posts]


def search(text: str, *, category=None, year=None, kind=None) -> SearchResults:
    """Published posts and pages matching `text` in websearch syntax, optionally filtered."""
    posts = Post.objects.published()
    if category is not None:
        posts = posts.in_category(category)
    if year is not None:
        posts = posts.filter(published_at__year=year)
    if kind:
        posts = posts.filter(kind=kind)
    return SearchResults(text.strip() if is_searchable(text) else "", posts)
