"""
Search on PostgreSQL: the stored, GIN-indexed `vector` column of posts_searchdocument (migration
0003), `websearch_to_tsquery` for the query, `ts_rank` for order and `ts_headline` for snippets.

Each match ranked costs a read of its whole vector (about 2 kB), which made a word found in most
posts take half a second. So a query reads no more than `cap` + 1 matches, in whatever order the
planner finds them, and counts no further. When it finds that many, it also reads up to `cap` + 1
whose titles match, through the index on the vector's title part (migration 0005), so that a
post named by the word is not left out for posts that only mention it. A common word then costs
about what a rarer one does.
"""

from django.conf import settings
from django.db import connection

from .highlight import END, START

HEADLINE_OPTIONS = (
    f'StartSel={START}, StopSel={END}, MaxFragments=2, MaxWords=30, MinWords=12, '
    'FragmentDelimiter=" … "'
)

MATCHES = "d.vector @@ q.query"
# The whole document must match too: a title without the word `-word` excludes is not enough.
TITLE_MATCHES = f"ts_filter(d.vector, '{{a}}') @@ q.query AND {MATCHES}"


def _matching(posts_sql, condition):
    return f"""
        FROM posts_searchdocument d, websearch_to_tsquery(%s::regconfig, %s) AS q(query)
        WHERE {condition} AND d.post_id IN ({posts_sql})
    """


def count(text, posts_sql, posts_params, *, cap):
    """How many posts match, counting no further than `cap` + 1."""
    sql = f"SELECT count(*) FROM (SELECT 1 {_matching(posts_sql, MATCHES)} LIMIT %s) AS found"
    with connection.cursor() as cursor:
        cursor.execute(sql, [settings.SEARCH_CONFIG, text, *posts_params, cap + 1])
        return cursor.fetchone()[0]


def hits(text, posts_sql, posts_params, *, limit, offset, cap):
    """(post id, rank, snippet, matches counted up to `cap` + 1) for one page, best first."""
    # Title matches are looked for only when `found` was cut short; otherwise it holds them all
    # already. A post found both ways has the same rank each time. Ties in the choice go to the
    # lower id, so that every page of one search is cut from the same matches. The chosen matches
    # are ranked once, into narrow rows that the page and the count both read; headlines re-read
    # whole documents, so only the page's are made.
    sql = f"""
        WITH found AS MATERIALIZED (
            SELECT d.post_id, ts_rank(d.vector, q.query) AS rank
            {_matching(posts_sql, MATCHES)} LIMIT %s
        ), titled AS (
            SELECT d.post_id, ts_rank(d.vector, q.query) AS rank
            {_matching(posts_sql, TITLE_MATCHES)} AND (SELECT count(*) FROM found) > %s
            LIMIT %s
        ), ranked AS MATERIALIZED (
            SELECT post_id, max(rank) AS rank
            FROM (SELECT *, 0 AS tier FROM titled UNION ALL SELECT *, 1 AS tier FROM found) AS chosen
            GROUP BY post_id ORDER BY min(tier), post_id LIMIT %s
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
    matching = [config, text, *posts_params]
    params = [*matching, cap + 1, *matching, cap, cap + 1, cap + 1, limit, offset,
              config, config, text, HEADLINE_OPTIONS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
