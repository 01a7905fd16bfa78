from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accord.reports.models import AgendaCommitment, ExportRecord, PressRelease


@admin.register(PressRelease)
class PressReleaseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "status", "published_at", "classification", "version"]
    list_filter = ["status", "classification"]
    search_fields = ["title", "body"]
    readonly_fields = ["version"]


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """The history of exports: read only, for the secretariat."""

    list_display = ["created_at", "user", "kind", "format", "rows", "via", "filters"]
    list_filter = ["kind", "format", "via"]
    search_fields = ["user__username", "kind"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AgendaCommitment)
class AgendaCommitmentAdmin(admin.ModelAdmin):
    list_display = ["agenda_item", "commitment_code"]
    search_fields = ["commitment_code", "agenda_item__title"]
    raw_id_fields = ["agenda_item"]
