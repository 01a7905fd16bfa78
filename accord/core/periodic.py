"""Periodic jobs: the one way an app asks the worker to run something every so often.

An app declares a job where it lives, as a module-level function::

    from accord.core.periodic import periodic

    @periodic("procedures.close_due", every=timedelta(minutes=5))
    def close_due_procedures() -> None: ...

and imports that module from its ``AppConfig.ready()`` so that the job is registered when
Django starts. ``accord worker`` keeps one django-q schedule per registered job (by name,
running the function by its dotted path); ``accord worker --once`` runs, in its own
process, every job that is due now, then exits. A job takes no argument and is written to
run again safely: it may run late, and after a failure it runs again at its next turn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

__all__ = ["PeriodicJob", "periodic", "periodic_jobs"]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    func: str  # dotted path, as the queue stores it

    @property
    def minutes(self) -> int:
        return max(1, int(self.every.total_seconds() // 60))


_JOBS: dict[str, PeriodicJob] = {}


def periodic(name: str, every: timedelta) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register the decorated function as the job ``name``, run every ``every`` (a minute
    at least)."""

    def register(func: Callable[[], object]) -> Callable[[], object]:
        _JOBS[name] = PeriodicJob(
            name=name, every=every, func=f"{func.__module__}.{func.__qualname__}"
        )
        return func

    return register


def periodic_jobs() -> list[PeriodicJob]:
    """The registered jobs, by name."""
    return [_JOBS[name] for name in sorted(_JOBS)]
