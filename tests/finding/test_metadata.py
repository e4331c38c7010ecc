import datetime
import json

import lxml.html
import pytest

from tests.factories import AuthorFactory, BlogFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def head(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def meta(doc, attribute, name):
    [element] = doc.xpath(f"//head/meta[@{attribute}=$name]", name=name)
    return element.get("content")


def json_ld(doc):
    [script] = doc.xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


def test_post_head_has_canonical_description_open_graph_and_twitter(client):
    post = PostFactory(title="Frost", excerpt="The first *frost* came early.",
                       author=AuthorFactory(name="Ada"))

    doc = head(client.get(post.get_absolute_url()))

    url = "http://testserver" + post.get_absolute_url()
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert meta(doc, "name", "description") == "The first frost came early."
    assert meta(doc, "property", "og:type") == "article"
    assert meta(doc, "property", "og:title") == "Frost"
    assert meta(doc, "property", "og:url") == url
    assert meta(doc, "property", "article:published_time") == post.published_at.isoformat()
    assert meta(doc, "name", "twitter:card") == "summary"
    assert meta(doc, "name", "twitter:description") == "The first frost came early."


def test_description_falls_back_to_the_start_of_the_text_in_plain_words(client):
    body = "<p>Dig <b>deep</b> &amp; wide.</p><ul><li>spade</li><li>fork</li></ul>" + " more" * 100
    post = PostFactory(body=body, body_format="html")

    description = meta(head(client.get(post.get_absolute_url())), "name", "description")

    assert description.startswith("Dig deep & wide. spade fork more")
    assert len(description) <= 160


def test_blog_posting_json_ld_links_the_archived_original(client):
    post = PostFactory(title="Frost </script><script>alert(1)</script>",
                       original_url="http://old.example/2009/frost/",
                       author=AuthorFactory(name="Ada"), language="en-GB")

    response = client.get(post.get_absolute_url())
    data = json_ld(head(response))

    assert data["@type"] == "BlogPosting"
    assert data["headline"] == post.title
    assert data["isBasedOn"] == "http://old.example/2009/frost/"
    assert data["inLanguage"] == "en-GB"
    assert data["author"]["name"] == "Ada"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == post.published_at
    assert "</script><script>" not in response.text


def test_pages_are_web_pages_without_article_tags(client):
    page = PageFactory(title="About")

    doc = head(client.get(page.get_absolute_url()))

    data = json_ld(doc)
    assert data["@type"] == "WebPage"
    assert data["name"] == "About"
    assert "isBasedOn" not in data
    assert meta(doc, "property", "og:type") == "website"


def test_the_page_language_comes_from_the_post_or_its_blog(client):
    hindi_blog = BlogFactory(language="hi")
    from_blog = PostFactory(blog=hindi_blog)
    own = PostFactory(blog=hindi_blog, language="en")
    unknown = PostFactory()

    assert head(client.get(from_blog.get_absolute_url())).get("lang") == "hi"
    assert head(client.get(own.get_absolute_url())).get("lang") == "en"
    assert head(client.get(unknown.get_absolute_url())).get("lang") == "en"


def test_protected_posts_describe_nothing_of_their_text(client):
    post = PostFactory(body="The secret recipe.", password="pw")

    response = client.get(post.get_absolute_url())

    assert meta(head(response), "name", "description") == "This post is password protected."
    assert "secret recipe" not in json.dumps(json_ld(head(response)))


def test_featured_image_makes_a_large_card(client, featured_post):
    doc = head(client.get(featured_post.get_absolute_url()))

    assert meta(doc, "name", "twitter:card") == "summary_large_image"
    assert meta(doc, "property", "og:image") == (
        "http://testserver" + featured_post.featured_image.url)
    assert json_ld(doc)["image"] == meta(doc, "property", "og:image")


def test_list_pages_describe_the_site(client, settings):
    doc = head(client.get("/"))

    assert doc.xpath("//link[@rel='canonical']/@href") == ["http://testserver/"]
    assert meta(doc, "name", "description") == settings.SITE_TAGLINE
    assert not doc.xpath("//script[@type='application/ld+json']")
