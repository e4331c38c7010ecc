"""
The three receiving endpoints. Each only reads the request and calls linkbacks.receiving (or
linkbacks.xmlrpc, for the XML-RPC envelope); none needs a CSRF token, since other sites' servers
are the intended callers and nothing here acts as a logged-in reader.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from archive_site.ratelimit import client_ip
from archive_site.tasks import schedule

from . import receiving, tasks, xmlrpc
from .verification import LinkbackError


def _caller(request) -> dict:
    return {
        "ip_address": client_ip(request),
        "user_agent": request.headers.get("User-Agent", "")[:500],
    }


@csrf_exempt
@require_POST
def xmlrpc_endpoint(request):
    """Pingback 1.0 over XML-RPC."""
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > settings.LINKBACKS_MAX_REQUEST_BYTES:
        return HttpResponse("Request too large.", status=413, content_type="text/plain")
    caller = xmlrpc.Caller(hosts=(request.get_host(),), **_caller(request))
    return HttpResponse(xmlrpc.respond(request.body, caller=caller), content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_POST
def webmention_endpoint(request):
    """W3C Webmention: check the request now (400 if invalid), verify the source later (202)."""
    source, target = request.POST.get("source", ""), request.POST.get("target", "")
    try:
        post = receiving.accept_webmention(source_url=source, target_url=target, hosts=(request.get_host(),))
    except LinkbackError as error:
        return HttpResponseBadRequest(f"{error}\n", content_type="text/plain; charset=utf-8")
    caller = _caller(request)
    schedule(tasks.verify_webmention, source, target, post.pk, caller["ip_address"], caller["user_agent"])
    return HttpResponse("Accepted: the source will be checked shortly.\n", status=202,
                        content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def trackback_endpoint(request, post_id):
    """TrackBack 1.2: a form POST, answered with <response><error>0|1</error></response>."""
    error = ""
    try:
        comment = receiving.receive_trackback(
            post_id=post_id, url=request.POST.get("url", ""), title=request.POST.get("title", ""),
            excerpt=request.POST.get("excerpt", ""), blog_name=request.POST.get("blog_name", ""),
            site_root=request.build_absolute_uri("/"), **_caller(request),
        )
    except LinkbackError as failure:
        error = str(failure)
    else:
        schedule(tasks.verify_trackback, comment.pk)
    body = render_to_string("linkbacks/trackback_response.xml", {"error": error})
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
