from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "accord.evidence"
    label = "evidence"
    verbose_name = _("Evidence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.evidence.figures_state import ensure_figures_state

        post_migrate.connect(ensure_figures_state, sender=self, dispatch_uid="figures_state")
