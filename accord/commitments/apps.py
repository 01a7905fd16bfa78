from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommitmentsConfig(AppConfig):
    name = "accord.commitments"
    label = "commitments"
    verbose_name = "Commitments"

    def ready(self) -> None:
        from accord.commitments.coverage_store import ensure_triggers

        post_migrate.connect(ensure_triggers, sender=self, dispatch_uid="coverage_triggers")
