"""Pages of decisions: the register across meetings (filters, exports) and the edit of one
decision (its links, with the version read: a stale edit is refused)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.core.errors import AccordError, Invalid, NotFound
from accord.meetings import decisions, permissions, selectors
from accord.meetings.minutes_forms import DecisionEditForm
from accord.meetings.models import Decision
from accord.meetings.views import not_found_as_404
from accord.partners.models import Organisation

FILTERS = ("tier", "year", "commitment", "partner", "meeting")


def decision_register(request: HttpRequest) -> HttpResponse:
    filters = {name: (request.GET.get(name) or "").strip() for name in FILTERS}
    error, page = "", None
    try:
        queryset = decisions.decision_register(
            user=request.user,
            commitment=filters["commitment"] or None,
            meeting=filters["meeting"] or None,
            tier=filters["tier"] or None,
            year=decisions.parse_year(filters["year"]),
            partner=filters["partner"] or None,
        )
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    except (Invalid, NotFound) as problem:
        error = problem.message
    context = {
        "page": page,
        "filters": filters,
        "error": error,
        "tiers": selectors.tiers(),
        "partners": Organisation.objects.order_by("acronym").values_list("acronym", flat=True),
    }
    template = (
        "meetings/decision_register.html#results"
        if request.htmx  # type: ignore[attr-defined]
        else "meetings/decision_register.html"
    )
    return render(request, template, context, status=400 if error else 200)


@login_required
@not_found_as_404
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = decisions.decision_get(user=request.user, pk=pk)
    if not permissions.can_edit_decision(request.user, decision):
        raise PermissionDenied(_("Only the secretariat edits decisions."))
    meeting = selectors.meeting_get(user=request.user, key=str(decision.meeting_id))
    items = [(item.pk, item.title) for item in selectors.agenda_items(meeting)]
    action_points = list(selectors.meeting_action_points(user=request.user, meeting=meeting))
    initial: dict[str, Any] = {
        "text": decision.text,
        "agenda_item": decision.agenda_item_id,
        "commitments": ", ".join(link.commitment_code for link in decision.commitment_links.all()),
        "initiatives": ", ".join(
            str(link.initiative_id) for link in decision.initiative_links.all()
        ),
        "classification": decision.classification,
        "action_points": [ap.pk for ap in decision.action_points.all()],
        "version": decision.version,
    }
    form = DecisionEditForm(
        request.POST or None, initial=initial, items=items, action_points=action_points
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["agenda_item"] = meeting.agenda_items.filter(pk=data["agenda_item"]).first()
        data["classification"] = data["classification"] or meeting.classification
        try:
            decisions.decision_update(
                decision=decision, data=data, version=version, by=request.user
            )
        except AccordError as problem:
            details = problem.details if isinstance(problem.details, dict) else {}
            names = [name for name in details if name in form.fields]
            form.add_error(names[0] if names else None, problem.message)
            status = problem.status if problem.status == 409 else 200
        else:
            messages.success(request, _("Decision saved."))
            return redirect(reverse("meeting-detail", args=[meeting.key]) + f"#decision-{pk}")
    return render(
        request,
        "meetings/decision_edit.html",
        {"decision": decision, "meeting": meeting, "form": form},
        status=status,
    )


class DecisionFeed(Feed):
    """The public decisions, newest first: those of meetings and those adopted by written
    or silence procedure between meetings. Read as the public, whoever asks: a feed
    reader has no session."""

    feed_type = Atom1Feed
    title = gettext_lazy("Decisions")
    subtitle = gettext_lazy("Public decisions of the framework, at meetings and between them")

    def link(self) -> str:
        return reverse("decision-register")

    def items(self) -> Any:
        return decisions.decision_register(user=None)[:30]

    def item_title(self, item: Decision) -> str:
        if item.procedure is not None:
            return _("Adopted by %(procedure)s: %(text)s") % {
                "procedure": item.procedure.get_kind_display().lower(),
                "text": Truncator(item.text).chars(80),
            }
        return _("Decision %(n)s of the %(meeting)s") % {
            "n": item.position,
            "meeting": item.meeting.display_name if item.meeting else "",
        }

    def item_description(self, item: Decision) -> str:
        return item.text

    def item_link(self, item: Decision) -> str:
        if item.procedure_id is not None:
            return reverse("procedure-detail", args=[item.procedure_id])
        key = item.meeting.key if item.meeting is not None else ""
        return reverse("meeting-detail", args=[key]) + f"#decision-{item.pk}"

    def item_guid(self, item: Decision) -> str:
        return f"decision-{item.pk}"

    def item_pubdate(self, item: Decision) -> Any:
        if item.procedure is not None and item.procedure.closed_at is not None:
            return item.procedure.closed_at
        return item.created_at

    def item_updateddate(self, item: Decision) -> Any:
        return item.updated_at
