"""Hostile or broken requests get a 4xx that says what went wrong, never a 500."""

import xmlrpc.client

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.moderation import Policy
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

STRANGE_TEXT = [
    "nul \x00 inside",
    "escape \x1b[31m red",
    "bell \x07 and backspace \x08",
    "right-to-left \u202e override",
    "zero\u200bwidth",
    "emoji 🌱🚲",
    "combining e\u0301\u0301\u0301",
    "surrogate-like \udcff"[:14],
    "\ufeffbyte order mark",
    "x" * 20_000,
]


@pytest.fixture
def client():
    # Errors must come back as pages, as a reader would see them, not as test exceptions.
    return Client(raise_request_exception=False)


@pytest.fixture
def post(settings):
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 1000
    return PostFactory()


def send_comment(client, post, **fields):
    data = {"author_name": "Ann", "author_email": "ann@example.org", "author_url": "",
            "body": "Beans.", "parent": "", "homepage": "",
            "token": Policy.current().issue_token(post), **fields}
    return client.post(reverse("comments:post", args=[post.pk]), data)


@pytest.mark.parametrize("field", ["author_name", "author_email", "author_url", "body",
                                   "parent", "token", "homepage"])
@pytest.mark.parametrize("text", STRANGE_TEXT, ids=range(len(STRANGE_TEXT)))
def test_strange_characters_in_any_comment_field_never_cause_an_error(client, post, field, text):
    response = send_comment(client, post, **{field: text})
    assert response.status_code in (302, 400, 403, 429), response.status_code
    if response.status_code == 400:
        assert "<h1" in response.text  # a page that explains, with the reader's text kept
    if "\x00" in text:
        # Refused: PostgreSQL could not even store it.
        assert response.status_code == 400


def test_an_oversized_comment_body_is_refused_with_a_page(client, post, settings):
    response = send_comment(client, post, body="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10))
    assert response.status_code == 400
    assert "could not be read" in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("text", STRANGE_TEXT, ids=range(len(STRANGE_TEXT)))
def test_strange_search_queries_are_answered(client, text):
    response = client.get("/search/", {"q": text})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("path", [
    "/" + "a" * 5000 + "/",
    "/2007/10/21/" + "ž" * 3000 + "/",
    "/category/" + "x" * 4000 + "/",
    "/?page=" + "9" * 5000,
    "/page/" + "9" * 50 + "/",
    "/search/?q=" + "word " * 5000,
    "/2007/99/99/",
])
def test_very_long_or_odd_addresses_are_4xx(client, path):
    assert 400 <= client.get(path).status_code < 500


def test_a_wordpress_query_for_no_known_post_is_not_an_error(client):
    assert client.get("/?p=" + "1" * 5000).status_code in (200, 404)


def test_oversized_and_malformed_xmlrpc_get_clear_answers(client):
    huge = client.post("/xmlrpc/", data=b"<x>" + b"a" * 200_000 + b"</x>",
                       content_type="text/xml")
    assert huge.status_code == 413
    for body in (b"<methodCall><methodName>pingback.ping", b"not xml at all", b"",
                 b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><methodCall/>'):
        response = client.post("/xmlrpc/", data=body, content_type="text/xml")
        assert response.status_code < 500
        with pytest.raises(xmlrpc.client.Fault):
            xmlrpc.client.loads(response.content)


def test_admin_login_with_control_characters_is_a_form_error(client):
    response = client.post("/admin/login/", {"username": "ad\x00min", "password": "\x1b"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.text or "correct" in response.text
