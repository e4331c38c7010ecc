"""
Faults against the real services: the database or Redis goes away under a running server.

The tests start their own PostgreSQL cluster and Redis on free ports, so stopping them never
disturbs the rest of the suite, and run the production server (gunicorn) on top of them.
"""

import contextlib
import glob
import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests import require

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.faults


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, *, up=True, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.1)
    raise TimeoutError(f"port {port} did not come {'up' if up else 'down'}")


class PrivatePostgres:
    """A throwaway PostgreSQL cluster owned by the postgres user, on its own port."""

    def __init__(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        require(binaries and os.geteuid() == 0 and shutil.which("runuser"),
                "needs PostgreSQL's server binaries and root (to run them as postgres)")
        self.bin = Path(binaries[-1]).parent
        # Outside pytest's private temporary folders, which the postgres user cannot enter.
        self.data = Path(tempfile.mkdtemp(prefix="archive-site-faults-"))
        self.data.chmod(0o700)
        shutil.chown(self.data, "postgres", "postgres")
        self.port = free_port()
        self._as_postgres("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def _as_postgres(self, tool, *args):
        subprocess.run(["runuser", "-u", "postgres", "--", str(self.bin / tool), *args],
                       check=True, capture_output=True, timeout=120)

    def start(self):
        self._as_postgres("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "log"),
                          "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1",
                          "start")
        wait_for_port(self.port)

    def stop(self):
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self):
        shutil.rmtree(self.data, ignore_errors=True)

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


class PrivateRedis:
    def __init__(self):
        require(shutil.which("redis-server"), "needs redis-server")
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        wait_for_port(self.port, up=False)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


class Browser:
    """A plain HTTP client with cookies that does not follow redirects."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects())

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.monotonic()
        try:
            with self.opener.open(self.base + path, body, timeout=20) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        return status, text, time.monotonic() - started


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def services():
    postgres, redis = PrivatePostgres(), PrivateRedis()
    postgres.start()
    redis.start()
    yield postgres, redis
    for service in (postgres, redis):
        # Already stopped by the test, or gone with it.
        with contextlib.suppress(Exception):
            service.stop()
    postgres.remove()


@pytest.fixture
def server(services, tmp_path):
    postgres, redis = services
    port = free_port()
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1", "HTTPS": "0", "VAR_DIR": str(tmp_path),
           "DATABASE_URL": postgres.url, "REDIS_URL": redis.url, "LINKBACKS_SEND": "0",
           # A script sends the form at once; people take longer than the rule allows machines.
           "COMMENTS_MIN_SECONDS": "0"}
    for command in (["migrate", "--noinput"], ["import_seeds"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=300)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "archive_site.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    yield f"http://127.0.0.1:{port}", postgres, redis
    process.terminate()
    process.wait(10)


def comment_form(reader, path):
    status, page, _ = reader.request(path)
    assert status == 200
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return {**fields, "author_name": "Ann", "author_email": "ann@example.org",
            "author_url": "", "homepage": "", "body": "A comment that must not be lost."}


def test_database_down_answers_503_fast_and_the_server_recovers(server):
    base, postgres, _ = server
    reader = Browser(base)
    post_path = "/2007/10/21/on-stalin/"
    form = comment_form(reader, post_path)
    action = re.search(r'action="(/comments/post/\d+/)"', reader.request(post_path)[1]).group(1)

    postgres.stop()
    status, text, seconds = reader.request("/about-us/")
    assert status == 503 and "Back in a moment" in text
    assert seconds < 5
    status, text, _ = reader.request(action, form)
    assert status == 503
    assert "Your comment was not saved" in text
    assert "A comment that must not be lost." in text

    postgres.start()
    deadline = time.monotonic() + 20
    while (status := reader.request("/about-us/")[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert status == 200
    assert "A comment that must not be lost." not in reader.request(post_path)[1]


def test_redis_down_the_site_serves_uncached_and_limits_still_apply(server):
    base, _, redis = server
    reader = Browser(base)
    assert reader.request("/")[0] == 200

    redis.stop()
    status, text, seconds = reader.request("/about-us/")
    assert status == 200 and "About us" in text
    assert seconds < 5
    post_path = "/2007/10/21/on-stalin/"
    statuses = []
    for n in range(8):
        form = comment_form(reader, post_path)
        form["body"] = f"Comment number {n} while the cache is away."
        statuses.append(reader.request(re.search(
            r'action="(/comments/post/\d+/)"', reader.request(post_path)[1]).group(1), form)[0])
    # COMMENTS_RATE_LIMIT (5 per address) still holds, counted in the server process.
    assert statuses[:5] == [302] * 5 and 429 in statuses[5:]
    redis.start()
