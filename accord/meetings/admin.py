from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accord.core.admin import ServiceAdmin, VersionedForm
from accord.core.services import model_update
from accord.meetings import minutes as review
from accord.meetings import services
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
    MinutesStatus,
    Participant,
    Topic,
    TopicCommitment,
    with_meeting_ordinal,
)


@admin.register(MeetingTier)
class MeetingTierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework", "cadence"]


class TopicCommitmentInline(admin.TabularInline):
    model = TopicCommitment
    extra = 0


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    inlines = [TopicCommitmentInline]


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


# Minutes move forward only: draft, circulated, approved (and approved is final).
MINUTES_ORDER: list[str] = [
    MinutesStatus.DRAFT,
    MinutesStatus.CIRCULATED,
    MinutesStatus.APPROVED,
]


class MinutesForm(VersionedForm):
    class Meta:
        model = Minutes
        fields = ["meeting", "agenda_item", "body", "status"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        minutes = self.instance
        if minutes.pk is None:
            if data.get("status", MinutesStatus.DRAFT) != MinutesStatus.DRAFT:
                self.add_error("status", "New minutes start as a draft.")
            return data
        before = Minutes.objects.get(pk=minutes.pk)
        status = data.get("status", before.status)
        if MINUTES_ORDER.index(status) < MINUTES_ORDER.index(before.status):
            self.add_error("status", "Minutes cannot be set back to an earlier status.")
        elif MINUTES_ORDER.index(status) > MINUTES_ORDER.index(before.status) + 1:
            self.add_error("status", "Minutes move one step at a time: circulate, then approve.")
        if before.status == MinutesStatus.APPROVED and self.changed_data:
            raise forms.ValidationError("These minutes are approved and final.")
        return data


@admin.register(Minutes)
class MinutesAdmin(ServiceAdmin, MeetingRecordAdmin):
    """Each saved text is a revision, rendered and sanitised; the status only moves on."""

    form = MinutesForm
    list_display = ["__str__", "status", "version"]
    list_filter = ["status"]
    inlines = [MinutesRevisionInline]
    readonly_fields = ["version", "body_html"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.status == MinutesStatus.APPROVED:
            return ["meeting", "agenda_item", "body", "status", "version", "body_html"]
        if obj is not None:
            return ["meeting", "agenda_item", "version", "body_html"]
        return self.readonly_fields

    def save_record(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        data = form.cleaned_data
        if not change:
            return review.minutes_save(
                meeting=data["meeting"],
                agenda_item=data.get("agenda_item"),
                body=data["body"],
                by=request.user,
            )
        minutes = Minutes.objects.get(pk=obj.pk)
        if "body" in form.changed_data:
            minutes = review.minutes_save(
                meeting=minutes.meeting,
                agenda_item=minutes.agenda_item,
                body=data["body"],
                version=data.get("seen_version"),
                by=request.user,
            )
        if "status" in form.changed_data:
            minutes = review.minutes_advance(
                minutes=minutes, version=minutes.version, by=request.user
            )
        return minutes


@admin.register(Decision)
class DecisionAdmin(MeetingRecordAdmin):
    list_display = ["__str__", "meeting", "position"]


class ActionPointUpdateInline(admin.TabularInline):
    """Progress is recorded on the action register, where its dates are checked."""

    model = ActionPointUpdate
    extra = 0
    readonly_fields = ["on", "text", "status", "author"]
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ActionPoint)
class ActionPointAdmin(ServiceAdmin, MeetingRecordAdmin):
    """Saved through the action point's services: owners checked, version raised."""

    list_display = ["__str__", "meeting", "status", "due_date", "version"]
    list_filter = ["status", "classification"]
    search_fields = ["text"]
    autocomplete_fields = ["owners", "assignee"]
    inlines = [ActionPointUpdateInline]
    readonly_fields = ["version"]

    def save_record(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        data = form.cleaned_data
        if not change:
            return services.action_point_create(
                meeting=data["meeting"],
                text=data["text"],
                owners=list(data["owners"]),
                assignee=data.get("assignee"),
                due_date=data.get("due_date"),
                status=data["status"],
                raised_by_decision=data.get("raised_by_decision"),
                raised_by_item=data.get("raised_by_item"),
                classification=data["classification"],
                by=request.user,
            )
        action_point = ActionPoint.objects.get(pk=obj.pk)
        edited = {
            name: list(data[name]) if name == "owners" else data[name]
            for name in form.changed_data
            if name in services.EDITABLE_FIELDS
        }
        action_point = services.action_point_update(
            action_point=action_point,
            data=edited,
            version=data.get("seen_version"),
            by=request.user,
        )
        others = {
            name: data[name]
            for name in form.changed_data
            if name not in services.EDITABLE_FIELDS
            and name not in {"seen_version", "restricted_to"}
        }
        if others:
            action_point = model_update(instance=action_point, data=others, version=None)
        return action_point


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
