"""
The app keeps no state of its own: two app servers sharing PostgreSQL and Redis are one site.

The two-server test starts real gunicorn processes (production settings, DEBUG off) on a
PostgreSQL database and a Redis database of their own, created here and removed afterwards. It
runs whenever the suite runs on PostgreSQL, and fails, never skips, when Redis cannot be reached.
The settings tests read settings.py afresh with a given environment, on any database.
"""

import json
import os
import re
import runpy
import secrets
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench import servers

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "archive_site" / "settings.py"
REDIS_DB = 7  # tests use 8-15 (tests/conftest.py), the benchmark 6
PASSWORD = "correct horse battery staple"

SETUP = """
import json
from django.contrib.auth import get_user_model
from comments.models import Comment
from posts.models import Post
from django.utils import timezone
get_user_model().objects.create_superuser("moderator", "moderator@example.org", {password!r})
post = Post.objects.create(title="Shared beans", slug="shared-beans", body="Sown on node A.",
                           status="published", published_at=timezone.now())
comment = Comment.objects.create(post=post, author_name="Ann", author_email="ann@example.org",
                                 body="Approved on node B.", status="pending")
print(json.dumps({{"url": post.get_absolute_url(), "comment": comment.pk}}))
"""


def read_settings(monkeypatch, tmp_path, **environment):
    """settings.py's values for this environment, without touching the running settings."""
    for name in ("REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "DATABASE_REPLICA_URLS", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("STATIC_ROOT", str(tmp_path / "static"))
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_sessions_are_shared_through_the_database_and_redis(monkeypatch, tmp_path):
    shared = read_settings(monkeypatch, tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    assert shared["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    # Without Redis, Django's default: sessions in the database, which every node shares.
    assert "SESSION_ENGINE" not in read_settings(monkeypatch, tmp_path)


def test_media_goes_to_object_storage_once_a_bucket_is_named(monkeypatch, tmp_path):
    local = read_settings(monkeypatch, tmp_path)
    assert local["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")

    remote = read_settings(monkeypatch, tmp_path, AWS_STORAGE_BUCKET_NAME="archive-media",
                           AWS_S3_ENDPOINT_URL="https://s3.example.org",
                           AWS_S3_CUSTOM_DOMAIN="media.example.org")
    storage = remote["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "archive-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["custom_domain"] == "media.example.org"
    assert storage["OPTIONS"]["querystring_auth"] is False


# --- two app servers --------------------------------------------------------------------------

def postgres_url(name):
    db = settings.DATABASES["default"]
    credentials = urllib.parse.quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"])
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{name}"


def admin_sql(statement):
    """Run CREATE/DROP DATABASE on the server the test database lives on."""
    import psycopg2

    db = settings.DATABASES["default"]
    admin = psycopg2.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"],
                             password=db["PASSWORD"] or None, dbname="postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(statement)
    finally:
        admin.close()


@pytest.fixture
def shared_services(tmp_path):
    """A new PostgreSQL database, migrated, and a key prefix in a Redis database of our own."""
    if connection.vendor != "postgresql":
        pytest.skip("two app servers need a shared PostgreSQL; this run uses " + connection.vendor)
    import redis

    base = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0]
    redis_url = f"{base}/{REDIS_DB}"
    store = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    store.ping()  # no Redis is a failure here, not a reason to skip
    name = f"archive_site_stateless_{secrets.token_hex(4)}"
    prefix = f"stateless-{secrets.token_hex(4)}"
    admin_sql(f'CREATE DATABASE "{name}"')
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "archive_site.settings", "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": postgres_url(name), "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix, "PAGE_CACHE_SECONDS": "300", "VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"), "LINKBACKS_SEND": "0", "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2", "GUNICORN_ACCESS_LOG": "/dev/null", "LOG_LEVEL": "WARNING",
    }
    try:
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            manage(env, *command)
        yield env
    finally:
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


class Browser:
    """Just enough of a browser: cookies by name, sent to whichever server it asks."""

    def __init__(self):
        self.cookies = {}

    def request(self, server, path, *, method="GET", form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        reply = servers.fetch(server.port, path, method=method, headers=headers, body=body)
        self.cookies.update(reply.cookies())
        return reply

    def csrf_field(self, reply):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply.text)[1]


def test_two_app_servers_share_sessions_and_cached_pages(shared_services, tmp_path):
    env = shared_services
    made = json.loads(manage(env, "shell", "-c", SETUP.format(password=PASSWORD)).splitlines()[-1])
    a = servers.gunicorn("node-a", port=servers.free_port(), env=env, log_dir=tmp_path)
    b = servers.gunicorn("node-b", port=servers.free_port(), env=env, log_dir=tmp_path)
    with a, b:
        reader = Browser()
        assert reader.request(a, made["url"]).header("X-Page-Cache") == "miss"
        cached = reader.request(a, made["url"])
        assert cached.header("X-Page-Cache") == "hit"
        assert "Approved on node B." not in cached.text

        # Signed in on A...
        moderator = Browser()
        login = moderator.request(a, "/admin/login/?next=/admin/")
        signed_in = moderator.request(a, "/admin/login/?next=/admin/", method="POST", form={
            "username": "moderator", "password": PASSWORD, "next": "/admin/",
            "csrfmiddlewaretoken": moderator.csrf_field(login)})
        assert signed_in.status == 302 and "sessionid" in moderator.cookies, signed_in.text[:500]

        # ...and still signed in on B, where the comment is approved.
        queue = moderator.request(b, "/admin/comments/comment/?status__exact=pending")
        assert queue.status == 200 and "Approved on node B." in queue.text
        approved = moderator.request(b, "/admin/comments/comment/", method="POST", form={
            "action": "approve", "_selected_action": [made["comment"]], "index": "0",
            "select_across": "0", "csrfmiddlewaretoken": moderator.csrf_field(queue)})
        assert approved.status == 302, approved.text[:500]

        # A's cached copy of the page is gone: the generation moved in the shared Redis.
        fresh = reader.request(a, made["url"])
        assert fresh.header("X-Page-Cache") == "miss"
        assert "Approved on node B." in fresh.text
