"""
Background work for linkbacks: verifying what we received and sending what we owe.

In production these run in `manage.py db_worker` (django-tasks' database backend); the
default immediate backend runs them in-process. They are enqueued through
archive_site.tasks.schedule, so only once the transaction that asked for them has committed.
"""

import dataclasses

from django_tasks import task

from posts.models import Post

from . import receiving, sending


@task()
def verify_webmention(source_url: str, target_url: str, post_id: int, ip_address: str | None,
                      user_agent: str) -> dict:
    outcome = receiving.process_webmention(source_url=source_url, target_url=target_url, post_id=post_id,
                                           ip_address=ip_address, user_agent=user_agent)
    return dataclasses.asdict(outcome)


@task()
def verify_trackback(comment_id: int) -> dict:
    return dataclasses.asdict(receiving.verify_trackback(comment_id=comment_id))


@task()
def send_post_linkbacks(post_id: int) -> dict:
    post = Post.objects.published().filter(pk=post_id).first()
    report = sending.send_for_post(post=post) if post is not None else {}
    schedule_retries()
    return dict(report)


@task()
def retry_linkbacks() -> dict:
    report = sending.retry_due()
    schedule_retries()
    return dict(report)


def schedule_retries() -> None:
    """Come back when the next retry is due, if the backend can defer tasks (the database one
    can). Otherwise `manage.py send_linkbacks`, run from cron, retries whatever is due."""
    when = sending.next_retry_at()
    if when is not None and retry_linkbacks.get_backend().supports_defer:
        retry_linkbacks.using(run_after=when).enqueue()
