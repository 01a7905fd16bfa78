"""The rules of the issue's "Bad input and rules": each refused with a clear message,
changing nothing; and the rules that make the follow-up work."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accord.core.errors import Conflict, Invalid
from accord.meetings import minutes as review
from accord.meetings import selectors, services
from accord.meetings.models import (
    ActionPoint,
    ActionPointStatus,
    Document,
    DocumentVersion,
    Meeting,
    Minutes,
    MinutesRevision,
    MinutesStatus,
    Participant,
)
from accord.meetings.tests.factories import MeetingTierFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_due_date_before_the_meeting_is_refused(som, org, secretariat):
    with pytest.raises(Invalid, match=r"due date 2016-01-31 is before the meeting"):
        services.action_point_create(
            meeting=som(3),
            text="Share the evidence note",
            owners=[org("IOM")],
            due_date=dt.date(2016, 1, 31),
            by=secretariat,
        )
    assert not ActionPoint.objects.exists()


def test_due_date_before_a_year_only_meeting_is_refused(som, org, secretariat):
    with pytest.raises(Invalid, match="before the meeting"):
        services.action_point_create(
            meeting=som(8), text="x", owners=[org("IOM")], due_date=dt.date(2020, 12, 31)
        )


def test_action_point_without_owner_is_refused(som, secretariat):
    with pytest.raises(Invalid, match="at least one owner"):
        services.action_point_create(meeting=som(3), text="Nobody's job", owners=[], by=secretariat)
    assert not ActionPoint.objects.exists()


def test_removing_every_owner_is_refused_and_changes_nothing(som, org, secretariat):
    ap = services.action_point_create(meeting=som(3), text="x", owners=[org("IOM")], by=secretariat)
    with pytest.raises(Invalid, match="at least one owner"):
        services.action_point_update(
            action_point=ap, data={"owners": [], "text": "y"}, version=1, by=secretariat
        )
    ap.refresh_from_db()
    assert (ap.text, ap.version, list(ap.owners.values_list("acronym", flat=True))) == (
        "x",
        1,
        ["IOM"],
    )


def test_duplicate_ordinal_is_refused(som, secretariat):
    tier = som(3).tier
    with pytest.raises(Invalid, match="3rd Senior Officials Meeting is already on record"):
        services.meeting_create(tier=tier, date="2016-02-16", by=secretariat)
    # A meeting known only by its year cannot be told apart from one held in that year.
    with pytest.raises(Invalid, match="share an ordinal"):
        services.meeting_create(tier=tier, date="2022", by=secretariat)
    with pytest.raises(Invalid, match="share an ordinal"):
        services.meeting_create(tier=tier, date="2024-05-02", by=secretariat)
    assert Meeting.objects.filter(tier=tier).count() == 11


def test_meetings_on_one_day_are_told_apart_by_their_times(secretariat):
    tier = MeetingTierFactory(code="expert")
    morning = dt.datetime(2023, 5, 2, 9, 0, tzinfo=BRUSSELS)
    services.meeting_create(tier=tier, starts_at=morning, by=secretariat)
    afternoon = services.meeting_create(
        tier=tier, starts_at=morning + dt.timedelta(hours=5), by=secretariat
    )
    assert selectors.meeting_get(user=secretariat, key="expert-2").pk == afternoon.pk
    with pytest.raises(Invalid, match="share an ordinal"):
        services.meeting_create(tier=tier, starts_at=morning, by=secretariat)


def test_ordinal_follows_the_dates(som, secretariat):
    tier = som(1).tier
    earlier = services.meeting_create(tier=tier, date="2012-11-20", by=secretariat)
    assert selectors.meeting_get(user=secretariat, key="som-1").pk == earlier.pk
    assert selectors.meeting_get(user=None, key="som-4").date == dt.date(2016, 2, 16)
    assert selectors.meeting_get(user=None, key="som-9").display_name == (
        "9th Senior Officials Meeting"
    )


def test_only_the_secretariat_sets_up_meetings(som, home_focal):
    with pytest.raises(PermissionDenied):
        services.meeting_create(tier=som(1).tier, date="2030", by=home_focal)


def test_non_member_participant_is_a_warning_the_secretariat_overrides(som, org, secretariat):
    meeting = som(2)  # 2014: DG NEAR joined in 2016
    with pytest.raises(Invalid, match=r"DG NEAR was not a member .* on 1 October 2014"):
        services.participant_add(meeting=meeting, organisation=org("DG NEAR"), by=secretariat)
    assert not meeting.participants.filter(organisation=org("DG NEAR")).exists()

    participant = services.participant_add(
        meeting=meeting,
        organisation=org("DG NEAR"),
        override_reason="Invited as observer before joining",
        by=secretariat,
    )
    participant.refresh_from_db()
    assert participant.override_reason == "Invited as observer before joining"
    assert participant.overridden_by == secretariat
    assert participant.overridden_at is not None


def test_members_need_no_override(som, org, secretariat):
    participant = services.participant_add(
        meeting=som(5), organisation=org("DG NEAR"), role="co_chair", by=secretariat
    )
    assert participant.override_reason == ""
    assert participant.overridden_by is None


def test_focal_point_cannot_add_participants(som, org, home_focal):
    with pytest.raises(PermissionDenied):
        services.participant_add(meeting=som(2), organisation=org("DG HOME"), by=home_focal)
    assert Participant.objects.filter(meeting=som(2), organisation=org("DG HOME")).count() == 1


@pytest.fixture
def small_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ACCORD_UPLOAD_MAX_BYTES = 100
    settings.ACCORD_UPLOAD_TYPES = ["pdf", "docx"]


def test_upload_over_the_limit_is_refused(som, secretariat, small_uploads):
    big = ContentFile(b"%PDF" + b"x" * 200, name="note.pdf")
    with pytest.raises(Invalid, match=r"note.pdf is 204 bytes; files may be at most 100 bytes"):
        services.document_upload(
            meeting=som(3), title="Note", kind="background_note", upload=big, by=secretariat
        )
    assert not Document.objects.exists()
    assert not default_storage.exists("meetings/documents")


def test_upload_of_a_refused_type_is_refused(som, secretariat, small_uploads):
    script = ContentFile(b"echo hi", name="run.sh")
    with pytest.raises(Invalid, match=r"run.sh: files of type .sh are not accepted"):
        services.document_upload(
            meeting=som(3), title="Script", kind="presentation", upload=script, by=secretariat
        )
    assert not Document.objects.exists()


def test_upload_keeps_versions_in_storage(som, secretariat, small_uploads):
    document = services.document_upload(
        meeting=som(3),
        title="Agenda",
        kind="agenda",
        language="fr",
        upload=ContentFile(b"%PDF-1 v1", name="agenda.pdf"),
        by=secretariat,
    )
    second = services.document_version_add(
        document=document, upload=ContentFile(b"%PDF-1 v2", name="agenda.pdf"), by=secretariat
    )
    assert second.number == 2
    versions = list(DocumentVersion.objects.filter(document=document))
    assert [v.size for v in versions] == [9, 9]
    assert default_storage.open(versions[1].file.name).read() == b"%PDF-1 v2"
    assert versions[0].uploaded_by == secretariat


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("Agreed.\n\n<script>alert(1)</script>", "<script>"),
        ('Agreed. <img src="x" onerror="alert(1)">', "onerror="),
        ("See [the note](javascript:alert(1)).", "javascript:"),
        ('<a href="javascript:alert(1)">note</a>', "script link"),
    ],
)
def test_script_in_markdown_is_refused(som, secretariat, body, found):
    with pytest.raises(Invalid, match="nothing that runs script") as error:
        review.minutes_save(meeting=som(3), body=body, by=secretariat)
    assert found in error.value.message
    assert not Minutes.objects.exists()
    assert not MinutesRevision.objects.exists()


def test_script_in_a_later_revision_changes_nothing(som, secretariat):
    minutes = review.minutes_save(meeting=som(3), body="# Minutes\n\nAgreed.", by=secretariat)
    with pytest.raises(Invalid):
        review.minutes_save(meeting=som(3), body="<script>x</script>", by=secretariat)
    minutes.refresh_from_db()
    assert minutes.body == "# Minutes\n\nAgreed."
    assert minutes.revisions.count() == 1


def test_markdown_is_rendered_and_sanitised(som, secretariat):
    minutes = review.minutes_save(
        meeting=som(3),
        body="# Minutes\n\n**Agreed** to <u>share</u> data.\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        by=secretariat,
    )
    assert "<h3>Minutes</h3>" in minutes.body_html  # below the page's h1 and h2
    assert "<strong>Agreed</strong>" in minutes.body_html
    assert "<td>1</td>" in minutes.body_html


def test_minutes_workflow_revisions_and_diff(som, secretariat, make_user):
    clerk = make_user("clerk", ("IOM-RO-BRU", "secretariat"))
    minutes = review.minutes_save(meeting=som(3), body="Line one\nLine two", by=secretariat)
    minutes = review.minutes_save(
        meeting=som(3), body="Line one\nLine 2\nLine three", version=minutes.version, by=clerk
    )
    minutes = review.minutes_advance(minutes=minutes, by=secretariat)
    assert minutes.status == MinutesStatus.CIRCULATED
    minutes = review.minutes_advance(minutes=minutes, by=secretariat)
    assert minutes.status == MinutesStatus.APPROVED
    with pytest.raises(Conflict, match="approved and are locked"):
        review.minutes_save(meeting=som(3), body="Rewritten", by=secretariat)
    revisions = list(selectors.minutes_revisions(minutes))
    assert [(r.number, r.author) for r in revisions] == [(1, secretariat), (2, clerk)]
    diff = selectors.minutes_diff(minutes=minutes, old=1, new=2)
    assert "-Line two" in diff
    assert "+Line 2" in diff
    assert "+Line three" in diff


def test_stale_minutes_edit_is_a_conflict(som, secretariat):
    review.minutes_save(meeting=som(3), body="one", by=secretariat)
    review.minutes_save(meeting=som(3), body="two", version=1, by=secretariat)
    with pytest.raises(Conflict):
        review.minutes_save(meeting=som(3), body="three", version=1, by=secretariat)
    assert Minutes.objects.get().body == "two"


def test_agenda_beyond_the_slot_is_warned_about(secretariat):
    tier = MeetingTierFactory(code="hou")
    start = dt.datetime(2023, 3, 1, 10, 0, tzinfo=BRUSSELS)
    meeting = services.meeting_create(
        tier=tier, starts_at=start, ends_at=start + dt.timedelta(hours=1), by=secretariat
    )
    opening = services.agenda_item_add(meeting=meeting, title="Opening", planned_minutes=10)
    round_table = services.agenda_item_add(meeting=meeting, title="Round table")
    services.agenda_item_add(
        meeting=meeting, title="EU", parent=round_table, planned_minutes=30, topics=["Return"]
    )
    tree = selectors.agenda_tree(selectors.agenda_items(meeting))
    assert selectors.agenda_warnings(meeting, tree) == []
    services.agenda_item_add(meeting=meeting, title="IOM", parent=round_table, planned_minutes=25)
    tree = selectors.agenda_tree(selectors.agenda_items(meeting))
    assert [e.number for e in tree] == ["1", "2"]
    assert [c.number for c in tree[1].children] == ["2.1", "2.2"]
    assert tree[0].item == opening
    assert selectors.agenda_warnings(meeting, tree) == [
        "The agenda plans 65 minutes but the meeting's slot is 60 minutes (5 over)."
    ]


def test_open_action_points_are_carried_forward_with_their_history(
    som, org, secretariat, iom_focal
):
    ap = services.action_point_create(
        meeting=som(3),
        text="Compile the evidence base",
        owners=[org("IOM")],
        due_date=dt.date(2016, 12, 31),
        by=secretariat,
    )
    done = services.action_point_create(
        meeting=som(3), text="Send the letters", owners=[org("DG HOME")], by=secretariat
    )
    services.action_point_progress(
        action_point=done, text="Sent", status=ActionPointStatus.DONE, on=dt.date(2016, 3, 1)
    )
    services.action_point_progress(
        action_point=ap,
        text="First draft shared",
        status=ActionPointStatus.IN_PROGRESS,
        on=dt.date(2016, 6, 1),
        by=iom_focal,
    )
    # Classified for members: the public does not see it carried forward.
    assert list(selectors.carried_forward(user=None, meeting=som(4))) == []
    follow_up = list(selectors.carried_forward(user=iom_focal, meeting=som(4)))
    assert follow_up == [ap]
    assert [u.text for u in follow_up[0].updates.all()] == ["First draft shared"]
    assert follow_up[0].meeting.key == "som-3"
    assert list(selectors.carried_forward(user=iom_focal, meeting=som(9))) == [ap]
    assert list(selectors.carried_forward(user=iom_focal, meeting=som(3))) == []
    services.action_point_progress(action_point=ap, text="Published", status="done", by=iom_focal)
    assert list(selectors.carried_forward(user=iom_focal, meeting=som(4))) == []


def test_stale_action_point_edit_is_a_conflict_and_changes_nothing(som, org, secretariat):
    ap = services.action_point_create(meeting=som(3), text="x", owners=[org("IOM")])
    services.action_point_update(action_point=ap, data={"text": "y"}, version=1, by=secretariat)
    with pytest.raises(Conflict):
        services.action_point_update(
            action_point=ap, data={"text": "z", "owners": [org("EEAS")]}, version=1, by=secretariat
        )
    ap.refresh_from_db()
    assert (ap.text, ap.version) == ("y", 2)
    assert list(ap.owners.values_list("acronym", flat=True)) == ["IOM"]


def test_owners_change_raises_the_version(som, org, secretariat):
    ap = services.action_point_create(meeting=som(3), text="x", owners=[org("IOM")])
    ap = services.action_point_update(
        action_point=ap, data={"owners": [org("IOM"), org("EEAS")]}, version=1, by=secretariat
    )
    assert ap.version == 2
    assert sorted(ap.owners.values_list("acronym", flat=True)) == ["EEAS", "IOM"]


def test_focal_points_follow_up_only_their_partners_actions(
    som, org, iom_focal, home_focal, make_user
):
    ap = services.action_point_create(meeting=som(3), text="x", owners=[org("IOM")])
    with pytest.raises(PermissionDenied):
        services.action_point_update(
            action_point=ap, data={"status": "done"}, version=1, by=home_focal
        )
    with pytest.raises(PermissionDenied):
        services.action_point_progress(action_point=ap, text="Done by HOME", by=home_focal)
    contributor = make_user("iom-contrib", ("IOM", "contributor"))
    with pytest.raises(PermissionDenied):
        services.action_point_progress(action_point=ap, text="Draft", by=contributor)
    with pytest.raises(PermissionDenied, match="status and the assignee"):
        services.action_point_update(
            action_point=ap, data={"text": "Reworded"}, version=1, by=iom_focal
        )
    ap = services.action_point_update(
        action_point=ap, data={"status": "in_progress"}, version=1, by=iom_focal
    )
    assert ap.status == "in_progress"
    assert ap.updates.count() == 0


def test_progress_cannot_be_dated_in_the_future(som, org, iom_focal):
    ap = services.action_point_create(meeting=som(3), text="x", owners=[org("IOM")])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(Invalid, match="past date"):
        services.action_point_progress(action_point=ap, text="x", on=tomorrow, by=iom_focal)
    assert not ap.updates.exists()


def test_re_dating_onto_another_meeting_is_refused_and_changes_nothing(som, secretariat):
    fourth = som(4)
    with pytest.raises(Invalid, match="share an ordinal"):
        services.meeting_update(
            meeting=fourth, data={"date": dt.date(2016, 2, 16)}, version=1, by=secretariat
        )
    fourth.refresh_from_db()
    assert (fourth.date, fourth.version) == (dt.date(2017, 3, 9), 1)
    moved = services.meeting_update(
        meeting=fourth, data={"date": dt.date(2012, 12, 1)}, version=1, by=secretariat
    )
    assert selectors.meeting_get(user=None, key="som-1").pk == moved.pk


def test_minutes_per_agenda_item(som, secretariat):
    third = som(3)
    item = services.agenda_item_add(meeting=third, title="Legal avenues", by=secretariat)
    review.minutes_save(meeting=third, body="Overall.", by=secretariat)
    on_item = review.minutes_save(
        meeting=third, agenda_item=item, body="On legal avenues.", by=secretariat
    )
    assert on_item.agenda_item == item
    assert Minutes.objects.filter(meeting=third).count() == 2
    other_item = services.agenda_item_add(meeting=som(4), title="Elsewhere", by=secretariat)
    with pytest.raises(Invalid, match="another meeting"):
        review.minutes_save(meeting=third, agenda_item=other_item, body="x", by=secretariat)
