"""Publishing or updating a post sends its linkbacks, in a task, once the save has committed."""

from django.conf import settings
from django.db.models.signals import post_save

from archive_site.tasks import schedule
from posts.models import Post

from . import tasks


def post_saved(sender, instance, raw=False, **kwargs):
    # Archived posts were announced, or not, when first published years ago; fixtures are data.
    if raw or instance.imported_at is not None or not settings.LINKBACKS_SEND:
        return
    if Post.objects.published().filter(pk=instance.pk).exists():
        schedule(tasks.send_post_linkbacks, instance.pk)


def connect():
    post_save.connect(post_saved, sender=Post, dispatch_uid="linkbacks-send-on-save")
