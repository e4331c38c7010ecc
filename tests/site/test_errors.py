import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from posts import views

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_bug_shows_the_friendly_500_page(client, monkeypatch):
    monkeypatch.setattr(views.HomeView, "get", lambda *a, **k: 1 / 0)
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text


def test_a_lost_database_is_a_503_that_keeps_the_readers_text(client, monkeypatch):
    def unavailable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.HomeView, "get", unavailable)
    monkeypatch.setattr(views.HomeView, "post", unavailable, raising=False)
    assert client.get("/").status_code == 503
    response = client.post("/", {"body": "My words, not lost."})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Your comment was not saved" in response.text
    assert "My words, not lost." in response.text


def test_a_failed_csrf_check_gets_the_sites_own_403_page(settings):
    settings.DEBUG = True  # Django's own page would explain its reasons here; ours never does
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "<b>ann-gardener</b>", "password": "pw"})
    assert response.status_code == 403
    assert "That form could not be sent" in response.text
    assert 'class="site-header"' in response.text
    assert "CSRF" not in response.text and "Reason given" not in response.text
    assert "ann-gardener" not in response.text
