"""
Read replicas: page reads go to a replica, everything else to the primary.

Configured by DATABASE_REPLICA_URLS (settings.py turns each URL into a "replicaN" alias and
installs the router and the middleware below). Without replicas none of this is loaded.

Who reads where:

- Writes always go to the primary ("default"), and so do migrations.
- Reads go to a replica only inside a request that `PrimaryPinMiddleware` let through: a safe
  method (GET, HEAD, OPTIONS) from a reader who has not written lately, at a moment when nobody
  has. One replica is picked per request, so a page never mixes two replicas' views.
- Everything outside a request (management commands, background tasks, the shell) reads the
  primary: it is usually about to write, or has just written.

Read-your-own-writes, three ways, so that nobody sees the past after a change:

1. A request that writes reads the primary for the rest of its life (unsafe methods start
   pinned; a GET that writes is pinned from that write on).
2. A response to a request that wrote carries a short-lived cookie, and the reader's requests
   read the primary until it expires: their next page shows their own change even if the
   replica is behind.
3. Any write, from anywhere, also pins every reader to the primary for the same few seconds
   through a flag in the shared cache. Cached pages are keyed by a content generation that
   moves when content changes; without this, a reader arriving just after a change could
   build the new generation's page from a replica that has not caught up, and the stale page
   would be served to everyone until it expired.

The window is DATABASE_REPLICA_LAG_SECONDS: set it above the worst replication lag you accept.
"""

import contextvars
import random
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

PIN_COOKIE = "primary_pin"
RECENT_WRITE_KEY = "db:recent-write"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# The alias reads use in the current request: a replica, or the primary once pinned. None
# outside any request.
_read_alias = contextvars.ContextVar("read_alias", default=None)
# Set when the current request wrote, so that the response pins the reader.
_wrote = contextvars.ContextVar("wrote", default=False)
# When this process last refreshed the shared flag; writes come in bursts (imports, bulk
# moderation), and one refresh a second is plenty.
_last_flag_refresh = 0.0


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def lag_seconds() -> int:
    return int(getattr(settings, "DATABASE_REPLICA_LAG_SECONDS", 5))


def pinned() -> bool:
    """Whether reads in the current context go to the primary."""
    return _read_alias.get() in (None, DEFAULT_DB_ALIAS)


def pin_to_primary() -> None:
    """Read the primary for the rest of the current request."""
    if _read_alias.get() is not None:
        _read_alias.set(DEFAULT_DB_ALIAS)


def _refresh_recent_write_flag(now=None) -> None:
    global _last_flag_refresh
    now = time.monotonic() if now is None else now
    if now - _last_flag_refresh < 1:
        return
    _last_flag_refresh = now
    cache.set(RECENT_WRITE_KEY, 1, lag_seconds())


def _after_commit() -> None:
    # The transaction may have run longer than the window: the replicas' clock starts now.
    global _last_flag_refresh
    _last_flag_refresh = 0.0
    _refresh_recent_write_flag()


def note_write(using=DEFAULT_DB_ALIAS) -> None:
    """Record a write: pins this request, the writer's next requests, and briefly everyone."""
    if _read_alias.get() is not None:
        _wrote.set(True)
        _read_alias.set(DEFAULT_DB_ALIAS)
    _refresh_recent_write_flag()
    connection = connections[using]
    # One callback per transaction: Django starts a new list of commit hooks after every commit
    # or rollback, so a registration is current while the list it went into still is.
    if connection.in_atomic_block and getattr(connection, "_replica_hooks", None) is not (
        connection.run_on_commit
    ):
        transaction.on_commit(_after_commit, using=using, robust=True)
        connection._replica_hooks = connection.run_on_commit


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry. Aliases come from settings.DATABASE_REPLICAS."""

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db and not pinned():
            # Related objects come from wherever their parent was read.
            return instance._state.db
        return _read_alias.get() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        note_write()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's data: objects from any of them may be related.
        aliases = {DEFAULT_DB_ALIAS, *replica_aliases()}
        return obj1._state.db in aliases and obj2._state.db in aliases

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def choose_read_alias(request) -> str:
    """Where this request's reads go, decided once when it starts."""
    replicas = replica_aliases()
    if not replicas or request.method not in SAFE_METHODS:
        return DEFAULT_DB_ALIAS
    if request.COOKIES.get(PIN_COOKIE) or cache.get(RECENT_WRITE_KEY):
        return DEFAULT_DB_ALIAS
    return random.choice(replicas)


class PrimaryPinMiddleware:
    """Decides each request's read alias and pins writers' next requests with a cookie.

    Near the top of MIDDLEWARE, so that sessions, the page cache and views all read from the
    alias chosen here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias_token = _read_alias.set(choose_read_alias(request))
        wrote_token = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get():
                response.set_cookie(
                    PIN_COOKIE, "1", max_age=lag_seconds(), httponly=True, samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _read_alias.reset(alias_token)
            _wrote.reset(wrote_token)
