"""
Background work for comments: the notification mail.

Tasks are enqueued only once the transaction that wrote the comment has committed (a worker
must find the row), and nothing about mail may fail the reader's request: enqueueing is
guarded here, and a task that fails is recorded and logged by django-tasks.
"""

import logging

from django.db import transaction
from django_tasks import task

from . import notifications
from .models import Comment
from .moderation import Policy

logger = logging.getLogger(__name__)


def schedule(background_task, *args) -> None:
    def enqueue():
        try:
            background_task.enqueue(*args)
        except Exception:
            logger.exception("Could not enqueue %s%r", background_task.name, args)

    transaction.on_commit(enqueue, robust=True)


@task()
def notify_moderators(comment_id: int) -> int:
    """Tell moderators (and the post's author) that a comment waits for them."""
    comment = Comment.objects.select_related("post__author").filter(pk=comment_id).first()
    if comment is None:
        return 0
    recipients = Policy.current().moderation_recipients(comment)
    return notifications.send_moderation_request(comment, recipients) if recipients else 0


@task()
def notify_reply(comment_id: int) -> int:
    """Tell a comment's author about an approved reply, if they asked to be told."""
    comment = Comment.objects.select_related("post", "parent").filter(pk=comment_id).first()
    if comment is None:
        return 0
    recipient = Policy.current().reply_recipient(comment)
    return notifications.send_reply_notice(comment, recipient) if recipient else 0
