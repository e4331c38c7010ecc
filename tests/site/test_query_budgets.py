"""
Query budgets for every kind of page, whatever the size of the site.

Each list page is measured with 3 posts and again with 30 (a full page, two more behind it);
the post page with 1 comment and with 1,000, on every page of the long thread. The counts must
not move, and stay within the pinned budgets. The issue's ceiling is 5 queries per uncached
page and none on a page-cache hit.

tests/comments/test_queries.py pins the comment section itself (5 against 500 comments and
the author's own session); this module covers whole pages across the site.
"""

import datetime

import pytest
from django.utils import timezone

from comments.models import Comment
from posts import selectors
from tests.factories import AuthorFactory, BlogFactory, CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

CEILING = 5  # the target for any uncached page
# Today's counts with warm caches (sidebar, discussion settings, related posts, neighbours,
# list counts, the lists themselves, the comment section, the post's fragments): they may only
# go down. A list page about a subject reads the subject; a post page reads the post.
BUDGETS = {"home": 0, "category": 1, "tag": 1, "author": 1, "blog": 1, "year": 0, "month": 0,
           "post": 1}
LIST_PAGES = ["home", "category", "tag", "author", "blog", "year", "month"]


class Site:
    """Posts in a category below a parent (whose page lists them), with a tag, an author and a
    blog; every post in March 2021."""

    def __init__(self):
        parent = CategoryFactory(slug="garden")
        self.category = CategoryFactory(slug="beans", parent=parent)
        self.tag = TagFactory(slug="runner")
        self.author = AuthorFactory(slug="ann")
        self.blog = BlogFactory(slug="plot")
        self.posts = []

    def add_posts(self, count):
        start = timezone.make_aware(datetime.datetime(2021, 3, 1, 9))
        for n in range(len(self.posts), len(self.posts) + count):
            self.posts.append(PostFactory(
                published_at=start + datetime.timedelta(hours=n), author=self.author,
                blog=self.blog, categories=[self.category], tags=[self.tag]))

    def urls(self, page=1):
        suffix = f"page/{page}/" if page > 1 else ""
        return {"home": f"/{suffix}", "category": f"/category/garden/{suffix}",
                "tag": f"/tag/runner/{suffix}", "author": f"/author/ann/{suffix}",
                "blog": f"/blog/plot/{suffix}", "year": f"/2021/{suffix}",
                "month": f"/2021/03/{suffix}"}


@pytest.fixture
def uncached(settings, monkeypatch):
    """The page cache off; the sidebar and other fragments stay cached, as in production. The
    clock stands still: what is cached of a list holds for a minute (posts.models.this_minute),
    and a test that crossed into the next would count the list's rebuilding."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.POSTS_PER_PAGE = 10
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)


def count_queries(client, url, assert_max_queries, limit):
    assert client.get(url).status_code == 200  # warms the sidebar and the other fragments
    with assert_max_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_pages_cost_the_same_with_3_posts_or_30(page, client, uncached,
                                                      django_assert_max_num_queries):
    site = Site()
    site.add_posts(3)
    few = count_queries(client, site.urls()[page], django_assert_max_num_queries, BUDGETS[page])
    site.add_posts(27)
    many = [count_queries(client, site.urls(number)[page], django_assert_max_num_queries,
                          BUDGETS[page]) for number in (1, 3)]
    assert many == [few, few]


def discussed(count):
    """A post with `count` approved comments, two in three of them replies."""
    post = PostFactory()
    start = timezone.now() - datetime.timedelta(days=30)
    roots = Comment.objects.bulk_create(
        Comment(post=post, author_name=f"Reader {n}", author_email=f"r{n}@example.org",
                body=f"Comment {n}, see https://example.org/{n}", status=Comment.Status.APPROVED,
                created_at=start + datetime.timedelta(minutes=n))
        for n in range(0, count, 3))
    Comment.objects.bulk_create(
        Comment(post=post, parent=roots[n // 3], depth=1, author_name=f"Reader {n}",
                author_email=f"r{n}@example.org", body=f"Reply {n}",
                status=Comment.Status.APPROVED, created_at=start + datetime.timedelta(minutes=n))
        for n in range(count) if n % 3)
    post.comment_count = count
    post.save(update_fields=["comment_count"])
    return post


def test_a_post_with_1000_comments_costs_what_a_post_with_1_does(client, uncached, settings,
                                                                   django_assert_max_num_queries):
    settings.COMMENTS_PER_PAGE = 50
    one, thousand = discussed(1), discussed(1000)
    base = count_queries(client, one.get_absolute_url(), django_assert_max_num_queries,
                         BUDGETS["post"])
    pages = -(-len(range(0, 1000, 3)) // settings.COMMENTS_PER_PAGE)
    counts = {
        number: count_queries(client, f"{thousand.get_absolute_url()}?cpage={number}",
                              django_assert_max_num_queries, BUDGETS["post"])
        for number in range(1, pages + 1)
    }
    assert set(counts.values()) == {base}, counts


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_no_uncached_page_takes_more_than_five_queries(page, client, uncached,
                                                        django_assert_max_num_queries):
    site = Site()
    site.add_posts(12)
    url = site.posts[0].get_absolute_url() if page == "post" else site.urls()[page]
    count_queries(client, url, django_assert_max_num_queries, CEILING)


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_a_page_cache_hit_takes_no_query(page, site, redis_cache, django_assert_num_queries):
    content = Site()
    content.add_posts(3)
    url = content.posts[0].get_absolute_url() if page == "post" else content.urls()[page]
    assert site.get(url).headers["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert site.get(url).headers["X-Page-Cache"] == "hit"


def test_the_sidebar_is_built_once_and_again_after_a_change(client, uncached, redis_cache,
                                                            monkeypatch):
    builds = []
    build = selectors.build_sidebar
    monkeypatch.setattr(selectors, "build_sidebar", lambda: builds.append(1) or build())
    site = Site()
    site.add_posts(3)

    client.get("/")
    client.get("/tag/runner/")
    assert len(builds) == 1

    site.category.name = "Broad beans"
    site.category.save()
    assert "Broad beans" in client.get("/").text
    assert len(builds) == 2


def test_the_last_home_page_does_not_skip_over_the_whole_table(client, uncached,
                                                                django_assert_max_num_queries):
    site = Site()
    site.add_posts(30)
    client.get("/page/3/")
    with django_assert_max_num_queries(BUDGETS["home"]) as captured:
        assert client.get("/page/3/").status_code == 200
    offsets = [int(sql.rsplit("OFFSET", 1)[1].split()[0])
               for sql in (query["sql"] for query in captured.captured_queries) if "OFFSET" in sql]
    assert max(offsets, default=0) < 10


@pytest.mark.parametrize("page", ["home", "category"])
def test_list_counts_are_counted_once_per_change(page, client, uncached, redis_cache,
                                                 django_assert_max_num_queries, monkeypatch):
    # Both requests in the same minute, whenever the test runs.
    moment = timezone.now().replace(second=30)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    site = Site()
    site.add_posts(12)
    client.get(site.urls()[page])
    with django_assert_max_num_queries(BUDGETS[page]) as captured:
        assert client.get(site.urls()[page]).status_code == 200
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
