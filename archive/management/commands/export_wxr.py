import sys
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from archive.wxr_export import export_wxr
from posts.models import Blog


class Command(BaseCommand):
    help = "Write posts, pages, attachments and comments as a WordPress export (WXR 1.2)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path,
                            help="The file to write (default: standard output).")
        parser.add_argument("--blog", metavar="SLUG",
                            help="Only this archived blog's posts and attachments.")

    def handle(self, *args, output, blog, **options):
        chosen = None
        if blog:
            chosen = Blog.objects.filter(slug=blog).first()
            if chosen is None:
                raise CommandError(f"no blog with the slug {blog!r}")
        if output is None:
            counts = export_wxr(sys.stdout.buffer, blog=chosen)
        else:
            # Written next to the target and renamed, so a failed export leaves no half file.
            partial = output.with_name(output.name + ".part")
            with partial.open("wb") as out:
                counts = export_wxr(out, blog=chosen)
            partial.replace(output)
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"
        self.stderr.write(self.style.SUCCESS(f"Exported {summary}."))
