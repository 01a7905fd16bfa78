"""What the header offers a signed-in user: their account, people, the audit log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accord.access.user_permissions import can_designate_contributors, can_read_audit_log


def account_links(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "can_manage_people": can_designate_contributors(user),
        "can_read_audit": can_read_audit_log(user),
    }
