"""The core's periodic jobs (see :mod:`accord.core.periodic`)."""

from __future__ import annotations

from datetime import timedelta

from accord.core.periodic import periodic


@periodic("core.forget_data_changes", every=timedelta(minutes=10))
def forget_data_changes() -> None:
    """PostgreSQL: drop from the log of writes what no kept answer or figure can need."""
    from accord.core import data_state

    data_state.forget_changes()
