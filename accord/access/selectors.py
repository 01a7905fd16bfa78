"""Reads about access: what a user may see and do."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connections, router
from django.db.models import QuerySet

from accord.access.models import Role, RoleKind
from accord.core.statements import quoted_columns

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AbstractBaseUser

    from accord.core.readers import Actor


@dataclass(frozen=True)
class Access:
    """What one reader may do, computed once per request."""

    user_id: int | None = None
    is_superuser: bool = False
    roles: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_secretariat(self) -> bool:
        return self.is_superuser or any(
            RoleKind.SECRETARIAT in kinds for kinds in self.roles.values()
        )

    @property
    def sees_everything(self) -> bool:
        return self.is_secretariat

    @property
    def is_member(self) -> bool:
        return self.is_secretariat or bool(self.roles)

    @property
    def partner_ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    def has_role(self, organisation_id: int, *kinds: str) -> bool:
        return bool(self.roles.get(organisation_id, frozenset()) & set(kinds))

    def partners_with_role(self, *kinds: str) -> frozenset[int]:
        return frozenset(org for org, held in self.roles.items() if held & set(kinds))

    @property
    def role_names(self) -> list[str]:
        names = {RoleKind(kind).label for kinds in self.roles.values() for kind in kinds}
        if self.is_superuser:
            names.add(RoleKind.SECRETARIAT.label)
        return sorted(str(name) for name in names)


ANONYMOUS = Access()


@functools.cache
def _roles_statement(alias: str) -> str:
    """The roles of one user, written once from the model's table: asked at every signed-in
    request, where the ORM's building of it cost several times the statement."""
    quote = connections[alias].ops.quote_name
    columns = quoted_columns(Role, alias)
    return (
        f"SELECT {columns['organisation']}, {columns['kind']}"  # noqa: S608
        f" FROM {quote(Role._meta.db_table)} WHERE {columns['user']} = %s"
    )


def access_for(user: Actor) -> Access:
    """The reader's access, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_accord_access", None)
    if cached is not None:
        return cached
    alias = router.db_for_read(Role)
    with connections[alias].cursor() as cursor:
        cursor.execute(_roles_statement(alias), [user.pk])
        return access_keep(user, cursor.fetchall())


def access_keep(user: AbstractBaseUser, roles: Iterable[tuple[int, str]]) -> Access:
    """Keep on ``user`` for the rest of the request the access its roles give, read as
    (organisation id, kind) pairs (by :func:`access_for`, or with the user's token)."""
    held: dict[int, set[str]] = defaultdict(set)
    for organisation_id, kind in roles:
        held[organisation_id].add(kind)
    access = Access(
        user_id=user.pk,
        is_superuser=bool(getattr(user, "is_superuser", False)),
        roles={org: frozenset(kinds) for org, kinds in held.items()},
    )
    user._accord_access = access  # type: ignore[attr-defined]
    return access


def roles_column(alias: str, user_key: str) -> str:
    """A column giving the roles of the user whose key is ``user_key`` (a quoted column of
    the statement's own) as ``organisation:kind`` joined by commas: read in the statement
    that reads the user, where a request asked for them by a statement of their own."""
    columns = quoted_columns(Role, alias)
    table = connections[alias].ops.quote_name(Role._meta.db_table)
    organisation, kind = columns["organisation"], columns["kind"]
    if connections[alias].vendor == "postgresql":
        joined = f"string_agg(r.{organisation}::text || ':' || r.{kind}, ',')"
    else:
        joined = f"group_concat(r.{organisation} || ':' || r.{kind}, ',')"
    return f"(SELECT {joined} FROM {table} r WHERE r.{columns['user']} = {user_key})"  # noqa: S608


def roles_read(joined: str | None) -> list[tuple[int, str]]:
    """The pairs of :func:`roles_column`'s text (organisation ids are numbers; the kinds
    are RoleKind's values, which hold neither commas nor colons)."""
    if not joined:
        return []
    pairs = []
    for part in joined.split(","):
        organisation, kind = part.split(":", 1)
        pairs.append((int(organisation), kind))
    return pairs


def forget_access(user: AbstractBaseUser) -> None:
    """Drop the cached access after roles change within the same request or test."""
    if hasattr(user, "_accord_access"):
        del user._accord_access


def roles_of(user: Actor) -> QuerySet[Role]:
    """The roles a user holds, with their partners, partner by partner."""
    if user is None or not user.is_authenticated:
        return Role.objects.none()
    return (
        Role.objects.filter(user_id=user.pk)
        .select_related("organisation", "organisation__parent")
        .order_by("organisation__acronym", "kind")
    )
