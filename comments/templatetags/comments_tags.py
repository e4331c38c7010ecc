"""The comment section of a post page, rendered by `{% render_comments post %}` so that the
posts app never imports comments."""

from django import template

from .. import display

register = template.Library()


@register.simple_tag(takes_context=True)
def render_comments(context, post):
    return display.section_html(post, context.get("request"))


@register.simple_tag(takes_context=True)
def comment_form_csrf_field(context, post):
    """For the top of the page that {% render_comments post %} ends (see comments.display)."""
    return display.csrf_field(post, context.get("request"))


@register.simple_tag
def comment_avatar(comment, gravatar):
    return display.avatar(comment, gravatar=gravatar)
