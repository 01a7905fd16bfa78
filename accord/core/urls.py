from django.urls import path

from accord.core import health, views

urlpatterns = [
    path("health/", health.health, name="health"),
    path(
        "data-quality/<int:pk>/clear/",
        views.data_quality_clear,
        name="data-quality-clear",
    ),
    path(
        "history/<str:app_label>/<str:model_name>/<int:pk>/",
        views.record_history,
        name="record-history",
    ),
]
