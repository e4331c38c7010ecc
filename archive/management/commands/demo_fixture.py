"""
Build the `demo` fixture from the seed captures, or check that the committed one is current.

The fixture is made in a scratch SQLite database, so it never depends on what the developer's
own database holds and its primary keys are always the same.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo.json"
MODELS = ["posts.blog", "posts.author", "posts.category", "posts.tag", "posts.post",
          "comments.comment"]
# Timestamps of the import run itself, not of the archived content.
VOLATILE_FIELDS = {"imported_at", "created_at", "updated_at"}


def build_fixture() -> str:
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{scratch}/demo.sqlite3",
               "VAR_DIR": scratch}

        def manage(*args):
            result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
                                    env=env, capture_output=True, text=True, check=False)
            if result.returncode:
                raise CommandError(f"manage.py {args[0]} failed:\n{result.stderr}")
            return result.stdout

        manage("migrate", "--noinput")
        manage("import_seeds")
        return manage("dumpdata", *MODELS, "--indent", "2")


def comparable(fixture_text: str) -> list:
    records = json.loads(fixture_text)
    for record in records:
        fields = record["fields"]
        for name in VOLATILE_FIELDS & fields.keys():
            if not (record["model"] == "comments.comment" and name == "created_at"):
                fields[name] = None
    return records


class Command(BaseCommand):
    help = "Regenerate archive/fixtures/demo.json from seeds/, or --check that it is current."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check, **options):
        fresh = build_fixture()
        if check:
            if not FIXTURE.exists() or comparable(FIXTURE.read_text()) != comparable(fresh):
                raise CommandError("The demo fixture is stale: run `make fixtures`.")
            self.stdout.write("The demo fixture matches the seeds.")
            return
        FIXTURE.write_text(fresh)
        self.stdout.write(f"Wrote {FIXTURE.relative_to(settings.BASE_DIR)}.")
