from django import template
from django.utils.html import format_html

from ..middleware import endpoint_urls
from ..policy import accepts_linkbacks

register = template.Library()


@register.simple_tag(takes_context=True)
def linkback_links(context, post):
    """<link rel="pingback"> and <link rel="webmention"> for the page's <head>, when `post`
    takes linkbacks."""
    request = context.get("request")
    if request is None or not accepts_linkbacks(post):
        return ""
    urls = endpoint_urls(request)
    return format_html(
        '<link rel="pingback" href="{}">\n  <link rel="webmention" href="{}">',
        urls["pingback"], urls["webmention"],
    )
