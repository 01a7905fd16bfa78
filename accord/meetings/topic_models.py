"""What a meeting topic is about: the commitments it is linked to, by stable code.

Imported at the end of ``accord.meetings.models``, so Django sees it as that app's. A
code rather than a foreign key, as for ``DecisionCommitment``: the meetings app stands
without the commitments app, and ``accord.meetings.decisions`` checks the codes when it
is installed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicCommitment(models.Model):
    """A commitment a topic is about (``legal avenues for migration`` -> ``JVAP-2``)."""

    topic = models.ForeignKey(
        "meetings.Topic", on_delete=models.CASCADE, related_name="commitment_links"
    )
    commitment_code = models.CharField(_("commitment"), max_length=64, db_index=True)

    class Meta:
        ordering = ["topic", "commitment_code"]
        verbose_name = _("commitment of a topic")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "commitment_code"], name="meetings_topic_commitment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} -> {self.commitment_code}"
