import pytest

from tests.factories import CategoryFactory, PostFactory
from tests.html import main_text

pytestmark = pytest.mark.django_db


def test_search_page_lists_ranked_hits_with_snippets(client):
    post = PostFactory(title="Mulch", body="Straw mulch keeps the soil damp.")

    response = client.get("/search/", {"q": "mulch"})

    assert response.status_code == 200
    text = main_text(response)
    assert "1 result" in text
    assert f'<a href="{post.get_absolute_url()}">Mulch</a>' in text
    assert "<mark>mulch</mark>" in text.lower()
    assert '<meta name="robots" content="noindex">' in response.text


def test_search_results_are_paginated_keeping_the_query(client, settings):
    settings.POSTS_PER_PAGE = 2
    for n in range(5):
        PostFactory(title=f"Seedlings {n}")

    first = client.get("/search/", {"q": "seedlings"})
    third = client.get("/search/", {"q": "seedlings", "page": 3})

    assert "Page 1 of 3" in first.text
    assert "?q=seedlings&amp;page=2" in first.text
    assert third.text.count('class="entry search-result"') == 1
    assert "Page 3 of 3" in client.get("/search/", {"q": "seedlings", "page": 9}).text


def test_filters_come_from_the_form(client):
    herbs = CategoryFactory(slug="herbs")
    PostFactory(title="Basil", categories=[herbs])
    PostFactory(title="Basil again")

    text = main_text(client.get("/search/", {"q": "basil", "category": "herbs", "kind": "post"}))

    assert "Basil again" not in text
    assert "1 result" in text


def test_an_empty_search_shows_the_form(client):
    response = client.get("/search/")

    assert response.status_code == 200
    assert 'name="q"' in response.text
    assert "result" not in main_text(response)


@pytest.mark.parametrize("params", [
    {"q": "x" * 201},
    {"q": "-beans"},
    {"q": "beans", "year": "last"},
    {"q": "beans", "category": "no-such-category"},
    {"q": "beans", "kind": "attachment"},
    {"q": "beans", "page": "x"},
    {"q": "beans\x00"},
])
def test_bad_searches_get_a_friendly_400(client, params):
    response = client.get("/search/", params)

    assert response.status_code == 400
    assert "That search could not be run" in response.text


def test_wordpress_search_links_lead_here(client):
    response = client.get("/", {"s": "runner beans"})

    assert response.status_code == 301
    assert response["Location"] == "/search/?q=runner+beans"


def test_a_page_of_results_costs_the_same_queries_however_many_hits(client, django_assert_max_num_queries):
    for n in range(10):
        PostFactory(title=f"Onions {n}", categories=[CategoryFactory()])
    client.get("/")  # fills the sidebar's cache

    with django_assert_max_num_queries(5):
        response = client.get("/search/", {"q": "onions"})

    assert response.text.count('class="entry search-result"') == 10
