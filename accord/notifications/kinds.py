"""The kinds of notification: what each is called, what its message says, and the audit
events that raise it. Procedures and calls for contributions are listed too: they are
raised by the verbs their services write, once those services exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accord.notifications.models import Delivery


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise  # on the preferences page
    subject: Promise  # formatted with the notification's data: %(label)s, %(due)s


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(
            "action_point.assigned",
            _("An action point assigned to you or your partner"),
            _("Action point for you: %(label)s"),
        ),
        Kind(
            "action_point.due_soon",
            _("An action point due in 7 days"),
            _("Action point due on %(due)s: %(label)s"),
        ),
        Kind(
            "action_point.overdue",
            _("An action point overdue (then every week)"),
            _("Action point overdue since %(due)s: %(label)s"),
        ),
        Kind(
            "action_point.updated",
            _("An action point updated by someone else"),
            _("Action point updated: %(label)s"),
        ),
        Kind("cycle.opened", _("A reporting cycle opened"), _("Reporting cycle open: %(label)s")),
        Kind(
            "cycle.closing",
            _("A reporting cycle closing in 7 days"),
            _("Reporting cycle %(label)s closes on %(due)s"),
        ),
        Kind("entry.returned", _("Your entry returned"), _("Entry returned: %(label)s")),
        Kind("entry.verified", _("Your entry verified"), _("Entry verified: %(label)s")),
        Kind(
            "minutes.circulated",
            _("Minutes circulated for comments"),
            _("Minutes for your comments until %(due)s: %(label)s"),
        ),
        Kind("minutes.approved", _("Minutes approved"), _("Minutes approved: %(label)s")),
        Kind("invitation.sent", _("An invitation to a meeting"), _("Invitation: %(label)s")),
        Kind(
            "invitation.reminder",
            _("The reminder of an invitation"),
            _("Reminder, please answer the invitation: %(label)s"),
        ),
        Kind(
            "procedure.opened",
            _("A written or silence procedure opened"),
            _("Procedure open until %(due)s: %(label)s"),
        ),
        Kind(
            "procedure.closing",
            _("A procedure closing in 2 days"),
            _("Procedure closes on %(due)s: %(label)s"),
        ),
        Kind("procedure.adopted", _("A procedure adopted"), _("Procedure adopted: %(label)s")),
        Kind("procedure.broken", _("A procedure broken"), _("Procedure broken: %(label)s")),
        Kind(
            "call.opened",
            _("A call for contributions"),
            _("Call for contributions until %(due)s: %(label)s"),
        ),
        Kind(
            "call.reminder",
            _("The reminder of a call for contributions"),
            _("Reminder, contributions due on %(due)s: %(label)s"),
        ),
    )
}


def default_delivery(*, by_name: bool) -> str:
    """At once for what is addressed to the user by name, a daily digest for the rest."""
    return Delivery.AT_ONCE if by_name else Delivery.DAILY


class _Data(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def subject_of(kind: str, data: dict[str, Any]) -> str:
    """The one line that says what happened, in the active language."""
    from accord.notifications.texts import display_data

    found = KINDS.get(kind)
    if found is None:
        return str(data.get("label", kind))
    return str(found.subject) % _Data(display_data(data))
