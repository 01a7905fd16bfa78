from django.urls import path

from accord.commitments import (
    country_views,
    cycle_views,
    import_views,
    initiative_views,
    programme_views,
    tree_views,
    views,
)

urlpatterns = [
    path("commitments/", views.instrument_list, name="instrument-list"),
    path("commitments/instruments/<str:code>/", views.instrument_detail, name="instrument-detail"),
    path(
        "commitments/instruments/<str:code>/countries/",
        country_views.instrument_countries,
        name="instrument-countries",
    ),
    path("countries/<str:code>/", country_views.country_detail, name="country-detail"),
    path(
        "commitments/instruments/<str:code>/add/",
        tree_views.commitment_add,
        name="commitment-add",
    ),
    path("commitments/<str:code>/", views.commitment_detail, name="commitment-detail"),
    path("commitments/<str:code>/edit/", tree_views.commitment_change, name="commitment-edit"),
    path("programmes/<str:code>/", programme_views.programme_detail, name="programme-detail"),
    path("initiatives/", views.initiative_list, name="initiative-list"),
    path("initiatives/new/", views.initiative_new, name="initiative-new"),
    path("initiatives/import/", import_views.initiative_import, name="initiative-import"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative-detail"),
    path("initiatives/<int:pk>/edit/", initiative_views.initiative_edit, name="initiative-edit"),
    path(
        "initiatives/<int:pk>/cycles/<int:cycle>/<slug:step>/",
        views.entry_step,
        name="initiative-entry-step",
    ),
    path("cycles/", cycle_views.cycle_list, name="cycle-dashboard"),
    path("cycles/<str:name>/", cycle_views.cycle_detail, name="cycle-detail"),
    path("cycles/<str:name>/<slug:action>/", cycle_views.cycle_action, name="cycle-action"),
]
