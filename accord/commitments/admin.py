from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "__str__", "partner", "kind", "status", "progress", "classification"]
    list_filter = ["status", "kind", "classification", "origin"]
    search_fields = ["iati_identifier", "title"]
    autocomplete_fields = ["partner", "implementers"]
    readonly_fields = ["progress", "version", "origin"]
    inlines = [LinkInline, PlaceInline, FundingInline, MilestoneInline]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "date", "per_eur"]
    list_filter = ["currency"]


class EntryInline(admin.TabularInline):
    """Entries move through the cycle's pages and services only (a verified one is locked)."""

    model = CycleEntry
    extra = 0
    fields = ["initiative", "state", "comment", "status", "progress", "on_time"]
    readonly_fields = ("initiative", "state", "comment", "status", "progress", "on_time")
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Cycle)
class CycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "opens_on", "closes_on", "previous"]
    readonly_fields = ["status", "opened_at", "closed_at"]
    filter_horizontal = ["instruments"]
    inlines = [EntryInline]
