"""Scheduled posts are published when their date comes, and cached pages follow."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from posts import tasks
from posts.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def in_days(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_only_scheduled_posts_whose_date_has_come_are_published(capsys):
    due = PostFactory(title="Due", status="scheduled", published_at=in_days(3))
    later = PostFactory(title="Later", status="scheduled", published_at=in_days(5))
    PostFactory(title="Draft", status="draft", published_at=in_days(-1))
    Post.objects.filter(pk=due.pk).update(published_at=in_days(-1 / 24))  # an hour has passed

    call_command("publish_scheduled")

    assert capsys.readouterr().out.strip() == "Published 1 scheduled post(s)."
    statuses = dict(Post.objects.values_list("title", "status"))
    assert statuses == {"Due": "published", "Later": "scheduled", "Draft": "draft"}
    assert Post.objects.get(pk=later.pk).published_at == later.published_at


def test_a_cached_page_shows_a_scheduled_post_once_it_is_published(site):
    PostFactory(title="Bean harvest", status="scheduled", published_at=in_days(1))
    assert "Bean harvest" not in site.get("/").text
    Post.objects.filter(title="Bean harvest").update(published_at=in_days(-1 / 24))
    assert site.get("/").headers["X-Page-Cache"] == "hit"

    call_command("publish_scheduled")

    page = site.get("/")
    assert page.headers["X-Page-Cache"] == "miss" and "Bean harvest" in page.text


def test_a_backend_that_can_defer_publishes_at_the_post_date(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        post = PostFactory(title="Seed swap", status="scheduled", published_at=in_days(2))

    (queued,) = tasks.publish_scheduled.get_backend().results
    assert queued.task.run_after == post.published_at


def test_the_task_publishes_what_is_due_and_comes_back_for_the_next(
    settings, django_capture_on_commit_callbacks
):
    due = PostFactory(title="Due", status="scheduled", published_at=in_days(1))
    later = PostFactory(title="Later", status="scheduled", published_at=in_days(4))
    Post.objects.filter(pk=due.pk).update(published_at=in_days(-1 / 24))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.publish_scheduled.call() == 1

    assert Post.objects.get(pk=due.pk).status == Post.Status.PUBLISHED
    (queued,) = tasks.publish_scheduled.get_backend().results
    assert queued.task.run_after == later.published_at
