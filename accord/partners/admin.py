from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accord.partners.models import (
    Framework,
    Membership,
    Organisation,
    OrganisationName,
    Person,
    PersonRole,
    Unit,
)


class OrganisationNameInline(admin.TabularInline):
    model = OrganisationName
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["acronym", "name", "kind", "parent", "version"]
    list_filter = ["kind"]
    search_fields = ["acronym", "name", "names__acronym", "names__name"]
    inlines = [OrganisationNameInline]
    readonly_fields = ["version"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "acronym", "name"]
    autocomplete_fields = ["organisation"]


class PersonRoleInline(admin.TabularInline):
    model = PersonRole
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "classification"]
    search_fields = ["full_name"]
    inlines = [PersonRoleInline]


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "established_on"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["framework", "organisation", "joined_on", "instrument", "left_on"]
    list_filter = ["framework", "instrument"]
    autocomplete_fields = ["organisation"]
