"""Forms of the meeting pages: refusals without JavaScript keep the input, restricted
records pick their partners on the form."""

import pytest
from django.urls import reverse

from accord.meetings import services
from accord.meetings.models import ActionPoint, Meeting

pytestmark = pytest.mark.django_db


def test_progress_refused_without_javascript_keeps_the_input_and_the_message(
    client, som, org, iom_focal
):
    action_point = services.action_point_create(
        meeting=som(3), text="Compile", owners=[org("IOM")], classification="public"
    )
    client.force_login(iom_focal)
    refused = client.post(
        reverse("action-point-progress", args=[action_point.pk]),
        {"text": "", "status": "in_progress"},
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert f'id="progress-text-{action_point.pk}_error"' in page
    assert '<option value="in_progress" selected>' in page
    done = client.post(
        reverse("action-point-progress", args=[action_point.pk]),
        {"text": "Sent", "status": ""},
        headers={"Referer": "http://testserver/action-points/"},
    )
    assert done.status_code == 302


def test_restricted_records_pick_their_partners_on_the_form(client, som, secretariat):
    client.force_login(secretariat)
    refused = client.post(
        reverse("meeting-create"),
        {"tier": "som", "date": "2027-02-02", "status": "planned", "classification": "restricted"},
    )
    assert refused.status_code == 200
    assert 'id="id_restricted_to_error"' in refused.content.decode()
    made = client.post(
        reverse("meeting-create"),
        {
            "tier": "som",
            "date": "2027-02-02",
            "status": "planned",
            "classification": "restricted",
            "restricted_to": ["IOM", "DG HOME"],
        },
    )
    assert made.status_code == 302
    meeting = Meeting.objects.get(date="2027-02-02")
    assert sorted(meeting.restricted_to.values_list("acronym", flat=True)) == ["DG HOME", "IOM"]
    client.post(
        reverse("meeting-action-add", args=["som-3"]),
        {
            "text": "For two partners",
            "owners": ["IOM"],
            "classification": "restricted",
            "restricted_to": ["IOM"],
        },
    )
    action_point = ActionPoint.objects.get(text="For two partners")
    assert action_point.classification == "restricted"
    assert list(action_point.restricted_to.values_list("acronym", flat=True)) == ["IOM"]


def test_meeting_edit_page_refuses_a_stale_version(client, som, secretariat):
    client.force_login(secretariat)
    url = reverse("meeting-edit", args=["som-3"])
    form = client.get(url)
    assert form.status_code == 200
    version = som(3).version
    fields = {
        "date": "2016-02-16",
        "city": "Bruxelles-Capitale",
        "host": "DG INTPA",
        "status": "held",
        "classification": "public",
        "version": version,
    }
    assert client.post(url, fields).status_code == 302
    assert Meeting.objects.get(pk=som(3).pk).city == "Bruxelles-Capitale"
    stale = client.post(url, {**fields, "city": "Rome"})
    assert stale.status_code == 200
    assert "changed by someone else" in stale.content.decode()
    assert 'value="Rome"' in stale.content.decode()
    assert Meeting.objects.get(pk=som(3).pk).city == "Bruxelles-Capitale"
