"""
Cache generations: a counter per kind of content, part of every cache key built from it.

Changing content bumps its counter, and every key built on the old value simply stops being
read. Nothing hunts for keys, and the scheme works the same in local memory and in Redis.
"""

from django.core.cache import cache

TIMEOUT = None  # counters must outlive the entries that depend on them


def _key(name):
    return f"generation:{name}"


def current(name: str) -> int:
    value = cache.get(_key(name))
    if value is None:
        cache.add(_key(name), 1, TIMEOUT)
        value = cache.get(_key(name), 1)
    return value


def bump(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:
        cache.add(_key(name), 2, TIMEOUT)


def key(name: str, *parts) -> str:
    return ":".join([name, str(current(name)), *map(str, parts)])
