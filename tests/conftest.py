import os

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Publishing must not notify real sites from tests; linkback tests turn this back on.
    settings.LINKBACKS_SEND = False
    # The database is rolled back after each test; cached pages built from it must go too.
    cache.clear()
    yield
    cache.clear()


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
    yield cache
    cache.clear()
