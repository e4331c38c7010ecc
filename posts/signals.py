"""
Any change to content moves the content generation on, so cached pages built on it expire.
Search documents and old addresses follow content through their own modules, connected here,
and a scheduled post gets its publication booked.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from archive_site import generations

from . import redirects, tasks
from .models import Author, Blog, Category, Post, Tag
from .search import index as search_index


def content_changed(**kwargs):
    generations.bump("content")


def scheduled(sender, instance, raw=False, **kwargs):
    if not raw and instance.status == Post.Status.SCHEDULED and instance.published_at:
        tasks.schedule_publication(instance.published_at)


def connect():
    for model in (Post, Category, Tag, Blog, Author):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-save-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-del-{model}")
    for through in (Post.categories.through, Post.tags.through):
        m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"content-m2m-{through}")
    post_save.connect(scheduled, sender=Post, dispatch_uid="publish-when-due")
    search_index.connect()
    redirects.connect()
