"""
Fixed-window counters for rate limits, shared by every app process through the cache.

If the shared cache is unreachable, counting falls back to this process alone: limits get looser
by the number of processes, but they never switch off.
"""

import threading
import time

from django.core.cache import cache

from .cache import CacheUnavailable

_local_lock = threading.Lock()
_local_counts: dict[str, tuple[float, int]] = {}


def hit(key: str, *, window: float) -> int:
    """Count one more event under `key`; returns the count in the current window."""
    try:
        cache.add(key, 0, timeout=window)
        try:
            return cache.incr(key)
        except CacheUnavailable:
            raise
        except ValueError:  # expired between add and incr: this is the window's first hit
            cache.set(key, 1, timeout=window)
            return 1
    except CacheUnavailable:
        return _hit_locally(key, window=window)


def _hit_locally(key, *, window):
    now = time.monotonic()
    with _local_lock:
        started, count = _local_counts.get(key, (now, 0))
        if now - started >= window:
            started, count = now, 0
        _local_counts[key] = (started, count + 1)
        if len(_local_counts) > 10_000:
            for stale in [k for k, (t, _) in _local_counts.items() if now - t >= window]:
                del _local_counts[stale]
        return count + 1
