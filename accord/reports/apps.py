from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "accord.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # The commitment page (commitments app, below this one) shows the trail this app
        # composes: it asks accord.core.sections for its sections.
        from accord.core.sections import register
        from accord.reports.trail_views import commitment_trail_section

        register("commitment", "trail", commitment_trail_section, order=10)
