"""Response headers every page carries beyond Django's own: the Permissions-Policy; and the
Content-Security-Policy allowance of a standalone document's own styles."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """Refuses the browser features Accord never uses (camera, microphone, location...)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = settings.ACCORD_PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


_STYLE_BLOCK = re.compile(rb"<style[^>]*>(.*?)</style>", re.S | re.I)


def allow_own_styles(response: HttpResponse) -> HttpResponse:
    """Let a standalone HTML document (a briefing pack opened in the browser) use the
    ``<style>`` blocks it carries, and no other: each block's SHA-256 joins the response's
    Content-Security-Policy ``style-src``; scripts stay refused."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(block).digest()).decode() + "'"
        for block in _STYLE_BLOCK.findall(response.content)
    ]
    if hashes:
        response._csp_update = {"style-src": hashes}  # type: ignore[attr-defined]
    return response
