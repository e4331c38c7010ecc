"""
What the comment section of a post page shows, gathered for its template: the page of the
thread, the form, the reader's own pending comments. Two queries at most, whatever the size of
the thread: the policy record (usually cached) and the thread itself.
"""

import hashlib

from django.utils.html import format_html

from . import readers
from .feeds import post_feed_url
from .forms import CommentForm
from .models import Comment
from .moderation import Policy
from .threads import Thread

GRAVATAR_URL = "https://www.gravatar.com/avatar/{}?s=96&d=blank"


def thread_for(post, request, policy) -> Thread:
    comments = Comment.objects.for_post_page(post, pending_ids=readers.pending_ids(request))
    return Thread(comments, per_page=policy.per_page, max_depth=policy.max_depth)


def section(post, request) -> dict:
    policy = Policy.current()
    thread = thread_for(post, request, policy)
    page = thread.clamp(_number(request, "cpage") or 1)
    reply_entry = thread.by_id.get(_number(request, "replytocom"))
    reply_to = reply_entry.comment if reply_entry and reply_entry.can_reply else None
    accepting = policy.accepts_comments(post)
    form = None
    if accepting:
        user = getattr(request, "user", None)
        form = CommentForm(post=post, policy=policy, user=user,
                           initial={"parent": reply_to.pk if reply_to else None})
    return {
        "post": post,
        "request": request,
        "thread": thread,
        "entries": thread.page(page),
        "page": page,
        "page_path": request.path if request else post.get_absolute_url(),
        "accepting": accepting,
        "form": form,
        "reply_to": reply_to,
        "gravatar": policy.gravatar,
        "feed_url": post_feed_url(post),
    }


def where_shown(comment, request) -> str | None:
    """The address of `comment` on its post's page for this reader, or None if not shown."""
    policy = Policy.current()
    thread = thread_for(comment.post, request, policy)
    if comment.pk not in thread.by_id:
        return None
    page = thread.page_of(comment.pk)
    query = f"?cpage={page}" if page > 1 else ""
    return f"{comment.post.get_absolute_url()}{query}#comment-{comment.pk}"


def avatar(comment, *, gravatar: bool):
    """The author's initial, with their Gravatar laid over it when there is one.

    Gravatar answers "blank" (transparent) for unknown addresses, so the initial shows through
    without any script. With Gravatar off, no hash of the email leaves the site.
    """
    initial = (comment.author_name.strip()[:1] or "?").upper()
    if not gravatar or not comment.author_email:
        return format_html('<span class="avatar" aria-hidden="true">{}</span>', initial)
    digest = hashlib.sha256(comment.author_email.strip().lower().encode()).hexdigest()
    return format_html(
        '<span class="avatar" aria-hidden="true">{}<img src="{}" alt="" width="48" height="48" '
        'loading="lazy" referrerpolicy="no-referrer"></span>',
        initial, GRAVATAR_URL.format(digest),
    )


def _number(request, name):
    value = request.GET.get(name, "") if request is not None else ""
    return int(value) if value.isdigit() and len(value) < 10 else None
