"""Error pages. A lost database is not a bug: it gets a 503 that says so, and keeps the text;
a failed CSRF check gives a form back to the view that can refill it."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

RETRY_AFTER_SECONDS = 30


def server_error(request):
    """handler500: called while the exception is being handled, from view or middleware."""
    exception = sys.exc_info()[1]
    if isinstance(exception, (OperationalError, InterfaceError)):
        return database_unavailable(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))


def database_unavailable(request):
    # Whatever a form sent now was not saved: give the reader their text back to send again.
    unsent = request.POST.get("body", "") if request.method == "POST" else ""
    response = HttpResponse(loader.render_to_string("503.html", {"unsent": unsent}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW. A class-based view with a `csrf_failed` method (the comment form's)
    answers for itself, giving the sender back what they wrote; anything else gets the site's
    own 403 page. Django's `reason` is logged by the middleware and never shown."""
    match = request.resolver_match
    view_class = getattr(match.func, "view_class", None) if match is not None else None
    if request.method == "POST" and hasattr(view_class, "csrf_failed"):
        view = view_class(**match.func.view_initkwargs)
        view.setup(request, *match.args, **match.kwargs)
        return view.csrf_failed(*match.args, **match.kwargs)
    return render(request, "403_csrf.html", status=403)
