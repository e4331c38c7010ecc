"""Reads that several pages share, cached per content generation: the sidebar and the teasers."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from archive_site import generations

from .models import Blog, Category, Post

SIDEBAR_TIMEOUT = TEASER_TIMEOUT = 60 * 60
RECENT_POSTS = 5


def _count_per(field):
    """Published posts per related object, as {id: count}, from one grouped query."""
    return dict(
        Post.objects.published().posts()
        .filter(**{f"{field}__isnull": False})
        .values_list(field).annotate(n=Count("id")).values_list(field, "n")
    )


def _category_counts():
    through = Post.categories.through
    published = Post.objects.published().posts().values("pk")
    return dict(
        through.objects.filter(post__in=published)
        .values_list("category").annotate(n=Count("id")).values_list("category", "n")
    )


def build_sidebar():
    category_counts = _category_counts()
    blog_counts = _count_per("blog")
    categories = [
        {"name": c.name, "url": c.get_absolute_url(), "count": category_counts[c.pk]}
        for c in Category.objects.filter(pk__in=category_counts)
    ]
    blogs = [
        {"title": b.title, "url": b.get_absolute_url(), "count": blog_counts[b.pk]}
        for b in Blog.objects.filter(pk__in=blog_counts)
    ]
    recent = [
        {"title": p.title, "url": p.get_absolute_url()}
        for p in Post.objects.published().posts().only("kind", "title", "slug", "published_at")
        [:RECENT_POSTS]
    ]
    months = list(Post.objects.published().posts().dates("published_at", "month", order="DESC"))
    pages = [
        {"title": p.title, "url": p.get_absolute_url()}
        for p in Post.objects.published().pages().filter(parent__isnull=True)
        .order_by("menu_order", "title").only("kind", "title", "slug", "parent")
    ]
    return {"categories": categories, "blogs": blogs, "recent": recent, "months": months,
            "pages": pages}


def sidebar():
    """The sidebar's data, rebuilt only after content changes."""
    return generations.cached("content", "sidebar", build=build_sidebar, timeout=SIDEBAR_TIMEOUT)


def sidebar_html() -> SafeString:
    """The sidebar as HTML, rendered once per content generation.

    Rendering it costs more than reading its data: one link and two date formats per month of
    the archive (about 40 at 10,000 posts, 400 at 100,000), so every page is spared that work.
    The template depends on nothing but sidebar(), so one copy serves every page and reader.
    """
    html = generations.cached(
        "content", "sidebar-html", timeout=SIDEBAR_TIMEOUT,
        build=lambda: render_to_string("includes/sidebar.html", sidebar()))
    return mark_safe(html)  # rendered by our own autoescaping template


def teasers_html(posts) -> list[SafeString]:
    """The teaser of each post, in order, as HTML rendered once per content generation.

    A list page is mostly its ten teasers (links, dates, bylines, categories), and the same
    teaser appears on the home page, its categories' and tags' pages and its month's. So a list
    needs only its posts' keys: one cache read finds the teasers, and only those missing are
    read with what they show and rendered.
    """
    ids = [post.pk for post in posts]

    def render(missing):
        return {post.pk: render_to_string("includes/teaser.html", {"post": post})
                for post in Post.objects.for_listing().filter(pk__in=missing)}

    found = generations.cached_many("content", {pk: ("teaser", pk) for pk in ids}, render,
                                    TEASER_TIMEOUT)
    # Rendered by our own autoescaping template, from sanitized text.
    return [mark_safe(found[pk]) for pk in ids if pk in found]
