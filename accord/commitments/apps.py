from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommitmentsConfig(AppConfig):
    name = "accord.commitments"
    label = "commitments"
    verbose_name = "Commitments"

    def ready(self) -> None:
        from accord.commitments.coverage_store import ensure_data_state

        post_migrate.connect(ensure_data_state, sender=self, dispatch_uid="commitment_data_state")
