"""The real IOM activity the demo shows beside the sample initiatives.

It is a public IATI record, imported through the IATI importer as any file would be;
it is not sample, so ``--reset-sample`` leaves it alone.
"""

from __future__ import annotations

from pathlib import Path

from accord.commitments.iati import import_iati
from accord.commitments.models import Initiative

REAL_ACTIVITY = (
    Path(__file__).resolve().parent.parent
    / "reference"
    / "data"
    / "iati"
    / "iom-somalia-idps-single-activity.xml"
)
REAL_ACTIVITY_ID = "XM-DAC-47066-DP.2154"


def real_activity_import() -> str:
    """Import the activity unless it is on record already; what was done, or ''."""
    if Initiative.objects.filter(iati_identifier=REAL_ACTIVITY_ID).exists():
        return ""
    report = import_iati(REAL_ACTIVITY, actor=None)
    counts = report.counts()
    return ", ".join(f"{value} {name}" for name, value in counts.items() if value) or "nothing new"
