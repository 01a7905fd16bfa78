from django.urls import path

from accord.core import views

urlpatterns = [
    path(
        "history/<str:app_label>/<str:model_name>/<int:pk>/",
        views.record_history,
        name="record-history",
    ),
]
