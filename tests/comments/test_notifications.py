"""Notification mail: held comments to moderators, replies to authors who asked, unsubscribing."""

import re

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from archive_site.tasks import schedule
from comments import services
from comments.models import Comment
from comments.notifications import unsubscribe_token
from tests.factories import AuthorFactory, CommentFactory, PostFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_held_comment_mails_moderators_and_the_post_author(
        client, moderator, mailoutbox, django_capture_on_commit_callbacks):
    post = PostFactory(author=AuthorFactory(email="writer@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:post", args=[post.pk]), form_data(post))
    assert sorted(m.to[0] for m in mailoutbox) == ["moderator@example.org", "writer@example.org"]
    message = mailoutbox[0]
    assert post.title in message.subject and "The beans came up at last." in message.body
    assert "/admin/comments/comment/" in message.body


def test_mail_waits_for_the_commit(client, post, moderator, mailoutbox,
                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("comments:post", args=[post.pk]), form_data(post))
    assert mailoutbox == [] and len(callbacks) == 1


def test_failing_mail_never_fails_the_request(client, post, moderator, settings,
                                              django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("comments:post", args=[post.pk]), form_data(post))
    assert response.status_code == 302 and Comment.objects.count() == 1


class UnreachableQueue:
    name = "notify_reply"

    def enqueue(self, *args):
        raise ConnectionError("the task database is unreachable")


def test_a_task_that_cannot_be_enqueued_is_logged_not_raised(
        caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(UnreachableQueue(), 1)
    assert "Could not enqueue notify_reply" in caplog.text


def reply_to(parent, **fields):
    return Comment.objects.create(post=parent.post, parent=parent, depth=1,
                                  author_name="Bob", author_email="bob@example.org",
                                  body="I agree about the beans.", status=Comment.Status.PENDING,
                                  **fields)


def test_approved_reply_mails_the_parent_author_who_asked(mailoutbox,
                                                          django_capture_on_commit_callbacks):
    parent = CommentFactory(author_email="ann@example.org", notify_replies=True)
    reply = reply_to(parent)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(Comment.objects.filter(pk=reply.pk))
    [message] = mailoutbox
    assert message.to == ["ann@example.org"]
    assert "I agree about the beans." in message.body and "Bob" in message.body
    assert "bob@example.org" not in message.body + message.subject
    assert "/comments/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_no_reply_mail_without_opting_in(mailoutbox, django_capture_on_commit_callbacks):
    reply = reply_to(CommentFactory(notify_replies=False))
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(Comment.objects.filter(pk=reply.pk))
    assert mailoutbox == []


def test_approving_again_never_mails_twice(mailoutbox, django_capture_on_commit_callbacks):
    reply = reply_to(CommentFactory(notify_replies=True))
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(Comment.objects.filter(pk=reply.pk))
        services.unapprove(Comment.objects.filter(pk=reply.pk))
        services.approve(Comment.objects.filter(pk=reply.pk))
    assert len(mailoutbox) == 1


def test_opt_in_checkbox_is_stored(client, post):
    client.post(reverse("comments:post", args=[post.pk]), form_data(post, notify_replies="on"))
    assert Comment.objects.get().notify_replies is True


def test_unsubscribe_link_asks_then_stops_the_mail(client):
    parent = CommentFactory(author_email="ann@example.org", notify_replies=True)
    other = CommentFactory(author_email="ANN@example.org", notify_replies=True)
    url = reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(parent)})
    page = client.get(url)
    assert page.status_code == 200 and "ann@example.org" not in page.content.decode().lower()
    assert Comment.objects.filter(notify_replies=True).count() == 2  # a GET changes nothing
    assert "no more email" in client.post(url).content.decode()
    assert not Comment.objects.filter(pk__in=[parent.pk, other.pk], notify_replies=True).exists()


def test_forged_unsubscribe_link_is_404(client):
    comment = CommentFactory()
    token = unsubscribe_token(comment)
    forged = re.sub(r":[^:]+$", ":forged", token)
    assert client.get(reverse("comments:unsubscribe", kwargs={"token": forged})).status_code == 404


def test_mail_gives_an_imported_comments_words_not_its_markup(mailoutbox,
                                                               django_capture_on_commit_callbacks):
    parent = CommentFactory(author_email="ann@example.org", notify_replies=True)
    reply = Comment.objects.create(
        post=parent.post, parent=parent, depth=1, author_name="Bob", status=Comment.Status.PENDING,
        body="Pick them <em>young</em> &amp; often.<script>alert(1)</script>",
        body_format=Comment.BodyFormat.HTML)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(Comment.objects.filter(pk=reply.pk))
    [message] = mailoutbox
    assert "\nPick them young & often.\n" in message.body
    assert "alert" not in message.body


def test_mail_gives_a_readers_text_as_typed(client, post, moderator, mailoutbox,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:post", args=[post.pk]),
                    form_data(post, body="Water <b>before</b> noon &amp; after dusk."))
    assert "\nWater <b>before</b> noon &amp; after dusk.\n" in mailoutbox[0].body
