"""
Linkbacks we send. Those we receive are comments (comments.models.Comment, kind pingback,
trackback or webmention); this is the record of what we told other sites about our posts.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from posts.models import Post


class OutgoingLinkbackQuerySet(models.QuerySet):
    def due(self, now):
        """Transient failures whose next try has come."""
        return self.filter(status=OutgoingLinkback.Status.RETRYING, next_retry_at__lte=now)


class OutgoingLinkback(models.Model):
    """One target linked from one of our posts: how we notified it, and how that went.

    `content_digest` says which version of the post the status is about, so that saving an
    unchanged post sends nothing, while an edited one tells its webmention targets again.
    """

    class Protocol(models.TextChoices):
        WEBMENTION = "webmention", _("Webmention")
        PINGBACK = "pingback", _("Pingback")

    class Status(models.TextChoices):
        PENDING = "pending", _("Not tried yet")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        NO_ENDPOINT = "no_endpoint", _("No endpoint")
        RETRYING = "retrying", _("Will retry")
        FAILED = "failed", _("Failed")
        UNLINKED = "unlinked", _("Link removed; endpoint told")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="outgoing_linkbacks")
    target = models.URLField(max_length=1000)
    protocol = models.CharField(max_length=12, choices=Protocol.choices, blank=True)
    endpoint = models.URLField(max_length=1000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    response = models.TextField(
        blank=True, help_text=_("What the endpoint answered, or why nothing was sent.")
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text=_("Tries for the current version of the post.")
    )
    content_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingLinkbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        verbose_name = _("sent linkback")
        constraints = [
            models.UniqueConstraint(fields=["post", "target"], name="unique_outgoing_linkback"),
            models.CheckConstraint(
                condition=~Q(status="retrying") | Q(next_retry_at__isnull=False),
                name="retrying_needs_a_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_retry_at"], name="outgoing_linkback_due_idx")]

    def __str__(self):
        return f"{self.post} → {self.target}"
