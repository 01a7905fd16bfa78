from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class CoreConfig(AppConfig):
    name = "accord.core"
    label = "core"
    verbose_name = "Accord core"


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
