"""The meetings' periodic jobs (see :mod:`accord.core.periodic`)."""

from __future__ import annotations

from datetime import timedelta

from accord.core.periodic import periodic


@periodic("meetings.close_due_procedures", every=timedelta(minutes=15))
def close_procedures() -> None:
    """Close the written and silence procedures whose deadline has passed."""
    from accord.meetings.procedures import close_due_procedures

    close_due_procedures()
