"""make backup / make restore: a round trip through real scratch databases of the suite's engine."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
MODELS = ["posts", "comments", "auth.user"]


@pytest.fixture
def scratch_databases(tmp_path, django_db_setup, django_db_blocker):
    """Two empty databases on the suite's engine: one to back up, one to restore into."""
    if connection.vendor == "sqlite":
        yield [f"sqlite:///{tmp_path}/{name}.sqlite3" for name in ("source", "target")]
        return
    names = [f"archive_site_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'CREATE DATABASE "{name}"')
    db = settings.DATABASES["default"]
    yield [f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}" for name in names]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url, media, *args):
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media)}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_backup_and_restore_give_back_the_same_site(scratch_databases, tmp_path):
    source, target = scratch_databases
    source_media, target_media = tmp_path / "media-a", tmp_path / "media-b"
    (source_media / "featured").mkdir(parents=True)
    (source_media / "featured" / "plot.png").write_bytes(b"\x89PNG not really")
    manage(source, source_media, "migrate", "--noinput")
    manage(source, source_media, "import_seeds")
    manage(source, source_media, "shell", "-c",
           "from django.contrib.auth.models import User; "
           "User.objects.create_user('ann', 'ann@example.org', 'pw')")

    out = manage(source, source_media, "backup", "--to", str(tmp_path / "backups"))
    folder = Path(out.strip().rsplit(" ", 1)[-1])
    assert {p.name for p in folder.iterdir()} >= {"site.wxr", "media.tar.gz", "manifest.json"}

    manage(target, target_media, "migrate", "--noinput")
    manage(target, target_media, "restore", str(folder))

    def snapshot(url, media):
        return json.loads(manage(url, media, "dumpdata", *MODELS, "--indent", "1"))

    assert snapshot(target, target_media) == snapshot(source, source_media)
    assert (target_media / "featured" / "plot.png").read_bytes() == b"\x89PNG not really"


def test_restore_refuses_a_database_with_content(scratch_databases, tmp_path):
    source, _ = scratch_databases
    media = tmp_path / "media"
    manage(source, media, "migrate", "--noinput")
    manage(source, media, "import_seeds")
    folder = Path(manage(source, media, "backup", "--to", str(tmp_path)).strip().rsplit(" ", 1)[-1])

    env = {**os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(media)}
    result = subprocess.run([sys.executable, "manage.py", "restore", str(folder)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode != 0
    assert "already holds content" in result.stderr
