"""
Deterministic, clearly synthetic content at any scale, written with bulk inserts.

Used by benchmarks and query-budget tests: the same `seed` always gives the same site. Comment
counts follow a long tail, as on real blogs: most posts have a few, a handful have thousands.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from comments.models import Comment
from posts.models import Author, Blog, Category, Post, Tag

BATCH = 5000
WORDS = [
    "garden",
    "bicycle",
    "bread",
    "river",
    "lamp",
    "orchard",
    "kettle",
    "meadow",
    "harbour",
    "lantern",
    "pebble",
    "sparrow",
    "willow",
    "compost",
    "turnip",
    "ladder",
    "window",
    "cedar",
    "basket",
    "thimble",
]


@dataclass(frozen=True)
class DemoSize:
    posts: int
    comments: int
    seed: int = 1


def _sentence(rng, n=12):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _comment_spread(rng, posts, total):
    """Comments per post: a Pareto tail scaled to `total`."""
    weights = [rng.paretovariate(1.1) for _ in range(posts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(posts), min(posts, total - sum(counts))):
        counts[i] += 1
    return counts


@transaction.atomic
def generate(size: DemoSize) -> dict:
    rng = random.Random(size.seed)
    blogs = Blog.objects.bulk_create(
        Blog(
            title=f"Synthetic Blog {i}",
            slug=f"synthetic-blog-{size.seed}-{i}",
            tagline="Generated demo content",
        )
        for i in range(5)
    )
    authors = Author.objects.bulk_create(
        Author(name=f"Synthetic Author {i}", slug=f"synthetic-author-{size.seed}-{i}") for i in range(20)
    )
    categories = []
    for depth in range(3):
        parents = [c for c in categories if c.depth == depth - 1] if depth else [None]
        level = Category.objects.bulk_create(
            Category(
                name=f"Topic {depth}.{i}", slug=f"topic-{size.seed}-{depth}-{i}", parent=rng.choice(parents)
            )
            for i in range(5 * (depth + 1))
        )
        for category in level:
            category.depth = depth
        categories += level
    tags = Tag.objects.bulk_create(
        Tag(name=f"{rng.choice(WORDS)} {i}", slug=f"tag-{size.seed}-{i}") for i in range(50)
    )

    start = timezone.make_aware(datetime.datetime(2005, 1, 1))
    counts = _comment_spread(rng, size.posts, size.comments)
    posts = []
    for i in range(size.posts):
        posts.append(
            Post(
                kind=Post.Kind.POST,
                title=f"Synthetic post {i}: {_sentence(rng, 5)}",
                slug=f"synthetic-{size.seed}-{i}",
                body="\n\n".join(_sentence(rng, 40) for _ in range(4)),
                status=Post.Status.PUBLISHED,
                published_at=start + datetime.timedelta(hours=3 * i),
                author=rng.choice(authors),
                blog=rng.choice(blogs),
                comment_count=counts[i],
            )
        )
    posts = Post.objects.bulk_create(posts, batch_size=BATCH)

    through = Post.categories.through
    through.objects.bulk_create(
        (through(post_id=p.pk, category_id=rng.choice(categories).pk) for p in posts), batch_size=BATCH
    )
    tag_through = Post.tags.through
    tag_through.objects.bulk_create(
        (tag_through(post_id=p.pk, tag_id=t.pk) for p in posts for t in rng.sample(tags, 2)), batch_size=BATCH
    )

    _generate_comments(rng, posts, counts)
    return {"posts": len(posts), "comments": sum(counts)}


def _generate_comments(rng, posts, counts):
    """Top-level comments first, so that replies can point at their parents' keys."""
    top_level, replies = [], []
    for post, count in zip(posts, counts, strict=True):
        n_top = max(1, count * 3 // 4) if count else 0
        for j in range(count):
            comment = Comment(
                post_id=post.pk,
                kind=Comment.Kind.PINGBACK if j % 50 == 49 else Comment.Kind.COMMENT,
                status=Comment.Status.APPROVED,
                author_name=f"Synthetic Reader {rng.randrange(5000)}",
                author_email="reader@example.invalid",
                body=_sentence(rng, 20),
                created_at=post.published_at + datetime.timedelta(minutes=10 * j + 1),
            )
            (top_level if j < n_top else replies).append((comment, post.pk))
    created = Comment.objects.bulk_create([c for c, _ in top_level], batch_size=BATCH)
    parents_by_post = {}
    for comment in created:
        parents_by_post.setdefault(comment.post_id, []).append(comment.pk)
    for comment, post_pk in replies:
        comment.parent_id = rng.choice(parents_by_post[post_pk])
        comment.depth = 1
    Comment.objects.bulk_create([c for c, _ in replies], batch_size=BATCH)
