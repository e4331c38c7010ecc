"""
Fixed-window counters for rate limits, shared by every app process through the cache, and who a
request counts against.

If the shared cache is unreachable, counting falls back to this process alone: limits get looser
by the number of processes, but they never switch off.
"""

import ipaddress
import threading
import time

from django.conf import settings
from django.core.cache import cache

from .cache import CacheUnavailable

_local_lock = threading.Lock()
_local_counts: dict[str, tuple[float, int]] = {}


def client_ip(request) -> str | None:
    header = settings.COMMENTS_CLIENT_IP_HEADER
    if header and request.META.get(header):
        # A proxy may append to a list; the first address is the client it saw.
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def address_key(ip_address) -> str:
    """One counter per IPv4 address, or per IPv6 /64: one machine usually holds a whole /64."""
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return str(ip_address)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


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
