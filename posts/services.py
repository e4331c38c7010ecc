from django.db import transaction
from django.utils import timezone

from .models import Post


@transaction.atomic
def set_status(posts, status: str) -> int:
    """Move posts to `status`, one save each so signals see every change; returns the count."""
    count = 0
    for post in posts.exclude(status=status).select_for_update(of=("self",)):
        post.status = status
        # A new post gets today's date when published; an archived one keeps its unknown date.
        if status == Post.Status.PUBLISHED and post.published_at is None and not post.imported_at:
            post.published_at = timezone.now()
        post.save()
        count += 1
    return count
