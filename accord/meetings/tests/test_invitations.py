"""Invitations: member partners' delegates invited, answers by signed link, reminders and
the roll call, through the services, the pages and the API."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from accord.access.models import AuditEvent
from accord.core.errors import Invalid
from accord.meetings import invitations, services
from accord.meetings.models import Invitation, Participant

pytestmark = pytest.mark.django_db(transaction=False)


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def next_som(som, secretariat):
    from accord.meetings.selectors import meeting_get

    services.meeting_create(tier=som(1).tier, date="2026-06-01", by=secretariat)
    return meeting_get(user=secretariat, key="som-12")


def _link_token(message) -> str:
    link = next(line for line in message.body.splitlines() if "/invitations/" in line)
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_invite_answer_remind_and_take_attendance(
    next_som, org, secretariat, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = invitations.invitation_send(
            meeting=next_som,
            organisation=org("IOM"),
            emails=["a.delegate@iom.int", "b.delegate@iom.int"],
            base_url="http://testserver/",
            by=secretariat,
        )
    assert len(sent) == 2
    assert len(mail.outbox) == 2
    assert "12th Senior Officials Meeting" in mail.outbox[0].subject
    token = _link_token(mail.outbox[0])

    # The invitee answers on the page of the link, without logging in.
    page = client.get(reverse("invitation-answer", args=[token]))
    assert page.status_code == 200
    refused = client.post(reverse("invitation-answer", args=[token]), {"answer": "delegate"})
    assert refused.status_code == 422
    assert "Name the delegate" in refused.content.decode()
    answered = client.post(
        reverse("invitation-answer", args=[token]),
        {"answer": "delegate", "delegate_name": "Carla Diaz"},
    )
    assert answered.status_code == 200
    first = Invitation.objects.get(pk=sent[0].pk)
    assert (first.answer, first.delegate_name) == ("delegate", "Carla Diaz")
    assert client.get(reverse("invitation-answer", args=[token + "x"])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            invitations.invitation_remind(
                meeting=next_som, base_url="http://testserver/", by=secretariat
            )
            == 1
        )
    assert mail.outbox[-1].subject.startswith("Reminder")

    invitations.attendance_take(meeting=next_som, present=[first.pk], by=secretariat)
    first.refresh_from_db()
    assert first.attended is True
    assert Invitation.objects.get(pk=sent[1].pk).attended is False
    kept = Participant.objects.get(meeting=next_som, person__full_name="Carla Diaz")
    assert (kept.organisation.acronym, kept.attended) == ("IOM", True)
    # Once attendance is taken the answer is final.
    assert (
        client.post(reverse("invitation-answer", args=[token]), {"answer": "attending"}).status_code
        == 403
    )
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("invitation.sent") == 2
    assert {"invitation.answered", "attendance.taken"} <= set(verbs)


def test_only_member_partners_are_invited(next_som, org, secretariat, make_user):
    outsider = make_user("x", ("UNHCR", "focal_point"))
    with pytest.raises(Invalid, match="not a member"):
        invitations.invitation_send(
            meeting=next_som,
            organisation=org("UNHCR"),
            emails=["someone@unhcr.org"],
            base_url="http://testserver/",
            by=secretariat,
        )
    with pytest.raises(Exception, match="secretariat"):
        invitations.invitation_send(
            meeting=next_som,
            organisation=org("IOM"),
            emails=["someone@iom.int"],
            base_url="http://testserver/",
            by=outsider,
        )


def test_invitations_through_the_api(next_som, secretariat, api_client, client, home_focal):
    sec = api_client(secretariat)
    made = send(
        sec,
        "post",
        "/api/v1/meetings/som-12/invitations",
        {"partner": "DG HOME", "emails": ["d@home.eu", "e@home.eu"]},
    )
    assert made.status_code == 201, made.content
    assert [i["answer"] for i in made.json()] == ["pending", "pending"]
    assert (
        send(
            sec,
            "post",
            "/api/v1/meetings/som-12/invitations",
            {"partner": "DG HOME", "emails": ["not an address"]},
        ).status_code
        == 422
    )
    invitation = Invitation.objects.get(email="d@home.eu")
    token = invitations.invitation_token(invitation)
    answered = send(client, "post", f"/api/v1/invitations/{token}/answer", {"answer": "attending"})
    assert answered.status_code == 200, answered.content
    assert answered.json()["answer"] == "attending"
    listed = sec.get("/api/v1/meetings/som-12/invitations").json()
    assert listed["count"] == 2
    assert sec.post("/api/v1/meetings/som-12/invitations/remind").json() == {"reminded": 1}
    taken = send(sec, "post", "/api/v1/meetings/som-12/attendance", {"present": [invitation.pk]})
    assert taken.status_code == 200, taken.content
    assert [i["attended"] for i in taken.json()["invitations"]] == [True, False]
    assert api_client(home_focal).get("/api/v1/meetings/som-12/invitations").status_code == 403
    assert client.get(f"/api/v1/invitations/{token}x").status_code == 404


def test_invitation_pages_for_the_secretariat(next_som, secretariat, client):
    client.force_login(secretariat)
    url = reverse("meeting-invitation-send", args=["som-12"])
    refused = client.post(url, {"organisation": "IOM", "emails": "nonsense"})
    assert refused.status_code == 422
    assert "nonsense" in refused.content.decode()  # the input is kept
    done = client.post(url, {"organisation": "IOM", "emails": "f@iom.int, g@iom.int"})
    assert done.status_code == 302
    page = client.get(reverse("meeting-detail", args=["som-12"])).content.decode()
    assert "f@iom.int" in page
    assert "Take attendance" in page
    pks = list(Invitation.objects.values_list("pk", flat=True))
    client.post(reverse("meeting-attendance", args=["som-12"]), {"present": [str(pks[0])]})
    assert Invitation.objects.get(pk=pks[0]).attended is True
