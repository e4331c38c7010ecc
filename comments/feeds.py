"""
RSS and Atom feeds of recent approved comments, site-wide and per post. Items carry the
author's name and the sanitized comment; never an email address.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import resolve, reverse
from django.utils.feedgenerator import Atom1Feed

from posts.models import Post

from .models import Comment


def post_feed_url(post, *, atom=False) -> str:
    """WordPress's address for a dated post's comment feed (<permalink>feed/), else by id."""
    suffix = "_atom" if atom else ""
    if post.kind == Post.Kind.POST and post.published_at is not None:
        kwargs = resolve(post.get_absolute_url()).kwargs
        return reverse(f"comments:post_feed{suffix}", kwargs=kwargs)
    return reverse(f"comments:post_feed_by_id{suffix}", kwargs={"pk": post.pk})


class LatestCommentsFeed(Feed):
    def title(self):
        return f"Comments on {settings.SITE_TITLE}"

    def link(self):
        return reverse("posts:home")

    def description(self):
        return f"The latest comments on {settings.SITE_TITLE}."

    def feed_url(self):
        return reverse("comments:feed")

    def items(self):
        return self.newest(Comment.objects.public())

    def newest(self, comments):
        return (comments.select_related("post")
                .order_by(F("created_at").desc(nulls_last=True), "-id")[:settings.COMMENTS_FEED_ITEMS])

    def item_title(self, comment):
        return f"{comment.author_name} on “{comment.post.title}”"

    def item_description(self, comment):
        return comment.body_html

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_author_name(self, comment):
        return comment.author_name

    def item_pubdate(self, comment):
        return comment.created_at


class LatestCommentsAtomFeed(LatestCommentsFeed):
    feed_type = Atom1Feed
    subtitle = LatestCommentsFeed.description

    def feed_url(self):
        return reverse("comments:feed_atom")


class PostCommentsFeed(LatestCommentsFeed):
    def get_object(self, request, pk=None, slug=None, **date):
        posts = Post.objects.published()
        if pk is not None:
            return get_object_or_404(posts, pk=pk)
        post = get_object_or_404(posts.posts(), slug=slug)
        # The slug is unique; the date in the address must still be the post's own.
        if not request.path.startswith(post.get_absolute_url()):
            raise Http404("No post at this address.")
        return post

    def title(self, post):
        return f"Comments on “{post.title}”"

    def link(self, post):
        return post.get_absolute_url()

    def description(self, post):
        return f"Comments on “{post.title}”, {settings.SITE_TITLE}."

    def feed_url(self, post):
        return post_feed_url(post)

    def items(self, post):
        return self.newest(Comment.objects.approved().filter(post=post))

    def item_title(self, comment):
        return f"By {comment.author_name}"


class PostCommentsAtomFeed(PostCommentsFeed):
    feed_type = Atom1Feed
    subtitle = PostCommentsFeed.description

    def feed_url(self, post):
        return post_feed_url(post, atom=True)
