"""A commenter's email address never appears on a page or in a feed; Gravatar can be turned off."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory, PostFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db

EMAIL = "secret.reader@example.org"


@pytest.fixture
def discussed_post():
    post = PostFactory()
    parent = CommentFactory(post=post, author_email=EMAIL, author_url="https://reader.example/")
    CommentFactory(post=post, parent=parent, depth=1, author_email=EMAIL.upper())
    post.comment_count = 2
    post.save()
    return post


def public_urls(post):
    comment = Comment.objects.filter(post=post).first()
    return [
        post.get_absolute_url(), f"{post.get_absolute_url()}?replytocom={comment.pk}",
        reverse("posts:home"), reverse("comments:feed"), reverse("comments:feed_atom"),
        reverse("comments:post_feed_by_id", kwargs={"pk": post.pk}),
        reverse("comments:post_feed_by_id_atom", kwargs={"pk": post.pk}),
    ]


def assert_nowhere(client, urls, *needles):
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = response.content.decode().lower()
        for needle in needles:
            assert needle.lower() not in text, (url, needle)


def test_email_never_appears_in_pages_or_feeds(discussed_post):
    assert_nowhere(Client(), public_urls(discussed_post), EMAIL, "secret.reader")


def test_email_of_ones_own_pending_comment_is_not_shown_either(client, discussed_post):
    client.post(reverse("comments:post", args=[discussed_post.pk]),
                form_data(discussed_post, author_email="mine@example.org"))
    page = client.get(discussed_post.get_absolute_url()).content.decode()
    assert "awaiting moderation" in page and "mine@example.org" not in page


def test_gravatar_shows_a_hash_of_the_email_and_never_the_email(client, discussed_post):
    digest = hashlib.sha256(EMAIL.encode()).hexdigest()
    page = client.get(discussed_post.get_absolute_url()).content.decode()
    assert f"https://www.gravatar.com/avatar/{digest}" in page


def test_gravatar_off_sends_no_hash_at_all(client, discussed_post, settings):
    settings.COMMENTS_GRAVATAR = False
    hashes = [getattr(hashlib, name)(EMAIL.encode()).hexdigest() for name in ("md5", "sha256")]
    assert_nowhere(client, public_urls(discussed_post), EMAIL, "gravatar", *hashes)
    page = client.get(discussed_post.get_absolute_url()).content.decode()
    assert '<span class="avatar" aria-hidden="true">R</span>' in page  # the local fallback
