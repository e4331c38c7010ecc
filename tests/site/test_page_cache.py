import time

import lxml.html
import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment
from comments.moderation import TOKEN_SALT
from tests.factories import CategoryFactory, CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def fetch(url, client=None):
    return (client or Client()).get(url)


def test_an_anonymous_page_is_served_from_the_cache_without_queries(
    redis_cache, django_assert_num_queries
):
    PostFactory(title="Runner beans")
    first = fetch("/")
    with django_assert_num_queries(0):
        second = fetch("/")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "Runner beans" in second.text


def test_publishing_a_post_shows_it_at_once(redis_cache):
    fetch("/")
    draft = PostFactory(title="Broad beans", status="draft")
    assert "Broad beans" not in fetch("/").text

    draft.status = "published"
    draft.save()

    assert "Broad beans" in fetch("/").text


def test_editing_a_post_updates_its_page(redis_cache):
    post = PostFactory(body="Sown in March.")
    assert "Sown in March." in fetch(post.get_absolute_url()).text

    post.body = "Sown in April."
    post.save()

    assert "Sown in April." in fetch(post.get_absolute_url()).text


def test_renaming_a_category_updates_pages_that_show_it(redis_cache):
    category = CategoryFactory(name="Pulses", slug="pulses")
    post = PostFactory(categories=[category])
    assert "Pulses" in fetch(post.get_absolute_url()).text

    category.name = "Legumes"
    category.save()

    assert "Legumes" in fetch(post.get_absolute_url()).text
    assert "Legumes" in fetch("/category/pulses/").text


def test_logged_in_readers_never_get_or_fill_the_cache(redis_cache, staff_client):
    PostFactory(title="Shared page")
    staff_page = staff_client.get("/")
    assert "X-Page-Cache" not in staff_page

    anonymous = fetch("/")
    assert anonymous["X-Page-Cache"] == "miss"
    assert "sessionid" not in anonymous.cookies


def test_a_reader_with_a_session_bypasses_the_cache(redis_cache):
    fetch("/")
    reader = Client()
    reader.cookies["sessionid"] = "something"
    assert "X-Page-Cache" not in reader.get("/")


def test_etag_and_last_modified_answer_304(redis_cache):
    PostFactory()
    first = fetch("/")
    client = Client()
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_unknown_query_parameters_are_not_cached(redis_cache):
    assert "X-Page-Cache" not in fetch("/?utm_source=x")


def test_without_redis_the_site_still_serves_uncached(settings):
    settings.CACHES = {"default": {"BACKEND": "archive_site.cache.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    PostFactory(title="Still here")
    response = fetch("/")
    assert response.status_code == 200 and "Still here" in response.text


def test_pages_from_the_cache_carry_the_security_headers(redis_cache):
    fetch("/")
    hit = fetch("/")
    assert hit["X-Page-Cache"] == "hit"
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["X-Content-Type-Options"] == "nosniff"


def hidden_inputs(html):
    form = lxml.html.fromstring(html).get_element_by_id("commentform")
    return {field.name: field.value or "" for field in form.inputs if field.name}


def test_a_reader_served_a_cached_page_can_still_comment(redis_cache, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    post = PostFactory()
    first_reader = Client(enforce_csrf_checks=True)
    first_reader.get(post.get_absolute_url())

    second_reader = Client(enforce_csrf_checks=True)
    page = second_reader.get(post.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    fields = hidden_inputs(page.content)
    fields.update(author_name="Ann", author_email="ann@example.org", body="Fine beans.")
    response = second_reader.post(reverse("comments:post", args=[post.pk]), fields)

    assert response.status_code == 302
    assert Comment.objects.filter(body="Fine beans.").exists()


def test_cached_pages_never_share_a_csrf_token(redis_cache):
    post = PostFactory()
    first = Client().get(post.get_absolute_url())
    second = Client().get(post.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert (hidden_inputs(first.content)["csrfmiddlewaretoken"]
            != hidden_inputs(second.content)["csrfmiddlewaretoken"])
    assert second.cookies["csrftoken"].value


def test_cached_forms_are_timed_from_the_hit_not_from_caching(redis_cache, monkeypatch):
    post = PostFactory()
    Client().get(post.get_absolute_url())
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)

    token = hidden_inputs(Client().get(post.get_absolute_url()).content)["token"]

    assert signing.loads(token, salt=TOKEN_SALT)[1] == int(later)


def test_approving_a_comment_shows_it_on_the_cached_page(redis_cache):
    comment = CommentFactory(status="pending", body="Waiting for a moderator.")
    url = comment.post.get_absolute_url()
    assert "Waiting for a moderator." not in fetch(url).text
    assert fetch(url)["X-Page-Cache"] == "hit"

    services.approve(Comment.objects.filter(pk=comment.pk))

    assert "Waiting for a moderator." in fetch(url).text
