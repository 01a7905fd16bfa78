"""The worker's machinery: schedules kept in step with the registered periodic jobs, and
one pass over what is due, run in the calling process (``accord worker --once``)."""

from __future__ import annotations

import logging
import pydoc
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accord.core.periodic import periodic_jobs

logger = logging.getLogger(__name__)

#: Schedules of registered jobs carry this prefix; others (made in the admin) are left alone.
PREFIX = "accord:"


def schedules_sync() -> int:
    """One django-q schedule per registered periodic job, by name, at its interval; the
    schedules of jobs no longer registered are removed. The number of jobs."""
    from django_q.models import Schedule

    jobs = periodic_jobs()
    names = {PREFIX + job.name for job in jobs}
    Schedule.objects.filter(name__startswith=PREFIX).exclude(name__in=names).delete()
    for job in jobs:
        schedule = Schedule.objects.filter(name=PREFIX + job.name).first()
        if schedule is None:
            Schedule.objects.create(
                name=PREFIX + job.name,
                func=job.func,
                schedule_type=Schedule.MINUTES,
                minutes=job.minutes,
                repeats=-1,
                next_run=timezone.now() - timedelta(seconds=1),  # due at the first pass
            )
        elif schedule.func != job.func or schedule.minutes != job.minutes:
            schedule.func = job.func
            schedule.schedule_type = Schedule.MINUTES
            schedule.minutes = job.minutes
            schedule.save(update_fields=["func", "schedule_type", "minutes"])
    return len(jobs)


@dataclass
class Pass:
    """What one pass ran: task names done and failed."""

    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def run_once(*, limit: int = 10_000) -> Pass:
    """Queue every schedule due now (django-q's own scheduler), then run every queued task
    in this process until the queue is empty (tasks may queue others), ``limit`` at most."""
    from django.db import transaction
    from django_q import scheduler as q_scheduler
    from django_q.brokers import get_broker
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    schedules_sync()
    broker = get_broker()
    if transaction.get_autocommit():
        q_scheduler.scheduler(broker=broker)
    else:
        # Called inside a transaction (a test, a caller's atomic block): the scheduler's
        # closing of old connections would close the caller's own, mid-transaction.
        closing = q_scheduler.close_old_django_connections
        q_scheduler.close_old_django_connections = lambda: None
        try:
            q_scheduler.scheduler(broker=broker)
        finally:
            q_scheduler.close_old_django_connections = closing
    result = Pass()
    while len(result.done) + len(result.failed) < limit:
        # The ORM broker's own dequeue waits for a task's lock to pass; here a task queued
        # this very instant (time stands still in tests) is due too.
        task_row = (
            OrmQ.objects.filter(key=broker.list_key, lock__lte=timezone.now())
            .order_by("pk")
            .first()
        )
        if task_row is None:
            break
        claimed = OrmQ.objects.filter(pk=task_row.pk, lock=task_row.lock).update(
            lock=broker.timeout(task_row)
        )
        if not claimed:  # a running worker took it first
            continue
        task = SignedPackage.loads(task_row.payload)
        name = task["func"] if isinstance(task["func"], str) else repr(task["func"])
        try:
            func = pydoc.locate(task["func"]) if isinstance(task["func"], str) else task["func"]
            if not callable(func):
                raise LookupError(f"no function {name}")
            func(*task.get("args", ()), **task.get("kwargs", {}))
        except Exception:
            logger.exception("Task %s failed", name)
            result.failed.append(name)
        else:
            result.done.append(name)
        broker.acknowledge(task_row.pk)
    return result
