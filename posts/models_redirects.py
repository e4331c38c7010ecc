"""Addresses that content used to have, each answered with a permanent redirect (posts.redirects)."""

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The query parameters that name content in WordPress's default addresses (?p=12, ?page_id=3,
# ?cat=7); any other parameter (tracking, replies) does not change where an old link leads.
ID_PARAMETERS = frozenset({"p", "page_id", "cat"})


def legacy_key(url: str) -> str:
    """
    An address reduced to what identifies it: percent-decoded path without host or trailing
    slash, plus WordPress's id parameters. `http://old.example/?p=12&utm=x` gives `/?p=12`.
    """
    parts = urlsplit(url.strip())
    path = unquote(parts.path).rstrip("/")
    if not path.startswith("/"):
        path = "/" + path
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k in ID_PARAMETERS)
    if query:
        # WordPress answers ?p= on its front controller as on the root.
        path = path.removesuffix("/index.php") or "/"
        return f"{path.rstrip('/')}/?{urlencode(query)}"
    return path or "/"


class LegacyURL(models.Model):
    """
    An old address and where it leads now: a post, a category, or any URL for a custom redirect.

    Rows point at objects rather than at their current URLs, so a slug renamed twice still sends
    both old addresses straight to the newest one.
    """

    path = models.CharField(
        max_length=500,
        unique=True,
        help_text=_("The old address without host or trailing slash, e.g. /2009/05/hello or /?p=12."),
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="legacy_urls"
    )
    category = models.ForeignKey(
        "posts.Category", null=True, blank=True, on_delete=models.CASCADE,
        related_name="legacy_urls",
    )
    target_url = models.CharField(
        max_length=1000, blank=True, help_text=_("For a custom redirect: a path here or a full URL.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("redirect")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(post__isnull=False, category__isnull=True, target_url="")
                    | Q(post__isnull=True, category__isnull=False, target_url="")
                    | (Q(post__isnull=True, category__isnull=True) & ~Q(target_url=""))
                ),
                name="legacy_url_has_one_target",
            ),
        ]

    def __str__(self):
        return self.path

    def clean(self):
        self.path = legacy_key(self.path)
        if sum([self.post_id is not None, self.category_id is not None, bool(self.target_url)]) != 1:
            raise ValidationError(_("Choose exactly one target: a post, a category or a URL."))

    def target(self):
        """Where the old address leads today."""
        if self.target_url:
            return self.target_url
        return (self.post or self.category).get_absolute_url()
