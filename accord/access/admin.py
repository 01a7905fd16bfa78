from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accord.access.models import ApiToken, Role


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "kind"]
    list_filter = ["kind", "organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
