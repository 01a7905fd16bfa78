from django.contrib.auth import views as auth_views
from django.urls import path

from accord.core import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
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
