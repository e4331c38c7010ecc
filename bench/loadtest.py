"""
`make loadtest`: readers and commenters at once against the production server, then a check
that nothing was lost.

For a bounded time (60 s by default) 50 readers walk the site and 20 commenters each send
unique comments through the real form. Afterwards: no 5xx at all, every accepted comment (302)
is in the database exactly once, and no refused one is. Runs on a scratch SQLite file or a
scratch PostgreSQL database; figures go to docs/reliability.md.

    python bench/loadtest.py --database sqlite --seconds 60
"""

import argparse
import collections
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import ROOT, fetch, free_port, gunicorn

REPORT = ROOT / "docs" / "reliability.md"
READER_PATHS = ["/", "/page/2/", "/about-us/", "/2007/10/21/on-stalin/", "/category/history/",
                "/2007/10/", "/search/?q=Stalin", "/feed/", "/comments/feed/"]
COMMENT_POST = "/2007/10/21/on-stalin/"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
ACTION = re.compile(r'action="(/comments/post/\d+/)"')


def scratch_database(kind, work):
    if kind == "sqlite":
        return f"sqlite:///{work}/loadtest.sqlite3", lambda: None
    name = f"archive_site_loadtest_{secrets.token_hex(4)}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True)
    return (f"postgres://postgres@127.0.0.1:5432/{name}",
            lambda: subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                                   check=False))


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.latencies = []
        self.accepted, self.refused = [], []

    def record(self, status, seconds):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)


def reader(port, deadline, tally):
    rng = random.Random()
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status = fetch(port, rng.choice(READER_PATHS), timeout=30).status
        except OSError:
            status = "connection error"
        tally.record(status, time.monotonic() - started)


def commenter(port, deadline, tally, number):
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            page = fetch(port, COMMENT_POST, timeout=30)
            tally.record(page.status, time.monotonic() - started)
            fields = dict(HIDDEN.findall(page.text))
            marker = f"loadtest-{uuid.uuid4()}"
            fields.update(author_name=f"Load tester {number}",
                          author_email=f"tester{number}@example.org", author_url="",
                          homepage="", body=f"A unique comment, {marker}.")
            cookie = "; ".join(f"{k}={v}" for k, v in page.cookies().items())
            started = time.monotonic()
            reply = fetch(port, ACTION.search(page.text).group(1), method="POST",
                          body=urllib.parse.urlencode(fields),
                          headers={"Content-Type": "application/x-www-form-urlencoded",
                                   "Cookie": cookie, "Referer": f"http://127.0.0.1:{port}/"},
                          timeout=30)
            status = reply.status
        except OSError:
            status, marker = "connection error", None
        tally.record(status, time.monotonic() - started)
        if marker:
            with tally.lock:
                (tally.accepted if status in (302, 201) else tally.refused).append(marker)


def stored_markers(env):
    code = ("import json; from comments.models import Comment; "
            "print(json.dumps(list(Comment.objects.filter(body__contains='loadtest-')"
            ".values_list('body', flat=True))))")
    bodies = json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])
    return collections.Counter(re.search(r"loadtest-[0-9a-f-]+", body).group(0) for body in bodies)


def run(kind, *, seconds, readers, commenters):
    with tempfile.TemporaryDirectory() as work:
        url, drop = scratch_database(kind, work)
        env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
               "ALLOWED_HOSTS": "127.0.0.1", "HTTPS": "0", "VAR_DIR": work, "DATABASE_URL": url,
               "REDIS_URL": os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/12"),
               "CACHE_KEY_PREFIX": f"loadtest-{secrets.token_hex(4)}",
               # Every commenter comes from 127.0.0.1 and sends the form at once.
               "COMMENTS_MIN_SECONDS": "0", "COMMENTS_RATE_LIMIT": "100000000",
               "LINKBACKS_SEND": "0", "WEB_CONCURRENCY": "4", "GUNICORN_ACCESS_LOG": "/dev/null"}
        try:
            for command in (["migrate", "--noinput"], ["import_seeds"],
                            ["generate_demo", "--posts", "300", "--comments", "3000"],
                            ["collectstatic", "--noinput"]):
                manage(env, *command)
            tally = Tally()
            port = free_port()
            with gunicorn("loadtest", port=port, env=env, log_dir=Path(work)):
                deadline = time.monotonic() + seconds
                threads = [threading.Thread(target=reader, args=(port, deadline, tally))
                           for _ in range(readers)]
                threads += [threading.Thread(target=commenter, args=(port, deadline, tally, n))
                            for n in range(commenters)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            stored = stored_markers(env)
        finally:
            drop()
    return summarise(kind, tally, stored, seconds=seconds, readers=readers, commenters=commenters)


def summarise(kind, tally, stored, **shape):
    server_errors = sum(n for status, n in tally.statuses.items()
                        if not isinstance(status, int) or status >= 500)
    lost = [m for m in tally.accepted if stored[m] == 0]
    duplicated = [m for m in tally.accepted if stored[m] > 1]
    stored_refused = [m for m in tally.refused if stored[m]]
    latencies = sorted(tally.latencies)
    return {
        "database": kind, **shape, "requests": sum(tally.statuses.values()),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items(), key=str)},
        "server_errors": server_errors, "comments_accepted": len(tally.accepted),
        "comments_refused": len(tally.refused), "lost": len(lost), "duplicated": len(duplicated),
        "refused_but_stored": len(stored_refused),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
        "passed": server_errors == 0 and not lost and not duplicated and not stored_refused,
    }


def write_report(results, command):
    rows = "\n".join(
        f"| {r['database']} | {r['seconds']} s | {r['readers']} + {r['commenters']} | "
        f"{r['requests']} | {r['server_errors']} | {r['comments_accepted']} | "
        f"{r['comments_refused']} | {r['lost']} | {r['duplicated']} | {r['refused_but_stored']} | "
        f"{r['p50_ms']} | {r['p99_ms']} | {'yes' if r['passed'] else 'NO'} |"
        for r in results)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        "# Reliability under load\n\n"
        "Written by `make loadtest` (bench/loadtest.py): the production server (gunicorn, "
        "4 workers) on a scratch database, readers and commenters at once for a fixed time, "
        "then every comment the server accepted is looked up in the database.\n\n"
        f"Command: `{command}`\n\n"
        "| database | time | readers + commenters | requests | 5xx | comments accepted | "
        "refused | lost | duplicated | refused but stored | p50 ms | p99 ms | passed |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        f"{rows}\n\nStatuses seen:\n\n"
        + "\n".join(f"- {r['database']}: {r['statuses']}" for r in results) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], action="append")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--commenters", type=int, default=20)
    options = parser.parse_args()
    results = [run(kind, seconds=options.seconds, readers=options.readers,
                   commenters=options.commenters)
               for kind in options.database or ["sqlite", "postgres"]]
    write_report(results, "python bench/loadtest.py " + " ".join(sys.argv[1:]))
    print(json.dumps(results, indent=2))
    return 0 if all(r["passed"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
