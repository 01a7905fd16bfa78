"""The access matrix's record: a marker record of each classification for every classified
model, and one reader of each kind.

A marker is a word that appears nowhere else (``mkrmeetingrestricted``): it is written into
the record's visible text (title, name, city, file content), so that any page, export or
feed that shows the record shows the word. :data:`SEEN_BY` says which readers may see a
marker of each level; the matrix scans every body for the words a reader must not see.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile

from accord.access.services import role_grant
from accord.core.models import Classification

READERS = ("anonymous", "member", "contributor", "other_focal", "named_focal", "secretariat")

#: Who may see a marker of each level. ``restricted`` records are named for IOM, the
#: partner of ``named_focal``; ``secretariat`` is what only the secretariat reads (draft
#: minutes).
SEEN_BY: dict[str, frozenset[str]] = {
    "public": frozenset(READERS),
    "members": frozenset(READERS) - {"anonymous"},
    "restricted": frozenset({"named_focal", "secretariat"}),
    "secretariat": frozenset({"secretariat"}),
}
LEVELS = ("public", "members", "restricted")
KINDS = (
    "meeting",
    "action",
    "document",
    "person",
    "initiative",
    "indicator",
    "dataset",
    "press",
    "minutes",
    "decision",
    "procedure",
)


def marker(kind: str, level: str) -> str:
    return f"mkr{kind}{level}"


def all_markers() -> list[str]:
    return [
        marker(kind, level)
        for kind in KINDS
        for level in (("draft", "circulated", "approved") if kind == "minutes" else LEVELS)
    ]


def hidden_markers(reader: str) -> list[str]:
    """The markers ``reader`` must never read."""
    words = []
    for kind in KINDS:
        levels = ("draft", "circulated", "approved") if kind == "minutes" else LEVELS
        for level in levels:
            seen = SEEN_BY[MINUTES_LEVEL.get(level, level)]
            if reader not in seen:
                words.append(marker(kind, level))
    return words


MINUTES_LEVEL = {"draft": "secretariat", "circulated": "members", "approved": "public"}


@dataclass
class Record:
    """What the matrix requests: the marker records by kind and level, and the readers."""

    users: dict[str, Any] = field(default_factory=dict)
    meetings: dict[str, Any] = field(default_factory=dict)
    actions: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    initiatives: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, Any] = field(default_factory=dict)
    press: dict[str, Any] = field(default_factory=dict)
    minutes: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, Any] = field(default_factory=dict)
    meeting_minutes: dict[str, Any] = field(default_factory=dict)  # by status
    amendment: Any = None  # open, on the circulated minutes of the whole meeting
    tier: Any = None
    spare_meeting: Any = None  # a public meeting with no press release yet
    cycle: Any = None  # open
    planned_cycle: Any = None
    spare_initiative: Any = None  # IOM's, members, not yet in the cycle
    warning: Any = None  # a data-quality warning on the spare initiative
    instrument: Any = None
    target: Any = None  # the public indicator's target for France in 2031
    procedures: dict[str, Any] = field(default_factory=dict)  # open, asked of IOM
    call: Any = None  # a call for contributions to the public meeting, asked of IOM


def _classify(record: Any, level: str, iom: Any) -> None:
    record.classification = level
    record.save(update_fields=["classification"])
    if level == Classification.RESTRICTED:
        record.restricted_to.set([iom])


def build_record() -> Record:
    from accord.commitments import cycles
    from accord.commitments.initiatives import initiative_create
    from accord.commitments.models import Commitment, Instrument
    from accord.commitments.records import InitiativeRecord, PlaceLine
    from accord.evidence.importing import Options, observations_import
    from accord.evidence.models import Indicator
    from accord.meetings import decisions
    from accord.meetings import minutes as review
    from accord.meetings import services as meetings
    from accord.meetings.minutes_text import paragraphs
    from accord.meetings.models import MeetingTier
    from accord.partners.models import Framework, Membership, Organisation, Person
    from accord.partners.tests.factories import UserFactory
    from accord.reports import services as reports

    record = Record()
    orgs = {
        acronym: Organisation.objects.create(acronym=acronym, name=f"Partner {acronym}", kind=kind)
        for acronym, kind in (
            ("IOM", "international_organisation"),
            ("DG HOME", "eu_service"),
            ("EEAS", "eu_service"),
            ("SECR", "other"),
        )
    }
    iom = orgs["IOM"]
    framework = Framework.objects.create(
        code="mx", name="Matrix framework", established_on=dt.date(2012, 7, 1)
    )
    for organisation in orgs.values():
        Membership.objects.create(
            framework=framework,
            organisation=organisation,
            joined_on=dt.date(2012, 7, 1),
            instrument="founding",
        )
    roles = {
        "member": ("EEAS", "member"),
        "contributor": ("DG HOME", "contributor"),
        "other_focal": ("DG HOME", "focal_point"),
        "named_focal": ("IOM", "focal_point"),
        "secretariat": ("SECR", "secretariat"),
    }
    record.users["anonymous"] = None
    for name, (acronym, kind) in roles.items():
        user = UserFactory(username=name, email=f"{name}@example.org")
        role_grant(user=user, organisation_id=orgs[acronym].pk, kind=kind)
        record.users[name] = user
    secretariat = record.users["secretariat"]

    for level in LEVELS:
        person = Person.objects.create(full_name=marker("person", level))
        _classify(person, level, iom)
        record.people[level] = person

    record.tier = MeetingTier.objects.create(code="mx", name="Matrix meeting", framework=framework)
    for month, level in enumerate(LEVELS, start=1):
        meeting = meetings.meeting_create(
            tier=record.tier,
            date=dt.date(2020, month, 10),
            title=marker("meeting", level),
            city=marker("meeting", level),
            summary=marker("meeting", level),
            classification=level,
        )
        if level == Classification.RESTRICTED:
            meeting.restricted_to.set([iom])
        record.meetings[level] = meetings_get(meeting.pk)
    record.spare_meeting = meetings_get(
        meetings.meeting_create(tier=record.tier, date=dt.date(2020, 4, 10), title="Spare").pk
    )
    public = record.meetings["public"]
    for person in record.people.values():
        meetings.participant_add(
            meeting=public, person=person, organisation=iom, override_reason="matrix"
        )
    for level in LEVELS:
        action = meetings.action_point_create(
            meeting=public,
            text=marker("action", level),
            owners=[iom],
            due_date=dt.date(2020, 6, 30),
            classification=level,
            # The public action point names the restricted person: its name is hidden.
            assignee=record.people["restricted"] if level == "public" else None,
        )
        if level == Classification.RESTRICTED:
            action.restricted_to.set([iom])
        record.actions[level] = action
        document = meetings.document_upload(
            meeting=public,
            title=marker("document", level),
            kind="background_note",
            upload=ContentFile(marker("document", level).encode(), name=f"{level}.txt"),
            classification=level,
        )
        if level == Classification.RESTRICTED:
            document.restricted_to.set([iom])
        record.documents[level] = document
    for position, status in enumerate(("draft", "circulated", "approved"), start=1):
        item = meetings.agenda_item_add(meeting=public, title=f"Item {position}")
        minutes = review.minutes_save(
            meeting=public, agenda_item=item, body=marker("minutes", status)
        )
        for _step in range(position - 1):
            minutes = review.minutes_advance(minutes=minutes)
        record.minutes[status] = minutes
    # The minutes of the whole meeting: approved on the public meeting, circulated on the
    # members' one (with an open amendment), a draft on the restricted one.
    for level, status in zip(LEVELS, ("approved", "circulated", "draft"), strict=True):
        minutes = review.minutes_save(
            meeting=record.meetings[level], body=f"Opening.\n\n{marker('minutes', status)}\n"
        )
        if status != "draft":
            minutes = review.minutes_circulate(minutes=minutes)
        if status == "approved":
            minutes = review.minutes_approve(minutes=minutes)
        record.meeting_minutes[status] = minutes
    circulated = record.meeting_minutes["circulated"]
    record.amendment = review.minutes_comment_add(
        minutes=circulated,
        kind="amendment",
        paragraph=paragraphs(circulated.body)[0].anchor,
        text="Say more",
        proposed_text="Opening, at ten.",
    )
    for level in LEVELS:
        decision = decisions.decision_record(
            meeting=public, text=marker("decision", level), classification=level
        )
        if level == Classification.RESTRICTED:
            decision.restricted_to.set([iom])
        record.decisions[level] = decision

    record.instrument = Instrument.objects.create(code="MX", name="Matrix instrument")
    Commitment.objects.create(
        instrument=record.instrument, code="MX-1", title={"en": "Matrix commitment"}, path="/MX-1/"
    )
    for level in LEVELS:
        initiative = initiative_create(
            user=secretariat,
            record=InitiativeRecord(
                title={"en": marker("initiative", level)},
                partner="IOM",
                commitments=["MX-1"],
                places=[PlaceLine(code="250")],  # France, for the country pages
                classification=level,
            ),
        )
        if level == Classification.RESTRICTED:
            initiative.restricted_to.set([iom])
        record.initiatives[level] = initiative
    record.cycle = cycles.cycle_open(
        user=secretariat,
        name="mx-2020",
        opens_on=dt.date(2020, 1, 1),
        closes_on=dt.date(2099, 12, 31),
        instruments=[record.instrument],
    )
    for level, initiative in record.initiatives.items():
        entry = cycles.entry_draft(user=secretariat, cycle=record.cycle, initiative=initiative)
        if level != Classification.MEMBERS:  # submitted: the secretariat's to verify
            entry = cycles.entry_submit(user=secretariat, entry=entry, version=entry.version)
        if level == Classification.PUBLIC:  # verified: changed only by an exception
            cycles.entry_verify(user=secretariat, entry=entry, version=entry.version)
    record.planned_cycle = cycles.cycle_create(
        user=secretariat,
        name="mx-2099",
        opens_on=dt.date(2099, 1, 1),
        closes_on=dt.date(2099, 6, 30),
        instruments=[record.instrument],
    )
    record.spare_initiative = initiative_create(
        user=secretariat,
        record=InitiativeRecord(title={"en": "Spare"}, partner="IOM", commitments=["MX-1"]),
    )
    from accord.commitments.models import Initiative
    from accord.core.importing import Problem
    from accord.core.importing.runs import record_warnings_keep
    from accord.core.models import RecordWarning

    record_warnings_keep(
        run=None,
        model=Initiative,
        warnings=[(record.spare_initiative.pk, Problem(3, "value/@currency", "unknown"))],
    )
    record.warning = RecordWarning.objects.get(object_id=str(record.spare_initiative.pk))

    folder = Path(tempfile.mkdtemp(prefix="accord-matrix-"))
    for level in LEVELS:
        code = f"MX_{level.upper()}"  # not the marker: a 404 repeats the code it was asked
        indicator = Indicator.objects.create(
            code=code, name=marker("indicator", level), classification=level
        )
        if level == Classification.RESTRICTED:
            indicator.restricted_to.set([iom])
        path = folder / f"{level}.csv"
        path.write_text("Year,GeoCode,Value\n2019,FRA,1\n2020,FRA,2\n", encoding="utf-8")
        observations_import(
            path=path,
            options=Options(
                indicator=code, dataset=marker("dataset", level), source=marker("dataset", level)
            ),
        )
        record.indicators[level] = indicator
    from accord.evidence.models import IndicatorTarget
    from accord.evidence.targets import place_for_code

    record.target = IndicatorTarget.objects.create(
        indicator=record.indicators["public"], place=place_for_code("FRA"), year=2031, value=3
    )

    for level in LEVELS:
        release = reports.press_release_create_draft(meeting=record.meetings[level], by=None)
        release = reports.press_release_update(
            release=release,
            data={"title": marker("press", level), "body": marker("press", level)},
            version=release.version,
            by=None,
        )
        if level == Classification.PUBLIC:
            release = reports.press_release_publish(
                release=release, version=release.version, by=None
            )
        record.press[level] = release

    from accord.meetings.procedures import procedure_open

    for level in LEVELS:
        record.procedures[level] = procedure_open(
            kind="silence",
            text=marker("procedure", level),
            closes=dt.date(2099, 12, 31),
            partners=[iom],
            classification=level,
            restricted_to=[iom],
        )
    from accord.meetings.calls import call_open

    record.call = call_open(
        meeting=public, message="Matrix call", due=dt.date(2099, 12, 31), partners=[iom]
    )
    return record


def meetings_get(pk: int) -> Any:
    from accord.meetings.selectors import meeting_get

    return meeting_get(user=_Everyone(), key=str(pk))


class _Everyone:
    """Reads as a superuser would, to fetch the fixtures' own records."""

    is_authenticated = True
    is_superuser = True
    pk = -1
    _accord_access = None

    def __init__(self) -> None:
        from accord.access.selectors import Access

        self._accord_access = Access(user_id=-1, is_superuser=True)
