"""
The content core: blogs, authors, categories, tags and posts.

Visibility lives in PostQuerySet and nowhere else: every view, feed, sitemap and search reads
through `published()` or `visible_to(user)`, so a draft cannot leak because one caller forgot a
filter.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from archive_site import generations

from . import rendering
from .validators import validate_image

# Top-level paths the site itself uses; a page with one of these slugs would be unreachable.
RESERVED_PAGE_SLUGS = frozenset(
    {"admin", "archives", "author", "blog", "category", "comments", "feed", "media", "page",
     "search", "static", "tag", "trackback", "xmlrpc", "webmention", "sitemap.xml", "robots.txt",
     "healthz", "markdownx"}
)


class Blog(models.Model):
    """An archived source site. Imported content keeps a link to the blog it came from."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    tagline = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True, help_text=_("The original address, if known."))
    language = models.CharField(max_length=20, blank=True, help_text=_("BCP 47 code, e.g. en, hi."))

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("posts:blog", kwargs={"slug": self.slug})


class Author(models.Model):
    """A byline. Imported authors need no login; a Django user can be attached later."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    bio = models.TextField(blank=True)
    email = models.EmailField(blank=True, help_text=_("Never shown publicly."))
    url = models.URLField(max_length=500, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("posts:author", kwargs={"slug": self.slug})


class Category(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("posts:category", kwargs={"slug": self.slug})

    def clean(self):
        if self.pk and self.pk in {c.pk for c in self.ancestors()}:
            raise ValidationError({"parent": _("A category cannot be its own ancestor.")})

    def ancestors(self):
        """Parents from the nearest up, stopping at a cycle rather than looping forever."""
        seen, node = [], self.parent
        while node is not None and node not in seen:
            seen.append(node)
            node = node.parent
        return seen

    def descendant_ids(self):
        """This category's id and all below it, from the cached tree of every category."""
        children = _category_children()
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = [child for parent in frontier for child in children.get(parent, ())
                        if child not in ids]
            ids.update(frontier)
        return ids


def _category_children():
    """{parent id: [child ids]} for all categories, rebuilt only after content changes."""
    def build():
        children = {}
        for pk, parent in Category.objects.filter(parent__isnull=False).values_list("pk", "parent"):
            children.setdefault(parent, []).append(pk)
        return children

    return generations.cached("content", "category-tree", build=build, timeout=60 * 60)


class Tag(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("posts:tag", kwargs={"slug": self.slug})


def this_minute():
    """Now, to the minute: the moment published() asks about, so that every request within a
    minute asks the same question and what is cached of the answer can serve them all."""
    return timezone.now().replace(second=0, microsecond=0)


class PostQuerySet(models.QuerySet):
    def published(self):
        """What anyone may read: published, or scheduled and due by this_minute()."""
        now = this_minute()
        return self.filter(
            Q(status=Post.Status.PUBLISHED)
            | Q(status=Post.Status.SCHEDULED, published_at__lte=now)
        )

    def visible_to(self, user):
        """Staff preview everything; everyone else sees what is published."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()

    def posts(self):
        return self.filter(kind=Post.Kind.POST)

    def pages(self):
        return self.filter(kind=Post.Kind.PAGE)

    def for_listing(self):
        """What a list of teasers needs, in one query plus one per many-to-many."""
        return self.select_related("author", "blog").prefetch_related("categories")

    def in_category(self, category):
        """Posts filed under the category or any below it; a subquery, so no DISTINCT."""
        filed = Post.categories.through.objects.filter(category_id__in=category.descendant_ids())
        return self.filter(pk__in=filed.values("post_id"))


class Post(models.Model):
    """A post or a page, as WordPress keeps both in one table."""

    class Kind(models.TextChoices):
        POST = "post", _("Post")
        PAGE = "page", _("Page")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        PRIVATE = "private", _("Private")

    class BodyFormat(models.TextChoices):
        MARKDOWN = "markdown", _("Markdown")
        HTML = "html", _("HTML (imported from WordPress)")

    class Discussion(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POST)
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200, allow_unicode=True)
    body = MarkdownxField(blank=True)
    body_format = models.CharField(
        max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    excerpt = models.TextField(
        blank=True, help_text=_("Optional hand-written summary shown on list pages.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Left empty when the original date is unknown.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    sticky = models.BooleanField(default=False)
    comment_status = models.CharField(
        max_length=10, choices=Discussion.choices, default=Discussion.OPEN
    )
    ping_status = models.CharField(
        max_length=10, choices=Discussion.choices, default=Discussion.OPEN
    )
    featured_image = models.ImageField(
        upload_to="featured/%Y/%m/", blank=True, validators=[validate_image]
    )
    featured_image_alt = models.CharField(max_length=300, blank=True)
    # Kept in step by the comments app so list pages read it without counting.
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    # Page hierarchy, as WordPress keeps it.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    menu_order = models.IntegerField(default=0)

    # Provenance: where an archived post came from and when it was brought in.
    blog = models.ForeignKey(
        Blog, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    original_url = models.URLField(max_length=1000, blank=True)
    source_file = models.CharField(max_length=500, blank=True)
    source_checksum = models.CharField(max_length=64, blank=True)
    source_position = models.PositiveIntegerField(null=True, blank=True)
    source_key = models.CharField(
        max_length=500, blank=True, help_text=_("Stable identity of the imported original.")
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    excerpt_only = models.BooleanField(
        default=False, help_text=_("Only the beginning of this post was ever archived.")
    )
    language = models.CharField(max_length=20, blank=True)

    # WordPress details kept as data, so an export can give back what an import brought in.
    password = models.CharField(
        max_length=255, blank=True, help_text=_("Readers must enter it to see the text.")
    )
    post_format = models.CharField(max_length=20, blank=True)
    template = models.CharField(max_length=200, blank=True)
    guid = models.CharField(max_length=1000, blank=True)
    wp_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name="WordPress ID")

    objects = PostQuerySet.as_manager()

    class Meta:
        # Undated archived posts sort after dated ones on every database. Migration 0004 indexes
        # this order (by hand: the two databases spell it differently).
        ordering = ["-sticky", F("published_at").desc(nulls_last=True), "-id"]
        get_latest_by = "published_at"
        permissions = [("preview_post", "Can preview unpublished posts")]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(kind="post"), name="unique_post_slug"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(kind="page", parent__isnull=True),
                name="unique_top_level_page_slug",
            ),
            models.UniqueConstraint(
                fields=["parent", "slug"],
                condition=Q(kind="page", parent__isnull=False),
                name="unique_child_page_slug",
            ),
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="unique_source_key"
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(published_at__isnull=False),
                name="scheduled_needs_date",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "-published_at"], name="post_listing_idx"),
            models.Index(fields=["blog", "-published_at"], name="post_blog_idx"),
            models.Index(fields=["author", "-published_at"], name="post_author_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.kind == self.Kind.PAGE:
            return reverse("posts:page", kwargs={"path": self.page_path})
        if self.published_at is None:
            return reverse("posts:undated_post", kwargs={"slug": self.slug})
        local = timezone.localtime(self.published_at)
        return reverse(
            "posts:post",
            kwargs={
                "year": local.year,
                "month": f"{local.month:02d}",
                "day": f"{local.day:02d}",
                "slug": self.slug,
            },
        )

    def clean(self):
        if self.status == self.Status.SCHEDULED and self.published_at is None:
            raise ValidationError({"published_at": _("A scheduled post needs a date.")})
        if self.kind == self.Kind.PAGE and self.parent_id is None and self.slug in RESERVED_PAGE_SLUGS:
            raise ValidationError({"slug": _("This address is used by the site itself.")})

    @property
    def page_path(self):
        """A page's slug below its parents' slugs, as WordPress builds page URLs."""
        slugs, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            slugs.append(node.slug)
            node = node.parent
        return "/".join(reversed(slugs))

    def adjacent(self, *, newer):
        """The neighbouring published post by date (ties broken by id), for previous/next."""
        if self.kind != self.Kind.POST or self.published_at is None:
            return None
        return self.neighbours()["newer" if newer else "older"]

    def neighbours(self):
        """Both neighbours, cached until content changes: every post page shows them."""
        return generations.cached(
            "content", "neighbours", self.pk, timeout=60 * 60,
            build=lambda: {"older": self._neighbour(newer=False),
                           "newer": self._neighbour(newer=True)})

    def _neighbour(self, *, newer):
        if newer:
            after = Q(published_at__gt=self.published_at) | Q(
                published_at=self.published_at, id__gt=self.pk)
            order = ("published_at", "id")
        else:
            after = Q(published_at__lt=self.published_at) | Q(
                published_at=self.published_at, id__lt=self.pk)
            order = ("-published_at", "-id")
        return (
            Post.objects.published().posts().filter(after).order_by(*order)
            .only("kind", "title", "slug", "published_at").first()
        )

    @property
    def comments_open(self):
        return self.comment_status == self.Discussion.OPEN

    @property
    def pings_open(self):
        return self.ping_status == self.Discussion.OPEN

    @cached_property
    def body_html(self):
        return rendering.render(self.body, self.body_format)

    @cached_property
    def teaser(self):
        """The list-page teaser: the excerpt, else the body up to the more marker."""
        return rendering.teaser(self.body, self.body_format, excerpt=self.excerpt)


class Media(models.Model):
    """An attachment as WordPress recorded it: its address, and the file once fetched."""

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="media",
        help_text=_("The post or page it was attached to."),
    )
    url = models.URLField(max_length=1000, blank=True)
    file = models.FileField(upload_to="media/%Y/%m/", blank=True)
    title = models.CharField(max_length=500, blank=True)
    alt_text = models.CharField(max_length=500, blank=True)
    caption = models.TextField(blank=True)
    mime_type = models.CharField(max_length=100, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    guid = models.CharField(max_length=1000, blank=True)
    wp_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name="WordPress ID")
    source_key = models.CharField(max_length=500, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "media"
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="unique_media_source_key"
            ),
        ]

    def __str__(self):
        return self.title or self.url or self.file.name


# The finding features' models live in their own modules; importing them here registers them.
from .models_redirects import LegacyURL  # noqa: E402, F401
from .models_search import SearchDocument  # noqa: E402, F401
