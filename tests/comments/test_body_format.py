"""How a comment's words show on its post's page: a reader's plain text exactly as typed, a
comment imported from WordPress as WordPress showed it, within the sanitizer's allow-list."""

import lxml.html
import pytest
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.factories import CommentFactory
from tests.html import unsafe_parts

from .conftest import form_data

pytestmark = pytest.mark.django_db

# What WordPress's comment form lets a commenter use ($allowedtags in wp-includes/kses.php).
WORDPRESS_COMMENT_TAGS = ["a", "abbr", "acronym", "b", "blockquote", "cite", "code", "del", "em",
                          "i", "q", "s", "strike", "strong"]


def comment_body(client, comment):
    """The body of `comment` as its post's page shows it."""
    page = lxml.html.fromstring(client.get(comment.post.get_absolute_url()).content)
    [body] = page.xpath(f'//li[@id="comment-{comment.pk}"]//div[@class="comment-body"]')
    return body


def imported(body, **fields):
    return CommentFactory(body=body, body_format=Comment.BodyFormat.HTML, **fields)


def test_an_imported_comment_shows_its_emphasis_and_links(client):
    comment = imported('I <em>love</em> this <a href="https://example.org/beds">garden</a> '
                       "&amp; its bread.")
    body = comment_body(client, comment)
    assert body.text_content().strip() == "I love this garden & its bread."
    assert [em.text for em in body.iter("em")] == ["love"]
    [link] = body.iter("a")
    assert (link.text, link.get("href")) == ("garden", "https://example.org/beds")
    assert link.get("rel") == "nofollow ugc noopener"


def test_a_script_in_an_imported_comment_is_removed(client):
    comment = imported('Sourdough<script>alert(1)</script> rises. <a href="javascript:alert(1)" '
                       'onclick="alert(1)">Recipe</a> <img src=x onerror=alert(1)>')
    body = comment_body(client, comment)
    assert body.text_content().strip() == "Sourdough rises. Recipe"
    assert unsafe_parts(lxml.html.tostring(body, encoding="unicode")) == []
    assert [link.get("href") for link in body.iter("a")] == [None]


def test_an_imported_comment_gets_paragraphs_and_clickable_addresses(client):
    comment = imported("Chain oiled,\ntyres pumped.\n\nRoute at https://example.org/ride or "
                       '<a href="https://example.org/map">https://example.org/map</a>')
    body = comment_body(client, comment)
    first, second = body.findall("p")
    assert first.text_content() == "Chain oiled,\ntyres pumped." and first.find("br") is not None
    # The address already a link stays one link.
    assert [link.get("href") for link in second.iter("a")] == [
        "https://example.org/ride", "https://example.org/map"]


@pytest.mark.parametrize("tag", WORDPRESS_COMMENT_TAGS)
def test_every_tag_of_the_wordpress_comment_form_shows(client, tag):
    attributes = ' href="https://example.org/"' if tag == "a" else ""
    comment = imported(f"A <{tag}{attributes}>crusty</{tag}> loaf.")
    body = comment_body(client, comment)
    assert [element.text for element in body.iter(tag)] == ["crusty"]


def test_a_readers_comment_shows_exactly_what_they_typed(client, post):
    typed = 'Use <b>bold</b> &amp; <a href="https://example.org/">a link</a>, I said.'
    client.post(reverse("comments:post", args=[post.pk]), form_data(post, body=typed))
    services.approve(Comment.objects.all())
    body = comment_body(client, Comment.objects.get())
    assert body.text_content().strip() == typed
    assert list(body.iter("b")) == []

