import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from archive import seed_import
from archive.parsers.seed import CaptureError, parse_file
from archive.report import ImportReport


class Command(BaseCommand):
    help = "Import scraped WordPress page captures (files or folders; default: seeds/)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)
        parser.add_argument("--dry-run", action="store_true",
                            help="Parse only; write nothing to the database.")
        parser.add_argument("--json", action="store_true",
                            help="With --dry-run: print the parsed documents as JSON.")

    def handle(self, *args, paths, dry_run, **options):
        try:
            files = seed_import.capture_paths(paths or [settings.BASE_DIR / "seeds"])
        except CaptureError as exc:
            raise CommandError(str(exc)) from exc
        if dry_run:
            return self.dry_run(files, as_json=options["json"])

        report = ImportReport()
        for path in tqdm(files, desc="Importing captures", unit="file", disable=len(files) < 5,
                         file=self.stderr._out):
            try:
                seed_import.import_capture(path, report=report)
            except CaptureError as exc:
                report.errors.append(str(exc))
                self.stderr.write(self.style.ERROR(f"Not imported: {exc}"))
        self.stdout.write(report.table())
        if report.errors:
            raise CommandError(f"{len(report.errors)} of {len(files)} captures failed; "
                               "the others were imported.")

    def dry_run(self, files, *, as_json):
        documents, errors = [], []
        for path in files:
            try:
                documents.append(parse_file(path))
            except CaptureError as exc:
                errors.append(str(exc))
        if as_json:
            payload = {"documents": [document.to_json() for document in documents]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for document in documents:
                self.stdout.write(f"{document.source}: {len(document.entries)} entries, "
                                  f"{sum(len(e.responses) for e in document.entries)} responses, "
                                  f"{len(document.dropped)} furniture lines dropped")
        if errors:
            raise CommandError("\n".join(errors))
