"""
The benchmark's content: `generate_demo`'s synthetic site, plus one post with exactly 200
approved comments (the page the issue's targets are about) and the search index.

Run by bench/run.py in a process of its own, against the database DATABASE_URL names:

    DATABASE_URL=sqlite:///var/bench/sqlite.db .venv/bin/python -m bench.dataset --posts 10000

It prints one JSON line: the addresses the benchmark requests and what the site holds.
"""

import argparse
import datetime
import json
import logging
import os
import sys
import time

import django

log = logging.getLogger("bench.dataset")

BENCH_SLUG = "benchmark-post-with-200-comments"
THREAD_COMMENTS = 200
# A word in one post only, as most searches find a handful of posts. (generate_demo writes every
# post from 20 words, so any of those matches every post: a worst case that measures nothing
# readers do; bench/search_bench.py measures search over a realistic vocabulary.)
SEARCH_WORD = "benchmark"


def add_benchmark_post(Post, Comment, Category):
    """A post with 200 approved comments: 150 threads, 50 replies up to three deep."""
    from django.utils import timezone

    published = timezone.make_aware(datetime.datetime(2010, 6, 15, 12))
    body = "\n\n".join(
        f"Paragraph {n} of the benchmark post: a garden, a bicycle and bread, as synthetic as "
        "the rest of this site. [A link](https://example.org/) and *some emphasis*." for n in range(8)
    )
    post = Post.objects.create(
        kind=Post.Kind.POST, title="Benchmark post with 200 comments", slug=BENCH_SLUG,
        body=body, status=Post.Status.PUBLISHED, published_at=published,
        author_id=Post.objects.values_list("author_id", flat=True).first(),
        comment_count=THREAD_COMMENTS,
    )
    post.categories.set(Category.objects.order_by("pk")[:2])
    comments = []
    for n in range(THREAD_COMMENTS):
        parent = comments[n - 1] if n % 4 == 3 else None  # every fourth answers the one before
        comment = Comment(
            post=post, parent=parent, depth=parent.depth + 1 if parent else 0,
            status=Comment.Status.APPROVED, author_name=f"Synthetic Reader {n}",
            author_email=f"reader{n}@example.invalid",
            author_url="https://reader.example.invalid/" if n % 3 == 0 else "",
            body=f"Comment {n}: the runner beans came up at last.\n\nSee https://example.org/{n} "
                 "for a picture of the row.",
            created_at=published + datetime.timedelta(minutes=7 * n + 1),
        )
        comment.save()  # one by one: replies need their parent's key
        comments.append(comment)
    return post


def build(posts: int, comments: int, seed: int, *, search_index: bool = True) -> dict:
    from django.db import connection
    from django.db.models import Count

    from archive.demo import DemoSize, generate
    from comments.models import Comment
    from posts.models import Category, Post
    from posts.search import index_posts

    started = time.perf_counter()
    made = generate(DemoSize(posts=posts, comments=comments, seed=seed))
    generated = time.perf_counter() - started
    post = add_benchmark_post(Post, Comment, Category)
    search = "n/a"
    if search_index:
        index_posts(Post.objects.values_list("pk", flat=True).order_by("pk"))
        search = f"/search/?q={SEARCH_WORD}"
    # Planner statistics, as a live database has them (plans for an empty table are not the ones
    # production runs). On PostgreSQL a vacuum too, where one can run (never inside a
    # transaction, as in the tests): autovacuum would start one on tables just loaded with a
    # million rows, in the middle of the measurements.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    # The busiest top-level category: its page lists its subcategories' posts too.
    category = (
        Category.objects.filter(parent__isnull=True).annotate(n=Count("posts"))
        .order_by("-n", "pk").first()
    )
    sample = list(
        Post.objects.published().posts().order_by("pk").values_list("pk", flat=True)[::97][:100]
    )
    return {
        "posts": Post.objects.count(),
        "comments": Comment.objects.count(),
        "generated_seconds": round(generated, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "demo": made,
        "urls": {
            "home": "/",
            "post": post.get_absolute_url(),
            "category": category.get_absolute_url(),
            "search": search,
            "feed": "/feed/",
        },
        "comment_form": post.pk,
        "sample_urls": [p.get_absolute_url() for p in Post.objects.filter(pk__in=sample)],
        "last_home_page": f"/page/{-(-Post.objects.published().posts().count() // 10)}/",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-search-index", dest="search_index", action="store_false",
                        help="skip the search index (it renders every post: minutes at 100,000)")
    options = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    print(json.dumps(build(options.posts, options.comments, options.seed,
                           search_index=options.search_index)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
