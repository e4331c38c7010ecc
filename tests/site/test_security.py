"""Production hardening: deploy checks, security headers, admin lockout, movable admin."""

import secrets

import pytest
from django.test import Client

from tests.site.test_settings import run_manage

pytestmark = pytest.mark.django_db


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0",
                        SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="example.org",
                        VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_pages_carry_a_policy_that_blocks_inline_script(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_contains_inline_script(client):
    for url in ("/", "/admin/login/"):
        text = client.get(url).text
        for chunk in text.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag or 'type="application/ld+json"' in tag or \
                'type="application/json"' in tag, f"inline script on {url}: {tag}"


def test_repeated_wrong_passwords_lock_the_admin_login(django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_superuser("boss", "boss@example.org", "right-password")
    client = Client()
    for _ in range(3):
        client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "wrong"})

    locked = client.post("/admin/login/?next=/admin/",
                         {"username": "boss", "password": "right-password"})

    assert locked.status_code == 429
    assert "locked" in locked.text.lower()
    assert "_auth_user_id" not in client.session


def test_the_admin_address_can_be_moved(tmp_path):
    result = run_manage("shell", "-c", "from django.urls import reverse; print(reverse('admin:index'))",
                        ADMIN_URL="back-office/", VAR_DIR=str(tmp_path))
    assert result.stdout.strip().splitlines()[-1] == "/back-office/"
