"""Mounts every domain's router on the one API served under ``/api/v1/``."""

from accord.api import access, commitments, cycles, evidence, meetings, partners, tree
from accord.api.base import api

api.add_router("/", partners.router)
api.add_router("/", meetings.router)
api.add_router("/", commitments.router)
api.add_router("/", cycles.router)
api.add_router("/", evidence.router)
api.add_router("/", access.router)
api.add_router("/", tree.router)

urls = api.urls
