"""
What a page says about itself to search engines, social sites and feed readers: canonical link,
description, Open Graph and Twitter card tags, JSON-LD and its language.

Everything here is plain data; `templates/includes/head_meta.html` turns it into tags, and only
`json_ld_script` builds markup, with the escaping that keeps it inert.
"""

import html
import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from . import rendering

DESCRIPTION_LENGTH = 160
# What a password-protected post may say about itself anywhere outside its own page.
PROTECTED_SUMMARY = "This post is password protected."
_WHITESPACE = re.compile(r"\s+")
# As django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def plain_text(markup: str) -> str:
    """Sanitized HTML as one line of text, with words at tag boundaries kept apart."""
    # Sanitized HTML escapes every "<" in text, so each one left starts a tag.
    return _WHITESPACE.sub(" ", html.unescape(strip_tags(markup.replace("<", " <")))).strip()


def excerpt_text(post) -> str:
    """The hand-written excerpt as plain text."""
    if not post.excerpt.strip():
        return ""
    return plain_text(rendering.render(post.excerpt, post.body_format))


def public_summary(post) -> str:
    """The excerpt, else the whole text, as plain text; never a protected post's words."""
    if post.password:
        return PROTECTED_SUMMARY
    return excerpt_text(post) or plain_text(post.body_html)


def description(post) -> str:
    return Truncator(public_summary(post)).chars(DESCRIPTION_LENGTH)


def content_language(post) -> str:
    """The post's own language, else its source blog's; empty when neither is known."""
    if post.language:
        return post.language
    return post.blog.language if post.blog_id else ""


def for_site(request) -> dict:
    """Metadata for list pages and anything else that is not one post."""
    return {
        "canonical": request.build_absolute_uri(request.path),
        "title": settings.SITE_TITLE,
        "description": settings.SITE_TAGLINE,
        "og_type": "website",
        "image": "",
        "json_ld": "",
    }


def for_post(request, post) -> dict:
    canonical = request.build_absolute_uri(post.get_absolute_url())
    image = request.build_absolute_uri(post.featured_image.url) if post.featured_image else ""
    summary = description(post)
    return {
        "canonical": canonical,
        "title": post.title,
        "description": summary,
        "og_type": "article" if post.kind == post.Kind.POST else "website",
        "image": image,
        "published": post.published_at,
        "modified": post.updated_at,
        "author": post.author.name if post.author_id else "",
        "json_ld": json_ld_script(structured_data(request, post, canonical, image, summary)),
    }


def structured_data(request, post, canonical, image, summary) -> dict:
    """schema.org BlogPosting for a post, WebPage for a page, linked to its archived original."""
    is_post = post.kind == post.Kind.POST
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting" if is_post else "WebPage",
        "headline" if is_post else "name": post.title,
        "url": canonical,
        "mainEntityOfPage": canonical,
        "description": summary,
        "dateModified": post.updated_at,
        "publisher": {"@type": "Organization", "name": settings.SITE_TITLE},
    }
    optional = {
        "datePublished": post.published_at,
        "inLanguage": content_language(post),
        "image": image,
        "isBasedOn": post.original_url,
    }
    if post.author_id:
        optional["author"] = {
            "@type": "Person",
            "name": post.author.name,
            "url": request.build_absolute_uri(post.author.get_absolute_url()),
        }
    data.update((key, value) for key, value in optional.items() if value)
    return data


def json_ld_script(data: dict) -> SafeString:
    """JSON-LD as data, not script: escaped as json_script does, typed application/ld+json."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(_JSON_SCRIPT_ESCAPES)),
    )
