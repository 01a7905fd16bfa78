"""The follow-up of the sample scenario: action points with their dated updates,
initiatives implementing the commitments, two reporting cycles, indicator targets per
place and a published press release. Written through the services, then marked sample.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from accord.commitments import cycles
from accord.commitments.initiatives import initiative_create, initiative_update
from accord.commitments.models import Cycle, CycleEntry, Initiative, Instrument
from accord.commitments.records import InitiativeRecord, PlaceLine
from accord.core.models import Classification
from accord.evidence.models import Indicator, IndicatorTarget, Place
from accord.evidence.targets import indicator_target_set
from accord.meetings.models import ActionPointStatus, Meeting
from accord.meetings.services import action_point_create, action_point_progress
from accord.partners.models import Organisation
from accord.reports.models import PressRelease
from accord.reports.services import press_release_create_draft, press_release_publish
from accord.sample.marking import mark, mark_all

if TYPE_CHECKING:
    from accord.core.readers import Actor
    from accord.sample.meetings_part import SampleMeetings

OPEN, IN_PROGRESS, DONE, DROPPED = (
    ActionPointStatus.OPEN,
    ActionPointStatus.IN_PROGRESS,
    ActionPointStatus.DONE,
    ActionPointStatus.DROPPED,
)

# (meeting, action, owners, status, due in days from the load day, public)
ACTION_POINTS: list[tuple[str, str, tuple[str, ...], str, int | None, bool]] = [
    ("som", "Share the updated reintegration figures for the Sahel", ("IOM",), OPEN, -20, True),
    (
        "som",
        "Report on the migrant resource centres opened in Niger",
        ("IOM",),
        IN_PROGRESS,
        -6,
        False,
    ),
    ("som", "Circulate the draft note on legal migration pathways", ("DG HOME",), OPEN, -12, True),
    (
        "som",
        "Propose two talent partnerships for the next meeting",
        ("DG HOME",),
        IN_PROGRESS,
        20,
        False,
    ),
    (
        "som",
        "Map the JVAP initiatives without a reporting partner",
        ("IOM-RO-BRU",),
        DONE,
        -40,
        True,
    ),
    ("som", "Update the list of focal points of each partner", ("IOM-RO-BRU",), DONE, -90, False),
    ("som", "Brief the EU Delegations on the return dialogue", ("EEAS",), IN_PROGRESS, 15, False),
    ("som", "Prepare the political dialogue points on readmission", ("EEAS",), OPEN, -3, False),
    ("som", "Present the Horn of Africa root-causes programme", ("DG INTPA",), DONE, -60, True),
    (
        "som",
        "Confirm the 2027 funding of the reintegration facility",
        ("DG INTPA", "IOM"),
        OPEN,
        45,
        False,
    ),
    (
        "som",
        "Share the Western Balkans border management review",
        ("DG NEAR",),
        IN_PROGRESS,
        -15,
        False,
    ),
    (
        "som",
        "Join the protection working group on the Central Mediterranean",
        ("DG ECHO",),
        DROPPED,
        30,
        False,
    ),
    (
        "som",
        "Align humanitarian and return data on Libya",
        ("DG ECHO", "IOM"),
        IN_PROGRESS,
        10,
        False,
    ),
    ("som", "Publish the joint statement of the meeting", ("IOM-RO-BRU",), DONE, -200, True),
    (
        "som",
        "Review the indicator targets per migration route",
        ("IOM", "DG HOME"),
        OPEN,
        35,
        False,
    ),
    ("som", "Agree the calendar of the next reporting cycle", ("IOM-RO-BRU",), DONE, -120, False),
    ("som", "Prepare a briefing on climate-related displacement", ("IOM",), OPEN, 60, False),
    ("som", "Report on the Talent Partnership with Morocco", ("DG HOME",), DONE, -30, True),
    (
        "som",
        "Collect the partners' contributions to the progress report",
        ("IOM-RO-BRU",),
        IN_PROGRESS,
        7,
        False,
    ),
    ("som", "Clarify the overlap of the two JVAP-5 initiatives", ("IOM", "EEAS"), OPEN, -9, False),
    (
        "heads",
        "Send the cycle's reporting template to the contributors",
        ("IOM-RO-BRU",),
        DONE,
        -45,
        False,
    ),
    ("heads", "Check the late entries of the closed cycle", ("DG HOME",), OPEN, -10, False),
    ("heads", "Propose a standing item on data protection", ("EC",), OPEN, 25, False),
    ("heads", "Draft the terms of reference of the expert meeting", ("IOM",), DONE, -35, False),
    ("heads", "List the initiatives that lack a place", ("DG NEAR",), DROPPED, 14, False),
    (
        "heads",
        "Share the evaluation of the assisted voluntary returns",
        ("IOM",),
        IN_PROGRESS,
        -2,
        True,
    ),
    (
        "expert",
        "Reconcile the reintegration figures of 2025",
        ("IOM", "DG HOME"),
        IN_PROGRESS,
        12,
        False,
    ),
    ("expert", "Agree one definition of a sustainable reintegration", ("IOM",), OPEN, 40, False),
    ("expert", "Send the anonymised case-management extract", ("DG HOME",), OPEN, -4, False),
    ("expert", "Plan the second expert meeting", ("IOM",), DONE, -7, False),
]


def _user(username: str) -> Actor:
    return get_user_model()._default_manager.filter(username=username).first()


def _partners(acronyms: tuple[str, ...]) -> list[Organisation]:
    return list(Organisation.objects.filter(acronym__in=acronyms))


def _focal_for(owners: tuple[str, ...], secretariat: Actor) -> Actor:
    """Who records progress: the owner's demo focal point where there is one."""
    if "IOM" in owners:
        return _user("iom-focal") or secretariat
    if "DG HOME" in owners:
        return _user("home-focal") or secretariat
    return secretariat


def action_points(*, meetings: SampleMeetings, today: dt.date, by: Actor) -> int:
    """About thirty action points in every state, with dated updates; some overdue,
    some public, those of the expert meeting restricted to its two partners."""
    by_key: dict[str, Meeting] = {
        "som": meetings.last_som,
        "heads": meetings.heads_of_unit,
        "expert": meetings.expert,
    }
    made = []
    for index, (key, text, owners, status, due_in, public) in enumerate(ACTION_POINTS):
        meeting = by_key[key]
        start = meeting.period()[0]
        due = today + dt.timedelta(days=due_in) if due_in is not None else None
        if due is not None and due < start:
            due = start + dt.timedelta(days=30)
        restricted = key == "expert"
        point = action_point_create(
            meeting=meeting,
            text=text,
            owners=_partners(owners),
            due_date=due,
            classification=(
                Classification.RESTRICTED
                if restricted
                else Classification.PUBLIC
                if public
                else Classification.MEMBERS
            ),
            restricted_to=_partners(owners) if restricted else (),
            by=by,
        )
        made.append(point)
        if status == OPEN and index % 3:
            continue  # some open actions have no update yet
        author = _focal_for(owners, by)
        span = max((today - start).days, 2)
        first = start + dt.timedelta(days=span // 3)
        updates = [
            action_point_progress(
                action_point=point,
                text="Work started; a first draft is with the partners.",
                on=first,
                status=IN_PROGRESS if status != OPEN else "",
                by=author,
            )
        ]
        if status in (DONE, DROPPED):
            closing = (
                "Done: shared with the members."
                if status == DONE
                else "Dropped: covered by another action."
            )
            updates.append(
                action_point_progress(
                    action_point=point,
                    text=closing,
                    on=start + dt.timedelta(days=2 * span // 3),
                    status=status,
                    by=author,
                )
            )
        mark(*updates)
    mark(*made)
    return len(made)


# (partner, title, commitments, place codes (M49), status, progress, classification)
INITIATIVES: list[tuple[str, str, list[str], list[str], str, int, str]] = [
    (
        "IOM",
        "Migrant resource centres in the Sahel",
        ["JVAP-1", "JVAP-3"],
        ["562", "466"],
        "ongoing",
        40,
        "members",
    ),
    (
        "IOM",
        "Assisted voluntary return and reintegration from Libya",
        ["JVAP-5"],
        ["434"],
        "ongoing",
        55,
        "members",
    ),
    ("DG HOME", "Legal pathways pilot with Senegal", ["JVAP-2"], ["686"], "ongoing", 30, "members"),
    ("DG HOME", "Talent partnership with Morocco", ["JVAP-2"], ["504"], "planned", 10, "members"),
    (
        "DG INTPA",
        "Root causes programme in the Horn of Africa",
        ["JVAP-1"],
        ["231"],
        "ongoing",
        65,
        "public",
    ),
    ("EEAS", "Dialogue on return and readmission", ["JVAP-5"], ["566"], "ongoing", 20, "members"),
    (
        "DG NEAR",
        "Border management in the Western Balkans",
        ["WB-2015-1"],
        ["688"],
        "ongoing",
        50,
        "members",
    ),
]


def initiatives(*, by: Actor) -> dict[str, Initiative]:
    """Initiatives of several partners linked to commitments: JVAP-2 and JVAP-5 are each
    covered twice (overlaps), JVAP-4 by none (a gap)."""
    made: dict[str, Initiative] = {}
    for partner, title, codes, places, status, progress, classification in INITIATIVES:
        record = InitiativeRecord(
            title={"en": f"{title} (sample)"},
            description={"en": "A sample initiative of the demo, not part of the record."},
            kind="project",
            status=status,
            progress_override=progress,
            partner=partner,
            commitments=codes,
            places=[PlaceLine(code) for code in places],
            classification=classification,
            source="Sample scenario of the demo",
        )
        made[title] = initiative_create(user=by, record=record)
    mark(*made.values())
    return made


def _draft(cycle: Cycle, initiative: Initiative, user: Actor) -> CycleEntry:
    entry = cycles.entry_draft(user=user, cycle=cycle, initiative=initiative)
    mark(entry)
    return entry


def reporting_cycles(
    *, found: dict[str, Initiative], today: dt.date, by: Actor
) -> tuple[Cycle, Cycle]:
    """Last year's cycle, closed, in which EEAS reported late; this year's, open, with
    entries in every state (draft, submitted, returned with a comment, verified)."""
    jvap = Instrument.objects.get(code="JVAP")
    iom, home = _user("iom-focal") or by, _user("home-focal") or by
    contributor = _user("home-contrib") or home
    sahel = found["Migrant resource centres in the Sahel"]
    libya = found["Assisted voluntary return and reintegration from Libya"]
    senegal = found["Legal pathways pilot with Senegal"]
    morocco = found["Talent partnership with Morocco"]
    horn = found["Root causes programme in the Horn of Africa"]
    dialogue = found["Dialogue on return and readmission"]

    previous = cycles.cycle_create(
        user=by,
        name=f"{today.year - 1}-sample",
        opens_on=today - dt.timedelta(days=400),
        closes_on=today + dt.timedelta(days=1),
        instruments=[jvap],
    )
    previous = cycles.cycle_start(user=by, cycle=previous)
    on_time = []
    for initiative, user in [(sahel, iom), (libya, iom), (senegal, home), (horn, by)]:
        on_time.append(cycles.entry_submit(user=user, entry=_draft(previous, initiative, user)))
    previous = cycles.cycle_set_deadline(
        user=by, cycle=previous, closes_on=today - dt.timedelta(days=330)
    )
    late = cycles.entry_submit(user=by, entry=_draft(previous, dialogue, by))
    for entry in [*on_time, late]:
        cycles.entry_verify(user=by, entry=entry, comment="Checked against the annual report.")
    previous = cycles.cycle_close(user=by, cycle=previous)

    current = cycles.cycle_create(
        user=by,
        name=f"{today.year}-sample",
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=25),
        instruments=[jvap],
        previous=previous,
    )
    current = cycles.cycle_start(user=by, cycle=current)
    mark(previous, current)
    mark_all(CycleEntry.objects.filter(cycle__in=[previous, current]))
    entries = {e.initiative_id: e for e in current.entries.all()}
    for initiative, progress in [(sahel, 60), (libya, 70), (senegal, 45), (horn, 80)]:
        current_state = Initiative.objects.get(pk=initiative.pk)
        initiative_update(
            user=by,
            initiative=current_state,
            record=InitiativeRecord(title=current_state.title, progress_override=progress),
            version=current_state.version,
        )
    submitted = cycles.entry_submit(user=iom, entry=entries[sahel.pk])
    returned = cycles.entry_submit(user=iom, entry=entries[libya.pk])
    cycles.entry_return(
        user=by,
        entry=returned,
        comment="The number of returns does not match the quarterly report; please check.",
    )
    senegal_entry = cycles.entry_submit(user=home, entry=entries[senegal.pk])
    cycles.entry_return(
        user=by, entry=senegal_entry, comment="Please add the places where the pilot runs."
    )
    verified = cycles.entry_submit(user=by, entry=entries[horn.pk])
    cycles.entry_verify(user=by, entry=verified, comment="Verified.")
    _draft(current, morocco, contributor)
    del submitted
    mark_all(CycleEntry.objects.filter(cycle=current))
    return previous, current


# (indicator, place, years from now, value)
TARGETS = [
    ("IOM_ASSISTED_RETURNS", "EU_IOM_JI_COUNTRIES", 1, 60000.0),
    ("IOM_ASSISTED_RETURNS", "EU_IOM_JI_COUNTRIES", 3, 75000.0),
    ("MMP_DEAD_MISSING", "CENTRAL_MEDITERRANEAN_ROUTE", 1, 1000.0),
    ("MMP_DEAD_MISSING", "WESTERN_MEDITERRANEAN_ROUTE", 1, 300.0),
    ("MMP_DEAD_MISSING", "EASTERN_MEDITERRANEAN_ROUTE", 1, 200.0),
    ("EUIOM_JI_REINTEG_CUM", "EU_IOM_JI_COUNTRIES", 2, 120000.0),
]


def indicator_targets(*, today: dt.date, by: Actor) -> int:
    """Targets per place; a place and year that already has a real target is left alone."""
    made = []
    for code, place_code, years, value in TARGETS:
        indicator = Indicator.objects.filter(code=code).first()
        place = Place.objects.filter(code=place_code).first()
        year = today.year + years
        if indicator is None or place is None:
            continue
        if IndicatorTarget.objects.filter(
            indicator=indicator, place=place, year=year, is_sample=False
        ).exists():
            continue
        made.append(
            indicator_target_set(
                user=by, indicator=indicator, place=place, year=year, value=value, note="Sample"
            )
        )
    mark(*made)
    return len(made)


def press_release(*, meeting: Meeting, by: Actor) -> PressRelease | None:
    """The last SOM's press release, drafted from the record and published (unless the
    real record has one already)."""
    if PressRelease.objects.filter(meeting=meeting).exists():
        return None
    draft = press_release_create_draft(meeting=meeting, by=by)
    mark(draft)
    published = press_release_publish(release=draft, version=draft.version, by=by)
    return published
