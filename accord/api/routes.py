"""Mounts every domain's router on the one API served under ``/api/v1/``."""

from accord.api import commitments, partners
from accord.api.base import api

api.add_router("/", partners.router)
api.add_router("/", commitments.router)

urls = api.urls
