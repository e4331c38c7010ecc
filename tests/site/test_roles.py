"""Least privilege: editors write, moderators moderate, and neither does the other's job."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def member_of(group):
    user = UserFactory(username=group.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_writes_posts():
    editor = member_of("Editor")
    post = PostFactory()
    assert editor.get(reverse("admin:posts_post_add")).status_code == 200
    assert editor.get(reverse("admin:posts_post_change", args=[post.pk])).status_code == 200


def test_an_editor_cannot_approve_comments():
    editor = member_of("Editor")
    comment = CommentFactory(status="pending")

    queue = editor.get(reverse("admin:comments_comment_changelist"))
    editor.post(reverse("admin:comments_comment_changelist"),
                {"action": "approve", "_selected_action": [comment.pk]})

    assert queue.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_moderator_approves_comments_but_cannot_edit_posts():
    moderator = member_of("Moderator")
    comment = CommentFactory(status="pending")

    moderator.post(reverse("admin:comments_comment_changelist"),
                   {"action": "approve", "_selected_action": [comment.pk]})
    comment.refresh_from_db()

    assert comment.status == Comment.Status.APPROVED
    assert moderator.get(reverse("admin:posts_post_change", args=[comment.post.pk])).status_code == 403
    assert moderator.get(reverse("admin:posts_post_add")).status_code == 403
