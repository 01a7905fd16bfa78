from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accord.meetings.models import (
    ActionPoint,
    ActionPointUpdate,
    AgendaItem,
    Decision,
    Document,
    DocumentVersion,
    Invitation,
    Meeting,
    MeetingEvent,
    MeetingTier,
    Minutes,
    MinutesRevision,
    Participant,
    Topic,
    with_meeting_ordinal,
)


@admin.register(MeetingTier)
class MeetingTierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework", "cadence"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["person", "organisation"]
    readonly_fields = ["override_reason", "overridden_by", "overridden_at"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "parent", "title", "planned_minutes"]


class MeetingEventInline(admin.TabularInline):
    model = MeetingEvent
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "tier", "date", "date_precision", "city", "status", "classification"]
    list_filter = ["tier", "status", "classification"]
    search_fields = ["title", "city"]
    autocomplete_fields = ["host"]
    inlines = [ParticipantInline, AgendaItemInline, MeetingEventInline]
    readonly_fields = ["version"]

    def get_queryset(self, request: Any) -> Any:
        return Meeting.objects.with_ordinal()


class MeetingRecordAdmin(SimpleHistoryAdmin):
    """Records of a meeting, listed with their meeting's ordinal read once for the page
    (not joined: a joined meeting would come without its ordinal)."""

    list_select_related: Any = ()

    def get_queryset(self, request: Any) -> Any:
        return with_meeting_ordinal(super().get_queryset(request))


class MinutesRevisionInline(admin.TabularInline):
    model = MinutesRevision
    extra = 0
    readonly_fields = ["number", "body", "status", "author", "created_at"]
    can_delete = False


@admin.register(Minutes)
class MinutesAdmin(MeetingRecordAdmin):
    list_display = ["__str__", "status", "version"]
    list_filter = ["status"]
    inlines = [MinutesRevisionInline]
    readonly_fields = ["version", "body_html"]


@admin.register(Decision)
class DecisionAdmin(MeetingRecordAdmin):
    list_display = ["__str__", "meeting", "position"]


class ActionPointUpdateInline(admin.TabularInline):
    model = ActionPointUpdate
    extra = 0


@admin.register(ActionPoint)
class ActionPointAdmin(MeetingRecordAdmin):
    list_display = ["__str__", "meeting", "status", "due_date", "version"]
    list_filter = ["status", "classification"]
    search_fields = ["text"]
    autocomplete_fields = ["owners", "assignee"]
    inlines = [ActionPointUpdateInline]
    readonly_fields = ["version"]


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    readonly_fields = ["number", "original_name", "size", "sha256", "uploaded_by", "uploaded_at"]

    # Versions are uploaded from the meeting page, where the size and type rules apply.
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(MeetingRecordAdmin):
    list_display = ["title", "meeting", "kind", "language", "classification"]
    list_filter = ["kind", "language", "classification"]
    inlines = [DocumentVersionInline]


@admin.register(Invitation)
class InvitationAdmin(MeetingRecordAdmin):
    list_display = ["__str__", "meeting", "answer", "delegate_name", "attended"]
    list_filter = ["answer", "attended"]
    search_fields = ["email", "name", "delegate_name"]
    raw_id_fields = ["person", "participant"]
