from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SampleConfig(AppConfig):
    """The demo's sample follow-up scenario, beside the real reference record."""

    name = "accord.sample"
    label = "sample"
    verbose_name = _("Sample scenario")
