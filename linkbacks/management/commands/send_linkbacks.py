from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from linkbacks import sending
from linkbacks.models import OutgoingLinkback
from posts.models import Post


class Command(BaseCommand):
    help = (
        "Send pingbacks and webmentions for a published post's links (--post), or retry the "
        "attempts whose time has come. Run it from cron when the task backend cannot defer tasks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--post", type=int, metavar="ID", help="The post or page to send for.")
        parser.add_argument("--dry-run", action="store_true",
                            help="List what would be considered; contact nobody, write nothing.")

    def handle(self, *args, post, dry_run, **options):
        if post is None:
            if dry_run:
                for record in OutgoingLinkback.objects.due(timezone.now()).select_related("post"):
                    self.stdout.write(f"would retry: {record}")
                return
            report = sending.retry_due()
        else:
            found = Post.objects.published().filter(pk=post).first()
            if found is None:
                raise CommandError(f"There is no published post {post}.")
            if dry_run:
                for target in sending.outbound_links(found, source=sending.source_url(found)):
                    self.stdout.write(f"would consider: {target}")
                return
            report = sending.send_for_post(post=found)
        summary = ", ".join(f"{count} {status}" for status, count in sorted(report.items()))
        self.stdout.write(self.style.SUCCESS(summary or "Nothing to send."))
