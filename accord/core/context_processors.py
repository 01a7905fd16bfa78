"""Template context every page needs: the framework served and the reader's access."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accord.access.selectors import access_for


def accord(request: HttpRequest) -> dict[str, Any]:
    return {
        "accord_framework_code": settings.ACCORD_FRAMEWORK,
        "access": access_for(getattr(request, "user", None)),
    }
