"""
Discussion attached to posts and pages: reader comments and linkbacks (pingback, trackback,
webmention) in one table, as WordPress keeps them, moderated by one policy.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from posts import rendering
from posts.models import Post


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def for_post_page(self, post, *, pending_ids=()):
        """The approved thread of a post, plus the reader's own pending comments by id."""
        visible = Q(status=Comment.Status.APPROVED)
        if pending_ids:
            visible |= Q(status=Comment.Status.PENDING, pk__in=list(pending_ids))
        return (
            self.filter(visible, post=post)
            .select_related("user")
            .order_by("created_at", "id")
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        PINGBACK = "pingback", _("Pingback")
        TRACKBACK = "trackback", _("Trackback")
        WEBMENTION = "webmention", _("Webmention")

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
        ]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["author_email", "status"], name="comment_author_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author_name} on {self.post}"

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_linkback(self):
        return self.kind != self.Kind.COMMENT

    @cached_property
    def body_html(self):
        return rendering.render_comment(self.body)
