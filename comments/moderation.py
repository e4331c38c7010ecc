"""
The moderation policy: one object that answers three separate questions about a submission, as
django-contrib-comments' moderator does.

1. Refuse it outright? `check()` raises `Rejected` (comments closed, rate limit, too long,
   duplicate); the public form also asks `honeypot_problem()` and `token_problem()`.
2. Publish it, hold it for a moderator, or file it as spam? `decide()` returns a `Decision`.
3. Whom to tell? `moderation_recipients()` and `reply_recipient()`.

Every rule is a small method so that it can be tested on its own. Readers' comments and
linkbacks go through the same policy; only the form-specific rules are left to the form.
Values come from the COMMENTS_* settings, or from the DiscussionSettings record once saved.
"""

import functools
import ipaddress
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from archive_site import ratelimit
from archive_site.page_cache import Refresher

from .models import Comment, DiscussionSettings

TOKEN_SALT = "comments.form"


def issue_token(post_id: int) -> str:
    return _token_at(post_id, int(time.time()))


@functools.lru_cache(maxsize=256)
def _token_at(post_id, second):
    # Every form of a post asked for within the same second carries the same token.
    return signing.dumps([post_id, second], salt=TOKEN_SALT)


def _token_post(value: bytes):
    try:
        post_id, _issued = signing.loads(value.decode(), salt=TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError, UnicodeDecodeError):
        return None
    return post_id


# Page-cache hook: a form served from the cache is timed from the hit, not from caching.
FORM_TOKEN_REFRESHER = Refresher(
    pattern=re.compile(rb'name="token" value="([^"]*)"'),
    parse=_token_post,
    fill=lambda post_id, reader: issue_token(post_id).encode(),
)
MODERATE_PERMISSION = "comments.can_moderate"
TECHNICAL_SETTINGS = {
    "max_length": "COMMENTS_MAX_LENGTH",
    "min_seconds": "COMMENTS_MIN_SECONDS",
    "form_max_age": "COMMENTS_FORM_MAX_AGE",
    "rate_limit": "COMMENTS_RATE_LIMIT",
    "rate_period": "COMMENTS_RATE_PERIOD",
}
LINK = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


class Rejected(Exception):
    """A submission refused outright: nothing is stored, and the reader is told why."""

    def __init__(self, reason, *, status=400):
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str


@dataclass(frozen=True)
class MatchList:
    """Words, IP addresses or networks, emails or @domains, and URL fragments."""

    words: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()

    @cached_property
    def _word_pattern(self):
        if not self.words:
            return None
        alternatives = "|".join(re.escape(word) for word in self.words)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    @cached_property
    def _networks(self):
        networks = []
        for entry in self.ips:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                continue  # a typo in the list must not break commenting
        return networks

    def match(self, comment) -> str:
        """What in `comment` is on this list, described for the moderator; "" for nothing."""
        return (self._match_word(comment) or self._match_ip(comment)
                or self._match_email(comment) or self._match_url(comment))

    def _match_word(self, comment):
        if self._word_pattern is None:
            return ""
        text = "\n".join([comment.author_name, comment.author_email, comment.author_url,
                          comment.body, comment.source_title])
        found = self._word_pattern.search(text)
        return _("word “%s”") % found.group(0) if found else ""

    def _match_ip(self, comment):
        if not comment.ip_address or not self._networks:
            return ""
        try:
            address = ipaddress.ip_address(comment.ip_address)
        except ValueError:
            return ""
        hit = next((n for n in self._networks if address in n), None)
        return _("IP address in %s") % hit if hit else ""

    def _match_email(self, comment):
        email = comment.author_email.strip().lower()
        if not email:
            return ""
        for entry in self.emails:
            entry = entry.lower()
            if email == entry or (entry.startswith("@") and email.endswith(entry)):
                return _("email %s") % entry
        return ""

    def _match_url(self, comment):
        urls = " ".join([comment.author_url, comment.source_url,
                         *LINK.findall(comment.body)]).lower()
        hit = next((fragment for fragment in self.urls if fragment.lower() in urls), None)
        return _("URL containing “%s”") % hit if hit else ""


@dataclass(frozen=True)
class Policy:
    """The rules with their values. `Policy.current()` is the one in force; tests build
    variations with `dataclasses.replace(Policy.current(), ...)`."""

    hold_all: bool
    auto_approve_known: bool
    max_links: int
    max_depth: int
    per_page: int
    close_after_days: int | None
    gravatar: bool
    notify_moderators: bool
    notify_post_author: bool
    blocklist: MatchList
    holdlist: MatchList
    # Technical limits: settings only (TECHNICAL_SETTINGS).
    max_length: int
    min_seconds: int
    form_max_age: int
    rate_limit: int
    rate_period: int

    @classmethod
    def current(cls):
        record = DiscussionSettings.current()
        return cls(
            **{name: getattr(record, name) for name in record.SETTINGS},
            blocklist=MatchList(**{k: record.entries("block", k) for k in record.LIST_KINDS}),
            holdlist=MatchList(**{k: record.entries("hold", k) for k in record.LIST_KINDS}),
            **{name: getattr(settings, setting) for name, setting in TECHNICAL_SETTINGS.items()},
        )

    # --- 1. Refuse outright ---------------------------------------------------------------

    def check(self, comment) -> None:
        """Raise Rejected if `comment` (unsaved) must not be stored at all."""
        if not self.accepts_comments(comment.post):
            raise Rejected(_("Comments are closed on this post."), status=403)
        if not self.trusted(comment.user) and self.over_rate_limit(comment.ip_address):
            raise Rejected(
                _("You are commenting faster than we can read. Please wait a few minutes and "
                  "send your comment again; it is kept below."),
                status=429,
            )
        for rule in (self.too_long, self.duplicate):
            reason = rule(comment)
            if reason:
                raise Rejected(reason)

    def accepts_comments(self, post) -> bool:
        return post.comments_open and not self.auto_closed(post)

    def auto_closed(self, post) -> bool:
        if self.close_after_days is None:
            return False
        # An archived post whose date was never captured is old by any measure.
        if post.published_at is None:
            return True
        return post.published_at < timezone.now() - timedelta(days=self.close_after_days)

    def over_rate_limit(self, ip_address) -> bool:
        """Count this attempt against the address; True once it is over the limit."""
        if not ip_address:
            return False
        attempts = ratelimit.hit(f"comments:rate:{ratelimit.address_key(ip_address)}",
                                 window=self.rate_period)
        return attempts > self.rate_limit

    def too_long(self, comment) -> str:
        if len(comment.body) > self.max_length:
            return _("Your comment is %(length)s characters long; the limit is %(limit)s.") % {
                "length": len(comment.body), "limit": self.max_length}
        return ""

    def duplicate(self, comment) -> str:
        """The same text by the same author on the same post: a double click, or a bot."""
        same_author = Q(author_name=comment.author_name)
        if comment.author_email:
            same_author |= Q(author_email__iexact=comment.author_email)
        exists = (
            Comment.objects.filter(same_author, post=comment.post, body=comment.body.strip())
            .exclude(status=Comment.Status.TRASH).exists()
        )
        return _("It looks as though you’ve already said that.") if exists else ""

    def honeypot_problem(self, value: str) -> str:
        # Hidden from people; bots fill in every field they find.
        return _("Your comment could not be accepted.") if value else ""

    def issue_token(self, post) -> str:
        """A signed (post, time) pair for the form, so it can tell when it was filled in."""
        return issue_token(post.pk)

    def token_problem(self, token: str, post) -> str:
        try:
            post_id, issued = signing.loads(token, salt=TOKEN_SALT, max_age=self.form_max_age)
        except signing.SignatureExpired:
            return _("This form was open for too long. Please send your comment again.")
        except (signing.BadSignature, TypeError, ValueError):
            return _("This form was damaged in transit. Please send your comment again.")
        if post_id != post.pk:
            return _("This form belongs to another post. Please send your comment again.")
        if time.time() - issued < self.min_seconds:
            return _("That was very quick. Please check your comment and send it again.")
        return ""

    # --- 2. Publish, hold or file as spam --------------------------------------------------

    def decide(self, comment) -> Decision:
        approved, pending = Comment.Status.APPROVED, Comment.Status.PENDING
        if self.trusted(comment.user):
            return Decision(approved, _("by a moderator"))
        if hit := self.blocklist.match(comment):
            return Decision(Comment.Status.SPAM, _("blocklist: %s") % hit)
        if hit := self.holdlist.match(comment):
            return Decision(pending, _("hold list: %s") % hit)
        if self.too_many_links(comment):
            return Decision(pending, _("more than %d links") % self.max_links)
        if self.auto_approve_known and self.known_author(comment):
            return Decision(approved, _("known author"))
        if self.hold_all:
            return Decision(pending, _("every comment is held"))
        return Decision(approved, "")

    def trusted(self, user) -> bool:
        return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))

    def too_many_links(self, comment) -> bool:
        return len(LINK.findall(comment.body)) > self.max_links

    def known_author(self, comment) -> bool:
        if not comment.author_email:
            return False
        return Comment.objects.approved().filter(
            author_name=comment.author_name, author_email__iexact=comment.author_email
        ).exists()

    # --- 3. Whom to tell -------------------------------------------------------------------

    def moderation_recipients(self, comment) -> list[str]:
        """Who hears about a comment waiting in the queue: moderators and the post's author."""
        if comment.status != Comment.Status.PENDING:
            return []
        emails = set()
        if self.notify_moderators:
            emails |= set(moderators().values_list("email", flat=True))
        author = comment.post.author
        if self.notify_post_author and author is not None and author.email:
            emails.add(author.email)
        return sorted(emails - {"", comment.author_email})

    def reply_recipient(self, comment) -> str:
        """The parent's author, if they asked to hear about approved replies (not their own)."""
        parent = comment.parent
        if (comment.status != Comment.Status.APPROVED or parent is None
                or not parent.notify_replies or not parent.author_email):
            return ""
        if parent.author_email.lower() == comment.author_email.lower():
            return ""
        return parent.author_email


def moderators():
    """Active users with an email who may moderate: superusers, or holders of can_moderate."""
    permission = Permission.objects.filter(
        content_type__app_label="comments", codename="can_moderate"
    )
    return (
        get_user_model().objects.filter(is_active=True).exclude(email="")
        .filter(Q(is_superuser=True) | Q(user_permissions__in=permission)
                | Q(groups__permissions__in=permission))
        .distinct()
    )
