"""
RSS 2.0 and Atom feeds of published posts: the whole site, and each category, tag, author and
source blog, at WordPress's addresses (/feed/, /feed/atom/, /category/<slug>/feed/, ...).

Each item carries its summary (the excerpt, or the text up to <!--more-->) and, when
FEED_FULL_CONTENT is on, the whole text as WordPress sends it: `content:encoded` in RSS,
`content` in Atom. Comment feeds belong to the comments app.
"""

import copy
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.views.generic import RedirectView

from .metadata import PROTECTED_SUMMARY
from .models import Author, Blog, Category, Post, Tag

# What each kind of subject narrows the site's posts to; the same choices as its list view.
SUBJECTS = {
    "category": (Category, lambda posts, category: posts.in_category(category)),
    "tag": (Tag, lambda posts, tag: posts.filter(tags=tag)),
    "author": (Author, lambda posts, author: posts.filter(author=author)),
    "blog": (Blog, lambda posts, blog: posts.filter(blog=blog)),
}


class RssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["content"]:
            handler.addQuickElement("content:encoded", item["content"])


class AtomFeed(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["content"]:
            handler.addQuickElement("content", item["content"], {"type": "html"})


class PostsFeed(Feed):
    """The newest published posts, of the whole site or of one subject (see SUBJECTS)."""

    def __init__(self, subject=None, *, atom=False):
        self.subject = subject
        self.feed_type = AtomFeed if atom else RssFeed

    def __call__(self, request, *args, **kwargs):
        # One instance answers every request; a copy per request can keep the request at hand
        # for the absolute URLs Feed itself does not make (enclosures, author links).
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request, slug=None):
        if self.subject is None:
            return None
        model, _ = SUBJECTS[self.subject]
        return get_object_or_404(model, slug=slug)

    def title(self, obj):
        return settings.SITE_TITLE if obj is None else f"{settings.SITE_TITLE} » {obj}"

    def link(self, obj):
        return "/" if obj is None else obj.get_absolute_url()

    def description(self, obj):
        return settings.SITE_TAGLINE

    def author_name(self, obj):
        # Atom wants an author for the feed when an entry may have none.
        return settings.SITE_TITLE

    def items(self, obj):
        posts = Post.objects.published().posts()
        if obj is not None:
            _, narrow = SUBJECTS[self.subject]
            posts = narrow(posts, obj)
        return (
            posts.for_listing().prefetch_related("tags")
            .order_by(F("published_at").desc(nulls_last=True), "-id")[: settings.FEED_ITEMS]
        )

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return PROTECTED_SUMMARY if post.password else post.teaser.html

    def item_extra_kwargs(self, post):
        full = settings.FEED_FULL_CONTENT and not post.password
        return {"content": post.body_html if full else ""}

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        # A post scheduled ahead was last saved before it came out; it is no older than that.
        return max(filter(None, [post.published_at, post.updated_at]))

    def item_guid(self, post):
        # An imported post keeps the GUID it had, so readers that knew it see no new item.
        return post.guid or self.request.build_absolute_uri(post.get_absolute_url())

    def item_guid_is_permalink(self, post):
        return not post.guid

    def item_author_name(self, post):
        return post.author.name if post.author_id else None

    def item_author_link(self, post):
        return self.request.build_absolute_uri(post.author.get_absolute_url())

    def item_categories(self, post):
        return [c.name for c in post.categories.all()] + [t.name for t in post.tags.all()]

    def item_enclosures(self, post):
        image = post.featured_image
        if not image:
            return []
        try:
            length = str(image.size)
        except OSError:  # the record outlived its file; RSS reads 0 as "size unknown"
            length = "0"
        mime_type = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
        return [Enclosure(self.request.build_absolute_uri(image.url), length, mime_type)]


def _feeds(prefix, name, subject=None):
    return [
        path(f"{prefix}feed/", PostsFeed(subject), name=f"{name}feed"),
        path(f"{prefix}feed/atom/", PostsFeed(subject, atom=True), name=f"{name}feed_atom"),
    ]


urlpatterns = [
    *_feeds("", ""),
    # WordPress's other names for its main feed.
    *[path(f"feed/{kind}/", RedirectView.as_view(pattern_name="posts:feed", permanent=True))
      for kind in ("rss2", "rss", "rdf")],
    *[route for subject in SUBJECTS for route in _feeds(f"{subject}/<str:slug>/", f"{subject}_", subject)],
]
