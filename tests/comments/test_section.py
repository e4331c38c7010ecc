"""The comment section a post page shows readers the site knows nothing about: rendered once
and shared (comments.display), with each reader's own CSRF token and a fresh form timestamp."""

import time

import lxml.html
import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from comments.display import CSRF_STAND_IN, TOKEN_STAND_IN
from comments.models import Comment
from comments.moderation import TOKEN_SALT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    settings.PAGE_CACHE_SECONDS = 0  # the section's own cache, not the page cache's


def form_fields(response):
    form = lxml.html.fromstring(response.content).get_element_by_id("commentform")
    return {field.name: field.value or "" for field in form.inputs if field.name}


def test_each_reader_gets_their_own_csrf_token_and_can_comment(post):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_fields = form_fields(first.get(post.get_absolute_url()))
    page = second.get(post.get_absolute_url())
    second_fields = form_fields(page)

    assert first_fields["csrfmiddlewaretoken"] != second_fields["csrfmiddlewaretoken"]
    assert CSRF_STAND_IN not in page.text and TOKEN_STAND_IN not in page.text

    response = second.post(reverse("comments:post", args=[post.pk]), {
        **second_fields, "author_name": "Ann", "author_email": "ann@example.org",
        "body": "Sown in rows."})
    assert response.status_code == 302
    assert Comment.objects.filter(post=post, body="Sown in rows.").exists()


def test_the_shared_section_is_timed_from_each_request(post, monkeypatch):
    Client().get(post.get_absolute_url())
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)

    token = form_fields(Client().get(post.get_absolute_url()))["token"]

    assert signing.loads(token, salt=TOKEN_SALT)[1] == int(later)


def test_a_signed_in_reader_gets_a_section_of_their_own(post, moderator):
    Client().get(post.get_absolute_url())
    client = Client()
    client.force_login(moderator)

    page = client.get(post.get_absolute_url())

    assert "Logged in as moderator." in page.text
    assert "author_name" not in form_fields(page)
