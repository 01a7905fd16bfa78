"""Pages people open most, timed to their last byte, against the JSON API on the same data.

The test client renders a page in full before answering (no streaming), so its time is the
server's time to first byte. The meeting page, the action register and the indicator page
are timed against their JSON API twins on the same (bulk-generated) data; the instrument
page joins when the commitments app arrives.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from accord.bench import generate
from accord.bench.harness import scenario
from accord.partners.models import Framework, Membership
from accord.partners.views import HOME_TIMELINE_EVENTS


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


def fetch(context: Context | MeetingsContext | IndicatorContext, path: str, **params: str) -> bytes:
    response = context.client.get(path, params)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return response.content


def members_api(context: Context) -> object:
    today = timezone.localdate().isoformat()
    return fetch(context, f"/api/v1/frameworks/{context.framework.code}/members", on=today)


def members_and_timeline_api(context: Context) -> object:
    """What the home page shows, from the API: today's members and the latest changes."""
    members_api(context)
    return fetch(
        context,
        f"/api/v1/frameworks/{context.framework.code}/timeline",
        latest=str(HOME_TIMELINE_EVENTS),
    )


def partners_api(context: Context) -> object:
    return fetch(context, "/api/v1/partners", limit="1000")


def size(context: Context) -> str:
    return f"{context.partners} partners"


@scenario(
    "page_home",
    goal=2.0,
    floor="members and timeline API",
    setup=setup,
    baseline=members_and_timeline_api,
    size=size,
    visitor=True,
)
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
    visitor=True,
)
def page_partner_list(context: Context) -> object:
    return fetch(context, "/partners/")


# --- meetings: the meeting page and the action register ---------------------------------


@dataclass
class MeetingsContext:
    client: Client
    meeting_key: str
    owners: list[str]
    meetings: int
    action_points: int
    follow_up: int
    step: int = 0

    def next_owner(self) -> str:
        self.step += 1
        return self.owners[self.step % len(self.owners)]


def meetings_setup(scale: str) -> MeetingsContext:
    """The meetings benchmark's data (bulk written); the meeting page is the middle
    meeting of the senior tier: its own action points and the open ones carried forward."""
    from accord.bench.scenarios import meetings as meetings_bench
    from accord.meetings import selectors as meeting_selectors
    from accord.meetings.models import ActionPoint, Meeting

    call_command("collectstatic", interactive=False, verbosity=0)
    context = meetings_bench.setup(scale)
    prefix = context.owners[0][:2].lower()
    tier = f"{prefix}-som"
    count = Meeting.objects.filter(tier__code=tier).count()
    key = f"{tier}-{count // 2}"
    page = meeting_selectors.meeting_page(user=AnonymousUser(), key=key)
    return MeetingsContext(
        client=Client(),
        meeting_key=key,
        owners=context.owners,
        meetings=context.meetings,
        action_points=ActionPoint.objects.filter(meeting__tier__code__startswith=prefix).count(),
        follow_up=len(page.follow_up) + len(page.action_points),
    )


def meeting_api(context: MeetingsContext) -> object:
    return fetch(context, f"/api/v1/meetings/{context.meeting_key}")


def meeting_size(context: MeetingsContext) -> str:
    return (
        f"{context.meetings} meetings, {context.action_points} action points; "
        f"{context.meeting_key} shows {context.follow_up}"
    )


@scenario(
    "page_meeting",
    goal=2.0,
    floor="meeting API",
    setup=meetings_setup,
    baseline=meeting_api,
    size=meeting_size,
    repeat=15,
    visitor=True,
)
def page_meeting(context: MeetingsContext) -> object:
    """A meeting: agenda, the open action points carried forward, its own action points."""
    return fetch(context, f"/meetings/{context.meeting_key}/")


REGISTER_FILTER = {"status": "open,in_progress"}


def register_api(context: MeetingsContext) -> object:
    return fetch(
        context,
        "/api/v1/action-points",
        owner=context.next_owner(),
        overdue="true",
        limit="50",
        **REGISTER_FILTER,
    )


@scenario(
    "page_action_register",
    goal=2.0,
    floor="action register API",
    setup=meetings_setup,
    baseline=register_api,
    size=lambda c: f"{c.meetings} meetings, {c.action_points} action points, 50 a page",
    visitor=True,
)
def page_action_register(context: MeetingsContext) -> object:
    """A focal point's view before a meeting: one owner's overdue open actions."""
    return fetch(
        context,
        "/action-points/",
        owner=context.next_owner(),
        overdue="1",
        **REGISTER_FILTER,
    )


# --- evidence: the indicator page ------------------------------------------------------


@dataclass
class IndicatorContext:
    client: Client
    code: str
    places: list[str]
    years: int
    rows: int
    step: int = 0
    first_view_s: float = 0.0

    def next_place(self) -> str:
        self.step += 1
        return self.places[self.step % len(self.places)]


def indicator_setup(scale: str) -> IndicatorContext:
    from accord.bench import generate_evidence

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.core.cache import cache

    data = generate_evidence.observations(scale)
    context = IndicatorContext(
        client=Client(),
        code=data.indicators[0].code,
        places=[place.code for place in data.places],
        years=len(data.years),
        rows=data.rows,
    )
    # A chart is drawn once per version of its data (then served from the cache): the
    # first view of each place's page draws it, untimed; the timed views are the ones
    # every later reader gets until the data changes. The first draw is reported.
    cache.clear()
    start = time.perf_counter()
    page_indicator(context)
    context.first_view_s = time.perf_counter() - start
    for _place in context.places:
        page_indicator(context)
    return context


def indicator_api(context: IndicatorContext) -> object:
    # The same rows the page shows: one place's totals (every dimension's total).
    return fetch(
        context,
        f"/api/v1/indicators/{context.code}/observations",
        place=context.next_place(),
        sex="",
        age="",
        limit="1000",
    )


@scenario(
    "page_indicator",
    goal=2.0,
    floor="observations API",
    setup=indicator_setup,
    baseline=indicator_api,
    size=lambda c: f"{c.rows} observations; one place's totals, {c.years} years",
    repeat=15,
    extra=lambda c: {"first_view_s": round(c.first_view_s, 6)},
)
def page_indicator(context: IndicatorContext) -> object:
    """An indicator for one place: its chart (SVG drawn on the server once per version
    of the data, then served from the cache), table, sources."""
    return fetch(
        context,
        f"/evidence/indicators/{context.code}/",
        place=context.next_place(),
    )
