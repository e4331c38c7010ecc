"""
Search on PostgreSQL: the stored, GIN-indexed `vector` column of posts_searchdocument (migration
0003), `websearch_to_tsquery` for the query, `ts_rank` for order and `ts_headline` for snippets.
"""

from django.conf import settings
from django.db import connection

from .highlight import END, START

HEADLINE_OPTIONS = (
    f'StartSel={START}, StopSel={END}, MaxFragments=2, MaxWords=30, MinWords=12, '
    'FragmentDelimiter=" … "'
)


def _matching(posts_sql):
    return f"""
        FROM posts_searchdocument d, websearch_to_tsquery(%s::regconfig, %s) AS q(query)
        WHERE d.vector @@ q.query AND d.post_id IN ({posts_sql})
    """


def count(text, posts_sql, posts_params):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) {_matching(posts_sql)}",
            [settings.SEARCH_CONFIG, text, *posts_params],
        )
        return cursor.fetchone()[0]


def hits(text, posts_sql, posts_params, *, limit, offset):
    """(post id, rank, snippet, number of matches) for one page of results, best first."""
    # Every match is ranked once, into narrow rows; the page and the count both read those.
    # Headlines re-read whole documents, so they are made only for the page being shown.
    sql = f"""
        WITH ranked AS MATERIALIZED (
            SELECT d.post_id, ts_rank(d.vector, q.query) AS rank
            {_matching(posts_sql)}
        ), page AS (
            SELECT post_id, rank FROM ranked ORDER BY rank DESC, post_id DESC LIMIT %s OFFSET %s
        )
        SELECT page.post_id, page.rank,
               ts_headline(%s::regconfig, d.excerpt || ' ' || d.body,
                           websearch_to_tsquery(%s::regconfig, %s), %s),
               (SELECT count(*) FROM ranked)
        FROM page JOIN posts_searchdocument d USING (post_id)
        ORDER BY page.rank DESC, page.post_id DESC
    """
    config = settings.SEARCH_CONFIG
    params = [config, text, *posts_params, limit, offset, config, config, text, HEADLINE_OPTIONS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
