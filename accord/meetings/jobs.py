"""The meetings app's periodic jobs (see :mod:`accord.core.periodic`)."""

from __future__ import annotations

from datetime import timedelta

from accord.core.periodic import periodic


@periodic("procedures.close_due", every=timedelta(minutes=5))
def close_due_procedures() -> None:
    """Close the written and silence procedures whose last day has passed."""
    from accord.meetings.procedures import close_due_procedures as close_due

    close_due()
