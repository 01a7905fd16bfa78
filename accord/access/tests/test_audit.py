"""The audit log: an event keeps who, what, which record and from where, past a deletion."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accord.access.audit import audit_record, request_address
from accord.access.models import AuditEvent
from accord.partners.tests.factories import OrganisationFactory


def test_an_event_outlives_its_record(make_user: Any) -> None:
    clerk = make_user("clerk", ("IOM", "secretariat"))
    partner = OrganisationFactory(acronym="ZZZ")
    with request_address("192.0.2.7"):
        audit_record(actor=clerk, verb="partner.renamed", target=partner, data={"to": "Z"})
    partner.delete()

    event = AuditEvent.objects.get(verb="partner.renamed")
    assert (event.actor_name, event.target_type, event.target_label) == (
        "clerk",
        "partners.organisation",
        str(partner),
    )
    assert event.address == "192.0.2.7"
    assert event.data == {"to": "Z"}


def test_the_middleware_gives_the_request_address(make_user: Any) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from accord.access.middleware import AuditAddressMiddleware

    def view(request: Any) -> HttpResponse:
        audit_record(actor=None, verb="page.read")
        return HttpResponse("ok")

    AuditAddressMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="198.51.100.4"))
    assert AuditEvent.objects.get(verb="page.read").address == "198.51.100.4"
    assert Client().get("/").status_code == 200
