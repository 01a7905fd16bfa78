"""The search: what it finds, for whom, and the index kept current with every write."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accord.core.models import Classification
from accord.meetings.models import ActionPointUpdate, Decision, Minutes, MinutesStatus
from accord.meetings.tests.factories import ActionPointFactory, AgendaItemFactory, MeetingFactory
from accord.partners.tests.factories import OrganisationFactory
from accord.search.models import SearchEntry
from accord.search.selectors import Filters, search

pytestmark = pytest.mark.django_db


def new_meeting(**fields: Any) -> Any:
    return MeetingFactory(**fields)


def new_action(**fields: Any) -> Any:
    return ActionPointFactory(**fields)


@pytest.fixture
def readers(make_user: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "member": make_user("member", ("DG HOME", "focal_point")),
        "named": make_user("named", ("IOM", "focal_point")),
        "secretariat": make_user("sec", ("IOM-RO-BRU", "secretariat")),
    }


def titles(user: Any, q: str, **filters: Any) -> list[str]:
    return [item.title for item in search(user=user, q=q, filters=Filters(**filters)).items]


def test_the_index_follows_create_edit_reclassify_and_delete(readers: dict[str, Any]) -> None:
    meeting = new_meeting()
    decision = Decision.objects.create(
        meeting=meeting, text="Pilot projects on labour mobility", classification="public"
    )
    assert titles(None, "mobility") == ["Pilot projects on labour mobility"]

    decision.text = "Pilot projects on seasonal work"
    decision.save()
    assert titles(None, "mobility") == []
    assert titles(None, "seasonal") == ["Pilot projects on seasonal work"]

    decision.classification = Classification.MEMBERS
    decision.save()
    assert titles(None, "seasonal") == []
    assert titles(readers["member"], "seasonal") == ["Pilot projects on seasonal work"]

    decision.delete()
    assert titles(readers["secretariat"], "seasonal") == []
    assert not SearchEntry.objects.filter(kind="decision").exists()


def test_only_readers_of_a_record_find_it(readers: dict[str, Any]) -> None:
    iom = OrganisationFactory(acronym="IOM")
    meeting = new_meeting(classification=Classification.PUBLIC)
    new_action(meeting=meeting, text="Map the zorblax routes", classification="members")
    restricted = new_action(
        meeting=meeting, text="Fund the zorblax study", classification="restricted"
    )
    restricted.restricted_to.set([iom])
    found = {name: sorted(titles(user, "zorblax")) for name, user in readers.items()}
    assert found["anonymous"] == []
    assert found["member"] == ["Map the zorblax routes"]
    assert found["named"] == ["Fund the zorblax study", "Map the zorblax routes"]
    assert found["secretariat"] == ["Fund the zorblax study", "Map the zorblax routes"]
    # Nor do the counts of the facets tell of what the reader may not read.
    page = search(user=None, q="zorblax")
    assert page.count == 0
    assert page.facets == {}


def test_what_is_in_a_hidden_meeting_stays_hidden(readers: dict[str, Any]) -> None:
    meeting = new_meeting(classification=Classification.MEMBERS)
    Decision.objects.create(meeting=meeting, text="Quorvex decision", classification="public")
    assert titles(None, "quorvex") == []
    assert titles(readers["member"], "quorvex") == ["Quorvex decision"]


def test_minutes_open_at_the_paragraph_and_drafts_are_the_secretariats(
    readers: dict[str, Any],
) -> None:
    meeting = new_meeting()
    minutes = Minutes.objects.create(
        meeting=meeting,
        body="Opening of the meeting.\n\nThe partners discussed voluntary return.\n",
        body_html="",
        status=MinutesStatus.DRAFT,
    )
    assert search(user=readers["member"], q="voluntary").count == 0
    [hit] = search(user=readers["secretariat"], q="voluntary").items
    assert hit.url.startswith(f"/meetings/{meeting.key}/#p-")
    assert "<mark>voluntary</mark>" in hit.snippet
    assert "Opening" not in hit.snippet

    minutes.status = MinutesStatus.APPROVED
    minutes.save()
    assert search(user=None, q="voluntary").count == 1


def test_french_words_find_other_forms_whatever_the_language(readers: dict[str, Any]) -> None:
    meeting = new_meeting()
    AgendaItemFactory(meeting=meeting, title="Réintégration durable des migrants de retour")
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    for q in ("réintégrer", "reintegrer", "REINTÉGRATION", "réinté", "migrant"):
        assert titles(None, q) == ["Réintégration durable des migrants de retour"], q


def test_a_draft_agenda_is_found_by_the_secretariat_only(readers: dict[str, Any]) -> None:
    meeting = new_meeting(agenda_published_at=None)
    AgendaItemFactory(meeting=meeting, title="Glimmerfen route")
    assert titles(readers["member"], "glimmerfen") == []
    assert titles(readers["secretariat"], "glimmerfen") == ["Glimmerfen route"]


def test_progress_on_an_action_point_is_found_with_it(readers: dict[str, Any]) -> None:
    action = new_action(text="Prepare the study", classification="public")
    update = ActionPointUpdate.objects.create(
        action_point=action, on=action.meeting.date, text="Questionnaire on tarnwick sent"
    )
    [hit] = search(user=None, q="tarnwick").items
    assert hit.title == "Prepare the study"
    assert hit.url.endswith(f"#action-point-{action.pk}")
    update.delete()
    assert search(user=None, q="tarnwick").count == 0


def _entry_of(action: Any) -> tuple[str, str]:
    entry = SearchEntry.objects.get(kind="action_point", object_id=action.pk)
    return entry.body, entry.stems_body


def _rewritten(action: Any) -> tuple[str, str]:
    call_command("search", "reindex", stdout=io.StringIO())
    return _entry_of(action)


def test_new_progress_is_added_to_the_entry_as_a_rewrite_would_write_it() -> None:
    action = new_action(text="Map the routes", classification="public")
    day = action.meeting.date
    first = ActionPointUpdate.objects.create(
        action_point=action, on=day, text="Survey of quillmarsh"
    )
    ActionPointUpdate.objects.create(
        action_point=action, on=day + dt.timedelta(days=30), text="Second round: vendrake"
    )
    added = _entry_of(action)
    assert added[0] == "Map the routes\nSurvey of quillmarsh\nSecond round: vendrake"
    assert added == _rewritten(action)
    assert [hit.title for hit in search(user=None, q="vendrake").items] == ["Map the routes"]

    # Dated before progress already recorded: its place is in the middle, so rewritten.
    ActionPointUpdate.objects.create(
        action_point=action, on=day + dt.timedelta(days=10), text="Interim note on brackwell"
    )
    body, _stems = _entry_of(action)
    assert body.splitlines()[2] == "Interim note on brackwell"
    assert _entry_of(action) == _rewritten(action)

    first.text = "Survey of ferngully"
    first.save()
    assert search(user=None, q="quillmarsh").count == 0
    assert search(user=None, q="ferngully").count == 1
    assert _entry_of(action) == _rewritten(action)


def test_progress_past_the_longest_body_is_clipped_as_a_rewrite_clips_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("accord.search.entry.MAX_BODY", 60)
    monkeypatch.setattr("accord.search.indexing.MAX_BODY", 60)
    action = new_action(text="Short action", classification="public")
    for n in range(4):
        ActionPointUpdate.objects.create(
            action_point=action, on=action.meeting.date, text=f"Progress number {n} recorded"
        )
    body, _stems = _entry_of(action)
    assert len(body) == 60
    assert _entry_of(action) == _rewritten(action)


def test_facets_count_and_filter(readers: dict[str, Any]) -> None:
    home = OrganisationFactory(acronym="DG HOME")
    early = new_meeting(date="2016-02-01")
    late = new_meeting(date="2019-02-01")
    new_action(meeting=early, text="Brimstone one", owners=[home])
    new_action(meeting=late, text="Brimstone two")
    Decision.objects.create(meeting=late, text="Brimstone three", classification="public")
    page = search(user=None, q="brimstone")
    assert page.count == 3
    counts = {f: {v.value: v.count for v in values} for f, values in page.facets.items()}
    assert counts["kind"] == {"action_point": 2, "decision": 1}
    assert counts["year"] == {"2016": 1, "2019": 2}
    assert counts["partner"]["DG HOME"] == 1
    assert titles(None, "brimstone", partner="DG HOME") == ["Brimstone one"]
    assert titles(None, "brimstone", year=2019, kind="decision") == ["Brimstone three"]


def test_text_in_a_record_is_no_markup_in_a_snippet(readers: dict[str, Any]) -> None:
    Decision.objects.create(
        meeting=new_meeting(),
        text='<img src=x onerror="alert(1)"> plumbrook decided',
        classification="public",
    )
    [hit] = search(user=None, q="plumbrook").items
    assert "<img" not in hit.snippet
    assert "&lt;img" in hit.snippet


def test_reindex_rebuilds_the_index(readers: dict[str, Any]) -> None:
    Decision.objects.create(meeting=new_meeting(), text="Quillon", classification="public")
    SearchEntry.objects.all().delete()
    assert search(user=None, q="quillon").count == 0
    out = io.StringIO()
    call_command("search", "reindex", stdout=out)
    assert "1 decision" in out.getvalue()
    assert search(user=None, q="quillon").count == 1


def test_the_api_answers_items_and_facets(api_client: Any, readers: dict[str, Any]) -> None:
    meeting = new_meeting()
    Decision.objects.create(meeting=meeting, text="Wexford public", classification="public")
    Decision.objects.create(meeting=meeting, text="Wexford members", classification="members")
    anonymous = api_client().get("/api/v1/search", {"q": "wexford"}).json()
    assert anonymous["count"] == 1
    assert anonymous["items"][0]["kind"] == "decision"
    assert anonymous["items"][0]["url"].startswith(f"/meetings/{meeting.key}/#decision-")
    assert set(anonymous["facets"]) == {"kind", "year", "partner", "instrument"}
    member = api_client(readers["member"]).get("/api/v1/search", {"q": "wexford", "limit": 1})
    assert member.json()["count"] == 2
    assert len(member.json()["items"]) == 1
    assert api_client().get("/api/v1/search", {"q": "x", "kind": "nothing"}).status_code == 422
    assert api_client().get("/api/v1/search", {"q": "x", "limit": 0}).status_code == 422


def test_the_page_shows_results_with_marks(client: Any, readers: dict[str, Any]) -> None:
    Decision.objects.create(meeting=new_meeting(), text="Ossington agreed", classification="public")
    page = client.get("/search/", {"q": "ossington"})
    assert page.status_code == 200
    assert b"<mark>Ossington</mark>" in page.content
    assert client.get("/search/", {"q": "ossington", "kind": "nothing"}).status_code == 400


def test_a_documents_text_is_found(readers: dict[str, Any]) -> None:
    from accord.meetings.services import document_upload

    meeting = new_meeting()
    document_upload(
        meeting=meeting,
        title="Background note",
        kind="background_note",
        upload=ContentFile(b"The vexmoor corridor was discussed.", name="note.txt"),
        classification=Classification.PUBLIC,
        by=readers["secretariat"],
    )
    [hit] = search(user=None, q="vexmoor").items
    assert hit.title == "Background note"
    assert hit.url.endswith("#document-" + str(meeting.documents.get().pk))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the document is PostgreSQL's")
def test_an_appended_document_is_the_one_the_whole_body_gives() -> None:
    action = new_action(text="Map the routes", classification="public")
    for n, text in enumerate(["Survey of quillmarsh", "Second round: vendrake, at 3.5%", "a-b"]):
        ActionPointUpdate.objects.create(
            action_point=action, on=action.meeting.date + dt.timedelta(days=n), text=text
        )
    entry = SearchEntry.objects.get(kind="action_point", object_id=action.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document::text, (setweight(to_tsvector('simple', stems_title), 'A')"
            " || setweight(to_tsvector('simple', stems_body), 'B'))::text"
            " FROM search_searchentry WHERE id = %s",
            [entry.pk],
        )
        kept, whole = cursor.fetchone()
    assert "vendrak" in kept
    assert kept == whole
    assert [hit.title for hit in search(user=None, q="vendrake").items] == ["Map the routes"]


def test_reindex_takes_the_minutes_of_more_than_a_thousand_meetings(db: Any) -> None:
    """Django 5.2 prefetches a batch's meetings with one OR term per meeting on SQLite,
    whose expressions are at most 1,000 deep: a batch of 2,000 minutes of as many
    meetings was refused ("Expression tree is too large")."""
    from accord.meetings.models import Meeting
    from accord.meetings.tests.factories import MeetingTierFactory
    from accord.search.indexing import reindex

    tier: Any = MeetingTierFactory()
    meetings = Meeting.objects.bulk_create(
        Meeting(tier=tier, date=dt.date(1990, 1, 1) + dt.timedelta(days=n), classification="public")
        for n in range(1_100)
    )
    Minutes.objects.bulk_create(
        Minutes(meeting=meeting, body=f"Minutes of sitting {n}", status=MinutesStatus.APPROVED)
        for n, meeting in enumerate(meetings)
    )
    assert reindex(["minutes"]) == {"minutes": 1_100}
    assert search(user=None, q="sitting").count == 1_100
