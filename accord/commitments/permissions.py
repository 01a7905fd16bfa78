"""Who may write what about instruments, initiatives and reporting cycles.

- the secretariat edits instruments and commitments, opens and closes cycles, verifies
  or returns entries, and may publish an initiative directly;
- a partner's contributors and focal points enter and edit that partner's initiatives
  and draft its cycle entries; only its focal points submit them.

Each predicate answers a plain bool from the EXISTING record (and the new values where
they matter). Services enforce them with :func:`accord.access.permissions.require`;
views, templates and API routes ask the same predicates to decide what to offer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accord.access.models import RoleKind
from accord.access.permissions import is_secretariat as access_is_secretariat
from accord.access.selectors import access_for

if TYPE_CHECKING:
    from accord.access.permissions import Actor
    from accord.commitments.models import Cycle, CycleEntry, Initiative
    from accord.partners.models import Organisation

#: The roles that report for a partner: enter its initiatives and draft its entries.
REPORTING_ROLES = (RoleKind.CONTRIBUTOR, RoleKind.FOCAL_POINT)


def secretariat_only(what: str) -> str:
    """The refusal of a secretariat-only write: "Only the secretariat may <what>."."""
    return _("Only the secretariat may %(what)s.") % {"what": what}


def partners_only(*kinds: str) -> str:
    """The refusal of a write reserved to the partner's holders of ``kinds``."""
    return _("Only the partner's %(roles)s may do this.") % {
        "roles": " or ".join(str(RoleKind(kind).label).lower() for kind in kinds)
    }


def is_secretariat(actor: Actor) -> bool:
    """The secretariat, or the operator at the command line (``None``)."""
    return access_is_secretariat(actor)


# --- instruments and commitments -------------------------------------------------------


def can_edit_instruments(actor: Actor) -> bool:
    """Add and edit instruments and their commitment trees (and indicators' targets)."""
    return is_secretariat(actor)


# --- initiatives -----------------------------------------------------------------------


def can_report_for(actor: Actor, partner: Organisation | int | None) -> bool:
    """Enter and edit initiatives reported by ``partner`` (an organisation or its id)."""
    if is_secretariat(actor):
        return True
    if partner is None:
        return False
    partner_id = partner if isinstance(partner, int) else partner.pk
    return access_for(actor).has_role(partner_id, *REPORTING_ROLES)


def reporting_partner_ids(actor: Actor) -> frozenset[int]:
    """The partners ``actor`` reports for through a role (the secretariat: all, not listed)."""
    return access_for(actor).partners_with_role(*REPORTING_ROLES)


def can_enter_initiatives(actor: Actor) -> bool:
    """Enter at least one initiative: the secretariat, or a partner's reporters."""
    return is_secretariat(actor) or bool(reporting_partner_ids(actor))


def can_edit_initiative(actor: Actor, initiative: Initiative) -> bool:
    return can_report_for(actor, initiative.partner_id)


def can_publish_initiative(actor: Actor) -> bool:
    """Make an initiative public directly; others' become public when verified."""
    return is_secretariat(actor)


# --- reporting cycles ------------------------------------------------------------------


def can_manage_cycles(actor: Actor) -> bool:
    """Create, open, set the deadline of and close reporting cycles; read their boards."""
    return is_secretariat(actor)


def takes_part_in_cycles(actor: Actor) -> bool:
    """The secretariat and those reporting for a partner: the readers of cycles' work."""
    return is_secretariat(actor) or bool(reporting_partner_ids(actor))


def can_draft_entry(actor: Actor, initiative: Initiative, cycle: Cycle | None = None) -> bool:
    return can_report_for(actor, initiative.partner_id)


def can_submit_entry(actor: Actor, initiative: Initiative, entry: CycleEntry | None = None) -> bool:
    """Only the partner's focal points (or the secretariat) submit an entry."""
    if is_secretariat(actor):
        return True
    return initiative.partner_id is not None and access_for(actor).has_role(
        initiative.partner_id, RoleKind.FOCAL_POINT
    )


def can_verify_entry(actor: Actor, entry: CycleEntry | None = None) -> bool:
    return is_secretariat(actor)


def can_return_entry(actor: Actor, entry: CycleEntry | None = None) -> bool:
    return is_secretariat(actor)


def can_record_exception(actor: Actor, entry: CycleEntry | None = None) -> bool:
    """Change a verified (locked) entry, with a recorded reason."""
    return is_secretariat(actor)


def can_import_initiatives(actor: Actor) -> bool:
    """Import initiatives in bulk: the secretariat and partners' focal points."""
    return is_secretariat(actor) or bool(access_for(actor).partners_with_role(RoleKind.FOCAL_POINT))


def can_import_into(
    actor: Actor,
    initiative: Initiative | None,
    *,
    partner_id: int | None,
    classification: str | None = None,
) -> bool:
    """Write an imported record onto the EXISTING ``initiative`` it matches (None: a new
    one) with the reporting partner ``partner_id`` and ``classification`` it gives.

    The operator (command line without ``--as``) and the secretariat import anything; a
    focal point imports only onto its own partner's initiatives, only for its own
    partner, and never publishes. The existing owner is what decides, not the new row.
    """
    if is_secretariat(actor):
        return True
    focal = access_for(actor).partners_with_role(RoleKind.FOCAL_POINT)
    if classification == "public":
        return False
    if initiative is not None and initiative.partner_id not in focal:
        return False
    return partner_id in focal if partner_id is not None else initiative is not None


def importing_partners(actor: Actor) -> set[str] | None:
    """The acronyms of the partners whose initiatives ``actor`` imports; None: any."""
    if is_secretariat(actor):
        return None
    from accord.partners.models import Organisation

    ids = access_for(actor).partners_with_role(RoleKind.FOCAL_POINT)
    return set(Organisation.objects.filter(pk__in=ids).values_list("acronym", flat=True))
