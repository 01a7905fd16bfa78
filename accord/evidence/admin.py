from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accord.evidence.models import (
    CommitmentIndicator,
    Dataset,
    DatasetVersion,
    Indicator,
    Place,
)


class CommitmentIndicatorInline(admin.TabularInline):
    model = CommitmentIndicator
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "sdg_code", "classification", "version"]
    list_filter = ["classification", "direction"]
    search_fields = ["code", "name", "sdg_code"]
    readonly_fields = ["version"]
    inlines = [CommitmentIndicatorInline]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "iso2", "iso3"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "iso2", "iso3"]


class DatasetVersionInline(admin.TabularInline):
    model = DatasetVersion
    extra = 0
    can_delete = False
    readonly_fields = [
        "number",
        "kind",
        "file_name",
        "checksum",
        "rows",
        "imported_by",
        "imported_at",
        "is_current",
    ]


@admin.register(Dataset)
class DatasetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "version", "rows", "imported_at"]
    list_filter = ["kind"]
    search_fields = ["name", "source"]
    readonly_fields = ["checksum", "rows", "version", "imported_by", "imported_at"]
    inlines = [DatasetVersionInline]


@admin.register(CommitmentIndicator)
class CommitmentIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["commitment_code", "indicator", "note"]
    search_fields = ["commitment_code", "indicator__code"]
    autocomplete_fields = ["indicator"]
