import datetime

import pytest
from django.utils import timezone

from tests.factories import PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_dated_post_has_a_wordpress_permalink():
    post = PostFactory(slug="on-beans",
                       published_at=timezone.make_aware(datetime.datetime(2007, 10, 21, 9)))
    assert post.get_absolute_url() == "/2007/10/21/on-beans/"


def test_undated_post_has_a_stable_permalink_without_a_date():
    post = PostFactory(slug="on-beans", published_at=None)
    assert post.get_absolute_url() == "/archives/on-beans/"


def test_pages_live_at_their_slug_path():
    parent = PageFactory(slug="about-us")
    child = PageFactory(slug="history", parent=parent)
    assert parent.get_absolute_url() == "/about-us/"
    assert child.get_absolute_url() == "/about-us/history/"


def test_non_ascii_slugs_make_working_urls(client):
    post = PostFactory(slug="परिसर-नोट", title="Notes",
                       published_at=timezone.make_aware(datetime.datetime(2010, 1, 2)))
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Notes" in response.text
