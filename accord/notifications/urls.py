from django.urls import path

from accord.notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read/", views.notification_read, name="notification-read"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification-preferences",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.notification_unsubscribe,
        name="notification-unsubscribe",
    ),
    path("outbox/", views.outbox_list, name="outbox"),
    path("outbox/<str:name>/", views.outbox_message, name="outbox-message"),
]
