"""A post page costs the same few queries whether it has 5 comments or 500."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import PostFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    # The page cache would answer the second request without building the page at all.
    settings.PAGE_CACHE_SECONDS = 0


# The post, its categories and tags, the older and newer posts, the whole thread; the sidebar
# and the discussion settings come from the cache once warm.
PAGE_QUERIES = 6


def discussed(count):
    """`count` approved comments, two in three of them replies, threads running deep."""
    post = PostFactory()
    comments = []
    for n in range(count):
        parent = comments[n - 1] if n % 3 else None
        comment = Comment(post=post, parent=parent, depth=parent.depth + 1 if parent else 0,
                          author_name=f"Reader {n}", author_email=f"r{n}@example.org",
                          author_url="https://reader.example/" if n % 2 else "",
                          body=f"Comment {n} with a link https://example.org/{n}",
                          status=Comment.Status.APPROVED)
        comment.save()
        comments.append(comment)
    return post


def compare(client, assert_max_queries, urls, limit):
    for url in urls:
        assert client.get(url).status_code == 200  # warm the caches
    counts = []
    for url in urls:
        with assert_max_queries(limit) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    return counts


def test_post_page_queries_do_not_grow_with_the_thread(client, django_assert_max_num_queries):
    small, large = discussed(5), discussed(500)
    urls = [small.get_absolute_url(), large.get_absolute_url(),
            f"{large.get_absolute_url()}?cpage=4"]
    counts = compare(client, django_assert_max_num_queries, urls, PAGE_QUERIES)
    assert len(set(counts)) == 1


def test_the_authors_session_costs_one_query_more(client, django_assert_max_num_queries):
    small, large = discussed(5), discussed(500)
    for post in (small, large):
        client.post(reverse("comments:post", args=[post.pk]), form_data(post))
    urls = [small.get_absolute_url(), large.get_absolute_url()]
    counts = compare(client, django_assert_max_num_queries, urls, PAGE_QUERIES + 1)
    assert len(set(counts)) == 1
