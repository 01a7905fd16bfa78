from typing import Any

from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class CoreConfig(AppConfig):
    name = "accord.core"
    label = "core"
    verbose_name = "Accord core"
    default = True  # StaticFilesConfig below is an AppConfig too

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accord.core import data_state, jobs  # noqa: F401  (registers the jobs)

        post_migrate.connect(_create_cache_table, sender=self)
        # After every app's migrations: the triggers that keep the state of the data.
        post_migrate.connect(data_state.ensure, sender=self, dispatch_uid="accord_data_state")


def _create_cache_table(*, using: str = "default", **kwargs: Any) -> None:
    """After ``accord migrate``: the cache table every process shares (once; idempotent)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic leaves out what no page loads: django-ninja's ReDoc (the API docs
    use its Swagger UI) and the Swagger bundle's source map, megabytes to compress at
    every start of ``accord serve``."""

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "redoc.standalone.js",
        "redoc.standalone.js.map",
        "swagger-ui-bundle.js.map",
    ]
