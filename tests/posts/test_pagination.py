import pytest
from django.core.paginator import Paginator

from posts.models import Post
from posts.pagination import ArchivePaginator
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_posts(settings):
    settings.POSTS_PER_PAGE = 10
    return PostFactory.create_batch(12)


def test_second_page_has_the_rest(client, twelve_posts):
    response = client.get("/page/2/")
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 2
    assert 'href="/">← Newer posts' in response.text


def test_first_page_links_to_the_next(client, twelve_posts):
    assert 'href="/page/2/"' in client.get("/").text


@pytest.mark.parametrize("url", ["/page/0/", "/page/3/", "/?page=abc", "/?page=0", "/?page=99",
                                 "/page/abc/", "/category/x/page/2/"])
def test_bad_pages_are_not_found_never_an_error(client, twelve_posts, url):
    assert client.get(url).status_code == 404


def test_pages_read_from_the_far_end_hold_the_same_posts_in_the_same_order():
    same_time = PostFactory().published_at
    PostFactory.create_batch(5, published_at=same_time)
    PostFactory.create_batch(4, published_at=None)
    PostFactory.create_batch(2, sticky=True)
    PostFactory.create_batch(11)
    posts = Post.objects.published().posts()

    naive, archive = Paginator(posts, 4), ArchivePaginator(posts, 4, list_key="all-posts")

    assert archive.num_pages == naive.num_pages == 6
    for number in naive.page_range:
        assert list(archive.page(number)) == list(naive.page(number)), number
