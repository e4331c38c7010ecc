"""
Publishing scheduled posts when they fall due: a task deferred to a post's date where the task
backend can defer (django_tasks_db), and `manage.py publish_scheduled` from cron where not.
"""

from django_tasks import task

from archive_site.tasks import schedule

from . import services


@task()
def publish_scheduled() -> int:
    published = services.publish_due()
    if (next_due := services.next_scheduled_at()) is not None:
        schedule_publication(next_due)
    return published


def schedule_publication(when) -> None:
    """Come back at `when` to publish what is due then, if the backend can defer tasks."""
    if publish_scheduled.get_backend().supports_defer:
        schedule(publish_scheduled.using(run_after=when))
