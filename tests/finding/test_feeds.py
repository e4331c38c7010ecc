"""Every feed parses cleanly with feedparser (bozo == 0), in RSS 2.0 and Atom."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from tests.factories import (
    AuthorFactory,
    BlogFactory,
    CategoryFactory,
    PostFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def day(n):
    return timezone.make_aware(datetime.datetime(2021, 3, n, 9, 30))


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return response, feed


@pytest.fixture
def subjects():
    """Three posts under one category, tag, author and blog, and noise that must stay out."""
    category, tag = CategoryFactory(slug="herbs"), TagFactory(slug="mint")
    author, blog = AuthorFactory(slug="ada"), BlogFactory(slug="plot")
    for n in (1, 3, 2):
        PostFactory(title=f"Herb post {n}", published_at=day(n), categories=[category],
                    tags=[tag], author=author, blog=blog, excerpt=f"Summary {n}.")
    PostFactory(title="Elsewhere", published_at=day(4))
    PostFactory(title="Draft herb", status="draft", categories=[category], tags=[tag],
                author=author, blog=blog)
    return {"category": category, "tag": tag, "author": author, "blog": blog}


SUBJECT_FEEDS = ["/category/herbs/feed/", "/tag/mint/feed/", "/author/ada/feed/", "/blog/plot/feed/"]


@pytest.mark.parametrize("url", SUBJECT_FEEDS + [f"{u}atom/" for u in SUBJECT_FEEDS])
def test_subject_feeds_list_their_published_posts_newest_first(client, subjects, url):
    _, feed = parse(client, url)

    assert [e.title for e in feed.entries] == ["Herb post 3", "Herb post 2", "Herb post 1"]
    assert feed.feed.link == "http://testserver" + url.split("feed/")[0]


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_site_feed_items_have_dates_absolute_links_and_summaries(client, subjects, url):
    _, feed = parse(client, url)

    assert len(feed.entries) == 4
    first = feed.entries[0]
    assert first.title == "Elsewhere"
    herb = feed.entries[1]
    assert herb.link == "http://testserver/2021/03/03/" + herb.link.rsplit("/", 2)[-2] + "/"
    assert herb.published_parsed[:5] == (2021, 3, 3, 9, 30)
    if "atom" in url:
        assert herb.updated_parsed >= herb.published_parsed
    assert herb.summary == "<p>Summary 3.</p>"
    assert herb.author == "Gardener " + herb.author.split()[-1]
    assert {t.term for t in herb.tags} == {subjects["category"].name, subjects["tag"].name}
    assert all(e.link.startswith("http://testserver/") for e in feed.entries)


def test_the_feed_length_is_a_setting(client, settings):
    settings.FEED_ITEMS = 2
    for n in range(1, 4):
        PostFactory(published_at=day(n))

    _, feed = parse(client, "/feed/")

    assert len(feed.entries) == 2


def test_full_content_or_summary_by_setting(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the same address answers differently within this test
    PostFactory(body="Opening.\n\n<!--more-->\n\nThe rest of the text.")

    settings.FEED_FULL_CONTENT = True
    _, rss = parse(client, "/feed/")
    _, atom = parse(client, "/feed/atom/")
    for feed in (rss, atom):
        assert "The rest of the text." in feed.entries[0].content[0].value
        assert "The rest" not in feed.entries[0].summary

    settings.FEED_FULL_CONTENT = False
    _, rss = parse(client, "/feed/")
    assert "content" not in rss.entries[0]
    assert "Opening." in rss.entries[0].summary


def test_protected_posts_keep_their_text_out_of_feeds(client):
    PostFactory(body="The secret recipe.", password="pw")

    response, _ = parse(client, "/feed/")

    assert b"secret recipe" not in response.content


def test_featured_images_are_enclosures(client, featured_post):
    _, rss = parse(client, "/feed/")
    _, atom = parse(client, "/feed/atom/")

    for feed in (rss, atom):
        [enclosure] = feed.entries[0].enclosures
        assert enclosure.href.startswith("http://testserver/media/featured/")
        assert enclosure.type == "image/png"
        assert int(enclosure.length) == featured_post.featured_image.size


def test_atom_follows_rfc_4287(client):
    PostFactory(guid="http://old.example/?p=7", published_at=day(1))
    PostFactory(author=None, published_at=day(2))

    response, feed = parse(client, "/feed/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert feed.feed.id and feed.feed.updated_parsed and feed.feed.author
    assert {link.rel for link in feed.feed.links} == {"alternate", "self"}
    for entry in feed.entries:
        assert entry.id and entry.title and entry.updated_parsed and entry.link
    assert feed.entries[1].id == "http://old.example/?p=7"


def test_rss_guids_are_permalinks_unless_imported(client):
    PostFactory(guid="http://old.example/?p=7", published_at=day(1))
    native = PostFactory(published_at=day(2))

    response, feed = parse(client, "/feed/")

    assert feed.version == "rss20"
    assert feed.entries[0].id == "http://testserver" + native.get_absolute_url()
    assert b'<guid isPermaLink="false">http://old.example/?p=7</guid>' in response.content


def test_wordpress_feed_addresses(client):
    assert client.get("/feed/rss2/")["Location"] == "/feed/"
    assert client.get("/?feed=atom")["Location"] == "/feed/atom/"
    assert client.get("/category/no-such/feed/").status_code == 404


def test_pages_link_their_feeds_for_autodiscovery(client, subjects, settings):
    home = client.get("/").text
    category = client.get("/category/herbs/").text

    assert f'type="application/rss+xml" title="{settings.SITE_TITLE} » Feed" href="/feed/"' in home
    assert 'type="application/atom+xml"' in home
    assert 'href="/category/herbs/feed/"' in category


def test_feed_queries_do_not_grow_with_items(client, subjects, django_assert_max_num_queries):
    # The category, its descendants, the posts, their categories and their tags.
    with django_assert_max_num_queries(5):
        client.get("/category/herbs/feed/")
