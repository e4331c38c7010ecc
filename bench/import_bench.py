"""
Import benchmark: generate a WordPress export, import it into a fresh SQLite database, and
print how long it took and the process's peak memory.

    .venv/bin/python bench/import_bench.py                      # 10,000 posts, 100,000 comments
    .venv/bin/python bench/import_bench.py --body-kb 22          # the same posts, about 500 MB

The database and the export live in a temporary folder that is removed afterwards (--keep
keeps it). Settings are production's (DEBUG off), so Django keeps no log of queries.
"""

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Benchmark Blog</title>
<link>https://bench.example.org</link>
<description>Generated for bench/import_bench.py</description>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example.org</wp:base_site_url>
<wp:base_blog_url>https://bench.example.org</wp:base_blog_url>
"""
WORDS = ["beans", "soil", "compost", "runner", "sowing", "harvest", "greenhouse", "seedling",
         "mulch", "spade", "trowel", "allotment", "rain", "frost", "sun", "water", "weeds",
         "netting", "canes", "string", "pods"]


def write_export(path: Path, *, posts: int, comments_per_post: int, body_kb: int, seed: int) -> None:
    """A WXR file with `posts` posts; each has `comments_per_post` comments, half of them
    replies (chains up to five deep), and one in ten a pingback."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(1, 6):
            out.write(f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>author{n}"
                      f"</wp:author_login><wp:author_email>author{n}@bench.example.org"
                      f"</wp:author_email><wp:author_display_name>Author {n}"
                      "</wp:author_display_name></wp:author>\n")
        for n in range(1, 51):
            parent = f"category-{n // 10}" if n >= 10 else ""
            out.write(f"<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>category-{n}"
                      f"</wp:category_nicename><wp:category_parent>{parent}</wp:category_parent>"
                      f"<wp:cat_name>Category {n}</wp:cat_name></wp:category>\n")
        for n in range(1, 201):
            out.write(f"<wp:tag><wp:term_id>{100 + n}</wp:term_id><wp:tag_slug>tag-{n}"
                      f"</wp:tag_slug><wp:tag_name>Tag {n}</wp:tag_name></wp:tag>\n")
        comment_id = 0
        for post_id in range(1, posts + 1):
            paragraphs = []
            while sum(map(len, paragraphs)) < body_kb * 1024:
                paragraphs.append(" ".join(rng.choices(WORDS, k=60)).capitalize() + ".")
            terms = "".join(
                f'<category domain="category" nicename="category-{c}"><![CDATA[Category {c}]]>'
                "</category>" for c in rng.sample(range(1, 51), 2)
            ) + "".join(
                f'<category domain="post_tag" nicename="tag-{t}"><![CDATA[Tag {t}]]></category>'
                for t in rng.sample(range(1, 201), 3)
            )
            discussion = []
            first = comment_id + 1
            for k in range(comments_per_post):
                comment_id += 1
                parent = comment_id - 1 if k % 2 and k % 10 < 9 else 0
                kind = "pingback" if k % 10 == 9 else ""
                day = 1 + k % 28
                discussion.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author><![CDATA[Reader {rng.randint(1, 5000)}]]></wp:comment_author>"
                    f"<wp:comment_author_email>reader{k}@example.net</wp:comment_author_email>"
                    f"<wp:comment_author_url>https://reader{comment_id}.example.net/</wp:comment_author_url>"
                    f"<wp:comment_author_IP>192.0.2.{k % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date>2015-03-{day:02d} 10:00:00</wp:comment_date>"
                    f"<wp:comment_date_gmt>2015-03-{day:02d} 09:00:00</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[{' '.join(rng.choices(WORDS, k=25))}]]>"
                    "</wp:comment_content>"
                    f"<wp:comment_approved>{'1' if k % 7 else '0'}</wp:comment_approved>"
                    f"<wp:comment_type>{kind}</wp:comment_type>"
                    f"<wp:comment_parent>{parent if parent >= first else 0}</wp:comment_parent>"
                    "</wp:comment>"
                )
            year, month = 2005 + post_id % 15, 1 + post_id % 12
            out.write(
                f"<item><title>Post {post_id}: {rng.choice(WORDS)} and {rng.choice(WORDS)}</title>"
                f"<link>https://bench.example.org/?p={post_id}</link>"
                f"<dc:creator>author{1 + post_id % 5}</dc:creator>"
                f'<guid isPermaLink="false">https://bench.example.org/?p={post_id}</guid>'
                f"<content:encoded><![CDATA[{chr(10).join(paragraphs)}]]></content:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id>"
                f"<wp:post_date>{year}-{month:02d}-10 12:00:00</wp:post_date>"
                f"<wp:post_date_gmt>{year}-{month:02d}-10 11:00:00</wp:post_date_gmt>"
                f"<wp:post_name>post-{post_id}</wp:post_name><wp:status>publish</wp:status>"
                f"<wp:post_type>post</wp:post_type>{terms}{''.join(discussion)}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=int, default=10)
    parser.add_argument("--body-kb", type=int, default=1, help="size of each post's text")
    parser.add_argument("--batch", type=int, help="import with --batch ITEMS")
    parser.add_argument("--keep", action="store_true", help="keep the export and database")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DEBUG": "0", "SECRET_KEY": "import-bench", "ALLOWED_HOSTS": "localhost",
        "VAR_DIR": str(workdir), "DJANGO_SETTINGS_MODULE": "archive_site.settings",
    })
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from archive.report import ImportReport
    from archive.wxr_import import import_wxr

    try:
        call_command("migrate", verbosity=0)
        export = workdir / "bench.xml"
        started = time.perf_counter()
        write_export(export, posts=args.posts, comments_per_post=args.comments_per_post,
                     body_kb=args.body_kb, seed=1)
        print(f"generated {export.stat().st_size / 1e6:.0f} MB in "
              f"{time.perf_counter() - started:.1f} s: {args.posts:,} posts, "
              f"{args.posts * args.comments_per_post:,} comments")
        before = peak_rss_mb()
        report = ImportReport()
        started, cpu = time.perf_counter(), time.process_time()
        import_wxr(export, report=report, batch_size=args.batch)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(report.table())
        items = args.posts * (1 + args.comments_per_post)
        # CPU time too: on a busy machine the wall clock also counts other processes' turns.
        print(f"imported in {seconds:.1f} s, {cpu:.1f} s of CPU ({items / seconds:,.0f} posts and "
              f"comments/s); peak RSS {peak_rss_mb():.0f} MB (before the import: {before:.0f} MB)")
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
