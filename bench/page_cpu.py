"""
CPU time per page, in one process: what each page costs the app itself, without the noise that
other work on a shared machine puts into requests per second. docs/performance.md quotes it.

    DATABASE_URL=sqlite:///var/bench/sqlite.db .venv/bin/python bench/page_cpu.py [PATH ...]

On a database that bench/dataset.py filled (make bench leaves one in var/bench/), with
production settings (bench.settings, DEBUG off) and Redis as the cache (BENCH_REDIS_URL, a
database of its own, flushed), it asks for each page a few times to warm the fragments, then
times --repeats more: page cache off, through Django's test client (the whole middleware stack),
and a page-cache hit, through the WSGI application as gunicorn calls it. It prints CPU and wall
milliseconds and the number of queries of each, as a Markdown table (make bench puts it into
docs/performance.md).
"""

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["/", "/2010/06/15/benchmark-post-with-200-comments/", "/category/topic-1-0-0/",
         "/page/1001/", "/feed/"]


def configure():
    work = ROOT / "var" / "bench"
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "k" * 50, "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0", "LOG_LEVEL": "WARNING",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
        "CACHE_KEY_PREFIX": "bench-page-cpu", "VAR_DIR": str(work / "var"),
        "STATIC_ROOT": str(work / "staticfiles"), "LINKBACKS_SEND": "0",
    })
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # Production storage needs its manifest; make bench has collected the files already.
    if not Path(settings.STATIC_ROOT, "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)


def timed(call, repeats):
    """(CPU ms, wall ms) per call."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeats):
        call()
    return ((time.process_time() - cpu) / repeats * 1000,
            (time.perf_counter() - wall) / repeats * 1000)


def queries_of(call):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with contextlib.ExitStack() as stack:
        captured = [stack.enter_context(CaptureQueriesContext(c)) for c in connections.all()]
        call()
    return sum(len(c.captured_queries) for c in captured)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=PAGES)
    parser.add_argument("--repeats", type=int, default=50)
    options = parser.parse_args(argv)
    configure()

    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client, RequestFactory, override_settings

    from archive_site.wsgi import application

    cache.clear()
    client = Client()
    print("| page | page cache off: CPU ms | wall ms | queries | page-cache hit: CPU ms | queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for path in options.paths:
        with override_settings(PAGE_CACHE_SECONDS=0):
            def get(path=path):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            for _ in range(3):
                get()
            cpu, wall = timed(get, options.repeats)
            queries = queries_of(get)
        environ = RequestFactory().get(path).environ

        def hit(environ=environ, path=path):
            body = application(dict(environ), lambda status, headers, exc_info=None: None)
            assert body, path

        hit()
        time.sleep(0.1)  # the generation's announcement channel subscribes in the background
        hit_cpu, _ = timed(hit, options.repeats * 20)
        print(f"| `{path}` | {cpu:.2f} | {wall:.2f} | {queries} | {hit_cpu:.3f} | {queries_of(hit)} |")
    assert settings.PAGE_CACHE_SECONDS, "the hits above were served with the page cache on"


if __name__ == "__main__":
    main()
