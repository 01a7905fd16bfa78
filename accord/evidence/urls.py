from django.urls import path, register_converter

from accord.evidence import target_views, views


class DownloadFormat:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DownloadFormat, "fmt")

urlpatterns = [
    path("evidence/", views.overview, name="evidence-overview"),
    path("evidence/reporting/", views.reporting_status, name="evidence-reporting"),
    path("evidence/datasets/", views.dataset_list, name="evidence-datasets"),
    path("evidence/import/", views.observations_upload, name="evidence-import"),
    path(
        "evidence/commitments/<str:code>/",
        views.commitment_evidence,
        name="evidence-commitment",
    ),
    path("evidence/indicators/<str:code>/", views.indicator_detail, name="indicator-detail"),
    path(
        "evidence/indicators/<str:code>/targets/",
        target_views.indicator_targets,
        name="indicator-targets",
    ),
    path(
        "evidence/indicators/<str:code>/targets/<int:pk>/remove/",
        target_views.indicator_target_remove,
        name="indicator-target-remove",
    ),
    path(
        "evidence/indicators/<str:code>/chart.json", views.indicator_chart, name="indicator-chart"
    ),
    path(
        "evidence/indicators/<str:code>/download.<fmt:fmt>",
        views.indicator_download,
        name="indicator-download",
    ),
]
