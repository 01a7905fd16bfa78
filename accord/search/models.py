"""The search index: one entry per searchable record (per paragraph for minutes), its
facets, and the text read out of uploaded documents.

An entry holds the record's words as the index stores them (``stems_title``,
``stems_body``, see :mod:`accord.search.text`) and what a result shows (``title``,
``body`` for the snippet, where it opens). It holds no classification: who may read an
entry is asked of its record's own ``visible_to`` at every search, so reclassifying a
record needs no change to the index. SQLite searches the FTS5 table ``search_fts`` kept
from these rows by triggers; PostgreSQL the ``document`` column (a ``tsvector`` with a GIN
index, filled by a trigger), both created by the migrations for their database only.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    AGENDA_ITEM = "agenda_item", _("Agenda item")
    MINUTES = "minutes", _("Minutes")
    DECISION = "decision", _("Decision")
    ACTION_POINT = "action_point", _("Action point")
    DOCUMENT = "document", _("Document")
    COMMITMENT = "commitment", _("Commitment")
    INITIATIVE = "initiative", _("Initiative")
    INDICATOR = "indicator", _("Indicator")
    PARTNER = "partner", _("Partner")
    PERSON = "person", _("Person")
    PRESS_RELEASE = "press_release", _("Press release")


class SearchEntry(models.Model):
    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    # The meeting a result opens in (its key is read at search time: ordinals move).
    meeting_id = models.BigIntegerField(null=True, blank=True)
    anchor = models.CharField(max_length=64, blank=True)
    url = models.CharField(max_length=400, blank=True)
    title = models.CharField(max_length=400)
    body = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    stems_title = models.TextField(blank=True)
    stems_body = models.TextField(blank=True)
    # PostgreSQL's full-text document; empty (and unused) on SQLite.
    document = SearchVectorField(null=True, blank=True)

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"
        indexes = [
            models.Index(fields=["kind", "object_id"], name="search_entry_record"),
            models.Index(fields=["year"], name="search_entry_year"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title[:60]}"


class Facet(models.TextChoices):
    PARTNER = "partner", _("Partner")
    INSTRUMENT = "instrument", _("Instrument")


class SearchTag(models.Model):
    """A partner or instrument an entry is about: what the facets count and filter by."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tags")
    facet = models.CharField(max_length=16, choices=Facet.choices)
    value = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "entry"], name="search_tag_facet"),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class DocumentText(models.Model):
    """The text read out of one uploaded document version, kept for rebuilding the index."""

    version = models.OneToOneField(
        "meetings.DocumentVersion", on_delete=models.CASCADE, related_name="search_text"
    )
    text = models.TextField(blank=True)
    # Why the text stops short or is missing (too large, too slow, unreadable), if it does.
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"text of {self.version_id}"
