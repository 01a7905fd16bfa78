from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from accord.access.permissions import require
from accord.commitments import permissions
from accord.commitments.models import (
    Commitment,
    Cycle,
    CycleEntry,
    ExchangeRate,
    Funding,
    Initiative,
    InitiativeCommitment,
    InitiativePlace,
    Instrument,
    Milestone,
)
from accord.core.admin import ServiceAdmin
from accord.core.models import Classification
from accord.core.services import model_update


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["code", "parent", "title", "target_date", "position"]
    show_change_link = True


@admin.register(Instrument)
class InstrumentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "adopted_on", "progress_weighting", "version"]
    search_fields = ["code", "name"]
    filter_horizontal = ["parties"]
    readonly_fields = ["version"]
    inlines = [CommitmentInline]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "instrument", "parent", "position", "target_date"]
    list_filter = ["instrument"]
    search_fields = ["code", "title"]
    readonly_fields = ["path", "version"]
    autocomplete_fields = ["parent"]


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["funder"]


class PlaceInline(admin.TabularInline):
    model = InitiativePlace
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class LinkInline(admin.TabularInline):
    model = InitiativeCommitment
    extra = 0
    autocomplete_fields = ["commitment"]


@admin.register(Initiative)
class InitiativeAdmin(ServiceAdmin, SimpleHistoryAdmin):
    """Edits ask the initiatives' predicates and go through the version check."""

    list_display = ["pk", "__str__", "partner", "kind", "status", "progress", "classification"]
    list_filter = ["status", "kind", "classification", "origin"]
    search_fields = ["iati_identifier", "title"]
    autocomplete_fields = ["partner", "implementers"]
    readonly_fields = ["progress", "version", "origin"]
    inlines = [LinkInline, PlaceInline, FundingInline, MilestoneInline]

    def save_record(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        data = form.cleaned_data
        require(
            permissions.can_report_for(request.user, data.get("partner")),
            _("You may enter initiatives only for a partner you report for."),
        )
        require(
            data.get("classification") != Classification.PUBLIC
            or permissions.can_publish_initiative(request.user),
            _("An initiative becomes public when the secretariat verifies it."),
        )
        if not change:
            obj.full_clean()
            obj.save()
            return obj
        current = Initiative.objects.get(pk=obj.pk)
        require(
            permissions.can_edit_initiative(request.user, current),
            _("You may not edit this initiative."),
        )
        changed = {
            name: data[name]
            for name in form.changed_data
            if name not in {"seen_version", "implementers", "restricted_to"}
        }
        return model_update(instance=current, data=changed, version=data.get("seen_version"))


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "date", "per_eur"]
    list_filter = ["currency"]


class EntryInline(admin.TabularInline):
    """Entries move through their states on the reporting pages and API; a verified one
    changes only by an exception recorded with its reason (the cycle's page)."""

    model = CycleEntry
    extra = 0
    fields = ["initiative", "state", "comment", "status", "progress"]
    readonly_fields = ["initiative", "state", "comment", "status", "progress"]
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Cycle)
class CycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "opens_on", "closes_on", "previous"]
    readonly_fields = ["status", "opened_at", "closed_at"]
    filter_horizontal = ["instruments"]
    inlines = [EntryInline]
