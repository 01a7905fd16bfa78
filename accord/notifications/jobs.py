"""The notifications' periodic jobs (see :mod:`accord.core.periodic`)."""

from __future__ import annotations

from datetime import timedelta

from accord.core.periodic import periodic


@periodic("notifications.reminders", every=timedelta(hours=1))
def reminders() -> None:
    """Tell what has come due: action points, cycles, invitations, procedures, calls; what
    is wanted at once goes at once."""
    from accord.notifications.delivery import deliver as send
    from accord.notifications.scans import reminders_scan

    reminders_scan()
    send()


@periodic("notifications.deliver", every=timedelta(minutes=1))
def deliver() -> None:
    """Mail what is due: notifications wanted at once, and digests whose hour has come."""
    from accord.notifications.delivery import deliver as send

    send()
