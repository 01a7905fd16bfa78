"""Pages people open most, timed to their last byte, against the JSON API on the same data.

The test client renders a page in full before answering (no streaming), so its time is the
server's time to first byte. Pages of the meetings, commitments and evidence apps join
here as they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from accord.bench import generate
from accord.bench.harness import scenario
from accord.partners.models import Framework, Membership


@dataclass
class Context:
    framework: Framework
    client: Client
    partners: int


def setup(scale: str) -> Context:
    # Pages name their static files by content hash, as `accord serve` collects them.
    call_command("collectstatic", interactive=False, verbosity=0)
    framework = generate.partners(scale)
    # The home page shows the deployment's framework: here, the generated one.
    override_settings(ACCORD_FRAMEWORK=framework.code).enable()
    partners = (
        Membership.objects.filter(framework=framework).values("organisation").distinct().count()
    )
    return Context(framework=framework, client=Client(), partners=partners)


def fetch(context: Context, path: str, **params: str) -> bytes:
    response = context.client.get(path, params)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return response.content


def members_api(context: Context) -> object:
    today = timezone.localdate().isoformat()
    return fetch(context, f"/api/v1/frameworks/{context.framework.code}/members", on=today)


def partners_api(context: Context) -> object:
    return fetch(context, "/api/v1/partners", limit="1000")


def size(context: Context) -> str:
    return f"{context.partners} partners"


@scenario("page_home", goal=2.0, floor="members API", setup=setup, baseline=members_api, size=size)
def page_home(context: Context) -> object:
    """The public home: today's members and the membership timeline."""
    return fetch(context, "/")


@scenario(
    "page_partner_list",
    goal=2.0,
    floor="partners API",
    setup=setup,
    baseline=partners_api,
    size=size,
)
def page_partner_list(context: Context) -> object:
    return fetch(context, "/partners/")
