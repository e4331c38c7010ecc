"""
The comment section of a post page, as HTML. For a reader the site knows nothing about (the
usual case), it is the same for everyone but for the form's signed timestamp: so it is rendered
once per page of the thread and content generation, with a stand-in for the timestamp, and each
request fills in its own. No query once that is cached. A reader with something of their own on
the page (their pending comments, the comment they answer, their login) gets a section built
for them: the policy record (usually cached) and the thread, two queries at most, whatever the
size of the thread.

The form's CSRF field is not in the section but near the top of the page (csrf_field): a page
shared by every reader gets each reader's token written into it on the way out, by the page
cache and by the nginx front, and nginx can stop reading a page once it has found the field.
"""

import hashlib

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from archive_site import generations

from . import readers
from .feeds import post_feed_url
from .forms import CommentForm
from .models import Comment
from .moderation import Policy
from .threads import Thread

# The rendered section is the costliest part of a post page; content changes expire it at once.
SECTION_TIMEOUT = 60 * 60
GRAVATAR_URL = "https://www.gravatar.com/avatar/{}?s=96&d=blank"
# Characters no template writes, standing in for the form's timestamp in a shared section.
TOKEN_STAND_IN = "\ue010token\ue011"


def thread_for(post, request, policy) -> Thread:
    comments = Comment.objects.for_post_page(post, pending_ids=readers.pending_ids(request))
    return Thread(comments, per_page=policy.per_page, max_depth=policy.max_depth)


def section_html(post, request) -> SafeString:
    policy = Policy.current()
    accepting = policy.accepts_comments(post)
    requested = _number(request, "cpage") or 1
    reply_id = _number(request, "replytocom")
    user = getattr(request, "user", None)
    known = user is not None and user.is_authenticated
    if reply_id or known or readers.pending_ids(request):
        return mark_safe(_personal_section(post, request, policy, requested, reply_id,
                                           accepting=accepting))
    page_path = request.path if request else post.get_absolute_url()

    def render_shared():
        form = CommentForm(post=post, policy=policy, initial={"token": TOKEN_STAND_IN})
        return _render_section(post, thread_for(post, request, policy), policy, requested,
                               form=form if accepting else None, page_path=page_path)

    html = generations.cached("content", "section", post.pk, requested, policy.per_page,
                              policy.max_depth, policy.gravatar, accepting, page_path,
                              build=render_shared, timeout=SECTION_TIMEOUT)
    if accepting:
        html = html.replace(TOKEN_STAND_IN, policy.issue_token(post))
    # Rendered by our own autoescaping templates, from sanitized comment bodies.
    return mark_safe(html)


def csrf_field(post, request) -> SafeString:
    """The comment form's CSRF field, for the top of the post's page: outside the form, which
    it names in its `form` attribute. Empty when the page shows no form."""
    if not Policy.current().accepts_comments(post):
        return mark_safe("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}" '
                       'form="commentform">', get_token(request))


def _personal_section(post, request, policy, requested, reply_id, *, accepting):
    thread = thread_for(post, request, policy)
    reply_entry = thread.by_id.get(reply_id)
    reply_to = reply_entry.comment if reply_entry and reply_entry.can_reply else None
    form = None
    if accepting:
        form = CommentForm(post=post, policy=policy, user=getattr(request, "user", None),
                           initial={"parent": reply_to.pk if reply_to else None})
    return _render_section(post, thread, policy, requested, form=form, reply_to=reply_to,
                           page_path=request.path, request=request)


def _render_section(post, thread, policy, requested, *, form, page_path, reply_to=None,
                    request=None):
    page = thread.clamp(requested)
    return render_to_string("comments/section.html", {
        "post": post, "thread": thread, "entries": thread.page(page), "page": page,
        "page_path": page_path, "accepting": form is not None, "gravatar": policy.gravatar,
        "form": form, "reply_to": reply_to, "feed_url": post_feed_url(post),
        "csrf_field_outside": True,
    }, request=request)


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
