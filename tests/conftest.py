import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
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

