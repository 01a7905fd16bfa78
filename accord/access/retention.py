"""How long personal data is kept: addresses in the audit log, failed sign-ins."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accord.access.models import AuditEvent


def audit_addresses_prune(*, days: int) -> int:
    """Clear the address of every event older than ``days``; the events themselves stay."""
    before = timezone.now() - timedelta(days=days)
    cleared = AuditEvent.objects.filter(at__lt=before, address__isnull=False).update(address=None)
    # Failed sign-ins past their cool-off carry addresses too; django-axes clears them.
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.reset_failure_logs(age_days=days)
    return cleared
