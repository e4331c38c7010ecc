"""Error pages. A lost database is not a bug: it gets a 503 that says so, and keeps the text."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
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
