"""Advertising our endpoints on the pages that take linkbacks: the `X-Pingback` header
(Pingback 1.0) and a `Link: <…>; rel="webmention"` header (Webmention 3.1.2). The same
addresses go in the page's <head> through `{% linkback_links post %}`."""

from django.urls import reverse

from posts.models import Post

from .policy import accepts_linkbacks


def endpoint_urls(request) -> dict[str, str]:
    """{"pingback": …, "webmention": …}: absolute, as the reader reached us."""
    return {
        "pingback": request.build_absolute_uri(reverse("linkbacks:xmlrpc")),
        "webmention": request.build_absolute_uri(reverse("linkbacks:webmention")),
    }


class AdvertiseEndpointsMiddleware:
    """Adds the headers to a post or page rendered as a TemplateResponse whose context holds
    the `post`, as the detail views do, so that the posts app needs to know nothing of this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        post = (response.context_data or {}).get("post")
        if isinstance(post, Post) and accepts_linkbacks(post):
            urls = endpoint_urls(request)
            response.headers["X-Pingback"] = urls["pingback"]
            link = f'<{urls["webmention"]}>; rel="webmention"'
            existing = response.headers.get("Link")
            response.headers["Link"] = f"{existing}, {link}" if existing else link
        return response
