"""The secretariat's forms: a meeting, its agenda, decisions and action points."""

import pytest
from django.urls import reverse

from accord.meetings.models import ActionPoint, AgendaItem, Decision, Meeting

pytestmark = pytest.mark.django_db


def test_only_the_secretariat_sets_up_meetings(client, iom_focal):
    client.force_login(iom_focal)
    assert client.get(reverse("meeting-create")).status_code == 403


def test_a_refused_meeting_keeps_the_input_and_names_the_field(client, secretariat):
    client.force_login(secretariat)
    assert "Set up a new meeting" in client.get(reverse("meeting-list")).content.decode()
    response = client.post(
        reverse("meeting-create"),
        {
            "tier": "som",
            "date": "16 Feb",
            "title": "Rabat review",
            "status": "planned",
            "classification": "members",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Rabat review"' in body
    assert 'id="id_date_error"' in body
    assert not Meeting.objects.filter(title="Rabat review").exists()


def test_the_secretariat_sets_up_a_meeting(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("meeting-create"),
        {
            "tier": "som",
            "date": "2030-03-04",
            "title": "Rabat review",
            "city": "Rabat",
            "host": "IOM",
            "status": "planned",
            "classification": "members",
        },
    )
    meeting = Meeting.objects.get(title="Rabat review")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("meeting-detail", args=[meeting.key]))


def test_agenda_decision_and_action_point_through_htmx(client, som, secretariat):
    meeting = som(3)
    client.force_login(secretariat)
    htmx = {"HX-Request": "true"}
    agenda = client.post(
        reverse("meeting-agenda-add", args=[meeting.key]),
        {"title": "Evidence base", "planned_minutes": "45"},
        headers=htmx,
    ).content.decode()
    assert "<html" not in agenda
    assert "Evidence base" in agenda
    assert AgendaItem.objects.filter(meeting=meeting, title="Evidence base").exists()

    client.post(
        reverse("meeting-decision-add", args=[meeting.key]),
        {"text": "Share the data"},
        headers=htmx,
    )
    assert Decision.objects.filter(meeting=meeting, text="Share the data").exists()

    refused = client.post(
        reverse("meeting-action-add", args=[meeting.key]),
        {"text": "Compile the figures", "due_date": "not a date"},
        headers=htmx,
    ).content.decode()
    assert 'id="action_owners_error"' in refused
    assert "Compile the figures" in refused
    assert not ActionPoint.objects.filter(meeting=meeting).exists()

    saved = client.post(
        reverse("meeting-action-add", args=[meeting.key]),
        {"text": "Compile the figures", "owners": ["IOM"], "due_date": "2016-06-30"},
        headers=htmx,
    ).content.decode()
    assert "Action point recorded." in saved
    assert list(ActionPoint.objects.get(meeting=meeting).owners.values_list("acronym", flat=True))
    assert "Compile the figures" in saved


def test_a_focal_point_may_not_write_the_agenda(client, som, iom_focal):
    meeting = som(3)
    client.force_login(iom_focal)
    response = client.post(reverse("meeting-agenda-add", args=[meeting.key]), {"title": "Ours"})
    assert response.status_code == 403
    assert not AgendaItem.objects.filter(title="Ours").exists()


def test_the_document_form_is_on_the_meeting_page(client, som, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("meeting-detail", args=[som(3).key])).content.decode()
    assert 'name="upload"' in page
    assert 'name="title"' in page
