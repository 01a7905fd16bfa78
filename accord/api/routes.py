"""Mounts every domain's router on the one API served under ``/api/v1/``."""

from accord.api import (
    access,
    agenda,
    calendars,
    calls,
    commitments,
    cycle_entries,
    cycles,
    decisions,
    documents,
    evidence,
    imports,
    initiative_imports,
    initiatives,
    meetings,
    minutes,
    notifications,
    participants,
    partners,
    procedures,
    programmes,
    search,
    trail,
    tree,
)
from accord.api import planning as planning  # its routes join the meetings router
from accord.api.base import api

api.add_router("/", partners.router)
api.add_router("/", meetings.router)
api.add_router("/", minutes.router)
api.add_router("/", decisions.router)
api.add_router("/", agenda.router)
api.add_router("/", participants.router)
api.add_router("/", documents.router)
api.add_router("/", commitments.router)
# The commitments tag's other routers, in the order their operations are listed.
api.add_router("/", initiatives.router)
api.add_router("/", cycle_entries.router)
api.add_router("/", initiative_imports.router)
api.add_router("/", cycles.router)
api.add_router("/", evidence.router)
api.add_router("/", access.router)
api.add_router("/", tree.router)
api.add_router("/", imports.router)
api.add_router("/", programmes.router)
api.add_router("/", procedures.router)
api.add_router("/", calendars.router)
api.add_router("/", calls.router)
api.add_router("/", search.router)
api.add_router("/", trail.router)
api.add_router("/", notifications.router)

urls = api.urls
