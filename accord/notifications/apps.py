from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "accord.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from accord.access.models import AuditEvent
        from accord.notifications import jobs as _jobs  # noqa: F401 - registers the periodic jobs
        from accord.notifications.events import audit_event_saved

        post_save.connect(audit_event_saved, sender=AuditEvent, dispatch_uid="notifications")
