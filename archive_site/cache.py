"""
Redis as a cache that the site can live without.

When Redis is unreachable every read is a miss and every write is dropped (and logged), so pages
are served uncached rather than failing. Short socket timeouts keep a dead Redis from holding
requests up.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)


class CacheUnavailable(ValueError):
    """A counter could not be read: a ValueError, as Django's incr() raises for a missing key,
    so ordinary callers treat it as such; rate limits tell the two apart."""


def _degrade(method, fallback):
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as exc:
            logger.warning("cache unavailable, %s skipped: %s", method.__name__, exc)
            if isinstance(fallback, type) and issubclass(fallback, Exception):
                raise fallback(str(exc)) from exc
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    guarded.__name__ = method.__name__
    return guarded


class ReusingRedisCacheClient(RedisCacheClient):
    """One redis-py client per connection pool. Django builds a new one for every call, and a
    client is costly to build; they are thread-safe, so one serves every thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    get = _degrade(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _degrade(RedisCache.get_many, {})
    set = _degrade(RedisCache.set, None)
    set_many = _degrade(RedisCache.set_many, [])
    add = _degrade(RedisCache.add, False)
    delete = _degrade(RedisCache.delete, False)
    touch = _degrade(RedisCache.touch, False)
    has_key = _degrade(RedisCache.has_key, False)
    clear = _degrade(RedisCache.clear, None)
    # Counters (generations, rate limits) must not pretend: their callers decide what to do.
    incr = _degrade(RedisCache.incr, CacheUnavailable)
