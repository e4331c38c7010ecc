"""A health check for load balancers: the database and the cache both answer."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database_ok():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_ok():
    cache.set("healthz", "ok", 10)
    return cache.get("healthz") == "ok"


@never_cache
def healthz(request):
    checks = {}
    for name, check in (("database", _database_ok), ("cache", _cache_ok)):
        try:
            checks[name] = "ok" if check() else "failing"
        except Exception:
            logger.exception("health check %s failed", name)
            checks[name] = "failing"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "failing", **checks},
                        status=200 if healthy else 503)
