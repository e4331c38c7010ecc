"""
The benchmark harness, run by `make bench` (docs/performance.md has the results and the method).

    .venv/bin/python bench/run.py [--duration 8] [--large-posts 100000] [--no-import]

On a dataset from `generate_demo` (10,000 posts, 100,000 comments, plus one post with exactly
200 comments), for SQLite and PostgreSQL, it serves the site with the production server
(gunicorn with archive_site/gunicorn.conf.py, 4 workers, on 127.0.0.1) and drives it with wrk
(2 threads, 8 connections; the post page also at 1 connection): home page, the 200-comment
post, a category, search, the feed and comment submission, each with the page cache off
("cold": fragments still cached in Redis) and on ("warm"). The same post page saved as a file
and served by nginx and by gunicorn with whitenoise gives the two ceilings every figure is
compared with; the documented nginx front (deploy/nginx.conf) is measured too, and so is each
app worker's memory after at least 10,000 requests. A second PostgreSQL database with 100,000
posts and 1,000,000 comments checks that the pages whose cost could grow with the archive do
not. bench/page_cpu.py adds each page's CPU time in one process, and bench/import_bench.py
import speed.

It needs wrk and nginx (Debian packages, installed when missing and running as root),
PostgreSQL on 127.0.0.1:5432 (BENCH_POSTGRES_URL; its rows read n/a without it) and Redis
(BENCH_REDIS_URL, a database of its own: it is flushed). Everything else lives in var/bench/.
"""

import argparse
import contextlib
import json
import logging
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, report, servers  # noqa: E402
from bench.report import Row  # noqa: E402

log = logging.getLogger("bench")

WORK = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "performance.md"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL",
                              "postgres://postgres@127.0.0.1:5432/archive_site_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
SECRET_KEY = "benchmark-only-" + "k" * 50
WORKERS = 4
COMMENT_FORM_WAIT = 3.5  # COMMENTS_MIN_SECONDS, and a little more
SCENARIOS = [("home page", "home"), ("post with 200 comments", "post"),
             ("category page", "category"), ("search", "search"), ("feed", "feed")]
POST = "post with 200 comments"
STATIC_WHITENOISE, STATIC_NGINX = report.WHITENOISE, report.NGINX


def python_env(**values) -> dict:
    """The environment for the site's processes: production settings, nothing inherited that
    would point them elsewhere."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(
        ("DATABASE_", "REDIS_", "PAGE_CACHE", "GUNICORN_", "WEB_CONCURRENCY", "BIND", "DJANGO_",
         "CACHE_KEY_PREFIX", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"))}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0", "SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
        "VAR_DIR": str(WORK / "var"), "STATIC_ROOT": str(WORK / "staticfiles"),
        "LINKBACKS_SEND": "0", "LOG_LEVEL": "WARNING", "PYTHONDONTWRITEBYTECODE": "1",
        **{k: str(v) for k, v in values.items()},
    }


def run(argv, *, env=None, timeout=3600, quiet=False) -> str:
    log.debug("$ %s", " ".join(map(str, argv)))
    result = subprocess.run(list(map(str, argv)), cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed:\n{result.stdout}\n{result.stderr}")
    if not quiet and result.stderr.strip():
        log.debug("%s", result.stderr.strip()[-2000:])
    return result.stdout


def ensure_tools():
    """wrk and nginx from Debian, when missing."""
    missing = [package for tool, package in (("wrk", "wrk"), ("nginx", "nginx-light"))
               if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists()]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"bench needs {', '.join(missing)}: apt-get install -y {' '.join(missing)}")
    log.info("installing %s", ", ".join(missing))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", *missing], env=env)


def postgres_available(url) -> bool:
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    try:
        psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                         password=parts.password, dbname="postgres", connect_timeout=3).close()
    except psycopg2.OperationalError as error:
        log.warning("PostgreSQL unreachable at %s: %s", parts.hostname, error)
        return False
    return True


def recreate_postgres(url):
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    connection = psycopg2.connect(host=parts.hostname, port=parts.port or 5432,
                                  user=parts.username, password=parts.password, dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        name = sql.Identifier(parts.path.lstrip("/"))
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    connection.close()


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def comment_form_fields(html: str) -> dict:
    """What comment.lua sends back from a post page: the form's address, CSRF field and signed
    timestamp."""
    return {
        "action": re.search(r'<form action="([^"]+)" method="post" id="commentform"', html)[1],
        "csrf": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1],
        "token": re.search(r'name="token" value="([^"]+)"', html)[1],
    }


class Bench:
    def __init__(self, options):
        self.options = options
        self.results = report.Results()
        self.served = 0
        self.static_page = WORK / "static" / "post.html"
        self.started = time.monotonic()
        self.user_line = "user root;" if os.geteuid() == 0 else ""
        self.ceilings = {}  # "nginx" and "whitenoise": their ports once running

    # --- steps ---------------------------------------------------------------------------

    def step(self, label, function, *args):
        started = time.monotonic()
        log.info("== %s", label)
        try:
            return function(*args)
        except Exception:
            log.exception("%s failed; the report marks what it could not measure", label)
            self.results.checks.append((label, False, "failed, see the log above"))
            return None
        finally:
            self.results.steps.append((label, time.monotonic() - started))

    def main(self):
        ensure_tools()
        try:
            flush_redis()
        except Exception as error:
            raise SystemExit(f"bench needs Redis at {REDIS_URL} (BENCH_REDIS_URL): {error}") from error
        for folder in ("static", "var", "staticfiles"):
            (WORK / folder).mkdir(parents=True, exist_ok=True)
        self.static_page.unlink(missing_ok=True)  # saved again from this run's app
        self.environment()
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=python_env(DATABASE_URL=f"sqlite:///{WORK / 'static.db'}"))
        self.results.commands.append(
            "DJANGO_SETTINGS_MODULE=bench.settings DEBUG=0 WEB_CONCURRENCY=4 GUNICORN_MAX_REQUESTS=0 "
            "PAGE_CACHE_SECONDS=0|300 REDIS_URL=redis://… gunicorn -c archive_site/gunicorn.conf.py")
        databases = [("SQLite", f"sqlite:///{WORK / 'sqlite.db'}")]
        # The front is measured with the production layout behind it, PostgreSQL if present.
        self.front_database = "SQLite"
        if postgres_available(POSTGRES_URL):
            databases.append(("PostgreSQL", POSTGRES_URL))
            self.front_database = "PostgreSQL"
        else:
            self.results.rows.append(Row("all scenarios", "PostgreSQL", "", None,
                                         f"no PostgreSQL at {POSTGRES_URL}"))
        with contextlib.ExitStack() as self.stack:
            self.run_databases(databases)
        if self.options.imports:
            self.step("import speed", self.run_imports)
        self.finish()

    def run_databases(self, databases):
        for label, url in databases:
            info = self.step(f"dataset, {label}", self.build_dataset, label, url,
                             self.options.posts, self.options.comments)
            if info is None:
                continue
            # Before any server starts: it flushes the benchmark's Redis database.
            self.step(f"{label}, CPU per page", self.run_page_cpu, label, url, info)
            self.step(f"{label}, page cache off", self.run_app, label, url, info, False)
            if label == "SQLite":
                self.step("static ceilings", self.run_ceilings)
            self.step(f"{label}, page cache on", self.run_app, label, url, info, True)
        if self.options.large_posts and len(databases) > 1:
            url = POSTGRES_URL + "_large"
            label = f"PostgreSQL, {self.options.large_posts:,} posts"
            info = self.step(f"dataset, {label}", self.build_dataset, label, url,
                             self.options.large_posts, self.options.large_posts * 10, False)
            if info:
                self.step(f"{label}, page cache off", self.run_app, label, url, info, False,
                          False)

    def environment(self):
        env = self.results.environment
        env["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
        env["CPU"] = f"{os.cpu_count()} × {cpu[1] if cpu else platform.processor()}"
        memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        env["RAM"] = f"{int(memory[1]) / 1024 / 1024:.0f} GB" if memory else "?"
        env["load before the run"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        env["Python"] = platform.python_version()
        versions = run([sys.executable, "-c", "import django, gunicorn, sqlite3; print("
                        "django.get_version(), gunicorn.__version__, sqlite3.sqlite_version)"])
        env["Django"], env["gunicorn"], env["SQLite"] = versions.split()
        nginx = subprocess.run([shutil.which("nginx") or "/usr/sbin/nginx", "-v"],
                               capture_output=True, text=True, check=False)
        env["nginx"] = nginx.stderr.strip().rsplit("/", 1)[-1]
        wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        env["wrk"] = (wrk.stdout or wrk.stderr).split()[1] if (wrk.stdout or wrk.stderr) else "?"

    def build_dataset(self, label, url, posts, comments, search_index=True) -> dict:
        env = python_env(DATABASE_URL=url, REDIS_URL="", PAGE_CACHE_SECONDS=0)
        if url.startswith("sqlite"):
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        else:
            recreate_postgres(url)
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env)
        output = run([sys.executable, "-m", "bench.dataset", "--posts", posts, "--comments",
                      comments, "--seed", 1, *([] if search_index else ["--no-search-index"])],
                     env=env, timeout=3 * 3600)
        info = json.loads(output.strip().splitlines()[-1])
        self.results.datasets[label] = info
        shown = url.replace(f"{ROOT}/", "")  # relative to the checkout, wherever it is
        self.results.commands.append(
            f"DATABASE_URL={shown} python manage.py migrate && python -m bench.dataset "
            f"--posts {posts} --comments {comments} --seed 1   # generate_demo + the 200-comment post")
        # Pages readers browse: lists, posts, feeds. Search and deep paging have rows of their own.
        mix = [path for key, path in info["urls"].items() if key != "search" and path != "n/a"]
        (WORK / f"mix-{label.split(',')[0]}.txt").write_text(
            "\n".join(mix + info["sample_urls"] + ["/page/2/", "/page/3/"]) + "\n")
        log.info("%s: %s", label, {k: v for k, v in info.items() if k != "sample_urls"})
        return info

    def run_page_cpu(self, label, url, info):
        urls = info["urls"]
        paths = [urls["home"], urls["post"], urls["category"], info["last_home_page"], urls["feed"]]
        self.results.page_cpu[label] = run(
            [sys.executable, "bench/page_cpu.py", *paths], env=python_env(DATABASE_URL=url),
            quiet=True)
        self.results.commands.append(
            "DATABASE_URL=… .venv/bin/python bench/page_cpu.py PATH …   # CPU per page, one process")

    # --- the app ---------------------------------------------------------------------------

    def app_env(self, label, url, warm):
        return python_env(
            DATABASE_URL=url, REDIS_URL=REDIS_URL, PAGE_CACHE_SECONDS=300 if warm else 0,
            CACHE_KEY_PREFIX=f"bench-{re.sub(r'[^a-z0-9]+', '-', label.lower())}",
            WEB_CONCURRENCY=WORKERS, GUNICORN_ACCESS_LOG="/dev/null",
            # Workers are not recycled during the run, so that their memory shows any growth.
            GUNICORN_MAX_REQUESTS=0,
        )

    def run_app(self, label, url, info, warm, full=True):
        """All scenarios against one server; `full=False` keeps to the pages whose cost could
        grow with the archive (the large dataset's run)."""
        flush_redis()
        cache = "warm" if warm else "cold"
        port = servers.free_port()
        self.served = 0
        name = f"app-{re.sub(r'[^a-z0-9]+', '-', label.lower())}-{cache}"
        with servers.gunicorn(name, port=port, env=self.app_env(label, url, warm),
                              log_dir=WORK) as app:
            urls = self.available(port, info, label, cache)
            if warm:
                self.prime(port, urls)
            if not self.static_page.exists():
                self.static_page.write_bytes(servers.fetch(port, info["urls"]["post"]).body)
            runs = defaultdict(list)
            for _ in range(self.options.passes):
                for scenario, key in SCENARIOS:
                    if key in urls and (full or key in ("home", "post", "category")):
                        runs[scenario].append(self.measure(port, urls[key]))
                    if key == "post" and warm and "whitenoise" in self.ceilings:
                        runs[STATIC_WHITENOISE].append(self.measure_ceiling("whitenoise"))
                runs[f"{POST}, 1 connection"].append(
                    self.measure(port, urls["post"], connections=1))
            for scenario, measures in runs.items():
                if scenario == STATIC_WHITENOISE:
                    self.add_best(f"{scenario}, beside", label, "static", measures)
                else:
                    self.add_best(scenario, label, cache, measures)
            if not warm:
                self.add("home page, last page", label, cache,
                         self.measure(port, info["last_home_page"]), note=info["last_home_page"])
            if not full:
                return
            self.measure_comments(port, info, label, cache)
            if warm and label == self.front_database:
                self.step(f"nginx front, {label}", self.run_front, port, info, label)
            self.measure_memory(app, port, f"app workers, {label}, page cache {'on' if warm else 'off'}",
                                label)

    def available(self, port, info, label, cache) -> dict:
        """The scenario addresses that answer 200; the others are reported as n/a."""
        urls = {}
        for scenario, key in SCENARIOS:
            path = info["urls"].get(key, "n/a")
            status = servers.fetch(port, path).status if path != "n/a" else None
            if status == 200:
                urls[key] = path
            else:
                self.add(scenario, label, cache, None,
                         note=f"{path} answered {status}" if status else "not measured")
        return urls

    def prime(self, port, urls):
        for key, path in urls.items():
            servers.fetch(port, path)
            cached = servers.fetch(port, path).header("X-Page-Cache")
            if key != "search":  # search results are never stored
                self.results.checks.append((f"warm {key} page served from the page cache",
                                            cached == "hit", f"X-Page-Cache: {cached}"))

    def measure(self, port, path, *, connections=8, script=None, args=(), warmup=True, headers=()):
        url = f"http://127.0.0.1:{port}{path}"
        threads = 1 if connections == 1 else 2
        if warmup and self.options.warmup:
            self.served += load.wrk(url, seconds=self.options.warmup, connections=connections,
                                    threads=threads, headers=headers).requests
        measure = load.wrk(url, seconds=self.options.duration, connections=connections,
                           threads=threads, script=script, args=args, headers=headers)
        self.served += measure.requests
        self.drain(port)
        log.info("  %s: %.0f req/s, p50 %s ms, p99 %s ms, %d failures", path, measure.rps,
                 measure.p50, measure.p99, measure.failures)
        return measure

    @staticmethod
    def drain(port, timeout=120):
        """Wait until requests wrk gave up on have been answered, so that they do not slow the
        next scenario down: until a trivial request is answered at once again."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                servers.fetch(port, "/healthz", timeout=timeout)
            except OSError:
                return
            if time.monotonic() - started < 0.05:
                return
            time.sleep(0.5)

    def add(self, scenario, database, cache, measure, note=""):
        self.results.rows.append(Row(scenario, database, cache, measure, note))

    def add_best(self, scenario, database, cache, measures):
        """The best of a scenario's passes, with every pass in the note: other jobs on the
        machine take a share that moves from one minute to the next."""
        best = max(measures, key=lambda measure: measure.rps)
        note = ("passes: " + ", ".join(f"{m.rps:,.0f}" for m in measures) + " req/s"
                if len(measures) > 1 else "")
        self.add(scenario, database, cache, best, note=note)

    def measure_comments(self, port, info, label, cache, scenario="comment submission"):
        """POSTs of the real form, with the cookie, CSRF token and signed timestamp a reader's
        browser would have from loading the page."""
        form = self.comment_form(port, info["urls"]["post"])
        time.sleep(COMMENT_FORM_WAIT)
        args = (form["action"], form["cookie"], form["csrf"], urllib.parse.quote(form["token"], safe=""),
                f"{int(time.time())}{cache[0]}")
        measure = self.measure(port, form["action"], script="comment.lua", args=args, warmup=False)
        others = {code: n for code, n in measure.statuses.items() if code != "302"}
        note = "each a 302 to the post, comment held for moderation" if not others else (
            "answers other than 302: " + ", ".join(f"{n:,} × {code}" for code, n in others.items()))
        self.add(scenario, label, cache, measure, note=note)

    @staticmethod
    def comment_form(port, path, cookies=None) -> dict:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        page = servers.fetch(port, path, headers=headers)
        return {"page": page, **comment_form_fields(page.text),
                "cookie": page.cookies().get("csrftoken") or (cookies or {}).get("csrftoken")}

    def measure_memory(self, app, port, label, database):
        """RSS and PSS of each worker once the server has answered at least --memory-requests
        requests (or after --memory-seconds of topping up, whichever comes first), the last
        ones a mix of a hundred-odd different pages."""
        mix = WORK / f"mix-{database.split(',')[0]}.txt"
        deadline = time.monotonic() + self.options.memory_seconds
        while True:
            measure = load.wrk(f"http://127.0.0.1:{port}/", seconds=10, script="mix.lua",
                               args=(str(mix),))
            self.served += measure.requests
            if self.served >= self.options.memory_requests or time.monotonic() > deadline:
                break
        self.drain(port)
        workers = [servers.memory_of(pid) for pid in app.worker_pids()]
        self.results.memory.append((label, self.served, workers))
        log.info("  memory after %d requests: %s", self.served, workers)

    # --- ceilings and the front ---------------------------------------------------------------

    def run_ceilings(self):
        port = servers.free_port()
        config = (ROOT / "bench/nginx/static.conf.template").read_text().format(
            workers=WORKERS, work=WORK, user=self.user_line, port=port,
            static_root=self.static_page.parent)
        # Both stay up, idle, until the end, to be measured again beside the figures compared
        # with them (measure_ceiling): the shared machine's load moves within a run.
        self.stack.enter_context(servers.nginx("nginx-static", port=port, config_text=config,
                                               work=WORK, ready_path="/post.html"))
        self.ceilings["nginx"] = port
        self.add(STATIC_NGINX, "", "static", self.measure(port, "/post.html"))
        self.add("post page, static copy: nginx, Connection: close", "", "static",
                 self.measure(port, "/post.html", headers=("Connection: close",)))
        port = servers.free_port()
        env = {**os.environ, "BENCH_STATIC_ROOT": str(self.static_page.parent),
               "WEB_CONCURRENCY": str(WORKERS), "GUNICORN_ACCESS_LOG": "/dev/null",
               "GUNICORN_MAX_REQUESTS": "0"}
        self.stack.enter_context(servers.gunicorn(
            "static-whitenoise", port=port, env=env, log_dir=WORK,
            app="bench.static_app:application", ready_path="/post.html"))
        self.ceilings["whitenoise"] = port
        self.add(STATIC_WHITENOISE, "", "static", self.measure(port, "/post.html"))
        self.results.commands.append(
            "nginx -c bench/nginx/static.conf.template (filled in)   # 4 workers, sendfile\n"
            "BENCH_STATIC_ROOT=var/bench/static gunicorn -c archive_site/gunicorn.conf.py "
            "bench.static_app:application")

    def measure_ceiling(self, kind):
        served = self.served  # not the app's requests
        measure = self.measure(self.ceilings[kind], "/post.html")
        self.served = served
        return measure

    def run_front(self, app_port, info, label):
        port = servers.free_port()
        config = (ROOT / "bench/nginx/front.conf.template").read_text().format(
            workers=WORKERS, work=WORK, user=self.user_line, port=port, app_port=app_port,
            deploy=ROOT / "deploy" / "nginx", static_files=WORK / "staticfiles")
        shutil.rmtree(WORK / "nginx-cache", ignore_errors=True)
        with servers.nginx("nginx-front", port=port, config_text=config, work=WORK):
            self.check_front(port, info)
            served = self.served  # nginx answers these pages, not the app's workers
            runs = defaultdict(list)
            for _ in range(self.options.passes):
                if "nginx" in self.ceilings:
                    runs[STATIC_NGINX].append(self.measure_ceiling("nginx"))
                for scenario, key in (("home page", "home"), (POST, "post")):
                    servers.fetch(port, info["urls"][key])
                    runs[scenario].append(self.measure(port, info["urls"][key]))
            self.served = served
            self.add_best(f"{STATIC_NGINX}, beside", label, "static", runs.pop(STATIC_NGINX, []))
            for scenario, key in (("home page", "home"), (POST, "post")):
                self.add_best(scenario, label, "nginx front", runs[scenario])
                cached = servers.fetch(port, info["urls"][key]).header("X-Front-Cache")
                # STALE and UPDATING are nginx's copy too, served while it fetches a fresh one
                # (proxy_cache_background_update) once the copy's two seconds are up.
                self.results.checks.append((f"nginx front: {scenario} answered from its cache",
                                            cached in {"HIT", "STALE", "UPDATING"},
                                            f"X-Front-Cache: {cached}"))
            self.measure_comments(port, info, label, "nginx front",
                                  scenario="comment submission, from an nginx-cached page")
        self.results.commands.append(
            "nginx -c bench/nginx/front.conf.template (filled in)   # includes deploy/nginx/*.conf")

    def check_front(self, port, info):
        """A reader of an nginx-cached page gets their own CSRF token, and can comment."""
        path = info["urls"]["post"]
        first = self.comment_form(port, path)
        mine = first["cookie"]
        again = self.comment_form(port, path, cookies={"csrftoken": mine})
        other = self.comment_form(port, path)
        checks = self.results.checks
        checks.append(("nginx front: a reader without a CSRF cookie gets one, matching the form",
                       bool(mine) and first["csrf"] == mine, f"cookie {bool(mine)}"))
        checks.append(("nginx front: a cached page carries the reader's own token",
                       again["page"].header("X-Front-Cache") == "HIT" and again["csrf"] == mine
                       and not again["page"].cookies(),
                       f"X-Front-Cache: {again['page'].header('X-Front-Cache')}"))
        checks.append(("nginx front: another reader gets another token, never the first one's",
                       other["cookie"] not in (None, mine) and mine not in other["page"].text, ""))
        time.sleep(COMMENT_FORM_WAIT)
        body = urllib.parse.urlencode({
            "author_name": "Front Reader", "author_email": "front@example.invalid",
            "author_url": "", "body": f"Sent from an nginx-cached page at {time.time()}",
            "parent": "", "homepage": "", "csrfmiddlewaretoken": again["csrf"],
            "token": again["token"]})
        sent = servers.fetch(port, again["action"], method="POST", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={mine}"})
        checks.append(("nginx front: a comment sent from a cached page is taken",
                       sent.status == 302, f"answer {sent.status}"))

    # --- import speed and the report -------------------------------------------------------

    def run_imports(self):
        outputs = [run([sys.executable, "bench/import_bench.py"], env=python_env(), timeout=1800)
                   for _ in range(self.options.passes)]
        seconds = [float(re.search(r"imported in ([\d.]+) s", output)[1]) for output in outputs]
        fastest = outputs[seconds.index(min(seconds))]
        passes = ", ".join(f"{s:.1f} s" for s in seconds)
        self.results.imports = f"{fastest.rstrip()}\n(the faster of {len(outputs)} passes: {passes})"
        self.results.import_seconds = min(seconds)
        self.results.commands.append(".venv/bin/python bench/import_bench.py")

    def finish(self):
        total = time.monotonic() - self.started
        self.results.environment["total"] = f"{total / 60:.1f} minutes"
        self.results.commands.insert(0, "make bench   # = .venv/bin/python bench/run.py "
                                     + " ".join(sys.argv[1:]))
        self.results.commands.append(
            f"wrk -t2 -c8 -d{self.options.duration}s --latency --timeout 10s URL   "
            f"# after a {self.options.warmup} s warm-up; -t1 -c1 for the 1-connection row; "
            "-s bench/wrk/comment.lua for comments")
        generated = report.render(self.results)
        print(generated)
        if self.options.write:
            report.write(DOC, generated)
            log.info("results written to %s", DOC.relative_to(ROOT))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per figure")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each")
    parser.add_argument("--passes", type=int, default=2,
                        help="times each page is measured, in turn; the best is reported")
    parser.add_argument("--memory-requests", type=int, default=10_000)
    parser.add_argument("--memory-seconds", type=int, default=90,
                        help="most seconds spent topping up to --memory-requests")
    parser.add_argument("--large-posts", type=int, default=100_000,
                        help="also measure PostgreSQL with this many posts, page cache off "
                             "(0: skip; about 4 minutes at 100,000)")
    parser.add_argument("--no-import", dest="imports", action="store_false")
    parser.add_argument("--no-write", dest="write", action="store_false",
                        help="print the report without writing docs/performance.md")
    parser.add_argument("-v", "--verbose", action="store_true")
    options = parser.parse_args(argv)
    # Stopped from outside: unwind, so that every server started is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    logging.basicConfig(level=logging.DEBUG if options.verbose else logging.INFO,
                        format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr)
    Bench(options).main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
