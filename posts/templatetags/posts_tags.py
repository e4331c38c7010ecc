from django import template
from django.urls import reverse

from .. import selectors

register = template.Library()


@register.simple_tag
def sidebar():
    return selectors.sidebar_html()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The WordPress-style address of page `number` of the current list (/…/page/N/)."""
    match = context["request"].resolver_match
    name = match.view_name.removesuffix("_page")
    kwargs = {k: v for k, v in match.kwargs.items() if k != "page"}
    if int(number) == 1:
        return reverse(name, kwargs=kwargs)
    return reverse(f"{name}_page", kwargs={**kwargs, "page": number})


@register.filter
def adjacent_post(post, direction):
    return post.adjacent(newer=direction == "newer")
