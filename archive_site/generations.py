"""
Cache generations: a counter per kind of content, part of every cache key built from it.

Changing content bumps its counter, and every key built on the old value simply stops being
read. Nothing hunts for keys, and the scheme works the same in local memory and in Redis.

Counters are read on every page, several times over, and a page served from the page cache reads
one and nothing else: a Redis round trip would cost more than the rest of that page. Where the
cache can mirror keys in each process (archive_site.cache.ResilientRedisCache), counters are read
through that mirror, and every bump is announced so that every process drops its copy at once.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import fragments

TIMEOUT = None  # counters must outlive the entries that depend on them


def _key(name):
    return f"generation:{name}"


def _first_value():
    # A counter that went missing (Redis restarted, the cache was cleared) starts again at a
    # value no earlier copy of it held, so that nothing kept on an old value can match again.
    return secrets.randbits(48)


def _get(key):
    get_mirrored = getattr(cache, "get_mirrored", None)
    return get_mirrored(key) if get_mirrored is not None else cache.get(key)


def current(name: str) -> int | None:
    """The counter's value, or None while the cache cannot say (nothing may be kept on it)."""
    value = _get(_key(name))
    if value is None:
        cache.add(_key(name), _first_value(), TIMEOUT)
        value = _get(_key(name))
    return value


def bump(name: str) -> None:
    """Move the counter on, now and again when the current transaction commits: pages built
    from the old rows while it was open must not outlive it."""
    _bump(name)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(name))


def _bump(name):
    try:
        cache.incr(_key(name))
    except ValueError:  # missing (or the cache is away, and then so is everything kept on it)
        cache.add(_key(name), _first_value(), TIMEOUT)
    announce = getattr(cache, "announce_change", None)
    if announce is not None:
        announce(_key(name))


def key(name: str, *parts) -> str | None:
    """The key of something built from this generation of `name` by this release's code; None
    while the cache cannot tell the generation, when nothing may be kept."""
    value = current(name)
    if value is None:
        return None
    return ":".join([name, str(value), settings.RELEASE, *map(str, parts)])


def cached(name: str, *parts, build, timeout):
    """build()'s value for the current generation of `name`, made once and kept in the shared
    cache and in each process (archive_site.fragments), until the generation moves on."""
    built_key = key(name, *parts)
    if built_key is None:
        return build()
    return fragments.get_or_build(built_key, build, timeout)


def cached_many(name: str, parts: dict, build_missing, timeout) -> dict:
    """cached() for several values at once: {item: value} for parts given as {item: key parts};
    build_missing(items) makes {item: value} for those not kept anywhere."""
    prefix = key(name)
    if prefix is None:
        return build_missing(list(parts))
    return fragments.get_or_build_many(
        {item: ":".join([prefix, *map(str, item_parts)]) for item, item_parts in parts.items()},
        build_missing, timeout)
