"""
Search latency over many synthetic posts, on the database DATABASE_URL names (PostgreSQL is
the one that matters):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_site \\
        .venv/bin/python bench/search_bench.py --posts 100000

It creates a scratch database beside the real one (`bench_search_<name>`, made and dropped by
Django's test-database machinery, so the real data and the test suite's database are left
alone), migrates it, fills it with clearly synthetic posts through bulk_create, indexes them
with the site's own `index_posts`, then times `search()` as the search page uses it: the first
page of hits with their posts, and the number of matches (">1,000" where more matched than
search lists, `posts.search.MAX_RESULTS`). The scratch database is dropped at the end unless
--keep.
"""

import argparse
import datetime
import itertools
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")

log = logging.getLogger("bench.search")

SYLLABLES = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "ve", "zu", "bra", "din", "fel",
             "gor", "hum", "jat", "kel", "mor", "nix", "pol"]
BATCH = 2000
VOCABULARY = 20_000
PAGE = 10


def vocabulary(rng, size):
    """Made-up words, so no result can be mistaken for real content."""
    words = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(words)


class Text:
    """Word streams with a Zipf-like spread: a few words are everywhere, most are rare."""

    def __init__(self, rng, words):
        self.rng, self.words = rng, words
        # Cumulative, computed once: choices() would otherwise sum 20,000 weights per call.
        self.cum_weights = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))

    def pick(self, count):
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=count)

    def sentence(self, count):
        return " ".join(self.pick(count)).capitalize() + "."

    def body(self):
        return "\n\n".join(
            " ".join(self.sentence(self.rng.randint(8, 16)) for _ in range(self.rng.randint(2, 5)))
            for _ in range(self.rng.randint(2, 4))
        )


def populate(count, seed):
    from django.utils import timezone

    from posts.models import Category, Post, Tag
    from posts.search import index_posts

    rng = random.Random(seed)
    words = vocabulary(rng, VOCABULARY)
    text = Text(rng, words)
    categories = Category.objects.bulk_create(
        Category(name=f"Synthetic category {n}", slug=f"synthetic-category-{n}") for n in range(30))
    tags = Tag.objects.bulk_create(
        Tag(name=f"synthetic tag {n}", slug=f"synthetic-tag-{n}") for n in range(300))
    start = timezone.make_aware(datetime.datetime(2004, 1, 1))
    for offset in range(0, count, BATCH):
        posts = Post.objects.bulk_create(
            Post(
                title=f"Synthetic {n}: " + " ".join(text.pick(rng.randint(3, 7))),
                slug=f"synthetic-{n}",
                body=text.body(),
                excerpt=text.sentence(12) if rng.random() < 0.2 else "",
                status=Post.Status.PUBLISHED if rng.random() < 0.95 else Post.Status.DRAFT,
                published_at=start + datetime.timedelta(hours=rng.randint(0, 20 * 365 * 24)),
            )
            for n in range(offset, min(offset + BATCH, count))
        )
        Post.categories.through.objects.bulk_create(
            Post.categories.through(post=post, category=category)
            for post in posts for category in rng.sample(categories, rng.randint(1, 2)))
        Post.tags.through.objects.bulk_create(
            Post.tags.through(post=post, tag=tag)
            for post in posts for tag in rng.sample(tags, rng.randint(0, 3)))
        # bulk_create sends no signals: index as an importer writing in bulk would.
        index_posts([post.pk for post in posts])
        log.info("%d posts written and indexed", offset + len(posts))


def queries(words, categories):
    """(label, query, filters): common to rare words, each syntax, each filter, a miss."""
    common, middling, rare = words[0], words[150], words[12_000]
    return [
        ("most common word", common, {}),
        ("middling word", middling, {}),
        ("rare word", rare, {}),
        ("two words", f"{words[20]} {words[40]}", {}),
        ("phrase", f'"{words[0]} {words[1]}"', {}),
        ("exclusion", f"{words[30]} -{words[1]}", {}),
        ("OR", f"{words[400]} OR {words[600]}", {}),
        ("in a category", middling, {"category": categories[3]}),
        ("common in category", common, {"category": categories[3]}),
        ("in a year", middling, {"year": 2015}),
        ("pages only", middling, {"kind": "page"}),
        ("no match", "qqqqxyz", {}),
    ]


def measure(cases, repeats):
    from posts.search import search

    rows, samples = [], []
    for label, query, filters in cases:
        times = []
        for attempt in range(repeats + 1):
            began = time.perf_counter()
            results = search(query, **filters)
            results[0:PAGE]  # as SearchView: the page first, which counts the matches too
            count = (">" if results.capped else "") + f"{len(results):,}"
            elapsed = (time.perf_counter() - began) * 1000
            if attempt:  # the first run warms caches and is not counted
                times.append(elapsed)
        samples += times
        rows.append((label, query, count, statistics.median(times), max(times)))
    return rows, samples


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the scratch database")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    django.setup()

    from django.db import connection

    from posts.models import Category, Post

    original = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"bench_search_{Path(original).stem}"
    # Nothing restores the database from a serialized copy, and serializing 100,000 posts takes
    # minutes.
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep,
                                       serialize=False)
    try:
        if Post.objects.count() < args.posts:
            began = time.perf_counter()
            populate(args.posts - Post.objects.count(), args.seed)
            log.info("populated in %.0f s", time.perf_counter() - began)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
        # The same seed gives the same words, so a kept database is measured with its own.
        words = vocabulary(random.Random(args.seed), VOCABULARY)
        cases = queries(words, list(Category.objects.order_by("id")))
        rows, samples = measure(cases, args.repeats)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original, verbosity=0)

    print(f"\n{connection.vendor}, {args.posts:,} posts, {args.repeats} runs per query "
          f"(first page of {PAGE} hits + count), load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs\n")
    print(f"| {'query':<18} | {'matches':>8} | {'median ms':>9} | {'max ms':>7} |")
    print(f"|{'-' * 20}|{'-' * 10}|{'-' * 11}|{'-' * 9}|")
    for label, _, count, median, worst in rows:
        print(f"| {label:<18} | {count:>8} | {median:>9.1f} | {worst:>7.1f} |")
    print(f"\nall queries: median {statistics.median(samples):.1f} ms, "
          f"p99 {percentile(samples, 0.99):.1f} ms")


if __name__ == "__main__":
    main()
