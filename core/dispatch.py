"""Dispatching Celery tasks after the commit without letting a broker outage fail the request."""

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def dispatch_on_commit(task: Any, *args: Any) -> None:
    """``task.delay(*args)`` once the surrounding transaction commits. ``delay_on_commit`` would
    raise from the commit when the broker is down, turning a request whose data is already
    stored into an error; here the failure is logged and the stored data stands (the periodic
    sweeps pick up what the task would have done)."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:
            logger.warning("Could not queue %s%r: the broker is unavailable", task.name, args)

    transaction.on_commit(send)
