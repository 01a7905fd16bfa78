"""Programmes: funds and the programmes funded through them, with their initiatives."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from accord.commitments.models import Programme
from accord.commitments.programme_views import programme_context
from accord.core.errors import NotFound

router = Router(tags=["commitments"])


class ProgrammeOut(Schema):
    code: str
    name: str
    funded_through: str | None
    launched_on: str | None


class ProgrammeDetailOut(ProgrammeOut):
    programmes: list[str]
    initiatives: list[int]


def programme_out(programme: Programme) -> dict:
    return {
        "code": programme.code,
        "name": programme.name,
        "funded_through": programme.parent.code if programme.parent else None,
        "launched_on": programme.launched_on.isoformat() if programme.launched_on else None,
    }


@router.get("/programmes", response=list[ProgrammeOut], summary="Funds and programmes")
def programme_list(request: HttpRequest) -> list[dict]:
    return [programme_out(p) for p in Programme.objects.select_related("parent")]


@router.get("/programmes/{code}", response=ProgrammeDetailOut, summary="One programme")
def programme_detail(request: HttpRequest, code: str) -> dict:
    try:
        context = programme_context(request.user, code)
    except Http404 as error:
        raise NotFound(f"No programme {code!r}.") from error
    return {
        **programme_out(context["programme"]),
        "programmes": [p.code for p in context["programmes"]],
        "initiatives": [i.pk for i in context["initiatives"]],
    }
