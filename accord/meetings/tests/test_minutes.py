"""Minutes: revisions, the review round, approval with the actions written in them,
locking and corrections; paragraphs and their anchors."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accord.access.models import AuditEvent
from accord.core.errors import Conflict, Invalid
from accord.meetings import minutes as review
from accord.meetings import minutes_selectors
from accord.meetings.minutes_text import action_lines, paragraphs, replace_paragraph
from accord.meetings.models import (
    ActionPoint,
    CommentKind,
    CommentStatus,
    MinutesStatus,
    ProposedActionStatus,
    RevisionKind,
)

pytestmark = pytest.mark.django_db

TEXT = """# Minutes

The co-chairs opened the meeting.

ACTION [IOM, DG HOME] due 2027-03-31: share the returns figures
"""


def test_paragraph_anchors_stay_while_the_paragraph_does():
    first = paragraphs("Intro.\n\nAgreed to share data.\n")
    moved = paragraphs("A new opening.\n\nIntro.\n\nAgreed to share data.\n")
    assert [p.anchor for p in first] == [p.anchor for p in moved][1:]
    assert all(p.anchor.startswith("p-") for p in first)
    twice = paragraphs("Same.\n\nSame.\n")
    assert twice[0].anchor != twice[1].anchor
    assert replace_paragraph("Intro.\n\nOld.\n\nEnd.\n", paragraphs("Old.")[0].anchor, "New.") == (
        "Intro.\n\nNew.\n\nEnd.\n"
    )


def test_action_lines_are_read_and_problems_named(reference):
    good, unknown, bad_date, no_owner = action_lines(
        "ACTION [IOM, DG HOME] due 2027-03-31: share the returns figures\n"
        "ACTION [IOM, NOPE]: write\n"
        "ACTION [IOM] due next spring: later\n"
        "- ACTION due 2027-01-01: nobody\n"
    )
    assert (good.owners, good.due_date, good.text, good.problems) == (
        ["IOM", "DG HOME"],
        dt.date(2027, 3, 31),
        "share the returns figures",
        [],
    )
    assert "NOPE" in unknown.problems[0]
    assert "next" in bad_date.problems[0]
    assert no_owner.problems
    assert no_owner.number == 4


def test_a_save_that_changes_the_text_is_a_revision(som, secretariat):
    meeting = som(3)
    minutes = review.minutes_save(meeting=meeting, body="One.", by=secretariat)
    same = review.minutes_save(
        meeting=meeting, body="One.", version=minutes.version, by=secretariat
    )
    assert same.version == minutes.version
    assert [r.number for r in minutes_selectors.revisions(minutes)] == [1]
    changed = review.minutes_save(
        meeting=meeting, body="One. Two.", version=minutes.version, by=secretariat
    )
    assert [r.number for r in minutes_selectors.revisions(changed)] == [1, 2]
    with pytest.raises(Conflict):
        review.minutes_save(meeting=meeting, body="Three.", version=minutes.version, by=secretariat)
    assert 'id="p-' in changed.body_html


def test_the_review_round_from_draft_to_approved_and_corrected(som, secretariat, make_user):
    meeting = som(3)
    member = make_user("member", ("EEAS", "member"))
    minutes = review.minutes_save(meeting=meeting, body=TEXT, by=secretariat)
    assert [p.status for p in minutes.proposed_actions.all()] == ["proposed"]
    with pytest.raises(PermissionDenied):
        review.minutes_comment_add(minutes=minutes, text="Too early", by=member)
    with pytest.raises(PermissionDenied):
        review.minutes_circulate(minutes=minutes, by=member)

    minutes = review.minutes_circulate(
        minutes=minutes, deadline=timezone.localdate() + dt.timedelta(days=7), by=secretariat
    )
    assert minutes.status == MinutesStatus.CIRCULATED
    assert minutes_selectors.meeting_minutes(user=member, meeting=meeting) is not None
    review.minutes_comment_add(minutes=minutes, text="Well written.", by=member)
    opening = paragraphs(minutes.body)[1]
    with pytest.raises(Invalid):
        review.minutes_comment_add(
            minutes=minutes, kind=CommentKind.AMENDMENT, paragraph="p-nope", text="x", by=member
        )
    amendment = review.minutes_comment_add(
        minutes=minutes,
        kind=CommentKind.AMENDMENT,
        paragraph=opening.anchor,
        text="The EEAS co-chaired.",
        proposed_text="The co-chairs (EEAS and IOM) opened the meeting.",
        by=member,
    )
    declined = review.minutes_comment_add(
        minutes=minutes,
        kind=CommentKind.AMENDMENT,
        paragraph=paragraphs(minutes.body)[0].anchor,
        text="Shorter title",
        proposed_text="# Notes",
        by=member,
    )
    with pytest.raises(PermissionDenied):
        review.amendment_resolve(comment=amendment, accept=True, by=member)
    with pytest.raises(Invalid):
        review.amendment_resolve(comment=declined, accept=False, by=secretariat)
    review.amendment_resolve(
        comment=declined, accept=False, reason="Title as usual", by=secretariat
    )
    accepted = review.amendment_resolve(comment=amendment, accept=True, by=secretariat)
    assert accepted.status == CommentStatus.ACCEPTED
    minutes.refresh_from_db()
    assert "(EEAS and IOM)" in minutes.body
    assert list(minutes.revisions.values_list("kind", flat=True)) == ["edit", "amendment"]

    minutes = review.minutes_approve(minutes=minutes, by=secretariat)
    assert minutes.status == MinutesStatus.APPROVED
    proposal = minutes.proposed_actions.get()
    assert proposal.status == ProposedActionStatus.CONFIRMED
    action = proposal.action_point
    assert action is not None
    assert action.meeting == meeting
    assert action.due_date == dt.date(2027, 3, 31)
    assert sorted(action.owners.values_list("acronym", flat=True)) == ["DG HOME", "IOM"]
    assert minutes_selectors.meeting_minutes(user=None, meeting=meeting) is not None

    with pytest.raises(Conflict, match="locked"):
        review.minutes_save(
            meeting=meeting, body="Rewritten", version=minutes.version, by=secretariat
        )
    with pytest.raises(Conflict):
        review.minutes_approve(minutes=minutes, by=secretariat)
    with pytest.raises(Invalid, match="reason"):
        review.minutes_correct(
            minutes=minutes, body=minutes.body + "\nFixed.", reason=" ", by=secretariat
        )
    corrected = review.minutes_correct(
        minutes=minutes,
        body=minutes.body.replace("2027", "2028"),
        reason="Typo in the year",
        by=secretariat,
    )
    last = minutes_selectors.corrections(corrected).get()
    assert (last.kind, last.reason, last.number) == (RevisionKind.CORRECTION, "Typo in the year", 3)
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))
    assert {"minutes.circulated", "minutes.approved", "minutes.corrected"} <= set(verbs)


def test_approval_drops_the_actions_not_confirmed(som, secretariat):
    minutes = review.minutes_save(
        meeting=som(4), body=TEXT + "\nACTION [EEAS]: draft the note\n", by=secretariat
    )
    keep = minutes.proposed_actions.get(text="draft the note")
    review.minutes_approve(minutes=minutes, confirm=[keep.pk], by=secretariat)
    statuses = dict(minutes.proposed_actions.values_list("text", "status"))
    assert statuses == {"share the returns figures": "dropped", "draft the note": "confirmed"}
    assert ActionPoint.objects.filter(meeting=som(4)).count() == 1


def test_comments_close_at_the_deadline(som, secretariat, make_user):
    member = make_user("member", ("EEAS", "member"))
    minutes = review.minutes_save(meeting=som(3), body="Text.", by=secretariat)
    minutes = review.minutes_circulate(
        minutes=minutes, deadline=timezone.localdate(), by=secretariat
    )
    minutes.comment_deadline = timezone.localdate() - dt.timedelta(days=1)
    minutes.save(update_fields=["comment_deadline"])
    with pytest.raises(PermissionDenied):
        review.minutes_comment_add(minutes=minutes, text="Late", by=member)
