from django.core.management.base import BaseCommand

from posts.models import Post
from posts.search import index_posts


class Command(BaseCommand):
    help = (
        "Rewrite the search documents of every post. Saves keep them current; this is for posts "
        "written without signals (bulk_create, raw SQL) or from before search existed."
    )

    def handle(self, *args, **options):
        ids = list(Post.objects.order_by("pk").values_list("pk", flat=True))
        index_posts(ids)
        self.stdout.write(self.style.SUCCESS(f"Indexed {len(ids)} posts."))
