"""Coverage figures kept between requests while the data they were read from stand.

Coverage reads every link, place and funding row of an instrument (about a million rows
at 200,000 initiatives); the figures change only when commitment data change. Each
coverage statement's rows are kept (:class:`CoverageRows`, keyed by a digest of the
statement and its parameters: the reader's visibility, the cycle and the subtree are in
them) together with the state of the commitment data they were read in. They are used
again only while no write to those data has been committed since; else they are read
anew. The state is the one the database keeps for every watched table
(:mod:`accord.core.data_state`: triggers, so every write path counts), taken before the
statements run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core import data_state as data_states

#: The tables coverage reads; a write to any of them changes the state of the data.
DATA_TABLES = (
    "commitments_commitment",
    "commitments_cycleentry",
    "commitments_exchangerate",
    "commitments_funding",
    "commitments_initiative",
    "commitments_initiative_implementers",
    "commitments_initiative_restricted_to",
    "commitments_initiativecommitment",
    "commitments_initiativeplace",
    "partners_organisation",
)
#: Figures not read again for this long are dropped when others are kept.
KEPT_FOR = dt.timedelta(days=7)


class CoverageRows(models.Model):
    """The rows one coverage statement read, and the state of the data they were read in."""

    digest = models.CharField(_("statement"), max_length=64, unique=True)
    data_state = models.TextField(_("state of the data"))
    rows = models.JSONField(_("rows"), encoder=DjangoJSONEncoder)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("coverage rows")
        verbose_name_plural = _("coverage rows")

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.data_state[:24]})"


def data_state() -> str:
    """The state of the commitment data as this connection sees them now."""
    return data_states.state(DATA_TABLES, using=connection.alias)


def holds(state: str) -> bool:
    """Whether no write to the commitment data has been committed since ``state``."""
    return data_states.holds(state, DATA_TABLES, using=connection.alias)


def _digest(sql: str, params: tuple) -> str:
    text = json.dumps([connection.vendor, sql, list(params)], cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(rows: list[tuple]) -> list[list[Any]]:
    """Rows as they are kept: lists of JSON values (decimals as text)."""
    return json.loads(json.dumps(rows, cls=DjangoJSONEncoder))


def _forget_old() -> None:
    """Rows not read for a week go. (The log of writes that PostgreSQL keeps for their
    state is pruned by the worker's ``core.forget_data_changes``, which asks
    :func:`oldest_state` what the rows still need.)"""
    CoverageRows.objects.using(connection.alias).filter(
        read_at__lt=timezone.now() - KEPT_FOR
    ).delete()


def oldest_state(using: str) -> str | None:
    """PostgreSQL: the oldest snapshot kept with coverage rows (the log keeps what it needs)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT data_state FROM {CoverageRows._meta.db_table} "  # noqa: S608
            "ORDER BY pg_snapshot_xmin(data_state::pg_snapshot) LIMIT 1"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def rows_of(*statements: tuple[str, tuple]) -> list[list[list[Any]]]:
    """The rows of each coverage statement: those kept, while they hold; else read now.

    The kept rows of all the statements are looked up at once, and each state they were
    read in is checked once."""
    digests = [_digest(sql, params) for sql, params in statements]
    store = CoverageRows.objects.using(connection.alias)
    kept = {
        digest: (state, rows)
        for digest, state, rows in store.filter(digest__in=digests).values_list(
            "digest", "data_state", "rows"
        )
    }
    standing = {state: holds(state) for state, _rows in kept.values()}
    found = {digest: rows for digest, (state, rows) in kept.items() if standing[state]}
    missing = [n for n, digest in enumerate(digests) if digest not in found]
    if missing:
        state = data_state()
        read: list[CoverageRows] = []
        with connection.cursor() as cursor:
            for n in missing:
                cursor.execute(*statements[n])
                found[digests[n]] = _plain(cursor.fetchall())
                read.append(
                    CoverageRows(
                        digest=digests[n],
                        data_state=state,
                        rows=found[digests[n]],
                        read_at=timezone.now(),
                    )
                )
        store.bulk_create(
            read,
            update_conflicts=True,
            unique_fields=["digest"],
            update_fields=["data_state", "rows", "read_at"],
        )
        if len(kept) < len(digests):
            _forget_old()
    return [found[digest] for digest in digests]
