import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from posts.sitemaps import PostSitemap
from tests.factories import CategoryFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iterfind(".//s:loc", NS)]


def test_sitemap_lists_every_published_post_and_page_and_nothing_else(client):
    category, tag = CategoryFactory(), TagFactory()
    unused_category = CategoryFactory()
    parent = PageFactory(slug="parent")
    shown = [
        parent,
        PostFactory(categories=[category], tags=[tag]),
        PostFactory(published_at=None, slug="undated"),
        PostFactory(status="scheduled", published_at=timezone.now() - datetime.timedelta(hours=1)),
        PageFactory(),
        PageFactory(parent=parent, slug="child"),
    ]
    hidden = [
        PostFactory(status=status, categories=[unused_category])
        for status in ("draft", "pending", "private")
    ] + [
        PostFactory(status="scheduled", published_at=timezone.now() + datetime.timedelta(days=1)),
        PageFactory(status="draft"),
    ]

    found = locations(client.get("/sitemap.xml"))

    site = "http://testserver"
    expected_content = {site + p.get_absolute_url() for p in shown}
    expected_taxonomy = {site + category.get_absolute_url(), site + tag.get_absolute_url()}
    assert len(found) == len(set(found))
    assert set(found) == expected_content | expected_taxonomy
    assert not {site + p.get_absolute_url() for p in hidden} & set(found)


def test_sitemap_entries_have_lastmod(client):
    post = PostFactory(categories=[CategoryFactory()])

    root = ET.fromstring(client.get("/sitemap.xml").content)

    lastmods = [el.text for el in root.iterfind(".//s:lastmod", NS)]
    assert len(lastmods) == 2
    assert all(value.startswith(post.updated_at.date().isoformat()) for value in lastmods)


def test_sitemap_becomes_an_index_once_a_section_needs_pages(client, monkeypatch):
    monkeypatch.setattr(PostSitemap, "limit", 2)
    posts = [PostFactory() for _ in range(3)]
    PageFactory()

    index = locations(client.get("/sitemap.xml"))

    assert index == [
        "http://testserver/sitemap-posts.xml",
        "http://testserver/sitemap-posts.xml?p=2",
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-categories.xml",
        "http://testserver/sitemap-tags.xml",
    ]
    listed = locations(client.get("/sitemap-posts.xml")) + locations(
        client.get("/sitemap-posts.xml", {"p": 2}))
    assert listed == ["http://testserver" + p.get_absolute_url() for p in posts]


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /search/" in response.text
