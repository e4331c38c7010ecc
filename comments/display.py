"""
What the comment section of a post page shows, gathered for its template: the page of the
thread, the form, the reader's own pending comments. Two queries at most, whatever the size of
the thread: the policy record (usually cached) and the thread itself; none for the thread once
its rendering is cached (per page of it, until the content generation moves on).
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from archive_site import generations

from . import readers
from .feeds import post_feed_url
from .forms import CommentForm
from .models import Comment
from .moderation import Policy
from .threads import Thread

# The rendered thread is the costliest part of a post page; content changes expire it at once.
THREAD_TIMEOUT = 60 * 60
GRAVATAR_URL = "https://www.gravatar.com/avatar/{}?s=96&d=blank"


def thread_for(post, request, policy) -> Thread:
    comments = Comment.objects.for_post_page(post, pending_ids=readers.pending_ids(request))
    return Thread(comments, per_page=policy.per_page, max_depth=policy.max_depth)


def section(post, request) -> dict:
    policy = Policy.current()
    accepting = policy.accepts_comments(post)
    requested = _number(request, "cpage") or 1
    reply_id = _number(request, "replytocom")
    pending = readers.pending_ids(request)
    page_path = request.path if request else post.get_absolute_url()
    reply_to = None
    if reply_id or pending:
        # This reader's own view of the thread (their pending comments, the comment they
        # answer): built for them alone.
        thread_html, reply_to = _personal_thread(post, request, policy, requested, reply_id,
                                                 accepting=accepting, page_path=page_path)
    else:
        key = generations.key("content", "thread", post.pk, requested, policy.per_page,
                              policy.max_depth, policy.gravatar, accepting, page_path)
        thread_html = cache.get(key)
        if thread_html is None:
            thread = thread_for(post, request, policy)
            thread_html = _render_thread(post, thread, policy, requested, accepting=accepting,
                                         page_path=page_path)
            cache.set(key, thread_html, THREAD_TIMEOUT)
    form = None
    if accepting:
        user = getattr(request, "user", None)
        form = CommentForm(post=post, policy=policy, user=user,
                           initial={"parent": reply_to.pk if reply_to else None})
    return {
        "post": post,
        "request": request,
        # Rendered by our own autoescaping template, from sanitized comment bodies.
        "thread_html": mark_safe(thread_html),
        "page_path": page_path,
        "accepting": accepting,
        "form": form,
        "reply_to": reply_to,
        "feed_url": post_feed_url(post),
    }


def _personal_thread(post, request, policy, requested, reply_id, *, accepting, page_path):
    thread = thread_for(post, request, policy)
    reply_entry = thread.by_id.get(reply_id)
    reply_to = reply_entry.comment if reply_entry and reply_entry.can_reply else None
    html = _render_thread(post, thread, policy, requested, accepting=accepting,
                          page_path=page_path)
    return html, reply_to


def _render_thread(post, thread, policy, requested, *, accepting, page_path) -> str:
    """The heading, the page of comments and its pagination: everything but the form."""
    page = thread.clamp(requested)
    return render_to_string("comments/includes/thread.html", {
        "post": post, "thread": thread, "entries": thread.page(page), "page": page,
        "page_path": page_path, "accepting": accepting, "gravatar": policy.gravatar,
    })


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
