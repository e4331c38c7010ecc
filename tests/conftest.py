import os
import time

import pytest
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.test import Client

from archive_site import fragments


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Publishing must not notify real sites from tests; linkback tests turn this back on.
    settings.LINKBACKS_SEND = False
    # The database is rolled back after each test; cached pages built from it must go too.
    cache.clear()
    fragments.process_copies().clear()
    yield
    cache.clear()


@pytest.fixture
def site():
    """A reader of the site as a WSGI server runs it (archive_site/wsgi.py: the page cache in
    front of Django), driven in-process by WebTest, with a cookie jar like a browser's.
    `site.another_reader()` is a second reader, with cookies of their own."""
    from webtest import TestApp

    from archive_site.wsgi import application

    def reader():
        app = TestApp(application, extra_environ={"HTTP_HOST": "testserver"})
        app.another_reader = reader
        return app

    # As Django's test client does: a server would close the test's transaction's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    application.local.clear()
    yield reader()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serving what a WSGI server serves (archive_site/wsgi.py:
    the page cache in front of Django), with static files as runserver serves them."""
    from pytest_django.live_server_helper import LiveServer

    from archive_site.page_cache import PageCache

    server = LiveServer(request.config.getvalue("liveserver") or "localhost", start=False)
    serve_static_files = server.thread.static_handler
    server.thread.static_handler = lambda handler: PageCache(serve_static_files(handler))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def staff_client(django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "pw", is_staff=True
    )
    staff = Client()
    staff.force_login(user)
    return staff



@pytest.fixture
def redis_cache(settings):
    """The real Redis as the cache, one database per test worker so parallel runs don't clash."""
    base = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    settings.CACHES = {
        "default": {
            "BACKEND": "archive_site.cache.ResilientRedisCache",
            "LOCATION": f"{base}/{15 - int(worker or 0) % 8}",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    cache.clear()
    assert cache.set("ping", "pong") is None and cache.get("ping") == "pong", (
        "Redis is not reachable at " + settings.CACHES["default"]["LOCATION"])
    # As in a worker that has been up a moment: its copies of hot keys are being kept.
    deadline = time.monotonic() + 5
    while not cache.mirror_is_live():
        assert time.monotonic() < deadline, "the cache mirror never subscribed"
        time.sleep(0.01)
    yield cache
    cache.clear()
