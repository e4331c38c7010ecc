"""The page cache in front of Django (archive_site/page_cache.py), through the WSGI application."""

import time

import pytest
from django.core import signing
from django.test import Client

from archive_site.cache import ResilientRedisCache
from archive_site.page_cache import new_csrf_secret
from comments import services
from comments.models import Comment
from comments.moderation import TOKEN_SALT
from tests.factories import CategoryFactory, CommentFactory, PostFactory
from tests.html import form_fields

pytestmark = pytest.mark.django_db


def test_an_anonymous_page_is_served_from_the_cache_without_queries(
    site, redis_cache, django_assert_num_queries
):
    PostFactory(title="Runner beans")
    first = site.get("/")
    with django_assert_num_queries(0):
        second = site.get("/")

    assert first.headers["X-Page-Cache"] == "miss" and second.headers["X-Page-Cache"] == "hit"
    assert "Runner beans" in second.text


def test_a_hit_from_the_process_copy_asks_the_shared_cache_nothing(site, redis_cache,
                                                                    monkeypatch):
    PostFactory()
    site.get("/")
    asked = []
    for method in ("get", "get_many"):
        monkeypatch.setattr(ResilientRedisCache, method, lambda *args, **kwargs: asked.append(args))

    assert site.get("/").headers["X-Page-Cache"] == "hit"
    assert asked == []


def test_another_process_serves_the_page_from_the_shared_cache(site, redis_cache):
    PostFactory(title="Shared beans")
    site.get("/")
    site.app.local.clear()  # as a worker that never saw the page

    again = site.another_reader().get("/")

    assert again.headers["X-Page-Cache"] == "hit" and "Shared beans" in again.text


def test_a_new_release_of_the_code_builds_its_own_pages(site, redis_cache, settings):
    PostFactory()
    site.get("/")
    assert site.get("/").headers["X-Page-Cache"] == "hit"

    settings.RELEASE = "the-next-one"

    assert site.get("/").headers["X-Page-Cache"] == "miss"


def test_publishing_a_post_shows_it_at_once(site, redis_cache):
    site.get("/")
    draft = PostFactory(title="Broad beans", status="draft")
    assert "Broad beans" not in site.get("/").text

    draft.status = "published"
    draft.save()

    assert "Broad beans" in site.get("/").text


def test_editing_a_post_updates_its_page(site, redis_cache):
    post = PostFactory(body="Sown in March.")
    assert "Sown in March." in site.get(post.get_absolute_url()).text

    post.body = "Sown in April."
    post.save()

    assert "Sown in April." in site.get(post.get_absolute_url()).text


def test_renaming_a_category_updates_pages_that_show_it(site, redis_cache):
    category = CategoryFactory(name="Pulses", slug="pulses")
    post = PostFactory(categories=[category])
    assert "Pulses" in site.get(post.get_absolute_url()).text

    category.name = "Legumes"
    category.save()

    assert "Legumes" in site.get(post.get_absolute_url()).text
    assert "Legumes" in site.get("/category/pulses/").text


def test_approving_a_comment_shows_it_on_the_cached_page(site, redis_cache):
    comment = CommentFactory(status="pending", body="Waiting for a moderator.")
    url = comment.post.get_absolute_url()
    assert "Waiting for a moderator." not in site.get(url).text
    assert site.get(url).headers["X-Page-Cache"] == "hit"

    services.approve(Comment.objects.filter(pk=comment.pk))

    assert "Waiting for a moderator." in site.get(url).text


def test_signed_in_readers_never_get_or_fill_the_cache(site, redis_cache, django_user_model):
    PostFactory(title="Shared page")
    editor = Client()
    editor.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    site.set_cookie("sessionid", editor.cookies["sessionid"].value)
    staff_page = site.get("/")
    assert "X-Page-Cache" not in staff_page.headers

    anonymous = site.another_reader().get("/")
    assert anonymous.headers["X-Page-Cache"] == "miss"
    assert "sessionid" not in anonymous.headers.get("Set-Cookie", "")


def test_a_reader_with_a_session_or_a_message_bypasses_the_cache(site, redis_cache):
    site.get("/")
    for cookie in ("sessionid", "messages"):
        reader = site.another_reader()
        reader.set_cookie(cookie, "something")
        assert "X-Page-Cache" not in reader.get("/").headers


def test_etag_and_last_modified_answer_304(site, redis_cache):
    PostFactory()
    first = site.get("/")
    assert site.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_int == 304
    assert site.get("/", headers={"If-Modified-Since": first.headers["Last-Modified"]}
                    ).status_int == 304


def test_a_304_is_only_for_the_readers_own_copy_of_a_page_with_a_form(site, redis_cache):
    post = PostFactory()
    site.set_cookie("csrftoken", new_csrf_secret())
    first = site.get(post.get_absolute_url())

    other = site.another_reader()
    other.set_cookie("csrftoken", new_csrf_secret())
    answer = other.get(post.get_absolute_url(), headers={"If-None-Match": first.headers["ETag"]})

    assert answer.status_int == 200
    assert other.cookies["csrftoken"] in answer.text


def test_a_head_request_gets_the_headers_of_the_cached_page(site, redis_cache):
    PostFactory()
    page = site.get("/")
    head = site.head("/")
    assert head.headers["X-Page-Cache"] == "hit" and head.body == b""
    assert head.headers["Content-Length"] == page.headers["Content-Length"]


def test_unknown_query_parameters_are_not_cached(site, redis_cache):
    assert "X-Page-Cache" not in site.get("/?utm_source=x").headers


def test_the_page_cache_can_be_turned_off(site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    site.get("/")
    assert "X-Page-Cache" not in site.get("/").headers


def test_without_redis_the_site_still_serves_uncached(site, settings):
    settings.CACHES = {"default": {"BACKEND": "archive_site.cache.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    PostFactory(title="Still here")
    for _ in range(2):
        response = site.get("/")
        assert "Still here" in response.text and "X-Page-Cache" not in response.headers


def test_pages_from_the_cache_carry_the_security_headers(site, redis_cache):
    site.get("/")
    hit = site.get("/")
    assert hit.headers["X-Page-Cache"] == "hit"
    assert "script-src 'self'" in hit.headers["Content-Security-Policy"]
    assert hit.headers["X-Frame-Options"] == "DENY"
    assert hit.headers["X-Content-Type-Options"] == "nosniff"


def test_a_reader_served_a_cached_page_can_still_comment(site, redis_cache, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    post = PostFactory()
    site.get(post.get_absolute_url())

    reader = site.another_reader()
    page = reader.get(post.get_absolute_url())
    assert page.headers["X-Page-Cache"] == "hit"
    fields = {**form_fields(page.body), "author_name": "Ann", "author_email": "ann@example.org",
              "body": "Fine."}
    response = reader.post(page.forms["commentform"].action, fields)

    assert response.status_int == 302
    assert Comment.objects.filter(body="Fine.").exists()


def test_a_returning_reader_keeps_their_csrf_secret(site, redis_cache):
    post = PostFactory()
    secret = new_csrf_secret()
    site.get(post.get_absolute_url())
    site.set_cookie("csrftoken", secret)

    page = site.get(post.get_absolute_url())

    assert form_fields(page.body)["csrfmiddlewaretoken"] == secret
    assert f"csrftoken={secret};" in page.headers["Set-Cookie"]


def test_cached_pages_never_share_a_csrf_token(site, redis_cache):
    post = PostFactory()
    first = site.get(post.get_absolute_url())
    second = site.another_reader().get(post.get_absolute_url())
    assert second.headers["X-Page-Cache"] == "hit"
    first_token = form_fields(first.body)["csrfmiddlewaretoken"]
    second_token = form_fields(second.body)["csrfmiddlewaretoken"]
    assert first_token != second_token
    assert f"csrftoken={second_token};" in second.headers["Set-Cookie"]


def test_cached_forms_are_timed_from_the_hit_not_from_caching(site, redis_cache, monkeypatch):
    post = PostFactory()
    site.get(post.get_absolute_url())
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)

    token = form_fields(site.get(post.get_absolute_url()).body)["token"]

    assert signing.loads(token, salt=TOKEN_SALT)[1] == int(later)
