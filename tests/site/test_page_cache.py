import pytest
from django.test import Client

from tests.factories import CategoryFactory, PostFactory

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
