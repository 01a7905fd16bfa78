"""``/health/``: the answer a load balancer asks each server for, reading no record.

It goes through the whole middleware stack and nothing else, so it is also the floor of
``accord bench --load``: the most a server can answer per second on this machine.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """``ok``, as plain text."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
