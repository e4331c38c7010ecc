"""A comment whose CSRF check fails is given back, ready to send again, and nothing is saved."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.html import form_fields

from .conftest import form_data

pytestmark = pytest.mark.django_db

TYPED = {"author_name": "Ann Gardener", "author_email": "ann@example.org",
         "author_url": "https://ann.example.org/", "notify_replies": "on",
         "body": "Three paragraphs on <careful> bean trenches & why they flood.\n\nAnd more."}


def comment_form(response):
    """The fields the "Post Comment" button would send, as a browser reads them off the page."""
    return form_fields(response.content)


def reader_with_an_open_form(post, *, query="", user=None):
    """A browser that has the post's page open, and the form on it: its cookie and the form's
    CSRF token match, and the form's timestamp is the time the page was served."""
    browser = Client(enforce_csrf_checks=True)
    if user is not None:
        browser.force_login(user)
    return browser, comment_form(browser.get(post.get_absolute_url() + query))


def cookies_cleared(browser):
    del browser.cookies[settings.CSRF_COOKIE_NAME]


def cookie_changed_in_another_tab(browser):
    browser.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)


def send(browser, post, data):
    return browser.post(reverse("comments:post", args=[post.pk]), data)


@pytest.mark.parametrize("go_stale", [cookies_cleared, cookie_changed_in_another_tab])
def test_the_comment_comes_back_in_a_form_that_goes_through(post, go_stale):
    parent = CommentFactory(post=post, author_name="Cy")
    browser, opened = reader_with_an_open_form(post, query=f"?replytocom={parent.pk}")
    go_stale(browser)
    response = send(browser, post, {**opened, **TYPED})

    assert response.status_code == 403
    assert "Your comment has not been posted yet" in response.text
    assert "security token had expired" in response.text
    assert "<careful>" not in response.text
    assert list(Comment.objects.all()) == [parent]  # the failed request saved nothing
    refilled = comment_form(response)
    assert {name: refilled[name] for name in TYPED} == TYPED
    assert refilled["parent"] == str(parent.pk)

    resent = send(browser, post, refilled)
    assert resent.status_code == 302
    reply = Comment.objects.exclude(pk=parent.pk).get()
    assert (reply.author_name, reply.author_email, reply.author_url, reply.body) == (
        TYPED["author_name"], TYPED["author_email"], TYPED["author_url"], TYPED["body"])
    assert reply.notify_replies and reply.parent == parent


def test_a_page_left_open_for_days_gets_a_new_timestamp_too(post, monkeypatch):
    browser, opened = reader_with_an_open_form(post)
    days_later = time.time() + 3 * 24 * 60 * 60
    monkeypatch.setattr(time, "time", lambda: days_later)
    cookies_cleared(browser)
    response = send(browser, post, {**opened, **TYPED})
    assert response.status_code == 403
    assert "security token had expired" in response.text and "open for too long" in response.text
    assert send(browser, post, comment_form(response)).status_code == 302
    assert Comment.objects.get().body == TYPED["body"]


def test_a_signed_in_reader_gets_their_text_back(post):
    user = UserFactory(first_name="Bea", last_name="Keeper")
    browser, opened = reader_with_an_open_form(post, user=user)
    cookies_cleared(browser)
    response = send(browser, post, {**opened, "body": "Signed in, then the token went stale."})
    assert response.status_code == 403
    assert "Logged in as" in response.text
    assert comment_form(response)["body"] == "Signed in, then the token went stale."
    assert send(browser, post, comment_form(response)).status_code == 302
    comment = Comment.objects.get()
    assert (comment.user, comment.author_name) == (user, "Bea Keeper")


def test_on_a_closed_post_the_text_is_kept_with_no_form(db):
    post = PostFactory(comment_status="closed")
    response = send(Client(enforce_csrf_checks=True), post,
                    form_data(post, body="Words worth keeping"))
    assert response.status_code == 403
    assert "Comments are closed on this post" in response.text
    assert "Words worth keeping" in response.text and 'id="commentform"' not in response.text
    assert not Comment.objects.exists()
