"""
Enqueueing background tasks (django-tasks) from the code that asks for them.

A task is enqueued only once the transaction that asked for it has committed (a worker must find
the rows it reads), and a queue that cannot be reached is logged, never raised: no reader's
request fails because mail or a linkback could not be queued. A task that fails is recorded and
logged by django-tasks.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def schedule(background_task, *args) -> None:
    def enqueue():
        try:
            background_task.enqueue(*args)
        except Exception:
            logger.exception("Could not enqueue %s%r", background_task.name, args)

    transaction.on_commit(enqueue, robust=True)
