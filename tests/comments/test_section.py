"""The comment section a post page shows readers the site knows nothing about: rendered once
and shared (comments.display), with each reader's own CSRF token and a fresh form timestamp."""

import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from comments.display import TOKEN_STAND_IN
from comments.models import Comment
from comments.moderation import TOKEN_SALT
from tests.html import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    settings.PAGE_CACHE_SECONDS = 0  # the section's own cache, not the page cache's


def comment_form(response):
    return form_fields(response.content)


def test_each_reader_gets_their_own_csrf_token_and_can_comment(post):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_fields = comment_form(first.get(post.get_absolute_url()))
    page = second.get(post.get_absolute_url())
    second_fields = comment_form(page)

    assert first_fields["csrfmiddlewaretoken"] != second_fields["csrfmiddlewaretoken"]
    assert TOKEN_STAND_IN not in page.text

    response = second.post(reverse("comments:post", args=[post.pk]), {
        **second_fields, "author_name": "Ann", "author_email": "ann@example.org",
        "body": "Sown in rows."})
    assert response.status_code == 302
    assert Comment.objects.filter(post=post, body="Sown in rows.").exists()


def test_the_shared_section_is_timed_from_each_request(post, monkeypatch):
    Client().get(post.get_absolute_url())
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)

    token = comment_form(Client().get(post.get_absolute_url()))["token"]

    assert signing.loads(token, salt=TOKEN_SALT)[1] == int(later)


def test_a_signed_in_reader_gets_a_section_of_their_own(post, moderator):
    Client().get(post.get_absolute_url())
    client = Client()
    client.force_login(moderator)

    page = client.get(post.get_absolute_url())

    assert "Logged in as moderator." in page.text
    assert "author_name" not in comment_form(page)


def test_the_pages_one_csrf_field_comes_before_the_post(post):
    # A shared copy gets each reader's token written in on its way out (archive_site.page_cache,
    # deploy/nginx): nginx stops reading at the first field, so there must be one, early.
    page = Client().get(post.get_absolute_url()).text
    assert page.count('name="csrfmiddlewaretoken"') == 1
    assert page.index('name="csrfmiddlewaretoken"') < page.index('class="entry-content"')


def test_a_page_without_a_form_has_no_csrf_field(post):
    post.comment_status = "closed"
    post.save()
    assert "csrfmiddlewaretoken" not in Client().get(post.get_absolute_url()).text
