import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG",
                                                                    "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="example.org", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run_manage("check", DEBUG="0", SECRET_KEY="x" * 60, VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_development_generates_a_secret_key_once(tmp_path):
    first = run_manage("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)",
                       VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    second = run_manage("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)",
                        VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_empty_database_url_means_the_default_sqlite_database(tmp_path):
    result = run_manage("shell", "-c", "from django.db import connection; print(connection.vendor,"
                        " connection.settings_dict['NAME'])", VAR_DIR=str(tmp_path), DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["sqlite", str(tmp_path / "db.sqlite3")]


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only pragma; this run uses " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20000
    # The in-memory test database cannot use WAL; the file database does (see next test).


def test_the_file_database_uses_wal(tmp_path):
    db = tmp_path / "db.sqlite3"
    result = run_manage("shell", "-c",
                        "from django.db import connection; c = connection.cursor(); "
                        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
                        VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("wal")


def test_redis_url_selects_the_redis_cache(tmp_path):
    result = run_manage("shell", "-c",
                        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
                        VAR_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/15")
    assert result.stdout.strip().endswith("archive_site.cache.ResilientRedisCache")


def gunicorn_workers(monkeypatch, **environment):
    for name in ("WEB_CONCURRENCY", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "archive_site" / "gunicorn.conf.py"))["workers"]


def test_without_a_shared_cache_the_server_runs_one_worker(monkeypatch):
    # Several would each keep caches that only their own writes expire.
    assert gunicorn_workers(monkeypatch) == 1
    assert gunicorn_workers(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0") == (
        2 * os.cpu_count() + 1)
    assert gunicorn_workers(monkeypatch, WEB_CONCURRENCY="3") == 3
