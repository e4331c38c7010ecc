"""
Redis as a cache that the site can live without, and that can mirror hot keys in each process.

When Redis is unreachable every read is a miss and every write is dropped (and logged), so pages
are served uncached rather than failing. Short socket timeouts keep a dead Redis from holding
requests up.

A few small keys are read by nearly every request (the cache generations), and a Redis round trip
costs more than a page served from the page cache. `get_mirrored()` keeps a copy of such a key in
the process, and `announce_change()` tells every process sharing the Redis to drop theirs, over
pub/sub. A thread in each process listens; copies are used only while it is subscribed and
up to date, and never longer than MIRROR_SECONDS, which bounds what an announcement lost in
transit could cost. clear() takes every key with it, so it drops every copy everywhere.
"""

import contextlib
import logging
import os
import secrets
import select
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
MIRROR_SECONDS = 5.0
# How long the listener waits for a message before it pings, to find out that its connection died.
IDLE_SECONDS = 5.0
CONFIRM_SECONDS = 2.0
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
        self._mirror_of_process = (None, None)

    get = _degrade(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _degrade(RedisCache.get_many, {})
    set = _degrade(RedisCache.set, None)
    set_many = _degrade(RedisCache.set_many, [])
    add = _degrade(RedisCache.add, False)
    delete = _degrade(RedisCache.delete, False)
    touch = _degrade(RedisCache.touch, False)
    has_key = _degrade(RedisCache.has_key, False)
    # Counters (generations, rate limits) must not pretend: their callers decide what to do.
    incr = _degrade(RedisCache.incr, CacheUnavailable)
    _clear = _degrade(RedisCache.clear, None)

    def get_mirrored(self, key):
        """get(), answered from this process's copy while there is a trustworthy one."""
        mirror = self._mirror()
        value, version = mirror.get(key)
        if value is None:
            value = self.get(key)
            if value is not None:
                mirror.keep(key, value, version)
        return value

    def mirror_is_live(self) -> bool:
        """Whether this process's copies are being kept (its listener is subscribed)."""
        return self._mirror().live

    def announce_change(self, key):
        """Every process drops its copy of `key`: this one now, the others as the word arrives."""
        mirror = self._mirror()
        mirror.forget(key)
        self._publish(mirror.origin, key)

    def clear(self):
        self._clear()
        mirror = self._mirror()
        mirror.forget()
        self._publish(mirror.origin, "")

    def _channel(self):
        # Channels are shared by every database of a Redis server; keys are not.
        database = self._cache._get_connection_pool(True).connection_kwargs.get("db", 0)
        return self.make_key(f"mirror-changes:db{database}")

    def _publish(self, origin, key):
        try:
            self._cache.get_client(write=True).publish(self._channel(), f"{origin} {key}")
        except UNAVAILABLE as exc:  # nobody can be listening then, and copies are dropped
            logger.warning("cache unavailable, change of %r not announced: %s", key, exc)

    def _mirror(self):
        # Django makes a cache object per thread; the copies are per process, like the memory
        # they live in. A forked worker starts a mirror (and a listener) of its own.
        pid = os.getpid()
        if self._mirror_of_process[0] != pid:
            identity = (pid, tuple(self._servers), self._channel())
            with _mirrors_lock:
                if identity not in _mirrors:
                    _mirrors[identity] = Mirror(self._listen)
                self._mirror_of_process = (pid, _mirrors[identity])
        return self._mirror_of_process[1]

    def _listen(self, mirror):
        """Subscribe, then drop copies as changes are announced, until the connection fails."""
        pubsub = self._cache.get_client(write=True).pubsub()
        try:
            pubsub.subscribe(self._channel())
            confirmation = pubsub.get_message(timeout=CONFIRM_SECONDS)
            if confirmation is None or confirmation["type"] != "subscribe":
                raise RedisConnectionError(f"subscription not confirmed: {confirmation}")
            # redis-py keeps the socket private; the mirror only ever asks it whether it has
            # something to read.
            mirror.set_live(pubsub.connection._sock)
            while True:
                if not mirror.wait_for_announcement(IDLE_SECONDS):
                    pubsub.ping()  # a dead connection fails here, or its answer never comes
                    continue
                with mirror.applying():
                    while (message := pubsub.get_message(timeout=0)) is not None:
                        if message["type"] != "message":
                            continue
                        origin, _, key = message["data"].decode().partition(" ")
                        if origin != mirror.origin:  # this process dropped its copy already
                            mirror.forget(key or None)
        finally:
            pubsub.close()


class Mirror:
    """One process's copies of mirrored keys, used only while its listener is subscribed and
    has applied every announcement that reached it.

    Announcements arrive on a socket that a thread of its own reads. Python gives no thread the
    GIL in the order their sockets became readable, so a request can run before the listener
    that holds news of a change published before the request was even sent: a copy is used
    only while that socket has nothing unread and nothing read is still being applied.
    """

    def __init__(self, listen):
        self._lock = threading.Lock()
        self._values = {}  # key: (value, time.monotonic() when it stops being used)
        # Moves on with every drop, so that a read which raced an announcement is not kept.
        self._version = 0
        self._socket = None  # where announcements arrive, while subscribed
        self._applying = False
        self.origin = secrets.token_hex(8)
        threading.Thread(target=self._keep_listening, args=(listen,), daemon=True,
                         name="cache-mirror").start()

    def get(self, key):
        """(the copy or None, the version to give back to keep())."""
        version = self._version
        found = self._values.get(key)
        if found is None or found[1] <= time.monotonic() or self._behind():
            return None, version
        return found[0], version

    def keep(self, key, value, version):
        with self._lock:
            if self._socket is not None and version == self._version:
                self._values[key] = (value, time.monotonic() + MIRROR_SECONDS)

    def forget(self, key=None):
        with self._lock:
            self._version += 1
            if key is None:
                self._values.clear()
            else:
                self._values.pop(key, None)

    @property
    def live(self):
        return self._socket is not None

    def set_live(self, socket):
        """Subscribed, with announcements arriving on `socket`; None: not subscribed."""
        with self._lock:
            self._socket = socket
            self._version += 1
            self._values.clear()

    def wait_for_announcement(self, timeout) -> bool:
        return bool(select.select([self._socket], [], [], timeout)[0])

    @contextlib.contextmanager
    def applying(self):
        self._applying = True
        try:
            yield
        finally:
            self._applying = False

    def _behind(self):
        """Whether an announcement may have reached this process and not been applied."""
        socket = self._socket
        if self._applying or socket is None:
            return True
        try:
            return bool(select.select([socket], [], [], 0)[0])
        except (OSError, ValueError):  # closed under us: the subscription is going
            return True

    def _keep_listening(self, listen):
        pause = 0.1
        while True:
            started = time.monotonic()
            try:
                listen(self)
            except Exception as exc:  # whatever broke, the copies cannot be trusted now
                log = logger.warning if self.live else logger.debug
                log("cache mirror not subscribed: %s", exc)
            self.set_live(None)
            if time.monotonic() - started > IDLE_SECONDS:
                pause = 0.1
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


_mirrors = {}
_mirrors_lock = threading.Lock()
