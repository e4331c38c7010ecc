"""The public form: posting, being refused with the text kept, seeing one's own pending comment."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db


def send(client, post, **fields):
    return client.post(reverse("comments:post", args=[post.pk]), form_data(post, **fields),
                       HTTP_USER_AGENT="Mozilla/5.0 (test)", REMOTE_ADDR="203.0.113.5")


def test_open_post_shows_leave_a_reply_form(client, post):
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Leave a Reply" in page
    assert 'name="token"' in page and 'name="homepage"' in page
    for field in ("author_name", "author_email", "author_url", "body"):
        assert f'name="{field}"' in page


def test_posting_lands_on_the_comment_awaiting_moderation(client, post):
    response = send(client, post)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    assert (comment.ip_address, comment.user_agent) == ("203.0.113.5", "Mozilla/5.0 (test)")
    assert comment.meta["moderation_reason"]
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "Your comment is awaiting moderation." in page


def test_only_the_authors_session_sees_the_pending_comment(client, post, admin_client):
    send(client, post)
    for other in (Client(), admin_client):
        page = other.get(post.get_absolute_url()).content.decode()
        assert "The beans came up at last." not in page
        assert "awaiting moderation" not in page
    assert Comment.objects.get().post.comment_count == 0


def test_approved_comment_is_shown_to_everyone_without_the_note(client, post):
    send(client, post)
    Comment.objects.update(status=Comment.Status.APPROVED)
    page = Client().get(post.get_absolute_url()).content.decode()
    assert "The beans came up at last." in page and "awaiting moderation" not in page


def test_signed_in_readers_give_no_name_or_email(client, post):
    user = UserFactory(first_name="Bea", last_name="Keeper", email="bea@example.org")
    client.force_login(user)
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'name="author_email"' not in page and 'name="author_name"' not in page
    send(client, post, author_name="", author_email="")
    comment = Comment.objects.get()
    assert (comment.user, comment.author_name, comment.author_email) == (
        user, "Bea Keeper", "bea@example.org")


def test_invalid_form_is_shown_again_with_the_text_kept(client, post):
    response = send(client, post, author_email="not an email", body="My long <careful> reply")
    assert response.status_code == 400
    page = response.content.decode()
    assert "My long &lt;careful&gt; reply" in page
    assert "Enter a valid email address." in page
    assert not Comment.objects.exists()


def test_filled_honeypot_is_refused_and_nothing_stored(client, post):
    response = send(client, post, homepage="http://bot.example/")
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()
    assert not Comment.objects.exists()


def test_too_fast_is_refused_with_a_fresh_form_that_works(client, post, settings):
    settings.COMMENTS_MIN_SECONDS = 3600
    response = send(client, post, body="Quick thought")
    assert response.status_code == 400
    page = response.content.decode()
    assert "very quick" in page and "Quick thought" in page
    settings.COMMENTS_MIN_SECONDS = 0
    fresh_token = response.context["form"]["token"].value()
    resent = client.post(reverse("comments:post", args=[post.pk]),
                         form_data(post, body="Quick thought", token=fresh_token))
    assert resent.status_code == 302 and Comment.objects.count() == 1


def test_closed_post_refuses_with_403_and_stores_nothing(client):
    post = PostFactory(comment_status="closed")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Comments are closed." in page and 'id="commentform"' not in page
    response = send(client, post, body="Words worth keeping")
    assert response.status_code == 403
    assert "Words worth keeping" in response.content.decode()
    assert not Comment.objects.exists()


def test_auto_closed_post_refuses_with_403(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    post = PostFactory()  # published in 2020
    assert send(client, post).status_code == 403
    assert not Comment.objects.exists()


def test_csrf_is_enforced(post):
    browser = Client(enforce_csrf_checks=True)
    assert send(browser, post).status_code == 403
    assert not Comment.objects.exists()
    page = browser.get(post.get_absolute_url())
    token = page.context["csrf_token"]
    response = browser.post(reverse("comments:post", args=[post.pk]),
                            form_data(post, csrfmiddlewaretoken=str(token)))
    assert response.status_code == 302 and Comment.objects.count() == 1


def test_rate_limit_answers_429_and_keeps_the_text(client, post, settings):
    settings.COMMENTS_RATE_LIMIT = 2
    for n in range(2):
        assert send(client, post, body=f"Comment {n}").status_code == 302
    response = send(client, post, body="One too many")
    assert response.status_code == 429
    page = response.content.decode()
    assert "faster than we can read" in page and "One too many" in page
    assert Comment.objects.count() == 2


def test_duplicate_is_refused_with_a_reason(client, post):
    send(client, post)
    response = send(client, post)
    assert response.status_code == 400
    assert "already said that" in response.content.decode()
    assert Comment.objects.count() == 1


def test_too_long_is_refused_with_the_text_kept(client, post, settings):
    settings.COMMENTS_MAX_LENGTH = 50
    response = send(client, post, body="b" * 51)
    assert response.status_code == 400
    assert "b" * 51 in response.content.decode()
    assert not Comment.objects.exists()


def test_blocklisted_comment_goes_to_spam_and_is_not_shown(client, post, settings):
    settings.COMMENTS_BLOCKLIST = {"words": ["casino"]}
    response = send(client, post, body="casino bonus")
    assert response["Location"] == f"{post.get_absolute_url()}#comments"
    assert Comment.objects.get().status == Comment.Status.SPAM
    page = client.get(response["Location"]).content.decode()
    assert "casino bonus" not in page and "awaiting moderation" in page


def test_reply_through_replytocom_without_javascript(client, post):
    parent = CommentFactory(post=post, author_name="Cy")
    page = client.get(f"{post.get_absolute_url()}?replytocom={parent.pk}").content.decode()
    assert "Reply to Cy" in page
    assert f'name="parent" value="{parent.pk}"' in page
    send(client, post, parent=str(parent.pk))
    reply = Comment.objects.exclude(pk=parent.pk).get()
    assert (reply.parent, reply.depth) == (parent, 1)


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM])
def test_reply_to_a_comment_not_shown_is_refused(client, post, status):
    parent = CommentFactory(post=post, status=status)
    response = send(client, post, parent=str(parent.pk), body="Answering a ghost")
    assert response.status_code == 400
    assert "Answering a ghost" in response.content.decode()


def test_reply_to_a_comment_on_another_post_is_refused(client, post):
    elsewhere = CommentFactory()
    assert send(client, post, parent=str(elsewhere.pk)).status_code == 400


def test_unpublished_post_takes_no_comments(client):
    draft = PostFactory(status="draft")
    assert send(client, draft).status_code == 404


def test_get_is_not_allowed(client, post):
    assert client.get(reverse("comments:post", args=[post.pk])).status_code == 405


def test_behind_a_proxy_the_address_comes_from_the_configured_header(client, post, settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.post(reverse("comments:post", args=[post.pk]), form_data(post),
                REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.23, 10.0.0.1")
    assert Comment.objects.get().ip_address == "198.51.100.23"
