"""The minutes and decisions pages: editor and review round (htmx and plain posts),
preview, revisions, compiled minutes, the decisions register and its exports, a decision's
edit, the readable history, and the press release of a meeting still to come."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accord.meetings import decisions, services
from accord.meetings import minutes as review
from accord.meetings.models import ActionPoint, Minutes

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
TEXT = "Opened.\n\nACTION [IOM] due 2027-03-31: share the returns figures\n\nACTION [NOPE]: x\n"


def test_the_secretariat_writes_circulates_and_approves_on_the_meeting_page(
    client, som, secretariat, make_user
):
    client.force_login(secretariat)
    save = reverse("meeting-minutes-save", args=["som-3"])
    preview = client.post(
        reverse("meeting-minutes-preview", args=["som-3"]), {"body": TEXT}, headers=HTMX
    ).content.decode()
    assert "proposed action" in preview
    assert "No partner is known by the acronym NOPE" in preview
    refused = client.post(save, {"body": "<script>alert(1)</script>"}, headers=HTMX)
    page = refused.content.decode()
    assert 'id="minutes_body_error"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the input is kept
    assert not Minutes.objects.exists()
    saved = client.post(save, {"body": TEXT}, headers=HTMX).content.decode()
    assert "Minutes saved." in saved
    assert "No partner is known by the acronym NOPE" in saved  # a problem beside the editor
    assert "share the returns figures" in saved
    minutes = Minutes.objects.get()
    stale = client.post(save, {"body": "Other", "version": minutes.version - 1 or 99})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()

    client.post(
        reverse("meeting-minutes-circulate", args=["som-3"]),
        {"deadline": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
    )
    member = make_user("member", ("EEAS", "member"))
    client.force_login(member)
    detail = client.get(reverse("meeting-detail", args=["som-3"])).content.decode()
    assert "Comment or propose an amendment" in detail
    assert "Save the minutes" not in detail
    comment = client.post(
        reverse("meeting-minutes-comment", args=["som-3"]),
        {"kind": "amendment", "paragraph": "", "text": "Say who opened", "proposed_text": "x"},
        headers=HTMX,
    ).content.decode()
    assert 'id="comment_paragraph_error"' in comment
    assert "Say who opened" in comment
    assert client.post(reverse("meeting-minutes-approve", args=["som-3"])).status_code == 403

    client.force_login(secretariat)
    proposal = Minutes.objects.get().proposed_actions.get()
    approved = client.post(
        reverse("meeting-minutes-approve", args=["som-3"]),
        {"confirm": [proposal.pk]},
        headers=HTMX,
    ).content.decode()
    assert "Minutes approved." in approved
    assert ActionPoint.objects.filter(text="share the returns figures").exists()
    assert "Record a correction" in approved
    assert "Save the minutes" not in approved
    corrected = client.post(
        reverse("meeting-minutes-correct", args=["som-3"]),
        {"body": "Opened at 10:00.", "reason": "", "version": Minutes.objects.get().version},
        headers=HTMX,
    ).content.decode()
    assert 'id="correction_reason_error"' in corrected
    client.post(
        reverse("meeting-minutes-correct", args=["som-3"]),
        {
            "body": "Opened at 10:00.",
            "reason": "The hour",
            "version": Minutes.objects.get().version,
        },
    )
    client.logout()
    public = client.get(reverse("meeting-detail", args=["som-3"])).content.decode()
    assert "Opened at 10:00." in public
    assert "Corrected on" in public
    assert "The hour" in public
    revisions = client.get(reverse("meeting-minutes-revisions", args=["som-3"]))
    assert "<ins>+Opened at 10:00.</ins>" in revisions.content.decode()
    compiled = client.get(reverse("meeting-tier-minutes", args=["som"])).content.decode()
    assert "Opened at 10:00." in compiled
    pdf = client.get(reverse("meeting-tier-minutes-pdf", args=["som"]))
    assert pdf.content.startswith(b"%PDF")


def test_revisions_page_refuses_a_missing_revision(client, som, secretariat):
    review.minutes_save(meeting=som(3), body="One.", by=secretariat)
    client.force_login(secretariat)
    url = reverse("meeting-minutes-revisions", args=["som-3"])
    assert client.get(url, {"from": 1, "to": 5}).status_code == 404
    assert client.get(url).status_code == 200


def test_decisions_on_the_page_in_the_register_and_its_exports(client, som, secretariat, org):
    client.force_login(secretariat)
    url = reverse("meeting-decision-add", args=["som-3"])
    refused = client.post(
        url, {"text": "Share the figures", "commitments": "JVAP-1, NOPE-1"}, headers=HTMX
    ).content.decode()
    assert 'id="decision_commitments_error"' in refused
    assert "NOPE-1" in refused
    assert "Share the figures" in refused
    client.post(url, {"text": "Share the figures", "commitments": "JVAP-1"}, headers=HTMX)
    client.post(url, {"text": "Meet in Rabat", "commitments": "JVAP-2"}, headers=HTMX)
    register = client.get(reverse("decision-register"), {"commitment": "JVAP-1"}).content.decode()
    assert "Share the figures" in register
    assert "Meet in Rabat" not in register
    csv = client.get(reverse("export-download", args=["decisions", "csv"]), {"tier": "som"})
    assert b"Meet in Rabat" in csv.content
    assert client.get(reverse("export-download", args=["decisions", "json"])).json()["count"] == 2
    xlsx = client.get(reverse("export-download", args=["decisions", "xlsx"]))
    assert xlsx.status_code == 200

    decision = decisions.decision_register(user=secretariat, commitment="JVAP-2").get()
    action = services.action_point_create(meeting=som(3), text="Book rooms", owners=[org("IOM")])
    edit = reverse("decision-edit", args=[decision.pk])
    form = {"text": "Meet in Rabat in May", "commitments": "JVAP-2", "classification": ""}
    stale = client.post(edit, {**form, "version": decision.version + 5})
    assert stale.status_code == 409
    assert "Meet in Rabat in May" in stale.content.decode()
    saved = client.post(edit, {**form, "version": decision.version, "action_points": [action.pk]})
    assert saved.status_code == 302
    action.refresh_from_db()
    assert action.raised_by_decision_id == decision.pk
    register = client.get(reverse("decision-register"), {"partner": "IOM"}).content.decode()
    assert "Meet in Rabat in May" in register


def test_history_reads_names_labels_and_dates_in_the_readers_language(
    client, som, secretariat, org
):
    meeting = som(3)
    services.meeting_update(
        meeting=meeting, data={"host": org("IOM")}, version=meeting.version, by=secretariat
    )
    client.force_login(secretariat)
    url = reverse("record-history", args=["meetings", "meeting", meeting.pk])
    page = client.get(url).content.decode()
    assert "<td>Host</td>" in page
    assert "<td>IOM</td>" in page
    with translation.override("en"):
        french = client.get(url, headers={"Accept-Language": "fr"}).content.decode()
    assert "<td>Hôte</td>" in french or "<td>Organisateur</td>" in french
    month = timezone.localdate().strftime("%m")
    assert any(name in french for name in FRENCH_MONTHS[month])


FRENCH_MONTHS = {
    f"{n:02d}": [name]
    for n, name in enumerate(
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        start=1,
    )
}


def test_a_press_release_for_a_meeting_to_come_says_it_will_meet(som, secretariat):
    from accord.meetings.selectors import meeting_get
    from accord.reports.press import press_release_draft

    meeting = services.meeting_create(
        tier=som(3).tier,
        date="2031-03-04",
        city="Rabat",
        classification="public",
        by=secretariat,
    )
    decisions.decision_record(meeting=som(3), text="Share the figures", by=secretariat)
    title, text = press_release_draft(meeting_get(user=None, key=meeting.key))
    assert "will meet" in title
    assert "will meet on 4 March 2031" in text
    assert "meets today" not in text
    assert "opens today" not in text
    _title, held = press_release_draft(meeting_get(user=None, key="som-3"))
    assert "The meeting agreed: Share the figures." in held


def test_the_briefing_pack_reads_decisions_and_minutes_as_its_reader(som, secretariat, make_user):
    from accord.reports.briefing import briefing_context, briefing_docx, briefing_html

    decisions.decision_record(meeting=som(3), text="Share the figures", by=secretariat)
    minutes = review.minutes_save(meeting=som(3), body="Draft text only.", by=secretariat)
    member = make_user("member", ("EEAS", "member"))
    assert "Draft text only." not in briefing_html(briefing_context(user=member, key="som-3"))
    review.minutes_circulate(minutes=minutes, by=secretariat)
    pack = briefing_context(user=member, key="som-3")
    html = briefing_html(pack)
    assert "Share the figures" in html
    assert "Draft text only." in html
    assert b"word/document.xml" in briefing_docx(pack)


def test_the_decisions_register_exports_from_the_command_line(som, secretariat, tmp_path):
    from django.core.management import call_command

    decisions.decision_record(meeting=som(3), text="Share the figures", by=secretariat)
    out = tmp_path / "decisions.csv"
    call_command("export", "decisions", "--filter", "tier=som", "-o", str(out))
    assert "Share the figures" in out.read_text()


def test_only_the_secretariat_gets_the_editor_and_its_preview(client, som, make_user):
    client.force_login(make_user("member", ("EEAS", "member")))
    preview = reverse("meeting-minutes-preview", args=["som-3"])
    assert client.post(preview, {"body": "x"}, headers=HTMX).status_code == 403
    assert (
        client.post(reverse("meeting-minutes-save", args=["som-3"]), {"body": "x"}).status_code
        == 403
    )
    assert (
        "Save the minutes"
        not in client.get(reverse("meeting-detail", args=["som-3"])).content.decode()
    )
