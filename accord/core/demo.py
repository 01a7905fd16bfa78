"""Demo accounts, one per role, so a visitor of the demo can try each."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accord.access.models import RoleKind
from accord.access.services import role_grant
from accord.partners.models import Organisation

# A well-known password for local demo accounts only; `accord demo` prints it.
DEMO_PASSWORD = "accord-demo"  # noqa: S105

DEMO_ACCOUNTS = [
    (
        "secretariat",
        "IOM-RO-BRU",
        RoleKind.SECRETARIAT,
        "Secretariat (IOM Regional Office Brussels)",
    ),
    ("iom-focal", "IOM", RoleKind.FOCAL_POINT, "Focal point of IOM"),
    ("home-focal", "DG HOME", RoleKind.FOCAL_POINT, "Focal point of DG HOME"),
    ("home-contrib", "DG HOME", RoleKind.CONTRIBUTOR, "Contributor for DG HOME"),
    ("member", "EEAS", RoleKind.MEMBER, "Member (EEAS senior official)"),
]


def demo_accounts_ensure() -> list[tuple[str, str]]:
    """Create the demo accounts if missing; existing ones keep their passwords."""
    user_model = get_user_model()
    made = []
    for username, acronym, kind, description in DEMO_ACCOUNTS:
        organisation = Organisation.objects.filter(acronym=acronym).first()
        if organisation is None:
            continue
        user, created = user_model._default_manager.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.org",
                "is_staff": kind == RoleKind.SECRETARIAT,
                "is_superuser": kind == RoleKind.SECRETARIAT,
            },
        )
        if not user.email:
            user.email = f"{username}@example.org"
            user.save(update_fields=["email"])
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        role_grant(user=user, organisation_id=organisation.pk, kind=kind)
        made.append((username, description))
    return made
