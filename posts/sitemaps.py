"""
Sitemaps of published posts and pages and of the categories and tags that have any.

/sitemap.xml is a single sitemap while everything fits on one sitemap page, and becomes an index
of /sitemap-<section>.xml once any section needs more than one.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max

from .models import Category, Post, Tag


class PostSitemap(Sitemap):
    def items(self):
        # Sitemaps are paginated, so the order must be stable: oldest first, by id.
        return Post.objects.published().posts().select_related("parent").order_by("id")

    def lastmod(self, post):
        return post.updated_at


class PageSitemap(PostSitemap):
    def items(self):
        return Post.objects.published().pages().select_related("parent").order_by("id")


class TaxonomySitemap(Sitemap):
    """Categories or tags with published posts, last modified when their newest post was."""

    model = None

    def items(self):
        published = Post.objects.published().posts()
        return (
            self.model.objects.filter(posts__in=published)
            .annotate(lastmod=Max("posts__updated_at"))
            .order_by("id")
        )

    def lastmod(self, subject):
        return subject.lastmod


class CategorySitemap(TaxonomySitemap):
    model = Category


class TagSitemap(TaxonomySitemap):
    model = Tag


SITEMAPS = {
    "posts": PostSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
}


def _sections():
    # Fresh instances per request: Django's views note per-request state on them.
    return {name: sitemap_class() for name, sitemap_class in SITEMAPS.items()}


def sitemap(request):
    sections = _sections()
    if any(section.paginator.num_pages > 1 for section in sections.values()):
        return sitemap_views.index(request, sections, sitemap_url_name="sitemap_section")
    return sitemap_views.sitemap(request, sections)


def section(request, section):
    return sitemap_views.sitemap(request, _sections(), section=section)
