"""THE ROUTE TABLE of the access matrix: every route of the site, and how to try it.

Every URL name of the URLconf (``"meeting-detail"``) and every operation of the OpenAPI
document (``"GET /api/v1/meetings/{key}"``) must have one entry here; the matrix fails
for a route that is not listed (and for an entry whose route is gone). To list a route:

- ``read(lambda r: [url, ...])``: the URLs to request, built from the marker record ``r``
  (:class:`accord.access.tests.markers.Record`); every reader requests each and no body
  may hold a marker that reader must not see;
- ``write(method, url, body, allowed=...)``: a write tried by every reader NOT in
  ``allowed``: it must be refused and change nothing;
- ``exempt("why")``: a route that reads no record (sign-in, language);
- an entry may combine: ``read(...) + write(...)``.

Names of the readers: anonymous, member, contributor, other_focal (DG HOME's focal
point), named_focal (IOM's, the partner restricted records are named for), secretariat.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.access.tests.markers import LEVELS, Record

Urls = Callable[[Record], list[str]]
Body = Callable[[Record], Any]

SECRETARIAT = frozenset({"secretariat"})
SEARCH_KINDS = (
    "meeting",
    "agenda_item",
    "minutes",
    "decision",
    "action_point",
    "document",
    "initiative",
    "indicator",
    "person",
    "press_release",
)
FOCAL_OF_OWNER = frozenset({"secretariat", "named_focal"})
#: The secretariat and DG HOME's focal point, the partner of the "contributor" reader.
FOCAL_OF_CONTRIBUTOR = frozenset({"secretariat", "other_focal"})
MEMBERS_AND_SECRETARIAT = frozenset(
    {"member", "contributor", "other_focal", "named_focal", "secretariat"}
)


@dataclass(frozen=True)
class Write:
    method: str
    url: Callable[[Record], str]
    body: Body
    allowed: frozenset[str]
    encoding: str = "json"  # json | form (multipart form, files allowed)
    # The refusal may come as the form or import report naming the field or row the
    # reader may not use (200 or 422), as long as nothing is written.
    invalid_is_refusal: bool = False


@dataclass(frozen=True)
class Route:
    reads: tuple[Urls, ...] = ()
    writes: tuple[Write, ...] = ()
    exempt: str = ""

    def __add__(self, other: Route) -> Route:
        return Route(
            self.reads + other.reads, self.writes + other.writes, self.exempt or other.exempt
        )


def read(urls: Urls | str) -> Route:
    return Route(reads=((lambda _r: [urls]) if isinstance(urls, str) else urls,))


def write(
    method: str,
    url: Callable[[Record], str] | str,
    body: Body | dict[str, Any] | None = None,
    *,
    allowed: frozenset[str] = SECRETARIAT,
    encoding: str = "json",
    invalid_is_refusal: bool = False,
) -> Route:
    return Route(
        writes=(
            Write(
                method,
                (lambda _r: url) if isinstance(url, str) else url,
                body if callable(body) else (lambda _r: dict(body or {})),
                allowed,
                encoding,
                invalid_is_refusal,
            ),
        )
    )


def exempt(reason: str) -> Route:
    return Route(exempt=reason)


def each(template: Callable[[Any], str], records: str) -> Urls:
    """One URL per marker record of ``records`` (an attribute of the Record)."""
    return lambda r: [template(record) for record in getattr(r, records).values()]


def _topic(r: Record) -> str:
    """A topic linked to MX-1 that every marker meeting is on (made the first time)."""
    from accord.meetings.models import Topic, TopicCommitment

    topic, _ = Topic.objects.get_or_create(slug="marker-topic", defaults={"name": "Marker topic"})
    TopicCommitment.objects.get_or_create(topic=topic, commitment_code="MX-1")
    for meeting in r.meetings.values():
        meeting.topics.add(topic)
    return f"/topics/{topic.slug}/"


def _agenda_items(r: Record) -> list[int]:
    """Two agenda items of the public marker meeting (made the first time), by position."""
    from accord.meetings.models import AgendaItem

    for position, title in enumerate(("Marker item", "Second marker item"), start=1):
        AgendaItem.objects.get_or_create(
            meeting=r.meetings["public"], parent=None, title=title, defaults={"position": position}
        )
    return list(
        AgendaItem.objects.filter(meeting=r.meetings["public"], parent=None)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )


def _invitation(r: Record) -> int:
    """A pending invitation to the public marker meeting (made the first time)."""
    from accord.meetings.models import Invitation
    from accord.partners.models import Organisation

    invitation, _created = Invitation.objects.get_or_create(
        meeting=r.meetings["public"],
        email="marker@iom.int",
        defaults={"organisation": Organisation.objects.get(acronym="IOM")},
    )
    return invitation.pk


def _with_invitation(r: Record, url: str) -> str:
    """``url``, once the marker invitation exists (made before the matrix's fingerprint)."""
    _invitation(r)
    return url


def _with_items(r: Record, url: str) -> str:
    _agenda_items(r)
    return url


def _notified(r: Record, url: str) -> str:
    """``url``, once every reader has a notification about every marker action point,
    decision and meeting (made the first time), told or not: the list must leave out
    those about records its reader may not read."""
    from accord.notifications.models import Notification

    targets = [
        *(("meetings.actionpoint", a.pk, a.text) for a in r.actions.values()),
        *(("meetings.decision", d.pk, d.text) for d in r.decisions.values()),
        *(("meetings.meeting", m.pk, m.title) for m in r.meetings.values()),
    ]
    for user in r.users.values():
        if user is None:
            continue
        for target_type, pk, label in targets:
            Notification.objects.get_or_create(
                recipient=user,
                key=f"matrix:{target_type}:{pk}",
                defaults={
                    "kind": "action_point.updated",
                    "target_type": target_type,
                    "target_id": pk,
                    "data": {"label": label},
                },
            )
    return url


def _outbox_message(r: Record) -> str:
    """The name of a message in the outbox naming the restricted marker meeting."""
    from django.core.mail import EmailMultiAlternatives

    from accord.core.mail import OutboxBackend, outbox_names

    found = [n for n in outbox_names() if n.endswith("-matrix.eml")]
    if not found:
        message = EmailMultiAlternatives(
            subject=r.meetings["restricted"].title,
            body=r.meetings["restricted"].title,
            to=["a@b.c"],
        )
        OutboxBackend().send_messages([message])
        names = outbox_names()
        from accord.core.mail import outbox_dir

        (outbox_dir() / names[0]).rename(outbox_dir() / names[0].replace(".eml", "-matrix.eml"))
        found = [n for n in outbox_names() if n.endswith("-matrix.eml")]
    return found[0]


def _unsubscribe_links(r: Record) -> list[str]:
    from accord.notifications.mail import unsubscribe_token

    return [
        f"/notifications/unsubscribe/{unsubscribe_token(user.pk, 'cycle.opened')}/"
        for user in r.users.values()
        if user is not None
    ]


def upload(name: str, content: str) -> io.BytesIO:
    handle = io.BytesIO(content.encode())
    handle.name = name
    return handle


ROUTES: dict[str, Route] = {
    # --- partners --------------------------------------------------------------------
    "home": read("/"),
    # Every marker starts with "mkr": one search finds them all, by kind and page by page.
    "search": read(
        lambda r: [
            "/search/?q=mkr",
            "/search/?q=mkr&page=2",
            *(f"/search/?q=mkr&kind={kind}" for kind in SEARCH_KINDS),
        ]
    ),
    "framework": read("/framework/"),
    "partner-list": read("/partners/"),
    "partner-detail": read(lambda r: ["/partners/IOM/", "/partners/DG%20HOME/"]),
    "GET /api/v1/partners": read("/api/v1/partners"),
    "GET /api/v1/partners/{acronym}": read("/api/v1/partners/IOM"),
    "PATCH /api/v1/partners/{acronym}": write(
        "PATCH", "/api/v1/partners/IOM", {"version": 1, "website": "https://example.org"}
    ),
    "GET /api/v1/frameworks": read("/api/v1/frameworks"),
    "GET /api/v1/frameworks/{code}": read("/api/v1/frameworks/mx"),
    "GET /api/v1/frameworks/{code}/members": read("/api/v1/frameworks/mx/members"),
    "GET /api/v1/frameworks/{code}/timeline": read("/api/v1/frameworks/mx/timeline"),
    # --- meetings --------------------------------------------------------------------
    "meeting-list": read("/meetings/"),
    "meeting-tier-calendar": read("/meetings/calendar/mx.ics"),
    "meeting-person-calendar": read(
        each(lambda p: f"/meetings/calendar/people/{p.pk}.ics", "people")
    ),
    "meeting-tier-minutes": read("/meetings/tiers/mx/minutes/"),
    # --- minutes and decisions -------------------------------------------------------
    "meeting-tier-minutes-pdf": read("/meetings/tiers/mx/minutes.pdf"),
    "meeting-minutes-revisions": read(
        each(lambda m: f"/meetings/{m.key}/minutes/revisions/", "meetings")
    ),
    "meeting-minutes-preview": exempt(
        "renders the text it is sent (to the secretariat); reads no record"
    ),
    "meeting-minutes-save": write(
        "POST",
        lambda r: f"/meetings/{r.spare_meeting.key}/minutes/",
        {"body": "New minutes"},
        encoding="form",
    ),
    "meeting-minutes-circulate": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['restricted'].key}/minutes/circulate/",
        {},
        encoding="form",
    ),
    "meeting-minutes-approve": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['members'].key}/minutes/approve/",
        {},
        encoding="form",
    ),
    "meeting-minutes-correct": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/minutes/correct/",
        lambda r: {
            "body": "Corrected.",
            "reason": "A typo",
            "version": r.meeting_minutes["approved"].version,
        },
        encoding="form",
    ),
    "meeting-minutes-comment": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['members'].key}/minutes/comments/",
        {"kind": "comment", "text": "A comment"},
        allowed=MEMBERS_AND_SECRETARIAT,
        encoding="form",
    ),
    "meeting-minutes-amendment": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['members'].key}/minutes/amendments/{r.amendment.pk}/",
        {"outcome": "decline", "reason": "Not agreed"},
        encoding="form",
    ),
    "decision-register": read(lambda r: ["/decisions/", "/decisions/?tier=mx"]),
    "decision-edit": read(each(lambda d: f"/decisions/{d.pk}/edit/", "decisions"))
    + write(
        "POST",
        lambda r: f"/decisions/{r.decisions['public'].pk}/edit/",
        lambda r: {
            "text": "Rewritten",
            "version": r.decisions["public"].version,
            "classification": "public",
        },
        encoding="form",
    ),
    # --- written and silence procedures ----------------------------------------------
    "decision-feed": read("/decisions/feed/"),
    "procedure-list": read(lambda r: ["/procedures/", "/procedures/?state=open"]),
    "procedure-open": read("/procedures/new/")
    + write(
        "POST",
        "/procedures/new/",
        {"kind": "silence", "text": "Agreed", "closes": "2099-12-31", "classification": "public"},
        encoding="form",
    ),
    "procedure-detail": read(each(lambda p: f"/procedures/{p.pk}/", "procedures")),
    # Answered for IOM, the partner asked, by its focal point (or a member of IOM).
    "procedure-answer": write(
        "POST",
        lambda r: f"/procedures/{r.procedures['public'].pk}/answer/",
        lambda r: {"answer": "agree", "partner": "IOM", "version": r.procedures["public"].version},
        allowed=frozenset({"named_focal"}),
        encoding="form",
    ),
    "GET /api/v1/procedures": read("/api/v1/procedures?limit=100"),
    "GET /api/v1/procedures/{procedure_id}": read(
        each(lambda p: f"/api/v1/procedures/{p.pk}", "procedures")
    ),
    "POST /api/v1/procedures": write(
        "POST", "/api/v1/procedures", {"kind": "written", "text": "Agreed", "closes": "2099-12-31"}
    ),
    "PATCH /api/v1/procedures/{procedure_id}": write(
        "PATCH",
        lambda r: f"/api/v1/procedures/{r.procedures['public'].pk}",
        lambda r: {"version": r.procedures["public"].version, "closes": "2099-12-30"},
    ),
    "POST /api/v1/procedures/{procedure_id}/answer": write(
        "POST",
        lambda r: f"/api/v1/procedures/{r.procedures['public'].pk}/answer",
        {"answer": "agree"},
        allowed=frozenset({"named_focal"}),
    ),
    # --- calls for contributions: the members read them; IOM, asked, answers -------------
    "meeting-calls": read(each(lambda m: f"/meetings/{m.key}/calls/", "meetings"))
    + write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/calls/",
        {"message": "Send notes", "asks": "both", "due": "2099-12-31"},
        encoding="form",
    ),
    "meeting-call": read(lambda r: [f"/meetings/{r.meetings['public'].key}/calls/{r.call.pk}/"]),
    "meeting-call-contribute": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/calls/{r.call.pk}/contribute/",
        {
            "partner": "IOM",
            "agenda_request": "An item",
            "kind": "background_note",
            "classification": "members",
        },
        allowed=frozenset({"named_focal"}),
        encoding="form",
    ),
    "meeting-call-remind": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/calls/{r.call.pk}/remind/",
        encoding="form",
    ),
    "meeting-call-close": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/calls/{r.call.pk}/close/",
        lambda r: {"version": r.call.version},
        encoding="form",
    ),
    "GET /api/v1/meetings/{key}/calls": read(
        each(lambda m: f"/api/v1/meetings/{m.key}/calls", "meetings")
    ),
    "POST /api/v1/meetings/{key}/calls": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/calls",
        {"message": "Send notes", "due": "2099-12-31"},
    ),
    "GET /api/v1/meetings/{key}/calls/{call_id}": read(
        lambda r: [f"/api/v1/meetings/{r.meetings['public'].key}/calls/{r.call.pk}"]
    ),
    "POST /api/v1/meetings/{key}/calls/{call_id}/contributions": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/calls/{r.call.pk}/contributions",
        {"agenda_request": "An item"},
        allowed=frozenset({"named_focal"}),
        encoding="form",
    ),
    "POST /api/v1/meetings/{key}/calls/{call_id}/remind": write(
        "POST", lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/calls/{r.call.pk}/remind"
    ),
    "POST /api/v1/meetings/{key}/calls/{call_id}/close": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/calls/{r.call.pk}/close",
        lambda r: {"version": r.call.version},
    ),
    "GET /api/v1/meetings/{key}/minutes": read(
        each(lambda m: f"/api/v1/meetings/{m.key}/minutes", "meetings")
    ),
    "PUT /api/v1/meetings/{key}/minutes": write(
        "PUT", lambda r: f"/api/v1/meetings/{r.spare_meeting.key}/minutes", {"text": "New minutes"}
    ),
    "POST /api/v1/meetings/{key}/minutes/circulate": write(
        "POST", lambda r: f"/api/v1/meetings/{r.meetings['restricted'].key}/minutes/circulate", {}
    ),
    "POST /api/v1/meetings/{key}/minutes/approve": write(
        "POST", lambda r: f"/api/v1/meetings/{r.meetings['members'].key}/minutes/approve", {}
    ),
    "POST /api/v1/meetings/{key}/minutes/correct": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/minutes/correct",
        {"text": "Corrected.", "reason": "A typo"},
    ),
    "GET /api/v1/meetings/{key}/minutes/revisions": read(
        each(lambda m: f"/api/v1/meetings/{m.key}/minutes/revisions", "meetings")
    ),
    "GET /api/v1/meetings/{key}/minutes/diff": read(
        each(lambda m: f"/api/v1/meetings/{m.key}/minutes/diff?from=1&to=1", "meetings")
    ),
    "GET /api/v1/meetings/{key}/minutes/comments": read(
        each(lambda m: f"/api/v1/meetings/{m.key}/minutes/comments", "meetings")
    ),
    "POST /api/v1/meetings/{key}/minutes/comments": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['members'].key}/minutes/comments",
        {"text": "A comment"},
        allowed=MEMBERS_AND_SECRETARIAT,
    ),
    "POST /api/v1/meetings/{key}/minutes/comments/{comment_id}/resolve": write(
        "POST",
        lambda r: (
            f"/api/v1/meetings/{r.meetings['members'].key}/minutes/comments/{r.amendment.pk}/resolve"
        ),
        {"accept": False, "reason": "Not agreed"},
    ),
    "POST /api/v1/meetings/{key}/decisions": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/decisions",
        {"text": "Agreed"},
    ),
    "GET /api/v1/decisions": read("/api/v1/decisions?limit=100"),
    "GET /api/v1/decisions/{decision_id}": read(
        each(lambda d: f"/api/v1/decisions/{d.pk}", "decisions")
    ),
    "PATCH /api/v1/decisions/{decision_id}": write(
        "PATCH",
        lambda r: f"/api/v1/decisions/{r.decisions['public'].pk}",
        lambda r: {"version": r.decisions["public"].version, "text": "Rewritten"},
    ),
    "minutes-diff": read(each(lambda m: f"/meetings/minutes/{m.pk}/diff/", "minutes")),
    "document-download": read(each(lambda d: f"/meetings/documents/{d.pk}/v1/", "documents")),
    "document-version-upload": write(
        "POST",
        lambda r: f"/meetings/documents/{r.documents['public'].pk}/versions/",
        lambda r: {"upload": upload("v2.txt", "second version")},
        encoding="form",
    ),
    "POST /api/v1/meetings/{key}/documents": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/documents",
        lambda r: {
            "title": "Note",
            "kind": "background_note",
            "classification": "members",
            "file": upload("note.txt", "a note"),
        },
        encoding="form",
    ),
    "POST /api/v1/documents/{document_id}/versions": write(
        "POST",
        lambda r: f"/api/v1/documents/{r.documents['public'].pk}/versions",
        lambda r: {"file": upload("v2.txt", "second version")},
        encoding="form",
    ),
    "meeting-create": read("/meetings/new/")
    + write(
        "POST",
        "/meetings/new/",
        lambda r: {
            "tier": r.tier.code,
            "date": "2021-05-05",
            "title": "New",
            "status": "planned",
            "classification": "members",
        },
        encoding="form",
    ),
    "meeting-detail": read(each(lambda m: f"/meetings/{m.key}/", "meetings")),
    "meeting-agenda-add": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/agenda/",
        {"title": "An item"},
        encoding="form",
    ),
    "meeting-decision-add": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/decisions/",
        {"text": "A decision"},
        encoding="form",
    ),
    "meeting-action-add": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/action-points/",
        {"text": "An action", "owners": ["IOM"]},
        encoding="form",
    ),
    "meeting-document-upload": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/documents/",
        lambda r: {
            "title": "Note",
            "kind": "background_note",
            "language": "en",
            "classification": "members",
            "upload": upload("note.txt", "a note"),
        },
        encoding="form",
    ),
    "action-register": read(lambda r: ["/action-points/", "/action-points/?status=open"]),
    "my-actions": read("/action-points/mine/"),
    "action-point-progress": write(
        "POST",
        lambda r: f"/action-points/{r.actions['public'].pk}/progress/",
        {"text": "Progress made"},
        allowed=FOCAL_OF_OWNER,
        encoding="form",
    ),
    "GET /api/v1/meetings": read("/api/v1/meetings?limit=100"),
    "GET /api/v1/search": read(
        lambda r: [
            "/api/v1/search?q=mkr&limit=100",
            "/api/v1/search?q=mkr&limit=100&offset=100",
            *(f"/api/v1/search?q=mkr&kind={kind}&limit=100" for kind in SEARCH_KINDS),
        ]
    ),
    "GET /api/v1/meetings/{key}": read(each(lambda m: f"/api/v1/meetings/{m.key}", "meetings")),
    "GET /api/v1/meetings/{key}/follow-up": read(
        each(lambda m: f"/api/v1/meetings/{m.key}/follow-up", "meetings")
    ),
    "GET /api/v1/action-points": read("/api/v1/action-points?limit=100"),
    "GET /api/v1/action-points/{ap_id}": read(
        each(lambda a: f"/api/v1/action-points/{a.pk}", "actions")
    ),
    "PATCH /api/v1/action-points/{ap_id}": write(
        "PATCH",
        lambda r: f"/api/v1/action-points/{r.actions['public'].pk}",
        lambda r: {"version": r.actions["public"].version, "text": "Rewritten"},
    )
    + write(
        "PATCH",
        lambda r: f"/api/v1/action-points/{r.actions['public'].pk}",
        lambda r: {"version": r.actions["public"].version, "status": "in_progress"},
        allowed=FOCAL_OF_OWNER,
    ),
    "POST /api/v1/meetings/{key}/action-points": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/action-points",
        {"text": "An action", "owners": ["IOM"]},
    ),
    "POST /api/v1/action-points/{ap_id}/updates": write(
        "POST",
        lambda r: f"/api/v1/action-points/{r.actions['public'].pk}/updates",
        {"text": "Progress"},
        allowed=FOCAL_OF_OWNER,
    ),
    # Preparing meetings, agendas, invitations and the roll call: the secretariat's.
    "meeting-edit": read(each(lambda m: f"/meetings/{m.key}/edit/", "meetings"))
    + write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/edit/",
        lambda r: {
            "date": r.meetings["public"].date.isoformat(),
            "city": "Elsewhere",
            "status": "planned",
            "classification": "public",
            "version": r.meetings["public"].version,
        },
        encoding="form",
    ),
    "meeting-prepare-next": read(each(lambda m: f"/meetings/{m.key}/next/", "meetings"))
    + write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/next/",
        {"date": "2033-03-03"},
        encoding="form",
    ),
    "meeting-agenda-move": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/agenda/{_agenda_items(r)[0]}/move/",
        {"direction": "down"},
        encoding="form",
    ),
    "meeting-agenda-publish": write(
        "POST", lambda r: f"/meetings/{r.meetings['public'].key}/agenda/publish/", encoding="form"
    ),
    "meeting-invitation-send": write(
        "POST",
        lambda r: f"/meetings/{r.meetings['public'].key}/invitations/",
        {"organisation": "IOM", "emails": "someone@iom.int"},
        encoding="form",
    ),
    "meeting-invitation-remind": write(
        "POST",
        lambda r: _with_invitation(r, f"/meetings/{r.meetings['public'].key}/invitations/remind/"),
        encoding="form",
    ),
    "meeting-attendance": write(
        "POST",
        lambda r: _with_invitation(r, f"/meetings/{r.meetings['public'].key}/attendance/"),
        lambda r: {"present": [_invitation(r)]},
        encoding="form",
    ),
    # Reached by the signed link of one invitation (the link is the key, no login): a
    # link not signed names nothing, for every reader.
    "invitation-answer": read("/invitations/not-a-signed-link/"),
    "GET /api/v1/invitations/{token}": read("/api/v1/invitations/not-a-signed-link"),
    "POST /api/v1/invitations/{token}/answer": write(
        "POST",
        "/api/v1/invitations/not-a-signed-link/answer",
        {"answer": "attending"},
        allowed=frozenset(),
    ),
    "invitation-calendar": read("/invitations/not-a-signed-link/invitation.ics"),
    # The private feed's secret address is the key (no session); each user's own feed is
    # tested in accord/meetings/tests/test_private_calendar.py.
    "private-calendar": read("/calendar/not-a-calendar-token.ics"),
    "account-calendar-renew": exempt("the reader's own calendar address (accord/meetings/tests)"),
    "GET /api/v1/me/calendar": read("/api/v1/me/calendar"),
    "POST /api/v1/me/calendar/renew": exempt(
        "the reader's own calendar address (accord/meetings/tests)"
    ),
    "GET /api/v1/meetings/{key}/agenda": read(
        each(lambda m: f"/api/v1/meetings/{m.key}/agenda", "meetings")
    ),
    "GET /api/v1/meetings/{key}/invitations": read(
        each(lambda m: f"/api/v1/meetings/{m.key}/invitations", "meetings")
    ),
    "POST /api/v1/meetings": write(
        "POST", "/api/v1/meetings", lambda r: {"tier": r.tier.code, "date": "2034-04-04"}
    ),
    "PATCH /api/v1/meetings/{key}": write(
        "PATCH",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}",
        lambda r: {"version": r.meetings["public"].version, "city": "Elsewhere"},
    ),
    "POST /api/v1/meetings/{key}/next": write(
        "POST", lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/next", {"date": "2035"}
    ),
    "POST /api/v1/meetings/{key}/agenda": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/agenda",
        {"title": "An item"},
    ),
    "POST /api/v1/meetings/{key}/agenda/order": write(
        "POST",
        lambda r: _with_items(r, f"/api/v1/meetings/{r.meetings['public'].key}/agenda/order"),
        lambda r: {"order": _agenda_items(r)[::-1]},
    ),
    "POST /api/v1/meetings/{key}/agenda/publish": write(
        "POST", lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/agenda/publish"
    ),
    "POST /api/v1/meetings/{key}/invitations": write(
        "POST",
        lambda r: f"/api/v1/meetings/{r.meetings['public'].key}/invitations",
        {"partner": "IOM", "emails": ["someone@iom.int"]},
    ),
    "POST /api/v1/meetings/{key}/invitations/remind": write(
        "POST",
        lambda r: _with_invitation(
            r, f"/api/v1/meetings/{r.meetings['public'].key}/invitations/remind"
        ),
    ),
    "POST /api/v1/meetings/{key}/attendance": write(
        "POST",
        lambda r: _with_invitation(r, f"/api/v1/meetings/{r.meetings['public'].key}/attendance"),
        lambda r: {"present": [_invitation(r)]},
    ),
    # --- reports ---------------------------------------------------------------------
    "report-list": read("/reports/"),
    "meeting-radar": read(each(lambda m: f"/meetings/{m.key}/radar/", "meetings")),
    "topic-detail": read(lambda r: [_topic(r)]),
    "meeting-briefing": read(each(lambda m: f"/meetings/{m.key}/briefing.html", "meetings"))
    + read(each(lambda m: f"/meetings/{m.key}/briefing.docx", "meetings")),
    "press-release-new": write(
        "POST", "/reports/press/new/", lambda r: {"meeting": r.spare_meeting.key}, encoding="form"
    ),
    "press-release-edit": read(each(lambda p: f"/reports/press/{p.pk}/", "press"))
    + write(
        "POST",
        lambda r: f"/reports/press/{r.press['members'].pk}/",
        lambda r: {"title": "Edited", "body": "Edited", "version": r.press["members"].version},
        encoding="form",
    ),
    "press-release-download": read(
        lambda r: [
            f"/reports/press/{p.pk}/release.{fmt}"
            for p in r.press.values()
            for fmt in ("md", "html", "docx")
        ]
    ),
    "press-list": read("/press/"),
    "press-feed": read("/press/feed/"),
    "press-detail": read(each(lambda p: f"/press/{p.slug}/", "press")),
    "export-download": read(
        lambda r: (
            [
                f"/exports/{kind}.{fmt}"
                for kind in ("meetings", "action-points", "initiatives")
                for fmt in ("csv", "json")
            ]
            + [f"/exports/observations.json?indicator={i.code}" for i in r.indicators.values()]
            + [
                f"/exports/{kind}.json"
                for kind in ("partners", "commitments", "cycles", "indicators")
            ]
            + ["/exports/coverage.json?instrument=MX", "/exports/cycle-entries.json?cycle=mx-2020"]
        )
    ),
    "export-observations-sdmx": read(
        lambda r: [
            f"/exports/observations.sdmx.csv?indicator={i.code}" for i in r.indicators.values()
        ]
    ),
    # --- evidence --------------------------------------------------------------------
    "evidence-overview": read("/evidence/"),
    "evidence-reporting": read("/evidence/reporting/"),
    "evidence-datasets": read("/evidence/datasets/"),
    "evidence-import": read("/evidence/import/")
    + write(
        "POST",
        "/evidence/import/",
        lambda r: {
            "upload": upload("f.csv", "Year,GeoCode,Value\n2019,DEU,9\n"),
            "indicator": r.indicators["members"].code,
            "dataset": "mkrdatasetmembers",
        },
        encoding="form",
    ),
    "evidence-commitment": read("/evidence/commitments/MX-1/"),
    "indicator-detail": read(each(lambda i: f"/evidence/indicators/{i.code}/", "indicators")),
    "indicator-chart": read(
        each(lambda i: f"/evidence/indicators/{i.code}/chart.json", "indicators")
    ),
    "indicator-download": read(
        each(lambda i: f"/evidence/indicators/{i.code}/download.csv", "indicators")
    ),
    "indicator-targets": write(
        "POST",
        "/evidence/indicators/MX_PUBLIC/targets/",
        {"place": "FRA", "year": 2035, "value": 5},
        encoding="form",
    ),
    "indicator-target-remove": write(
        "POST",
        lambda r: f"/evidence/indicators/MX_PUBLIC/targets/{r.target.pk}/remove/",
        {},
        encoding="form",
    ),
    "GET /api/v1/indicators/{code}/targets": read(
        each(lambda i: f"/api/v1/indicators/{i.code}/targets", "indicators")
    ),
    "POST /api/v1/indicators/{code}/targets": write(
        "POST", "/api/v1/indicators/MX_PUBLIC/targets", {"place": "FRA", "year": 2035, "value": 5}
    ),
    "DELETE /api/v1/indicators/{code}/targets/{target_id}": write(
        "DELETE", lambda r: f"/api/v1/indicators/MX_PUBLIC/targets/{r.target.pk}", {}
    ),
    "GET /api/v1/indicators": read("/api/v1/indicators?limit=100"),
    "GET /api/v1/indicators/{code}": read(
        each(lambda i: f"/api/v1/indicators/{i.code}", "indicators")
    ),
    "GET /api/v1/indicators/{code}/observations": read(
        each(lambda i: f"/api/v1/indicators/{i.code}/observations", "indicators")
    ),
    "POST /api/v1/indicators/import": write(
        "POST",
        "/api/v1/indicators/import",
        lambda r: {
            "file": upload("f.csv", "Year,GeoCode,Value\n2019,DEU,9\n"),
            "indicator": r.indicators["members"].code,
            "dataset": "mkrdatasetmembers",
        },
        encoding="form",
    ),
    # --- commitments -----------------------------------------------------------------
    "instrument-list": read("/commitments/"),
    "instrument-detail": read("/commitments/instruments/MX/"),
    "commitment-detail": read("/commitments/MX-1/"),
    "initiative-list": read(lambda r: ["/initiatives/", "/initiatives/?q=mkr"]),
    "initiative-new": read("/initiatives/new/")
    + write(
        "POST",
        "/initiatives/new/",
        {"title": "New work", "partner": "IOM", "kind": "project", "status": "ongoing"},
        allowed=FOCAL_OF_OWNER,
        encoding="form",
        invalid_is_refusal=True,  # the partner field offers the reader's own partners
    ),
    "initiative-detail": read(each(lambda i: f"/initiatives/{i.pk}/", "initiatives")),
    "initiative-entry-step": write(
        "POST",
        lambda r: f"/initiatives/{r.initiatives['members'].pk}/cycles/{r.cycle.pk}/submit/",
        {},
        allowed=FOCAL_OF_OWNER,
        encoding="form",
    )
    + write(
        "POST",
        lambda r: f"/initiatives/{r.initiatives['restricted'].pk}/cycles/{r.cycle.pk}/verify/",
        {},
        encoding="form",
    ),
    "instrument-countries": read("/commitments/instruments/MX/countries/"),
    "country-detail": read(lambda r: ["/countries/SOM/", "/countries/LBY/"]),
    "progress-report": read("/reports/progress/MX/mx-2020/"),
    "progress-report-file": read("/reports/progress/MX/mx-2020/report.xlsx"),
    "cycle-dashboard": read("/cycles/"),
    "cycle-detail": read("/cycles/mx-2020/"),
    "GET /api/v1/instruments": read("/api/v1/instruments"),
    "GET /api/v1/instruments/{code}/commitments": read("/api/v1/instruments/MX/commitments"),
    "GET /api/v1/instruments/{code}/coverage": read("/api/v1/instruments/MX/coverage"),
    "GET /api/v1/initiatives": read("/api/v1/initiatives?limit=100"),
    "POST /api/v1/initiatives": write(
        "POST",
        "/api/v1/initiatives",
        {"title": {"en": "New work"}, "partner": "IOM"},
        allowed=FOCAL_OF_OWNER | {"secretariat"},
    ),
    "GET /api/v1/initiatives/{initiative_id}": read(
        each(lambda i: f"/api/v1/initiatives/{i.pk}", "initiatives")
    ),
    "PATCH /api/v1/initiatives/{initiative_id}": write(
        "PATCH",
        lambda r: f"/api/v1/initiatives/{r.initiatives['members'].pk}",
        lambda r: {"version": r.initiatives["members"].version, "status": "completed"},
        allowed=FOCAL_OF_OWNER,
    ),
    "cycle-action": write(
        "POST",
        "/cycles/mx-2099/open/",
        lambda r: {"version": r.planned_cycle.version},
        encoding="form",
    )
    + write(
        "POST", "/cycles/mx-2020/close/", lambda r: {"version": r.cycle.version}, encoding="form"
    )
    + write(
        "POST",
        "/cycles/mx-2020/deadline/",
        lambda r: {"closes_on": "2099-11-30", "version": r.cycle.version},
        encoding="form",
    )
    + write(
        "POST",
        "/cycles/mx-2020/exception/",
        lambda r: {"initiative": r.initiatives["public"].pk, "progress": 50, "reason": "Fix"},
        encoding="form",
    ),
    "commitment-add": read("/commitments/instruments/MX/add/")
    + write(
        "POST",
        "/commitments/instruments/MX/add/",
        {"code": "MX-2", "title_en": "A new commitment", "position": 2},
        encoding="form",
    ),
    "commitment-edit": read("/commitments/MX-1/edit/")
    + write(
        "POST",
        "/commitments/MX-1/edit/",
        {"code": "MX-1", "title_en": "Edited", "position": 0, "version": 1},
        encoding="form",
    ),
    "initiative-edit": read(each(lambda i: f"/initiatives/{i.pk}/edit/", "initiatives"))
    + write(
        "POST",
        lambda r: f"/initiatives/{r.initiatives['members'].pk}/edit/",
        lambda r: {
            "title": "Edited",
            "partner": "IOM",
            "kind": "project",
            "status": "completed",
            "commitments": "MX-1",
            "version": r.initiatives["members"].version,
        },
        allowed=FOCAL_OF_OWNER,
        encoding="form",
    ),
    "GET /api/v1/commitments/{code}": read("/api/v1/commitments/MX-1"),
    "GET /api/v1/commitments/{code}/trail": read(
        lambda r: [_topic(r).replace("/topics/marker-topic/", "/api/v1/commitments/MX-1/trail")]
    ),
    "GET /api/v1/commitments/{code}/progress": read("/api/v1/commitments/MX-1/progress"),
    "GET /api/v1/meetings/{key}/radar": read(
        each(lambda m: f"/api/v1/meetings/{m.key}/radar", "meetings")
    ),
    "POST /api/v1/commitments": write(
        "POST", "/api/v1/commitments", {"instrument": "MX", "code": "MX-3", "titles": {"en": "N"}}
    ),
    "PATCH /api/v1/commitments/{code}": write(
        "PATCH", "/api/v1/commitments/MX-1", {"version": 1, "titles": {"en": "Edited"}}
    ),
    "GET /api/v1/cycles": read("/api/v1/cycles"),
    "POST /api/v1/cycles": write(
        "POST",
        "/api/v1/cycles",
        {"name": "mx-new", "opens_on": "2098-01-01", "closes_on": "2098-06-30"},
    ),
    "GET /api/v1/cycles/{name}": read(
        lambda r: ["/api/v1/cycles/mx-2020", "/api/v1/cycles/mx-2099"]
    ),
    "POST /api/v1/cycles/{name}/open": write(
        "POST", "/api/v1/cycles/mx-2099/open", lambda r: {"version": r.planned_cycle.version}
    ),
    "POST /api/v1/cycles/{name}/close": write(
        "POST", "/api/v1/cycles/mx-2020/close", lambda r: {"version": r.cycle.version}
    ),
    "PUT /api/v1/cycles/{name}/deadline": write(
        "PUT",
        "/api/v1/cycles/mx-2020/deadline",
        lambda r: {"closes_on": "2099-11-30", "version": r.cycle.version},
    ),
    "GET /api/v1/cycles/{name}/completeness": read("/api/v1/cycles/mx-2020/completeness"),
    "GET /api/v1/cycles/{name}/exceptions": read("/api/v1/cycles/mx-2020/exceptions"),
    "POST /api/v1/cycles/{name}/exceptions": write(
        "POST",
        "/api/v1/cycles/mx-2020/exceptions",
        lambda r: {"initiative": r.initiatives["public"].pk, "progress": 50, "reason": "Fix"},
    ),
    "GET /api/v1/instruments/{code}/progress": read(
        "/api/v1/instruments/MX/progress?cycle=mx-2020"
    ),
    "GET /api/v1/cycles/{name}/entries": read("/api/v1/cycles/mx-2020/entries"),
    "POST /api/v1/cycles/{name}/entries": write(
        "POST",
        "/api/v1/cycles/mx-2020/entries",
        lambda r: {"initiative": r.spare_initiative.pk},
        allowed=FOCAL_OF_OWNER,
    ),
    "POST /api/v1/cycles/{name}/entries/{initiative_id}/{action}": write(
        "POST",
        lambda r: f"/api/v1/cycles/mx-2020/entries/{r.initiatives['members'].pk}/submit",
        {},
        allowed=FOCAL_OF_OWNER,
    )
    + write(
        "POST",
        lambda r: f"/api/v1/cycles/mx-2020/entries/{r.initiatives['restricted'].pk}/verify",
        {},
    ),
    "POST /api/v1/imports/{kind}": write(
        "POST",
        "/api/v1/imports/initiatives",
        lambda r: {
            "file": upload(
                "take.csv",
                "id,title_en,partner,classification\n"
                f"{r.initiatives['members'].pk},TAKEN OVER,DG HOME,members\n",
            )
        },
        encoding="form",
        invalid_is_refusal=True,  # the report names the row of a partner not the reader's
    ),
    "initiative-import": read("/initiatives/import/")
    + write(
        "POST",
        "/initiatives/import/",
        lambda r: {
            "kind": "initiatives",
            "upload": upload(
                "take.csv",
                "id,title_en,partner,classification\n"
                f"{r.initiatives['members'].pk},TAKEN OVER,DG HOME,members\n",
            ),
        },
        encoding="form",
        invalid_is_refusal=True,  # the report names the row of a partner not the reader's
    ),
    "initiatives-iati-export": read("/exports/initiatives.xml"),
    "programme-detail": read(lambda _r: ["/programmes/EU-IOM-JI/", "/programmes/EUTF-AFRICA/"]),
    "GET /api/v1/programmes": read("/api/v1/programmes"),
    "GET /api/v1/programmes/{code}": read("/api/v1/programmes/EU-IOM-JI"),
    "GET /api/v1/import-runs": read("/api/v1/import-runs"),
    "data-quality-clear": write(
        "POST", lambda r: f"/data-quality/{r.warning.pk}/clear/", {"comment": "x"}, encoding="form"
    ),
    "POST /api/v1/data-quality/{warning_id}/clear": write(
        "POST", lambda r: f"/api/v1/data-quality/{r.warning.pk}/clear", {"comment": "x"}
    ),
    # --- shared pages ----------------------------------------------------------------
    "record-history": read(
        lambda r: [
            f"/history/{m._meta.app_label}/{m._meta.model_name}/{m.pk}/"
            for level in LEVELS
            for m in (r.meetings[level], r.initiatives[level], r.people[level])
        ]
    ),
    # --- accounts, people, audit ---------------------------------------------------------
    "login": exempt("the sign-in form reads no record"),
    "health": exempt("the load balancer's health check answers ok and reads no record"),
    "login-verify": exempt("the second step of signing in reads no record"),
    "admin/login/": exempt("sends to the sign-in page"),
    "password_reset": exempt("mails a link; reads no record"),
    "password_reset_done": exempt("says a link was sent"),
    "password_reset_confirm": exempt("chooses a password through a signed link"),
    "password_reset_complete": exempt("says the password is saved"),
    "privacy": read("/privacy/"),
    "account": read("/account/"),
    "account-two-factor": read("/account/two-factor/"),
    "account-token-revoke": exempt("the reader's own tokens only (accord/access/tests)"),
    "people": read("/people/")
    + write(
        "POST",
        "/people/",
        {"action": "role", "username": "member", "organisation": "IOM", "kind": "contributor"},
        allowed=FOCAL_OF_OWNER,
        encoding="form",
        invalid_is_refusal=True,  # the form says the partner is not the reader's
    ),
    "people-role-remove": write(
        "POST",
        "/people/contributor/roles/remove/",
        {"organisation": "DG HOME", "kind": "contributor"},
        allowed=FOCAL_OF_CONTRIBUTOR,
        encoding="form",
    ),
    "people-deactivate": write("POST", "/people/member/deactivate/", encoding="form"),
    "audit-log": read("/audit/"),
    "audit-log-csv": read("/audit/export.csv"),
    "GET /api/v1/me": read("/api/v1/me"),
    "GET /api/v1/me/tokens": read("/api/v1/me/tokens"),
    "POST /api/v1/me/tokens": exempt("the reader's own tokens (a log table; accord/access/tests)"),
    "DELETE /api/v1/me/tokens/{prefix}": exempt("the reader's own tokens (accord/access/tests)"),
    "GET /api/v1/users": read("/api/v1/users"),
    "POST /api/v1/users/invite": write(
        "POST",
        "/api/v1/users/invite",
        {"email": "n@example.org", "partner": "IOM", "role": "member"},
    ),
    "POST /api/v1/users/{username}/deactivate": write("POST", "/api/v1/users/member/deactivate"),
    "POST /api/v1/roles": write(
        "POST",
        "/api/v1/roles",
        {"user": "member", "partner": "IOM", "role": "contributor"},
        allowed=FOCAL_OF_OWNER,
    ),
    "POST /api/v1/roles/remove": write(
        "POST",
        "/api/v1/roles/remove",
        {"user": "contributor", "partner": "DG HOME", "role": "contributor"},
        allowed=FOCAL_OF_CONTRIBUTOR,
    ),
    "POST /api/v1/password-reset": exempt("mails a link; reads no record"),
    "GET /api/v1/audit": read("/api/v1/audit"),
    # --- notifications and the outbox --------------------------------------------------
    "notification-list": read(lambda r: [_notified(r, "/notifications/")]),
    "notification-read": exempt(
        "marks the reader's own notifications only (accord/notifications/tests)"
    ),
    "notification-preferences": read("/notifications/preferences/")
    + write(
        "POST",
        "/notifications/preferences/",
        {"kind-cycle.opened": "off", "language": "fr"},
        allowed=MEMBERS_AND_SECRETARIAT,
        encoding="form",
    ),
    # The signed link is its own authority (accord/notifications/tests): no record read.
    "notification-unsubscribe": read(_unsubscribe_links),
    "outbox": read(lambda r: [(_outbox_message(r), "/outbox/")[1]]),
    "outbox-message": read(lambda r: [f"/outbox/{_outbox_message(r)}/"]),
    "GET /api/v1/notifications": read(lambda r: [_notified(r, "/api/v1/notifications?limit=100")]),
    "POST /api/v1/notifications/read": exempt(
        "marks the reader's own notifications only (accord/notifications/tests)"
    ),
    "GET /api/v1/me/notification-preferences": read("/api/v1/me/notification-preferences"),
    "PUT /api/v1/me/notification-preferences": write(
        "PUT",
        "/api/v1/me/notification-preferences",
        {"kinds": {"cycle.opened": "off"}},
        allowed=MEMBERS_AND_SECRETARIAT,
    ),
    "logout": exempt("signs out"),
    "set_language": exempt("sets the session's language"),
}

#: URL prefixes whose routes are tried as one: the admin is for staff users only; the
#: matrix's readers are not staff and must be sent to its sign-in page.
PREFIXES: dict[str, Route] = {
    "admin/": read(
        lambda r: ["/admin/", "/admin/meetings/meeting/", "/admin/commitments/initiative/"]
    ),
}
