from django.urls import path

from accord.meetings import (
    agenda_views,
    calendar_views,
    call_views,
    decisions_views,
    minutes_views,
    participant_views,
    procedure_views,
    views,
)


def minutes_views_urls() -> list:
    """The minutes of a meeting: editor, preview, review round, revisions."""
    prefix = "meetings/<str:key>/minutes/"
    return [
        path(prefix, minutes_views.minutes_save, name="meeting-minutes-save"),
        path(f"{prefix}preview/", minutes_views.minutes_preview, name="meeting-minutes-preview"),
        path(
            f"{prefix}circulate/", minutes_views.minutes_circulate, name="meeting-minutes-circulate"
        ),
        path(f"{prefix}approve/", minutes_views.minutes_approve, name="meeting-minutes-approve"),
        path(f"{prefix}correct/", minutes_views.minutes_correct, name="meeting-minutes-correct"),
        path(f"{prefix}comments/", minutes_views.minutes_comment, name="meeting-minutes-comment"),
        path(
            f"{prefix}amendments/<int:pk>/",
            minutes_views.amendment_resolve,
            name="meeting-minutes-amendment",
        ),
        path(
            f"{prefix}revisions/", minutes_views.minutes_revisions, name="meeting-minutes-revisions"
        ),
    ]


urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/calendar/<slug:code>.ics", views.tier_calendar, name="meeting-tier-calendar"),
    path(
        "meetings/calendar/people/<int:pk>.ics",
        views.person_calendar,
        name="meeting-person-calendar",
    ),
    path(
        "meetings/tiers/<slug:code>/minutes/",
        minutes_views.tier_minutes,
        name="meeting-tier-minutes",
    ),
    path("meetings/minutes/<int:pk>/diff/", views.minutes_diff, name="minutes-diff"),
    path(
        "meetings/documents/<int:pk>/v<int:number>/",
        views.document_download,
        name="document-download",
    ),
    path(
        "meetings/documents/<int:pk>/versions/",
        views.document_version_upload,
        name="document-version-upload",
    ),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<str:key>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<str:key>/agenda/", views.agenda_item_add, name="meeting-agenda-add"),
    path("meetings/<str:key>/decisions/", views.decision_add, name="meeting-decision-add"),
    path("meetings/<str:key>/action-points/", views.action_point_add, name="meeting-action-add"),
    path("meetings/<str:key>/documents/", views.document_upload, name="meeting-document-upload"),
    *minutes_views_urls(),
    path("decisions/", decisions_views.decision_register, name="decision-register"),
    path("decisions/feed/", decisions_views.DecisionFeed(), name="decision-feed"),
    path("procedures/", procedure_views.procedure_list, name="procedure-list"),
    path("procedures/new/", procedure_views.procedure_open, name="procedure-open"),
    path("procedures/<int:pk>/", procedure_views.procedure_detail, name="procedure-detail"),
    path("procedures/<int:pk>/answer/", procedure_views.procedure_answer, name="procedure-answer"),
    path("decisions/<int:pk>/edit/", decisions_views.decision_edit, name="decision-edit"),
    path("meetings/<str:key>/edit/", agenda_views.meeting_edit, name="meeting-edit"),
    path("meetings/<str:key>/calls/", call_views.meeting_calls, name="meeting-calls"),
    path("meetings/<str:key>/calls/<int:pk>/", call_views.call_board, name="meeting-call"),
    path(
        "meetings/<str:key>/calls/<int:pk>/contribute/",
        call_views.call_contribute,
        name="meeting-call-contribute",
    ),
    path(
        "meetings/<str:key>/calls/<int:pk>/remind/",
        call_views.call_remind,
        name="meeting-call-remind",
    ),
    path(
        "meetings/<str:key>/calls/<int:pk>/close/",
        call_views.call_close,
        name="meeting-call-close",
    ),
    path(
        "meetings/<str:key>/next/", agenda_views.meeting_prepare_next, name="meeting-prepare-next"
    ),
    path(
        "meetings/<str:key>/agenda/<int:pk>/move/",
        agenda_views.agenda_item_move,
        name="meeting-agenda-move",
    ),
    path(
        "meetings/<str:key>/agenda/publish/",
        agenda_views.agenda_publish,
        name="meeting-agenda-publish",
    ),
    path(
        "meetings/<str:key>/invitations/",
        participant_views.invitation_send,
        name="meeting-invitation-send",
    ),
    path(
        "meetings/<str:key>/invitations/remind/",
        participant_views.invitation_remind,
        name="meeting-invitation-remind",
    ),
    path(
        "meetings/<str:key>/attendance/",
        participant_views.attendance_take,
        name="meeting-attendance",
    ),
    path("calendar/<str:token>.ics", calendar_views.private_calendar, name="private-calendar"),
    path(
        "account/calendar/renew/",
        calendar_views.account_calendar_renew,
        name="account-calendar-renew",
    ),
    path(
        "invitations/<str:token>/invitation.ics",
        calendar_views.invitation_calendar,
        name="invitation-calendar",
    ),
    path(
        "invitations/<str:token>/",
        participant_views.invitation_answer,
        name="invitation-answer",
    ),
    path("action-points/", views.action_register, name="action-register"),
    path("action-points/mine/", views.my_actions, name="my-actions"),
    path(
        "action-points/<int:pk>/progress/",
        views.action_point_progress,
        name="action-point-progress",
    ),
]
