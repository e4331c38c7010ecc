"""Tags for what a page tells machines about itself, and for the related posts under a post."""

from django import template
from django.conf import settings
from django.urls import reverse

from .. import metadata, related
from ..feeds import SUBJECTS

register = template.Library()


def feed_links(context):
    """The site's feeds, and the current subject's when the page lists one (a category...)."""
    links = [
        {"type": "application/rss+xml", "title": f"{settings.SITE_TITLE} » Feed",
         "href": reverse("posts:feed")},
        {"type": "application/atom+xml", "title": f"{settings.SITE_TITLE} » Atom Feed",
         "href": reverse("posts:feed_atom")},
    ]
    match = context["request"].resolver_match
    subject = match and (match.url_name or "").removesuffix("_page")
    if subject in SUBJECTS and match.namespace == "posts" and "subject" in context:
        slug = match.kwargs["slug"]
        links.append({"type": "application/rss+xml",
                      "title": f"{settings.SITE_TITLE} » {context['subject']} Feed",
                      "href": reverse(f"posts:{subject}_feed", kwargs={"slug": slug})})
    return links


@register.inclusion_tag("includes/head_meta.html", takes_context=True)
def head_meta(context, post=None):
    request = context["request"]
    meta = metadata.for_site(request) if post is None else metadata.for_post(request, post)
    return {"meta": meta, "feeds": feed_links(context), "site_title": settings.SITE_TITLE}


@register.filter
def content_language(post):
    return metadata.content_language(post)


@register.inclusion_tag("posts/includes/related.html")
def related_posts(post):
    return {"related": related.related_posts(post)}
