"""Editing an instrument's commitment tree: titles in each language, moves, new codes.

A re-coded commitment keeps its former code as a :class:`CommitmentAlias`, so links and
records that name the old code still resolve (pages redirect to the new one). Only the
secretariat edits trees.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.permissions import Actor, require
from accord.commitments import permissions
from accord.commitments.models import Commitment, CommitmentAlias
from accord.core.errors import Invalid, NotFound
from accord.core.services import full_clean_or_invalid, lock_current

LANGUAGES = ("en", "fr")


def commitment_resolve(code: str) -> tuple[Commitment, bool]:
    """The commitment with ``code``, or the one that had it before a re-coding.

    Answers the commitment and whether ``code`` is a former code.
    """
    commitment = Commitment.objects.select_related("instrument", "parent").filter(code=code).first()
    if commitment is not None:
        return commitment, False
    alias = CommitmentAlias.objects.select_related("commitment").filter(code=code).first()
    if alias is None:
        raise NotFound(f"No commitment has the code {code!r}.")
    return alias.commitment, True


def texts(**by_language: str) -> dict[str, str]:
    """``{"en": ..., "fr": ...}`` without the empty ones."""
    return {language: text.strip() for language, text in by_language.items() if text.strip()}


def _require_editor(user: Actor, what: str) -> None:
    require(permissions.can_edit_instruments(user), permissions.secretariat_only(what))


def _check_parent(commitment: Commitment, parent: Commitment | None) -> None:
    if parent is None:
        return
    if parent.instrument_id != commitment.instrument_id:
        raise Invalid(_("parent: a commitment's parent must belong to the same instrument."))
    if parent.pk == commitment.pk or parent.path.startswith(commitment.path):
        raise Invalid(_("parent: a commitment cannot move under itself or its own parts."))


@transaction.atomic
def commitment_edit(
    *,
    user: Actor,
    commitment: Commitment,
    title: dict[str, str],
    description: dict[str, str] | None = None,
    parent: Commitment | None = None,
    position: int | None = None,
    code: str | None = None,
    version: int | None,
) -> Commitment:
    """Change a commitment's titles, description, place in the tree and code at once."""
    _require_editor(user, "edit commitments")
    current = lock_current(Commitment, pk=commitment.pk, version=version)
    if not any(title.values()):
        raise Invalid(_("title_en: a commitment needs a title."))
    before = {"code": current.code, "parent": current.parent.code if current.parent else None}
    _check_parent(current, parent)
    current.title = title
    if description is not None:
        current.description = description
    current.parent = parent
    if position is not None:
        current.position = position
    old_code = current.code
    new_code = (code or old_code).strip()
    if new_code != old_code:
        if Commitment.objects.filter(code=new_code).exists():
            raise Invalid(_("code: another commitment has the code %(code)s.") % {"code": new_code})
        CommitmentAlias.objects.filter(code=new_code).delete()  # the code is taken back
        current.code = new_code
    full_clean_or_invalid(current)
    current.version += 1
    current.save()
    if new_code != old_code:
        CommitmentAlias.objects.create(code=old_code, commitment=current)
        _follow_code(old_code, new_code)
    audit_record(
        actor=user,
        verb="commitment.edited",
        target=current,
        data={
            "before": before,
            "after": {"code": current.code, "parent": parent.code if parent else None},
        },
    )
    return current


def _follow_code(old: str, new: str) -> None:
    """Records elsewhere that name a commitment by code follow it to its new code."""
    if apps.is_installed("accord.evidence"):
        links = apps.get_model("evidence", "CommitmentIndicator")
        links.objects.filter(commitment_code=old).update(commitment_code=new)
