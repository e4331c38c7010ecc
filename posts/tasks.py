"""
Publishing scheduled posts when they fall due: a task deferred to the next post's date where the
task backend can defer (django_tasks_db), and `manage.py publish_scheduled` from cron where not.
"""

from django.db import transaction
from django_tasks import task

from . import services


@task()
def publish_scheduled() -> int:
    published = services.publish_due()
    schedule_next_publication()
    return published


def schedule_next_publication() -> None:
    when = services.next_scheduled_at()
    if when is not None and publish_scheduled.get_backend().supports_defer:
        transaction.on_commit(lambda: publish_scheduled.using(run_after=when).enqueue(), robust=True)
