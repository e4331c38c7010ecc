from pathlib import Path

from django.core.management import BaseCommand, CommandError

from archive.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup folder (made by `backup`) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder, **options):
        try:
            how = restore_backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {folder} from its {how}."))
