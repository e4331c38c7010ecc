import datetime

import pytest
from django.utils import timezone

from posts.models import Post
from tests.factories import (
    AuthorFactory,
    BlogFactory,
    CategoryFactory,
    PageFactory,
    PostFactory,
    TagFactory,
)
from tests.html import main_text

pytestmark = pytest.mark.django_db


def day(y, m, d):
    return timezone.make_aware(datetime.datetime(y, m, d, 12))


def test_home_lists_teasers_newest_first_with_sticky_on_top(client):
    PostFactory(title="Older harvest", published_at=day(2020, 1, 1))
    PostFactory(title="Newer harvest", published_at=day(2021, 1, 1))
    PostFactory(title="House rules", sticky=True, published_at=day(2019, 1, 1))

    response = client.get("/")

    assert response.status_code == 200
    text = response.text
    assert text.index("House rules") < text.index("Newer harvest") < text.index("Older harvest")


def test_home_cuts_teasers_at_the_more_marker(client):
    PostFactory(title="Long read", body="First part.\n\n<!--more Keep reading-->\n\nSecret rest.")

    text = client.get("/").text

    assert "First part." in text
    assert "Secret rest." not in text
    assert "Keep reading" in text


def test_home_never_lists_pages_or_drafts(client):
    PageFactory(title="About the plot")
    PostFactory(title="Unfinished", status="draft")

    text = main_text(client.get("/"))

    assert "Unfinished" not in text
    assert '<h2 class="entry-title"><a href="/about-the-plot' not in text


def test_post_detail_shows_body_and_neighbours(client):
    older = PostFactory(title="Sowing", published_at=day(2020, 3, 1))
    post = PostFactory(title="Weeding", body="Pull them *young*.", published_at=day(2020, 4, 1))
    newer = PostFactory(title="Harvest", published_at=day(2020, 5, 1))

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert "<em>young</em>" in response.text
    assert f'href="{older.get_absolute_url()}">← Sowing' in response.text
    assert f'href="{newer.get_absolute_url()}">Harvest →' in response.text


def test_post_detail_with_the_wrong_date_is_not_found(client):
    PostFactory(slug="weeding", published_at=day(2020, 4, 1))
    assert client.get("/2020/04/02/weeding/").status_code == 404


@pytest.mark.parametrize("status", ["draft", "pending", "private"])
def test_unpublished_content_is_hidden_from_readers_but_staff_preview_it(
    client, staff_client, status
):
    post = PostFactory(title="Not yet", status=status)
    page = PageFactory(title="Hidden page", status=status)

    for obj in (post, page):
        assert client.get(obj.get_absolute_url()).status_code == 404
        preview = staff_client.get(obj.get_absolute_url())
        assert preview.status_code == 200
        assert f"Preview: {Post.Status(status).label}" in preview.text


def test_future_scheduled_post_is_not_found_by_readers(client):
    post = PostFactory(status="scheduled", published_at=timezone.now() + datetime.timedelta(days=2))
    assert client.get(post.get_absolute_url()).status_code == 404


def test_undated_post_detail_says_date_unknown(client):
    post = PostFactory(title="Undated notes", published_at=None)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Date unknown" in response.text


def test_page_detail_and_nested_page(client):
    about = PageFactory(title="About us", slug="about-us", body="We grow things.")
    PageFactory(title="Our history", slug="history", parent=about)

    assert "We grow things." in client.get("/about-us/").text
    assert "Our history" in client.get("/about-us/history/").text
    assert client.get("/history/").status_code == 404


def test_category_archive_includes_children(client):
    parent = CategoryFactory(name="Vegetables", slug="vegetables")
    child = CategoryFactory(name="Beans", slug="beans", parent=parent)
    PostFactory(title="Broad beans", categories=[child])
    PostFactory(title="Roses", categories=[CategoryFactory(name="Flowers")])

    text = main_text(client.get("/category/vegetables/"))

    assert "Broad beans" in text
    assert "Roses" not in text


def test_tag_author_and_blog_archives(client):
    tag = TagFactory(slug="frost")
    author = AuthorFactory(slug="ann")
    blog = BlogFactory(slug="plot-42", title="Plot 42")
    PostFactory(title="Frosty morning", tags=[tag], author=author, blog=blog)
    PostFactory(title="Other post")

    for url in ("/tag/frost/", "/author/ann/", "/blog/plot-42/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Frosty morning" in main_text(response)
        assert "Other post" not in main_text(response)
    assert client.get("/tag/missing/").status_code == 404


def test_date_archives(client):
    PostFactory(title="Spring sowing", published_at=day(2020, 3, 14))
    PostFactory(title="Autumn digging", published_at=day(2021, 10, 2))

    assert "Spring sowing" in main_text(client.get("/2020/"))
    assert "Autumn digging" not in main_text(client.get("/2020/"))
    assert "Spring sowing" in client.get("/2020/03/").text
    assert "Spring sowing" in client.get("/2020/03/14/").text
    assert client.get("/2020/03/15/").status_code == 200


def test_sidebar_shows_categories_with_counts_months_and_blogs(client):
    category = CategoryFactory(name="Vegetables")
    blog = BlogFactory(title="Plot 42")
    PostFactory(categories=[category], blog=blog, published_at=day(2020, 3, 14))
    PostFactory(categories=[category], status="draft")

    text = client.get("/").text

    assert "Vegetables</a> <span class=\"count\">(1)</span>" in text
    assert "March 2020" in text
    assert "Plot 42</a>" in text


def test_sidebar_follows_content_changes(client):
    def sidebar():
        text = client.get("/").text
        return text[text.index("<aside"):]

    assert "Brand new post" not in sidebar()
    PostFactory(title="Brand new post")
    assert "Brand new post" in sidebar()


def test_unknown_address_gets_the_friendly_404(client):
    response = client.get("/no/such/thing/")
    assert response.status_code == 404
    assert "Nothing here" in response.text


def test_excerpt_only_posts_say_the_rest_was_not_archived(client):
    post = PostFactory(excerpt_only=True, body="The beginning…")
    assert "Only the beginning of this post was archived" in client.get(
        post.get_absolute_url()).text
