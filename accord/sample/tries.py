"""What each demo account can try first, as ``accord demo`` prints it (the dashboard's
"start here" panel links the same things)."""

from __future__ import annotations

ROLE_TRIES: dict[str, list[str]] = {
    "secretariat": [
        "prepare the next Senior Officials Meeting (its draft agenda and invitations)",
        "verify the submitted entry of the open reporting cycle",
        "read the next meeting's radar, then the action register",
    ],
    "iom-focal": [
        "update an overdue action point of IOM",
        "fix the entry the secretariat returned with a comment",
    ],
    "home-focal": [
        "update an overdue action point of DG HOME",
        "fix the returned entry, submit the contributor's draft",
    ],
    "home-contrib": ["complete the draft entry of DG HOME in the open cycle"],
    "member": [
        "read the briefing pack of the next meeting",
        "search the record; read the JVAP commitments' coverage",
    ],
}
