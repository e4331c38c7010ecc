"""
Search on SQLite: the FTS5 table posts_searchdocument_fts (migration 0003), bm25 for order and
`snippet()` for snippets. Queries are rebuilt in FTS5 syntax by `query.to_fts5`, never passed on
as typed.

Every match is ranked here, however many there are (bm25 reads the FTS5 index, not the
documents); only the count stops at `cap` + 1, as on PostgreSQL, so that both report the same.
"""

from django.db import connection

from .highlight import END, START
from .query import to_fts5

# bm25 weights per column: title, excerpt, body, category and tag names.
RANK = "-bm25(posts_searchdocument_fts, 10.0, 5.0, 1.0, 0.5)"
SNIPPET = f"snippet(posts_searchdocument_fts, 2, '{START}', '{END}', '…', 24)"


def _matching(posts_sql):
    # "+rowid" keeps SQLite from driving the search by the list of published posts (one index
    # probe per post); the MATCH reads the matches, and the IN only filters them.
    return f"""
        FROM posts_searchdocument_fts
        WHERE posts_searchdocument_fts MATCH %s AND +rowid IN ({posts_sql})
    """


def count(text, posts_sql, posts_params, *, cap):
    """How many posts match, counting no further than `cap` + 1."""
    sql = f"SELECT count(*) FROM (SELECT 1 {_matching(posts_sql)} LIMIT %s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [to_fts5(text), *posts_params, cap + 1])
        return cursor.fetchone()[0]


def hits(text, posts_sql, posts_params, *, limit, offset, cap):
    """(post id, rank, snippet, matches counted up to `cap` + 1) for one page, best first."""
    # Ranking visits every match anyway, so counting them there is nearly free. Snippets re-read
    # whole documents, so they are made only for the page being shown. FTS5 functions work only
    # in the query that scans their MATCH (CROSS JOIN keeps that scan outermost) and never beside
    # a window function, hence the nesting.
    expression = to_fts5(text)
    sql = f"""
        SELECT page.rowid, page.rank, {SNIPPET}, page.total
        FROM posts_searchdocument_fts CROSS JOIN (
            SELECT rowid, rank, min(count(*) OVER (), %s) AS total
            FROM (SELECT rowid, {RANK} AS rank {_matching(posts_sql)})
            ORDER BY rank DESC, rowid DESC LIMIT %s OFFSET %s
        ) AS page ON page.rowid = posts_searchdocument_fts.rowid
        WHERE posts_searchdocument_fts MATCH %s
        ORDER BY page.rank DESC, page.rowid DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [cap + 1, expression, *posts_params, limit, offset, expression])
        return cursor.fetchall()
