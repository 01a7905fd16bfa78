"""Imports of figures: layout (which column means what), checks (each distinct value),
staging and set-wise checks in SQL, the run (all or nothing), SDMX-ML reading."""

from accord.evidence.importing.checks import Options, disaggregation_key, parse_disaggregation
from accord.evidence.importing.report import ImportRejected, ImportReport, Problem
from accord.evidence.importing.run import import_observations_command, observations_import

__all__ = [
    "ImportRejected",
    "ImportReport",
    "Options",
    "Problem",
    "disaggregation_key",
    "import_observations_command",
    "observations_import",
    "parse_disaggregation",
]
