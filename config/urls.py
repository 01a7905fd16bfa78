from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accord.api.routes import urls as api_urls

urlpatterns = [
    # First: every API request is resolved without trying the pages' patterns before it.
    path("api/v1/", api_urls),
    path("", include("accord.partners.urls")),
    path("", include("accord.meetings.urls")),
    path("", include("accord.reports.urls")),
    path("", include("accord.evidence.urls")),
    path("", include("accord.commitments.urls")),
    path("", include("accord.core.urls")),
    path("", include("accord.access.urls")),
    path("", include("accord.search.urls")),
    path("", include("accord.notifications.urls")),
    # The admin signs in through Accord's own page (lockout, second factor).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
