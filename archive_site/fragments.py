"""
Values cached under keys that never change meaning: a key names a cache generation
(archive_site.generations) or a digest of what the value was made from, so once written, what
it holds stays right for as long as it is kept. Such a value can be copied into each process,
and a page then reads its sidebar, its comment section and its teasers without a round trip.

    html = fragments.get_or_build(key, build, timeout)

reads this process's copy, else the shared cache's (and copies it), else calls build() and
keeps the result in both, for `timeout` seconds at most.
"""

import functools
import pickle
import threading
import time

from cachetools import TLRUCache
from django.conf import settings
from django.core.cache import cache


class LocalCopies:
    """One process's most recently used values, up to a number of bytes, each for its timeout."""

    def __init__(self, max_bytes):
        self._values = TLRUCache(maxsize=max_bytes, ttu=lambda key, item, now: item[1],
                                 getsizeof=lambda item: item[2])
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._values.get(key)
        return None if item is None else item[0]

    def put(self, key, value, timeout, size=None):
        if size is None:
            size = len(value) if isinstance(value, str | bytes) else len(pickle.dumps(value, -1))
        if size <= self._values.maxsize:
            with self._lock:
                self._values[key] = (value, time.monotonic() + timeout, size)

    def clear(self):
        with self._lock:
            self._values.clear()


@functools.cache
def process_copies() -> LocalCopies:
    return LocalCopies(settings.FRAGMENT_CACHE_LOCAL_BYTES)


def get_or_build(key, build, timeout):
    return get_or_build_many({key: key}, lambda missing: {key: build()}, timeout)[key]


def get_or_build_many(keys: dict, build_missing, timeout) -> dict:
    """{name: value} for keys given as {name: cache key}; build_missing(names) gives
    {name: value} for those found nowhere."""
    copies = process_copies()
    found = {}
    for name, key in keys.items():
        value = copies.get(key)
        if value is not None:
            found[name] = value
    wanted = {key: name for name, key in keys.items() if name not in found}
    if wanted:
        for key, value in cache.get_many(list(wanted)).items():
            found[wanted.pop(key)] = value
            copies.put(key, value, timeout)
    if wanted:
        built = build_missing(list(wanted.values()))
        by_key = {keys[name]: value for name, value in built.items()}
        cache.set_many(by_key, timeout)
        for key, value in by_key.items():
            copies.put(key, value, timeout)
        found.update(built)
    return found
