"""
The notification mail itself: plain text, absolute links (mail is sent outside any request, so
they start from settings.SITE_URL), one message per recipient so that nobody sees another's
address. Reply notices carry a signed unsubscribe link; the replier's email never appears.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Comment

UNSUBSCRIBE_SALT = "comments.unsubscribe"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token(comment) -> str:
    return signing.dumps(comment.pk, salt=UNSUBSCRIBE_SALT)


def comment_for_token(token: str):
    """The comment an unsubscribe link was made for; None for a forged or damaged link."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Comment.objects.filter(pk=pk).first()


def _subject(text: str) -> str:
    # Titles come from imported data; a line break in a header would be refused.
    return " ".join(f"[{settings.SITE_TITLE}] {text}".split())


def send_moderation_request(comment, recipients) -> int:
    context = {
        "comment": comment,
        "post": comment.post,
        "review_url": absolute(reverse("admin:comments_comment_change", args=[comment.pk])),
        "queue_url": absolute(reverse("admin:comments_comment_changelist") + "?status__exact=pending"),
    }
    body = render_to_string("comments/email/moderate.txt", context)
    subject = _subject(f"Please moderate: “{comment.post.title}”")
    messages = [EmailMessage(subject, body, to=[recipient]) for recipient in recipients]
    return get_connection().send_messages(messages) or 0


def send_reply_notice(comment, recipient) -> int:
    unsubscribe_url = absolute(
        reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(comment.parent)})
    )
    context = {
        "comment": comment,
        "post": comment.post,
        "comment_url": absolute(comment.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    body = render_to_string("comments/email/reply.txt", context)
    message = EmailMessage(
        _subject(f"New reply to your comment on “{comment.post.title}”"), body, to=[recipient],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>"},
    )
    return message.send()
