from django.urls import path, re_path

from accord.reports import iati, progress_views, radar_views, trail_views, views

urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    path(
        "meetings/tiers/<slug:code>/minutes.pdf",
        views.tier_minutes_pdf,
        name="meeting-tier-minutes-pdf",
    ),
    re_path(
        r"^meetings/(?P<key>[\w-]+)/briefing\.(?P<fmt>pdf|docx|html)$",
        views.meeting_briefing,
        name="meeting-briefing",
    ),
    path("meetings/<str:key>/radar/", radar_views.meeting_radar_page, name="meeting-radar"),
    path("topics/<slug:slug>/", trail_views.topic_detail, name="topic-detail"),
    path(
        "reports/progress/<str:code>/<str:cycle>/",
        progress_views.progress_page,
        name="progress-report",
    ),
    re_path(
        r"^reports/progress/(?P<code>[\w.-]+)/(?P<cycle>[^/]+)/report\.(?P<fmt>pdf|xlsx)$",
        progress_views.progress_download,
        name="progress-report-file",
    ),
    path("reports/press/new/", views.press_release_new, name="press-release-new"),
    path("reports/press/<int:pk>/", views.press_release_edit, name="press-release-edit"),
    re_path(
        r"^reports/press/(?P<pk>\d+)/release\.(?P<fmt>md|html|docx)$",
        views.press_release_download,
        name="press-release-download",
    ),
    path("press/", views.press_list, name="press-list"),
    path("press/feed/", views.PressFeed(), name="press-feed"),
    path("press/<slug:slug>/", views.press_detail, name="press-detail"),
    path(
        "exports/observations.sdmx.csv",
        views.observations_sdmx_download,
        name="export-observations-sdmx",
    ),
    path("exports/initiatives.xml", iati.initiatives_xml, name="initiatives-iati-export"),
    re_path(
        r"^exports/(?P<kind>[\w-]+)\.(?P<fmt>csv|xlsx|json)$",
        views.export_download,
        name="export-download",
    ),
]
