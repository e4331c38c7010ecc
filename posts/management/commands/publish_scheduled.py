from django.core.management import BaseCommand

from posts import services


class Command(BaseCommand):
    help = (
        "Publish the scheduled posts whose date has come, so that cached pages show them and "
        "their linkbacks go out. Run it every minute from cron when the task backend cannot "
        "defer tasks (the default, immediate one cannot)."
    )

    def handle(self, *args, **options):
        published = services.publish_due()
        self.stdout.write(self.style.SUCCESS(f"Published {published} scheduled post(s)."))
