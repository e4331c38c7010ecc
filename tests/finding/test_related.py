import pytest

from posts.related import find_related, related_posts
from tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_related_posts_share_the_most_categories_and_tags(django_assert_num_queries):
    veg, herbs = CategoryFactory(), CategoryFactory()
    mulch, frost = TagFactory(), TagFactory()
    post = PostFactory(categories=[veg, herbs], tags=[mulch, frost])
    three = PostFactory(title="Shares three", categories=[veg, herbs], tags=[mulch])
    one_old = PostFactory(title="Shares one, older", tags=[frost])
    one_new = PostFactory(title="Shares one, newer", categories=[herbs])
    PostFactory(title="Shares nothing")
    PostFactory(title="Draft", status="draft", categories=[veg, herbs], tags=[mulch, frost])

    with django_assert_num_queries(1):
        related = find_related(post)

    assert related == [three, one_new, one_old]


def test_related_posts_are_cached_until_content_changes(django_assert_num_queries):
    veg = CategoryFactory()
    post = PostFactory(categories=[veg])
    PostFactory(title="Neighbour", categories=[veg])

    assert [r["title"] for r in related_posts(post)] == ["Neighbour"]
    with django_assert_num_queries(0):
        related_posts(post)

    PostFactory(title="Newcomer", categories=[veg])
    assert [r["title"] for r in related_posts(post)] == ["Newcomer", "Neighbour"]


def test_post_page_shows_related_posts(client):
    veg = CategoryFactory()
    post = PostFactory(categories=[veg])
    neighbour = PostFactory(title="Neighbour", categories=[veg])

    text = client.get(post.get_absolute_url()).text

    assert f'<a href="{neighbour.get_absolute_url()}">Neighbour</a>' in text
    assert "Related posts" in text
