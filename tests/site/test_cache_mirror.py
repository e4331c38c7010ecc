"""Each process's copies of hot cache keys (archive_site.cache.Mirror) and the generations read
through them: never older than the last announced change."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from archive_site import cache as cache_module
from archive_site import generations
from archive_site.cache import Mirror

ROOT = Path(__file__).resolve().parents[2]
BUMP_ELSEWHERE = """
import django
django.setup()
from archive_site import generations
generations.bump("content")
"""


@pytest.fixture
def announcements():
    """The two ends of a connection: the mirror reads announcements from the first."""
    ends = socket.socketpair()
    yield ends
    for end in ends:
        end.close()


@pytest.fixture
def mirror(announcements):
    """A mirror whose listener is subscribed until the test ends, and reads nothing."""
    done = threading.Event()

    def listen(mirror):
        mirror.set_live(announcements[0])
        done.wait()

    mirror = Mirror(listen)
    while not mirror.live:
        time.sleep(0.001)
    yield mirror
    done.set()


def test_a_copy_is_kept_until_its_key_changes(mirror):
    _, version = mirror.get("generation:content")
    mirror.keep("generation:content", 7, version)
    assert mirror.get("generation:content")[0] == 7

    mirror.forget("generation:content")
    assert mirror.get("generation:content")[0] is None


def test_a_read_that_raced_a_change_is_not_kept(mirror):
    _, version = mirror.get("generation:content")
    mirror.forget("generation:content")  # announced while the old value was on its way
    mirror.keep("generation:content", 7, version)
    assert mirror.get("generation:content")[0] is None


def test_copies_are_not_kept_longer_than_mirror_seconds(mirror, monkeypatch):
    mirror.keep("generation:content", 7, mirror.get("generation:content")[1])
    later = time.monotonic() + cache_module.MIRROR_SECONDS + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert mirror.get("generation:content")[0] is None


def test_a_copy_is_not_used_while_an_announcement_waits_to_be_read(mirror, announcements):
    # The request may have been sent after a change was announced: the listener's thread has
    # not had its turn yet, and the copy could be the old value.
    mirror.keep("generation:content", 7, mirror.get("generation:content")[1])
    announcements[1].send(b"*")
    assert mirror.get("generation:content")[0] is None

    announcements[0].recv(1)  # read, and nothing in it for this key
    assert mirror.get("generation:content")[0] == 7


def test_a_copy_is_not_used_while_an_announcement_is_being_applied(mirror):
    mirror.keep("generation:content", 7, mirror.get("generation:content")[1])
    with mirror.applying():
        assert mirror.get("generation:content")[0] is None
    assert mirror.get("generation:content")[0] == 7


def test_nothing_is_kept_while_the_subscription_is_down(mirror):
    mirror.keep("generation:content", 7, mirror.get("generation:content")[1])
    mirror.set_live(None)
    assert mirror.get("generation:content")[0] is None

    mirror.keep("generation:content", 8, mirror.get("generation:content")[1])
    assert mirror.get("generation:content")[0] is None


def test_a_change_made_in_another_process_reaches_this_ones_copy(redis_cache, monkeypatch):
    # Copies that never expire: only the announcement can make this process read again.
    monkeypatch.setattr(cache_module, "MIRROR_SECONDS", 3600)
    before = generations.current("content")
    assert generations.current("content") == before  # from the copy now

    location = settings.CACHES["default"]["LOCATION"]
    subprocess.run(
        [sys.executable, "-c", BUMP_ELSEWHERE], cwd=ROOT, check=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "archive_site.settings",
             "REDIS_URL": location, "CACHE_KEY_PREFIX": ""},
    )

    deadline = time.monotonic() + 10
    while generations.current("content") == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert generations.current("content") != before


def test_clearing_the_cache_drops_this_processes_copies_at_once(redis_cache):
    before = generations.current("content")
    redis_cache.clear()
    assert generations.current("content") != before


def test_a_bump_is_seen_at_once_by_the_process_that_made_it(redis_cache):
    before = generations.current("content")
    generations.bump("content")
    assert generations.current("content") == before + 1
