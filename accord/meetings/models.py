"""Meetings: tiers, meetings and their participants, agendas, minutes, decisions, action
points with their progress, documents, and events recorded at a meeting.

A meeting's ordinal within its tier ("3rd Senior Officials Meeting") is never stored:
it follows from the dates (see :meth:`MeetingQuerySet.with_ordinal`), so a
meeting added or re-dated later renumbers the series by itself.

The models live in modules of their own, one per job, and are imported here so that
Django finds them and every ``from accord.meetings.models import ...`` keeps working:
``meeting_models`` (tiers, topics, meetings, participants, agenda items, events),
``outcome_models`` (minutes, decisions, action points), ``document_models``; the review
of minutes and the links of decisions (``minutes_models``); between meetings, procedures,
calls for contributions and private calendars; invitations (``participation``); what
topics are about (``topic_models``).
"""

from __future__ import annotations

from accord.meetings.calendar_models import CalendarFeed  # noqa: F401
from accord.meetings.call_models import (  # noqa: F401
    CallAsks,
    CallState,
    Contribution,
    ContributionCall,
)
from accord.meetings.document_models import (  # noqa: F401
    Document,
    DocumentKind,
    DocumentVersion,
    _document_path,
)
from accord.meetings.meeting_models import (  # noqa: F401
    AgendaItem,
    Meeting,
    MeetingEvent,
    MeetingQuerySet,
    MeetingStatus,
    MeetingTier,
    Participant,
    ParticipantRole,
    Topic,
    earlier_in_tier,
    ordinal_expression,
    ordinal_label,
    reader_language,
    with_meeting_ordinal,
)
from accord.meetings.minutes_models import (  # noqa: F401
    CommentKind,
    CommentStatus,
    DecisionCommitment,
    DecisionInitiative,
    MinutesComment,
    ProposedAction,
    ProposedActionStatus,
)
from accord.meetings.outcome_models import (  # noqa: F401
    STILL_OPEN,
    ActionPoint,
    ActionPointStatus,
    ActionPointUpdate,
    Decision,
    Minutes,
    MinutesRevision,
    MinutesStatus,
    RevisionKind,
)
from accord.meetings.participation import Invitation, InvitationAnswer  # noqa: F401
from accord.meetings.procedure_models import (  # noqa: F401
    Procedure,
    ProcedureAnswer,
    ProcedureAnswerKind,
    ProcedureKind,
    ProcedureOutcome,
    ProcedureState,
)
from accord.meetings.topic_models import TopicCommitment  # noqa: F401
