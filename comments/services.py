"""
Every write to comments: submitting, moderating, replying from the admin, unsubscribing.

Views, admin actions, linkbacks and tests all call these functions, so the moderation policy,
`Post.comment_count` and the cache generation hold whoever writes. Status changes take a
queryset and work in bulk; each returns how many comments it changed.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from archive_site import generations
from archive_site.tasks import schedule
from posts.models import Post

from . import tasks
from .models import Comment
from .moderation import Decision, Policy

Status = Comment.Status
# Spam and trash remember where a comment came from, so "not spam" and "restore" can put it
# back, as WordPress does with _wp_trash_meta_status.
PARKED = frozenset({Status.SPAM, Status.TRASH})
PREVIOUS_STATUS = "previous_status"
MODERATION_REASON = "moderation_reason"

Comments = QuerySet[Comment]
User = AbstractBaseUser | None


@dataclass(frozen=True)
class Submission:
    comment: Comment
    decision: Decision


@transaction.atomic
def submit_comment(*, comment: Comment, policy: Policy | None = None) -> Submission:
    """Moderate and store an unsaved comment or linkback; raises moderation.Rejected.

    The caller fills in what it knows (post, parent, author, body, IP, user agent, user).
    """
    policy = policy or Policy.current()
    comment.body = comment.body.strip()
    policy.check(comment)
    decision = policy.decide(comment)
    place_in_thread(comment, max_depth=policy.max_depth)
    comment.status = decision.status
    comment.meta = {**comment.meta, MODERATION_REASON: decision.reason}
    if decision.status == Status.APPROVED:
        comment.approved_at = timezone.now()
    comment.save()
    if decision.status == Status.APPROVED:
        published_comments_changed(post_ids={comment.post_id})
        schedule(tasks.notify_reply, comment.pk)
    elif decision.status == Status.PENDING:
        schedule(tasks.notify_moderators, comment.pk)
    return Submission(comment, decision)


def place_in_thread(comment: Comment, *, max_depth: int) -> None:
    """Set the depth; a reply below the depth limit joins its parent's level instead."""
    parent = comment.parent
    while parent is not None and parent.depth + 1 >= max_depth:
        parent = parent.parent
    comment.parent = parent
    comment.depth = parent.depth + 1 if parent is not None else 0


def approve(comments: Comments, *, moderator: User = None) -> int:
    return _transition(comments, Status.APPROVED, moderator=moderator)


def unapprove(comments: Comments, *, moderator: User = None) -> int:
    return _transition(comments.filter(status=Status.APPROVED), Status.PENDING, moderator=moderator)


def mark_spam(comments: Comments, *, moderator: User = None) -> int:
    return _transition(comments, Status.SPAM, moderator=moderator)


def mark_not_spam(comments: Comments, *, moderator: User = None) -> int:
    return _transition(comments.filter(status=Status.SPAM), _status_before, moderator=moderator)


def trash(comments: Comments, *, moderator: User = None) -> int:
    return _transition(comments, Status.TRASH, moderator=moderator)


def restore(comments: Comments, *, moderator: User = None) -> int:
    return _transition(comments.filter(status=Status.TRASH), _status_before, moderator=moderator)


@transaction.atomic
def delete_permanently(comments: Comments) -> int:
    """Delete for good. Replies to a deleted comment stay, shown as top-level comments."""
    comments = _plain(comments)
    post_ids = set(comments.filter(status=Status.APPROVED).values_list("post_id", flat=True))
    _, deleted = comments.delete()
    published_comments_changed(post_ids=post_ids)
    return deleted.get(Comment._meta.label, 0)


@transaction.atomic
def save_edited(*, comment: Comment) -> None:
    """An edit made in the admin. The status changes through the moderation actions, but a
    comment added there may be approved from the start."""
    if comment._state.adding:
        place_in_thread(comment, max_depth=Policy.current().max_depth)
    if comment.status == Status.APPROVED and comment.approved_at is None:
        comment.approved_at = timezone.now()
    comment.save()
    if comment.status == Status.APPROVED:
        published_comments_changed(post_ids={comment.post_id})


@transaction.atomic
def staff_reply(*, parent: Comment, author: AbstractBaseUser, body: str) -> Comment:
    """A reply written in the admin: published at once, and its parent with it."""
    if parent.status != Status.APPROVED:
        approve(Comment.objects.filter(pk=parent.pk), moderator=author)
        parent.refresh_from_db()
    comment = Comment(
        post_id=parent.post_id, parent=parent, user=author,
        author_name=author.get_full_name() or author.get_username(), author_email=author.email,
        body=body.strip(), status=Status.APPROVED, approved_at=timezone.now(), moderated_by=author,
    )
    place_in_thread(comment, max_depth=Policy.current().max_depth)
    comment.save()
    published_comments_changed(post_ids={comment.post_id})
    schedule(tasks.notify_reply, comment.pk)
    return comment


def unsubscribe(*, comment: Comment) -> int:
    """Stop reply mail to this comment's author, for all their comments."""
    same_author = (
        Comment.objects.filter(author_email__iexact=comment.author_email)
        if comment.author_email else Comment.objects.filter(pk=comment.pk)
    )
    return same_author.filter(notify_replies=True).update(notify_replies=False)


def published_comments_changed(*, post_ids: Collection[int]) -> None:
    """Recount approved comments on these posts and expire cached pages built on the old ones.

    The one function that writes `Post.comment_count`: one UPDATE, however many posts.
    """
    if not post_ids:
        return
    approved = (
        Comment.objects.approved().filter(post=OuterRef("pk")).order_by()
        .values("post").annotate(n=Count("pk")).values("n")
    )
    Post.objects.filter(pk__in=post_ids).update(comment_count=Coalesce(Subquery(approved), 0))
    generations.bump("content")


def _plain(comments: Comments) -> Comments:
    """The same rows without the joins, DISTINCT or ordering an admin changelist may add, which
    row locks and deletes do not accept on every database."""
    return Comment.objects.filter(pk__in=comments.values("pk"))


def _status_before(comment: Comment) -> str:
    previous = comment.meta.get(PREVIOUS_STATUS)
    return previous if previous in Status.values and previous not in PARKED else Status.PENDING


@transaction.atomic
def _transition(comments: Comments, target: str | Callable[[Comment], str], *,
                moderator: User) -> int:
    """Move comments to `target` (a status, or a function of the comment giving one), in bulk;
    keeps counts, cached pages and mail in step."""
    now = timezone.now()
    changed, touched_posts, first_approvals = [], set(), []
    for comment in _plain(comments).select_for_update().order_by("pk"):
        old, new = comment.status, target(comment) if callable(target) else target
        if old == new:
            continue
        meta = dict(comment.meta)
        if new in PARKED and old not in PARKED:
            meta[PREVIOUS_STATUS] = old
        elif new not in PARKED:
            meta.pop(PREVIOUS_STATUS, None)
        # approved_at is the first approval, kept after unapproving so that approving again
        # never mails the parent's author twice.
        if new == Status.APPROVED and comment.approved_at is None:
            comment.approved_at = now
            first_approvals.append(comment.pk)
        comment.status, comment.meta, comment.moderated_by = new, meta, moderator
        changed.append(comment)
        if Status.APPROVED in (old, new):
            touched_posts.add(comment.post_id)
    Comment.objects.bulk_update(changed, ["status", "meta", "moderated_by", "approved_at"],
                                batch_size=500)
    published_comments_changed(post_ids=touched_posts)
    for pk in first_approvals:
        schedule(tasks.notify_reply, pk)
    return len(changed)
