"""
What serving one cached page can cost at the least, under the site's gunicorn configuration:
the numbers behind putting the page cache in front of Django (archive_site/page_cache.py).

    .venv/bin/python bench/floors.py [--page var/bench/static/post.html] [--duration 6]

Each of these serves the same saved page (by default the 200-comment post bench/run.py saved),
measured in turn with wrk, twice, alternating, so that the machine's other work falls on all:

- whitenoise serving it as a file (bench/static_app.py): the issue's ceiling;
- a WSGI function returning it from memory;
- the same, after one Redis GET, as a hit that asked Redis for the generation would;
- a Django view returning it, with no middleware at all.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, servers  # noqa: E402

PAGE = ROOT / "var" / "bench" / "static" / "post.html"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
SERVERS = {
    "whitenoise, as a file": "bench.static_app:application",
    "WSGI function, from memory": "bench.floors:from_memory",
    "WSGI function, from memory after a Redis GET": "bench.floors:after_redis_get",
    "Django view, no middleware": "bench.floors:django_view",
}


def _page():
    return Path(os.environ["BENCH_FLOOR_PAGE"]).read_bytes()


def _answer(start_response, body):
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", str(len(body)))])
    return [body]


def _from_memory():
    body = _page()
    return lambda environ, start_response: _answer(start_response, body)


def _after_redis_get():
    import redis

    body, client = _page(), redis.Redis.from_url(REDIS_URL)

    def application(environ, start_response):
        client.get("bench:floor:generation")
        return _answer(start_response, body)

    return application


def _django_view():
    from django.conf import settings

    settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, MIDDLEWARE=[],
                       SECRET_KEY="benchmark-only-" + "k" * 50)
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpResponse
    from django.urls import re_path

    body = _page()
    globals()["urlpatterns"] = [re_path(r"", lambda request: HttpResponse(body))]
    return get_wsgi_application()


# gunicorn imports this module by name and takes one of these; only that one is built.
def __getattr__(name):
    builders = {"from_memory": _from_memory, "after_redis_get": _after_redis_get,
                "django_view": _django_view}
    if name not in builders:
        raise AttributeError(name)
    globals()[name] = application = builders[name]()
    return application


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", type=Path, default=PAGE)
    parser.add_argument("--duration", type=int, default=6)
    options = parser.parse_args(argv)
    if not options.page.exists():
        raise SystemExit(f"{options.page} is missing: run make bench first, or name a page")
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "BENCH_FLOOR_PAGE": str(options.page.resolve()),
           "BENCH_STATIC_ROOT": str(options.page.resolve().parent), "WEB_CONCURRENCY": "4",
           "GUNICORN_ACCESS_LOG": "/dev/null", "GUNICORN_MAX_REQUESTS": "0"}
    results = {label: [] for label in SERVERS}
    for _round in range(2):
        for label, app in SERVERS.items():
            port = servers.free_port()
            with servers.gunicorn(label, port=port, env=env, log_dir=work, app=app,
                                  ready_path=f"/{options.page.name}"):
                url = f"http://127.0.0.1:{port}/{options.page.name}"
                load.wrk(url, seconds=2)
                results[label].append(load.wrk(url, seconds=options.duration).rps)
    ceiling = sum(results["whitenoise, as a file"])
    print("| server | req/s, each run | share of whitenoise |")
    print("| --- | --- | ---: |")
    for label, runs in results.items():
        print(f"| {label} | {', '.join(f'{rps:,.0f}' for rps in runs)} "
              f"| {sum(runs) / ceiling:.0%} |")


if __name__ == "__main__":
    main()
