"""Comment feeds, site-wide and per post, in RSS and Atom."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests.factories import CommentFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return feedparser.parse(response.content)


@pytest.fixture
def on_stalin():
    return PostFactory(title="On Stalin", slug="on-stalin",
                       published_at=timezone.make_aware(datetime.datetime(2007, 10, 21, 12)))


@pytest.mark.parametrize("name", ["comments:feed", "comments:feed_atom"])
def test_site_feed_lists_approved_comments_on_published_posts(client, name):
    shown = CommentFactory(body="Shown everywhere.")
    CommentFactory(status=Comment.Status.PENDING, body="Still waiting.")
    CommentFactory(status=Comment.Status.SPAM, body="Buy now.")
    CommentFactory(post=PostFactory(status="draft"), body="On a draft.")
    feed = parse(client, reverse(name))
    assert not feed.bozo
    assert [entry.summary for entry in feed.entries] == ["<p>Shown everywhere.</p>"]
    assert feed.entries[0].link.endswith(shown.get_absolute_url())
    assert feed.entries[0].author == shown.author_name


def test_post_feed_lives_below_the_permalink_as_in_wordpress(client, on_stalin):
    CommentFactory(post=on_stalin, body="About this post.")
    CommentFactory(body="About another post.")
    for url in ("/2007/10/21/on-stalin/feed/", "/2007/10/21/on-stalin/feed/atom/"):
        feed = parse(client, url)
        assert [entry.summary for entry in feed.entries] == ["<p>About this post.</p>"]
        assert "On Stalin" in feed.feed.title


def test_post_feed_is_linked_from_the_post(client, on_stalin):
    page = client.get(on_stalin.get_absolute_url()).content.decode()
    assert 'href="/2007/10/21/on-stalin/feed/"' in page


def test_post_feed_with_the_wrong_date_is_404(client, on_stalin):
    assert client.get("/2007/10/22/on-stalin/feed/").status_code == 404


def test_pages_and_undated_posts_have_feeds_by_id(client):
    for post in (PageFactory(), PostFactory(published_at=None)):
        CommentFactory(post=post, body="On a page.")
        page = client.get(post.get_absolute_url()).content.decode()
        url = reverse("comments:post_feed_by_id", kwargs={"pk": post.pk})
        assert f'href="{url}"' in page
        assert [e.summary for e in parse(client, url).entries] == ["<p>On a page.</p>"]


def test_feed_of_an_unpublished_post_is_404(client):
    draft = PostFactory(status="draft")
    assert client.get(reverse("comments:post_feed_by_id", kwargs={"pk": draft.pk})).status_code == 404


@pytest.mark.parametrize("name", ["comments:feed", "comments:feed_atom"])
def test_feeds_show_imported_markup_and_readers_text_as_the_page_does(client, name):
    now = timezone.now()
    CommentFactory(body="I <em>love</em> rye &amp; spelt.", body_format=Comment.BodyFormat.HTML,
                   created_at=now)
    CommentFactory(body="Is <em> a tag?", created_at=now - datetime.timedelta(hours=1))
    feed = parse(client, reverse(name))
    assert [entry.summary for entry in feed.entries] == [
        "<p>I <em>love</em> rye &amp; spelt.</p>", "<p>Is &lt;em&gt; a tag?</p>"]
