import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from posts.models import Post
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles(queryset):
    return set(queryset.values_list("title", flat=True))


def test_published_hides_every_unpublished_status():
    PostFactory(title="Published")
    for status in ("draft", "pending", "private"):
        PostFactory(title=status, status=status)
    PostFactory(title="Scheduled", status="scheduled",
                published_at=timezone.now() + datetime.timedelta(days=3))

    assert titles(Post.objects.published()) == {"Published"}


def test_a_scheduled_post_appears_once_its_date_has_come():
    PostFactory(title="Due", status="scheduled",
                published_at=timezone.now() - datetime.timedelta(minutes=1))

    assert titles(Post.objects.published()) == {"Due"}


def test_published_keeps_undated_archived_posts():
    PostFactory(title="Undated", published_at=None)

    assert titles(Post.objects.published()) == {"Undated"}


def test_staff_see_everything_and_others_only_published():
    PostFactory(title="Published")
    PostFactory(title="Draft", status="draft")
    PostFactory(title="Private", status="private")
    reader = UserFactory()
    staff = UserFactory(is_staff=True)

    assert titles(Post.objects.visible_to(AnonymousUser())) == {"Published"}
    assert titles(Post.objects.visible_to(reader)) == {"Published"}
    assert titles(Post.objects.visible_to(staff)) == {"Published", "Draft", "Private"}


def test_undated_posts_sort_after_dated_ones_and_sticky_first():
    PostFactory(title="Undated", published_at=None)
    PostFactory(title="Old", published_at=timezone.now() - datetime.timedelta(days=10))
    PostFactory(title="New", published_at=timezone.now() - datetime.timedelta(days=1))
    PostFactory(title="Sticky", sticky=True,
                published_at=timezone.now() - datetime.timedelta(days=100))

    assert list(Post.objects.published().values_list("title", flat=True)) == [
        "Sticky", "New", "Old", "Undated"]
