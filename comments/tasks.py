"""
Background work for comments: the notification mail, enqueued through
archive_site.tasks.schedule once the comment's transaction has committed.
"""

from django_tasks import task

from . import notifications
from .models import Comment
from .moderation import Policy


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
