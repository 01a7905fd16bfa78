"""A programme's page: what it is, what funds it, and its initiatives as the reader sees them."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.commitments.models import Initiative, Programme


def programme_context(user: Any, code: str) -> dict[str, Any]:
    programme = Programme.objects.select_related("parent").filter(code=code).first()
    if programme is None:
        raise Http404(f"No programme {code!r}.")
    codes = [programme.pk, *programme.programmes.values_list("pk", flat=True)]
    initiatives = (
        Initiative.objects.visible_to(user)
        .filter(programme_id__in=codes)
        .select_related("partner", "programme")
        .order_by("start_on", "pk")
    )
    return {
        "programme": programme,
        "programmes": list(programme.programmes.all()),
        "initiatives": list(initiatives),
    }


def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request, "commitments/programme_detail.html", programme_context(request.user, code)
    )
