"""
Discussion attached to posts and pages: reader comments and linkbacks (pingback, trackback,
webmention) in one table, as WordPress keeps them, moderated by one policy.

What the public may see lives in CommentQuerySet: `public()` for feeds and permalinks,
`for_post_page()` for a post's thread. Status changes go through comments.services, which keeps
`Post.comment_count` in step.
"""

import ipaddress
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from archive_site import generations
from posts import rendering
from posts.models import Post


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def public(self):
        """What anyone may read: approved, on a published post."""
        return self.approved().filter(post__in=Post.objects.published())

    def for_post_page(self, post, *, pending_ids=()):
        """The approved thread of a post, plus the reader's own pending comments by id.

        Everything the comment section shows comes from this one query, whatever the size of
        the thread: the tree is built in Python (comments.threads).
        """
        visible = Q(status=Comment.Status.APPROVED)
        if pending_ids:
            visible |= Q(status=Comment.Status.PENDING, pk__in=list(pending_ids))
        return (
            self.filter(visible, post=post)
            .defer("user_agent", "meta", "source_key", "source_position", "imported_at")
            .order_by(models.F("created_at").asc(nulls_first=True), "id")
        )

    def status_counts(self):
        """{status: count} for every status, zeros included, from one grouped query."""
        counts = dict(self.order_by().values_list("status").annotate(n=Count("id")))
        return {status: counts.get(status, 0) for status in Comment.Status.values}


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")
    TRASH = "trash", _("Trash")


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    PINGBACK = "pingback", _("Pingback")
    TRACKBACK = "trackback", _("Trackback")
    WEBMENTION = "webmention", _("Webmention")


class CommentBodyFormat(models.TextChoices):
    # Typed into this site's form, captured as page text, or received in a linkback.
    PLAIN = "plain", _("Plain text")
    # Imported: WordPress keeps comments as HTML, entities and all.
    HTML = "html", _("HTML (imported from WordPress)")


class Comment(models.Model):
    # Module-level so that Meta's constraints can name their values.
    Status = CommentStatus
    Kind = CommentKind
    BodyFormat = CommentBodyFormat

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMMENT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    author_name = models.CharField(_("name"), max_length=200)
    author_email = models.EmailField(_("email"), blank=True, help_text=_("Never shown publicly."))
    author_url = models.URLField(_("website"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(_("comment"))
    body_format = models.CharField(
        max_length=10, choices=BodyFormat.choices, default=BodyFormat.PLAIN
    )
    notify_replies = models.BooleanField(
        _("email me replies"), default=False,
        help_text=_("The author asked to be told about approved replies to this comment."),
    )

    # For linkbacks: the page that mentioned us, and its title as the source showed it.
    source_url = models.URLField(max_length=1000, blank=True)
    source_title = models.CharField(max_length=500, blank=True)

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(
        null=True, blank=True, default=timezone.now,
        help_text=_("Empty only for archived comments whose date was not captured."),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    # Provenance of imported comments.
    source_key = models.CharField(max_length=500, blank=True)
    source_position = models.PositiveIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    meta = models.JSONField(default=dict, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        get_latest_by = "created_at"
        permissions = [("can_moderate", "Can moderate comments")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""),
                name="unique_comment_source_key",
            ),
            models.UniqueConstraint(
                fields=["post", "source_url"],
                condition=~Q(kind="comment") & ~Q(source_url=""),
                name="unique_linkback_per_source",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="comment_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=CommentKind.values), name="comment_kind_valid"),
            models.CheckConstraint(condition=Q(body_format__in=CommentBodyFormat.values),
                                   name="comment_body_format_valid"),
        ]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            # Known authors, duplicates and unsubscribing match emails case-insensitively.
            models.Index(Upper("author_email"), "status", name="comment_author_email_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author_name} on {self.post}"

    def get_absolute_url(self):
        # A redirect, because which page of a long thread holds the comment changes over time.
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def website(self):
        """The author's link, or "" unless it is plainly http(s): imported data is not trusted."""
        return _safe_link(self.author_url)

    @property
    def source_link(self):
        return _safe_link(self.source_url)

    @cached_property
    def body_html(self):
        return rendering.render_comment(self.body, self.body_format)

    @property
    def body_text(self):
        """The body as plain text, for mail."""
        return rendering.comment_text(self.body, self.body_format)


_SAFE_LINK = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


def _safe_link(url):
    """Imported and pinged URLs never passed a form: allow http(s) and nothing else."""
    url = url.strip()
    return url if _SAFE_LINK.fullmatch(url) else ""


class DiscussionSettings(models.Model):
    """The site's discussion options, edited in the admin like WordPress's Settings → Discussion.

    There is at most one row (a constraint says so). Until it exists the COMMENTS_* settings
    apply; once saved, its values win. comments.moderation.Policy reads it.
    """

    # Saving moves the "discussion" generation on, so every process reads the record again.
    CACHE_TIMEOUT = 60 * 60

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    hold_all = models.BooleanField(
        _("hold every comment for a moderator"),
        help_text=_("Unless a rule below approves it (known authors, moderators)."),
    )
    auto_approve_known = models.BooleanField(
        _("approve authors with an approved comment"),
        help_text=_("Same name and email as a comment already approved."),
    )
    max_links = models.PositiveSmallIntegerField(
        _("hold comments with more links than"), validators=[MaxValueValidator(100)]
    )
    max_depth = models.PositiveSmallIntegerField(
        _("threading depth"), validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 means no replies to replies."),
    )
    per_page = models.PositiveSmallIntegerField(
        _("top-level comments per page"), validators=[MinValueValidator(1)]
    )
    close_after_days = models.PositiveIntegerField(
        _("close comments on posts older than (days)"), null=True, blank=True,
        help_text=_("Empty: never close automatically."),
    )
    gravatar = models.BooleanField(
        _("show Gravatar images"),
        help_text=_("Off: no hash of any email address leaves the site."),
    )
    notify_moderators = models.BooleanField(_("email moderators about held comments"))
    notify_post_author = models.BooleanField(_("email the post's author about held comments"))

    # One entry per line. Blocklist matches go to spam, hold-list matches to the queue.
    block_words = models.TextField(_("blocklist: words"), blank=True)
    block_ips = models.TextField(_("blocklist: IP addresses or networks"), blank=True)
    block_emails = models.TextField(_("blocklist: emails or @domains"), blank=True)
    block_urls = models.TextField(_("blocklist: URL fragments"), blank=True)
    hold_words = models.TextField(_("hold list: words"), blank=True)
    hold_ips = models.TextField(_("hold list: IP addresses or networks"), blank=True)
    hold_emails = models.TextField(_("hold list: emails or @domains"), blank=True)
    hold_urls = models.TextField(_("hold list: URL fragments"), blank=True)

    # Each option, and the setting that supplies it until the record is saved.
    SETTINGS = {
        "hold_all": "COMMENTS_HOLD_ALL",
        "auto_approve_known": "COMMENTS_AUTO_APPROVE_KNOWN",
        "max_links": "COMMENTS_MAX_LINKS",
        "max_depth": "COMMENTS_MAX_DEPTH",
        "per_page": "COMMENTS_PER_PAGE",
        "close_after_days": "COMMENTS_CLOSE_AFTER_DAYS",
        "gravatar": "COMMENTS_GRAVATAR",
        "notify_moderators": "COMMENTS_NOTIFY_MODERATORS",
        "notify_post_author": "COMMENTS_NOTIFY_POST_AUTHOR",
    }
    LISTS = {"block": "COMMENTS_BLOCKLIST", "hold": "COMMENTS_HOLDLIST"}
    LIST_KINDS = ("words", "ips", "emails", "urls")

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="discussion_settings_singleton")]

    def __str__(self):
        return str(_("Discussion settings"))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        generations.bump("discussion")

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        generations.bump("discussion")
        return result

    def clean(self):
        errors = {}
        for prefix in self.LISTS:
            bad = [entry for entry in self.entries(prefix, "ips") if not _is_network(entry)]
            if bad:
                errors[f"{prefix}_ips"] = _("Not an IP address or network: %s") % ", ".join(bad)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_settings(cls):
        """An unsaved record holding the COMMENTS_* settings: the admin form's starting point."""
        lists = {
            f"{prefix}_{kind}": "\n".join(getattr(settings, setting).get(kind, ()))
            for prefix, setting in cls.LISTS.items() for kind in cls.LIST_KINDS
        }
        return cls(**{name: getattr(settings, setting) for name, setting in cls.SETTINGS.items()},
                   **lists)

    @classmethod
    def current(cls):
        """The saved record, else one built from settings. Cached: every post page reads it."""
        # False: "no record" is worth caching too.
        record = generations.cached("discussion", "record", timeout=cls.CACHE_TIMEOUT,
                                    build=lambda: cls.objects.first() or False)
        return record or cls.from_settings()

    def entries(self, prefix, kind):
        return tuple(line.strip() for line in getattr(self, f"{prefix}_{kind}").splitlines()
                     if line.strip())


def _is_network(entry):
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False
    return True
