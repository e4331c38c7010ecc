"""Receiving linkbacks: every write of a pingback, trackback or webmention comment.

Each is a comment of its kind, at most one per (post, source page), stored through
comments.services with the comment policy (linkbacks.policy), so it lands in the same
moderation queue and keeps `Post.comment_count` in step. The network is never touched inside
a transaction: the source is verified first, then the result is written.

- Pingback: verified while the sender waits, as the protocol expects an answer.
- Webmention: checked cheaply at once (`accept_webmention`), verified later in a task
  (`process_webmention`); a source that stops linking or answers 410 removes the mention, and a
  repeated mention updates the existing one.
- Trackback: stored at once, held for moderation whatever the policy says, and verified later
  (`verify_trackback`); only then does the policy decide, or the trackback go.
"""

import dataclasses
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from comments import services
from comments.models import Comment
from comments.moderation import Rejected
from posts.models import Post

from . import verification
from .policy import LinkbackPolicy, accepts_linkbacks
from .verification import AlreadyRegistered, NoLink, Source, SourceGone, TargetClosed, TargetNotFound

TARGET_URL = "target_url"  # Comment.meta: the address of ours that the source links to
VERIFIED_AT = "verified_at"  # Comment.meta: when the source last showed the link
MAX_TRACKBACK_EXCERPT = 300


@dataclass(frozen=True)
class Outcome:
    """What processing a linkback did: created, updated, unchanged, removed, held or refused."""

    action: str
    comment_id: int | None = None
    reason: str = ""


def receive_pingback(
    *, source_url: str, target_url: str, hosts, ip_address: str | None, user_agent: str
) -> Comment:
    """Verify and store a pingback; raises a verification.LinkbackError for each fault."""
    source_url = verification.canonical_url(source_url)
    post = _open_post(verification.find_target(target_url, hosts=hosts))
    if _existing(post, source_url) is not None:
        raise AlreadyRegistered(f"a linkback from {source_url} is already registered")
    source = verification.verify_source(source_url=source_url, target_url=target_url)
    comment = _new_comment(Comment.Kind.PINGBACK, post=post, source=source, target_url=target_url,
                           ip_address=ip_address, user_agent=user_agent)
    return _submit(comment, policy=LinkbackPolicy.current())


def accept_webmention(*, source_url: str, target_url: str, hosts) -> Post:
    """The checks a Webmention receiver makes before answering (W3C Webmention 3.2.1): both
    are http(s) URLs, they differ, and the target is a post of ours that takes mentions.
    Returns that post; raises a verification.LinkbackError."""
    source_url = verification.canonical_url(source_url)
    post = _open_post(verification.find_target(target_url, hosts=hosts))
    if source_url == verification.canonical_url(target_url):
        raise NoLink("the source and the target are the same page")
    return post


def process_webmention(
    *, source_url: str, target_url: str, post_id: int, ip_address: str | None, user_agent: str
) -> Outcome:
    """Verify a webmention accepted earlier, then create, update or remove it."""
    source_url = verification.canonical_url(source_url)
    post = Post.objects.published().filter(pk=post_id).first()
    if post is None or not accepts_linkbacks(post):
        return Outcome("refused", reason="the target no longer takes webmentions")
    existing = _existing(post, source_url)
    try:
        source = verification.verify_source(source_url=source_url, target_url=target_url,
                                            microformats=True)
    except (SourceGone, NoLink) as error:
        if existing is None:
            return Outcome("refused", reason=str(error))
        services.delete_permanently(Comment.objects.filter(pk=existing.pk))
        return Outcome("removed", existing.pk, reason=str(error))
    except verification.LinkbackError as error:
        return Outcome("refused", reason=str(error))
    if existing is not None:
        return _update(existing, source=source)
    comment = _new_comment(Comment.Kind.WEBMENTION, post=post, source=source, target_url=target_url,
                           ip_address=ip_address, user_agent=user_agent)
    try:
        comment = _submit(comment, policy=LinkbackPolicy.current())
    except verification.LinkbackError as error:
        return Outcome("refused", reason=str(error))
    return Outcome("created", comment.pk)


def receive_trackback(
    *, post_id: int, url: str, title: str, excerpt: str, blog_name: str, site_root: str,
    ip_address: str | None, user_agent: str,
) -> Comment:
    """Store a trackback as the sender describes it, held until `verify_trackback` has seen
    the link. `site_root` is our address as the sender reached us, for the post's full URL."""
    post = Post.objects.published().filter(pk=post_id).first()
    if post is None:
        raise TargetNotFound(f"there is no post {post_id}")
    _open_post(post)
    source_url = verification.canonical_url(url)
    if _existing(post, source_url) is not None:
        raise AlreadyRegistered(f"a linkback from {source_url} is already registered")
    excerpt = " ".join(excerpt.split())
    if len(excerpt) > MAX_TRACKBACK_EXCERPT:
        excerpt = excerpt[:MAX_TRACKBACK_EXCERPT].rsplit(" ", 1)[0] + " […]"
    source = Source(url=source_url, title=" ".join(title.split()),
                    excerpt=f"[…] {excerpt} […]" if excerpt else "",
                    author_name=" ".join(blog_name.split()))
    comment = _new_comment(Comment.Kind.TRACKBACK, post=post, source=source,
                           target_url=urljoin(site_root, post.get_absolute_url()),
                           ip_address=ip_address, user_agent=user_agent, verified=False)
    # The sender's word is all we have yet, so a moderator sees it first whatever the policy.
    held = dataclasses.replace(LinkbackPolicy.current(), hold_all=True, auto_approve_known=False)
    return _submit(comment, policy=held)


def verify_trackback(*, comment_id: int) -> Outcome:
    """Check an unverified trackback's source: remove it if it does not link to the post, else
    let the policy decide what the held trackback becomes."""
    comment = (
        Comment.objects.filter(pk=comment_id, kind=Comment.Kind.TRACKBACK, status=Comment.Status.PENDING)
        .exclude(meta__has_key=VERIFIED_AT).select_related("post").first()
    )
    if comment is None:
        return Outcome("unchanged", comment_id, reason="not an unverified trackback")
    try:
        source = verification.verify_source(source_url=comment.source_url,
                                            target_url=comment.meta[TARGET_URL])
    except (verification.Busy, verification.UpstreamFailure) as error:
        # Not the sender's fault, or not yet known to be: it stays held for a moderator.
        return Outcome("held", comment.pk, reason=str(error))
    except verification.LinkbackError as error:
        services.delete_permanently(Comment.objects.filter(pk=comment.pk))
        return Outcome("removed", comment.pk, reason=str(error))
    # The sender's own title and excerpt stand; the page fills in what they left out.
    comment.source_title = comment.source_title or source.title[:500]
    comment.author_name = comment.author_name or _author_name(source)
    comment.body = comment.body or source.excerpt
    decision = LinkbackPolicy.current().decide(comment)
    comment.meta = {**comment.meta, VERIFIED_AT: timezone.now().isoformat(),
                    services.MODERATION_REASON: decision.reason}
    with transaction.atomic():
        services.save_edited(comment=comment)
        same = Comment.objects.filter(pk=comment.pk)
        if decision.status == Comment.Status.APPROVED:
            services.approve(same)
        elif decision.status == Comment.Status.SPAM:
            services.mark_spam(same)
    return Outcome(decision.status, comment.pk, reason=decision.reason)


def _open_post(post: Post) -> Post:
    if not accepts_linkbacks(post):
        raise TargetClosed(f"“{post.title}” does not take pingbacks, trackbacks or webmentions")
    return post


def _existing(post: Post, source_url: str) -> Comment | None:
    return Comment.objects.filter(post=post, source_url=source_url).exclude(kind=Comment.Kind.COMMENT).first()


def _author_name(source: Source) -> str:
    # WordPress names a pingback's author after the source page's title: "Site » Post".
    return (source.author_name or source.title or urlsplit(source.url).hostname or source.url)[:200]


def _new_comment(kind, *, post, source: Source, target_url, ip_address, user_agent, verified=True) -> Comment:
    meta = {TARGET_URL: target_url}
    if verified:
        meta[VERIFIED_AT] = timezone.now().isoformat()
    return Comment(post=post, kind=kind, source_url=source.url, **_shown(source),
                   ip_address=ip_address, user_agent=user_agent[:500], meta=meta)


def _shown(source: Source) -> dict:
    """The comment fields that show what the source says."""
    author_url = source.author_url or source.url
    return {
        "source_title": source.title[:500],
        "author_name": _author_name(source),
        "author_url": author_url if len(author_url) <= 500 else "",
        "body": source.excerpt,
    }


def _submit(comment: Comment, *, policy) -> Comment:
    """Store a new linkback through the comment service; raises AlreadyRegistered if another
    request stored one from the same source first, and AccessDenied if the policy refuses it."""
    try:
        return services.submit_comment(comment=comment, policy=policy).comment
    except IntegrityError as error:  # unique_linkback_per_source: a concurrent duplicate won
        raise AlreadyRegistered(f"a linkback from {comment.source_url} is already registered") from error
    except Rejected as rejected:
        raise verification.AccessDenied(rejected.reason) from rejected


def _update(comment: Comment, *, source: Source) -> Outcome:
    """A repeated webmention: the source may have changed what it says. The status stays."""
    fields = _shown(source)
    changed = any(getattr(comment, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(comment, name, value)
    comment.meta = {**comment.meta, VERIFIED_AT: timezone.now().isoformat()}
    services.save_edited(comment=comment)
    return Outcome("updated" if changed else "unchanged", comment.pk)
