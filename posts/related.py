"""Related posts: those sharing the most categories and tags with a post, newest first on ties."""

from django.db.models import Count, F, Q

from archive_site import generations

from .models import Post

RELATED_POSTS = 5
TIMEOUT = 60 * 60 * 24


def find_related(post: Post, limit: int = RELATED_POSTS) -> list[Post]:
    """One query: the post's own categories and tags are read in subqueries."""
    categories = post.categories.values("pk")
    tags = post.tags.values("pk")
    shares = Q(categories__in=categories) | Q(tags__in=tags)
    return list(
        Post.objects.published().posts()
        .filter(shares)
        .exclude(pk=post.pk)
        .annotate(
            shared=Count("categories", filter=Q(categories__in=categories), distinct=True)
            + Count("tags", filter=Q(tags__in=tags), distinct=True)
        )
        .order_by("-shared", F("published_at").desc(nulls_last=True), "-id")
        .only("kind", "title", "slug", "published_at")[:limit]
    )


def related_posts(post: Post) -> list[dict]:
    """What the post page shows, rebuilt only after content changes."""
    return generations.cached(
        "content", "related", post.pk, timeout=TIMEOUT,
        build=lambda: [
            {"title": p.title, "url": p.get_absolute_url(), "published_at": p.published_at}
            for p in find_related(post)
        ])
