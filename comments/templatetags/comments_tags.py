from django import template

from ..models import Comment

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def render_comments(context, post):
    comments = list(Comment.objects.for_post_page(post))
    return {"post": post, "comments": comments, "request": context.get("request")}
