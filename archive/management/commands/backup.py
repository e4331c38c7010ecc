from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from archive.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Write a consistent backup: database, WordPress export and media (default: var/backups/)."

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, default=Path(settings.VAR_DIR) / "backups")

    def handle(self, *args, to, **options):
        try:
            folder = make_backup(to)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
