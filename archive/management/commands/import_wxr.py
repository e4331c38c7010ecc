import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from archive.parsers.wxr import WxrError
from archive.report import ImportReport
from archive.wxr_import import import_wxr


class Command(BaseCommand):
    help = "Import WordPress export files (WXR 1.0, 1.1 or 1.2): posts, pages, media, comments."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true",
                            help="Do the whole import, then roll it back: report what it would do.")
        parser.add_argument("--batch", action="store_true",
                            help="Commit in batches with a checkpoint, so that running the command "
                                 "again resumes an import that stopped. Without it each file is "
                                 "one transaction.")
        parser.add_argument("--batch-size", type=int, default=settings.ARCHIVE_WXR_FLUSH_ITEMS,
                            metavar="ITEMS", help="Items per batch (default: %(default)s).")
        parser.add_argument("--fetch-media", action="store_true",
                            help="Download attachment files through the safe fetcher.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, files, dry_run, batch, batch_size, fetch_media, **options):
        if batch_size < 1:
            raise CommandError("--batch-size needs a positive number of items")
        report, failed = ImportReport(), 0
        for path in files:
            if not path.is_file():
                report.errors.append(f"{path}: no such file")
                failed += 1
                continue
            with tqdm(desc=path.name, unit=" items", file=self.stderr._out, leave=False,
                      disable=options["verbosity"] < 1 or options["json"]) as bar:
                try:
                    import_wxr(path, report=report, batch_size=batch_size if batch else None,
                               dry_run=dry_run,
                               fetch_files=fetch_media,
                               progress=lambda done: bar.update(done.items - bar.n))
                except WxrError as error:
                    report.errors.append(f"{error} (nothing imported from this file)")
                    failed += 1
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(report, dry_run=dry_run)
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not imported")

    def _print(self, report, *, dry_run):
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        self.stdout.write(report.table())
        if report.warnings:
            self.stdout.write(self.style.WARNING(f"\n{len(report.warnings)} warnings:"))
            for warning in report.warnings:
                self.stdout.write(f"  {warning}")
        for error in report.errors:
            self.stderr.write(self.style.ERROR(error))
