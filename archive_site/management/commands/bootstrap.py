"""First start of a development site: demo content once, and an admin whose password is shown once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command
from django.core.management.base import CommandError

from posts.models import Post


class Command(BaseCommand):
    help = "Load the demo content into an empty site and create an admin user if there is none."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if Post.objects.exists():
            self.stdout.write("Content present; demo content not loaded again.")
        else:
            try:
                call_command("loaddata", "demo", verbosity=0)
            except CommandError as exc:
                raise CommandError(f"Could not load the demo content: {exc}") from exc
            self.stdout.write(self.style.SUCCESS(
                f"Loaded the demo content: {Post.objects.count()} posts and pages."))

        users = get_user_model()
        if users.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin user exists; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(
            f"Created admin user '{username}' with password: {password}\n"
            "This password is shown only once. Sign in at http://127.0.0.1:8000/admin/"))
