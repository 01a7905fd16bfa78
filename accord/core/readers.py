"""Who reads: the one type of the acting user, and what a reader's classification lets
them read, asked of whichever app decides it.

Core sits below every app, so it does not look roles up itself: the access app
registers the function that answers (``register_reader_scope``) when Django starts. A
project without it reads as the public does.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import TYPE_CHECKING, Protocol, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

#: Whoever acts or reads: a signed-in user, an anonymous visitor, or None for the
#: operator's command line (full rights to write, public rights to read).
Actor: TypeAlias = "AbstractBaseUser | AnonymousUser | None"


class ReaderScope(Protocol):
    """What one reader may read: everything, members records, and restricted records
    named for one of their partners."""

    @property
    def sees_everything(self) -> bool: ...

    @property
    def is_member(self) -> bool: ...

    @property
    def partner_ids(self) -> Set[int]: ...


class _Public:
    sees_everything = False
    is_member = False
    partner_ids: frozenset[int] = frozenset()


PUBLIC_SCOPE: ReaderScope = _Public()

_resolver: Callable[[Actor], ReaderScope] | None = None


def register_reader_scope(resolver: Callable[[Actor], ReaderScope]) -> None:
    """Set the function that tells what a reader may read (the access app's)."""
    global _resolver  # one registry, set once at start-up
    _resolver = resolver


def reader_scope(user: Actor) -> ReaderScope:
    if _resolver is None or user is None:
        return PUBLIC_SCOPE
    return _resolver(user)
