"""
Backups that restore: the database itself, a portable WordPress export, and the media files.

A backup folder holds
- `database.sqlite3` (SQLite's online backup) or `database.dump` (pg_dump, custom format):
  everything, users and provenance included, restored as it was;
- `site.wxr`: the content as a WordPress export, readable by any WordPress or by a site on the
  other database engine (restore falls back to it when the dump is for another engine);
- `media.tar.gz`: the uploaded files; `manifest.json`: what is in it.
Restoring refuses a database that already holds content: a restore never merges.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from comments.models import Comment
from posts.models import Post

from .wxr_export import export_wxr


class BackupError(Exception):
    pass


def _engine():
    return connection.vendor


def _pg_args():
    db = settings.DATABASES["default"]
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432),
            "-U", db.get("USER") or "postgres"]
    return args, db["NAME"], {"PGPASSWORD": db.get("PASSWORD") or ""}


def _run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, check=False,
                            env={**os.environ, **(env or {})})
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def make_backup(destination: Path) -> Path:
    """Write a new backup folder below `destination` and return it."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    folder = destination / f"backup-{stamp}"
    folder.mkdir(parents=True)
    # One snapshot for the export: on PostgreSQL a repeatable-read transaction sees the
    # database as it was when it began, whatever is written meanwhile.
    with transaction.atomic():
        if _engine() == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with (folder / "site.wxr").open("wb") as out:
            counts = export_wxr(out)
        manifest = {"created": stamp, "engine": _engine(), "posts": Post.objects.count(),
                    "comments": Comment.objects.count(), "exported": dict(counts)}
    _dump_database(folder)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if Path(settings.MEDIA_ROOT).exists():
            archive.add(settings.MEDIA_ROOT, arcname="media")
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


def _dump_database(folder):
    if _engine() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
    elif _engine() == "postgresql":
        args, name, env = _pg_args()
        _run(["pg_dump", *args, "--format=custom", "--no-owner",
              f"--file={folder / 'database.dump'}", name], env=env)


def restore_backup(folder: Path) -> str:
    """Bring a backup back into this (empty) database; returns how it was restored."""
    if not (folder / "manifest.json").exists():
        raise BackupError(f"{folder} is not a backup folder (no manifest.json)")
    if _has_content():
        raise BackupError("This database already holds content; restore only into an empty one.")
    if _engine() == "sqlite" and (folder / "database.sqlite3").exists():
        connection.close()
        source = sqlite3.connect(folder / "database.sqlite3")
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        with target:
            source.backup(target)
        source.close()
        target.close()
        how = "database copy"
    elif _engine() == "postgresql" and (folder / "database.dump").exists():
        connection.close()
        args, name, env = _pg_args()
        _run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={name}", str(folder / "database.dump")], env=env)
        how = "database dump"
    else:
        call_command("migrate", verbosity=0)
        call_command("import_wxr", str(folder / "site.wxr"), verbosity=0)
        how = "WordPress export"
    _restore_media(folder)
    return how


def _has_content():
    try:
        return Post.objects.exists() or Comment.objects.exists()
    except DatabaseError:  # no tables yet: a brand new database is as empty as it gets
        return False


def _restore_media(folder):
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz") as archive:
        archive.extractall(media_root.parent / ".restore-media", filter="data")
    unpacked = media_root.parent / ".restore-media" / "media"
    if unpacked.exists():
        shutil.copytree(unpacked, media_root, dirs_exist_ok=True)
    shutil.rmtree(media_root.parent / ".restore-media", ignore_errors=True)
