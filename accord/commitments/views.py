"""Pages: instruments with coverage, commitments, initiatives (faceted), cycle dashboard."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.access.selectors import access_for
from accord.commitments import selectors
from accord.core.errors import Invalid, NotFound

PAGE_SIZE = 50


def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "commitments/instrument_list.html", {"instruments": selectors.instrument_list()}
    )


def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        instrument = selectors.instrument_get(code)
    except NotFound as error:
        raise Http404(error.message) from error
    coverage = selectors.instrument_coverage(instrument, user=request.user)
    rows = [node for root in coverage.tree for node in root.walk()]
    most = max((root.coverage.initiatives for root in coverage.tree if root.coverage), default=0)
    context = {
        "instrument": instrument,
        "coverage": coverage,
        "rows": rows,
        "chart": [
            {
                "node": root,
                "width": round(300 * root.coverage.initiatives / most) if most else 0,
                "y": 28 * index,
            }
            for index, root in enumerate(coverage.tree)
            if root.coverage is not None
        ],
        "chart_height": 28 * len(coverage.tree),
    }
    return render(request, "commitments/instrument_detail.html", context)


def commitment_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        commitment = selectors.commitment_get(code)
    except NotFound as error:
        raise Http404(error.message) from error
    initiatives = selectors.commitment_initiatives(user=request.user, commitment=commitment)
    page = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "commitment": commitment,
        "children": commitment.children.order_by("position", "code"),
        "page": page,
    }
    return render(request, "commitments/commitment_detail.html", context)


FACETS = ("commitment", "country", "partner", "status", "kind")


def initiative_list(request: HttpRequest) -> HttpResponse:
    chosen = {name: request.GET.get(name) or None for name in (*FACETS, "cycle", "q")}
    filters = selectors.InitiativeFilters(**chosen)
    try:
        queryset = selectors.initiatives_filtered(user=request.user, filters=filters)
        facets = selectors.initiative_facets(queryset)
    except (Invalid, NotFound) as error:
        raise Http404(error.message) from error
    paginator = Paginator(queryset.order_by("-start_on", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    items = selectors.initiatives_page(
        queryset, limit=PAGE_SIZE, offset=(page.number - 1) * PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    chosen_list = []
    for name, value in chosen.items():
        if value:
            without = query.copy()
            without.pop(name, None)
            chosen_list.append((name, value, without.urlencode()))
    context = {
        "chosen_list": chosen_list,
        "facets": facets,
        "chosen": chosen,
        "page": page,
        "items": items,
        "query": query.urlencode(),
    }
    template = "commitments/initiative_list.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        initiative = selectors.initiative_get(user=request.user, pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(request, "commitments/initiative_detail.html", {"initiative": initiative})


def cycle_dashboard(request: HttpRequest, name: str | None = None) -> HttpResponse:
    if not access_for(request.user).is_secretariat:
        raise PermissionDenied("The cycle dashboard is the secretariat's.")
    from accord.commitments.models import Cycle

    cycles = list(Cycle.objects.select_related("previous").order_by("-opens_on"))
    cycle = next((c for c in cycles if c.name == name), cycles[0] if cycles else None)
    if name and (cycle is None or cycle.name != name):
        raise Http404("No such cycle.")
    context: dict[str, object] = {"cycles": cycles, "cycle": cycle}
    if cycle is not None:
        context.update(selectors.cycle_dashboard(cycle))
        if cycle.previous is not None:
            context["comparison"] = [
                row for row in selectors.cycle_compare(cycle.previous, cycle) if row.changed
            ]
    return render(request, "commitments/cycle_dashboard.html", context)
