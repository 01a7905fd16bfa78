"""The full initiative form: who implements and funds it, where, when, what it serves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.commitments.forms import InitiativeForm
from accord.commitments.models import Initiative
from accord.commitments.places import country_alpha3
from accord.commitments.records import FundingLine, InitiativeRecord, MilestoneLine, PlaceLine
from accord.partners.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"})
LINES = forms.Textarea(attrs={"rows": 3})


class InitiativeFullForm(InitiativeForm):
    """Every field a partner reports; the service checks who may and the references."""

    title_fr = forms.CharField(label=_("Title in French"), max_length=500, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=LINES)
    end_on = forms.DateField(label=_("End date"), required=False, widget=DATE)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Leave empty for the default of the status."),
    )
    implementers = forms.CharField(
        label=_("Implemented by"),
        required=False,
        help_text=_("Partners' acronyms separated by commas, for example IOM, DG HOME."),
    )
    fundings = forms.CharField(
        label=_("Funders"),
        required=False,
        widget=LINES,
        help_text=_("One a line: funder; amount; currency, for example DG INTPA; 1500000; EUR."),
    )
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=LINES,
        help_text=_("One a line: date; title; done, for example 2026-06-30; Desks open; yes."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [
        "title",
        "title_fr",
        "description",
        "partner",
        "kind",
        "status",
        "progress",
        "start_on",
        "end_on",
        "implementers",
        "fundings",
        "countries",
        "commitments",
        "milestones",
    ]

    def clean_implementers(self) -> list[str]:
        acronyms = [a.strip() for a in self.cleaned_data["implementers"].split(",") if a.strip()]
        known = set(
            Organisation.objects.filter(acronym__in=acronyms).values_list("acronym", flat=True)
        )
        unknown = [a for a in acronyms if a not in known]
        if unknown:
            raise forms.ValidationError(
                _("No partner has the acronym %(acronyms)s.") % {"acronyms": ", ".join(unknown)}
            )
        return list(dict.fromkeys(acronyms))

    def clean_fundings(self) -> list[FundingLine]:
        lines = []
        for number, line in enumerate(self.cleaned_data["fundings"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("Line %(n)s: give funder; amount; currency.") % {"n": number}
                )
            funder, amount, currency = parts
            try:
                value = Decimal(amount.replace(",", "").replace(" ", "")) if amount else None
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(n)s: %(amount)s is not an amount.") % {"n": number, "amount": amount}
                ) from None
            currency = currency.upper()
            if not (len(currency) == 3 and currency.isalpha()):
                raise forms.ValidationError(
                    _("Line %(n)s: %(currency)s is not a currency code such as EUR.")
                    % {"n": number, "currency": currency}
                )
            lines.append(FundingLine(value, currency, funder))
        return lines

    def clean_milestones(self) -> list[MilestoneLine]:
        lines = []
        for number, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            try:
                on = dt.date.fromisoformat(parts[0])
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)s: start with a date such as 2026-06-30.") % {"n": number}
                ) from None
            title = parts[1] if len(parts) > 1 else ""
            if not title:
                raise forms.ValidationError(_("Line %(n)s: give a title.") % {"n": number})
            done = len(parts) > 2 and parts[2].lower() in {"yes", "oui", "done", "x", "true"}
            lines.append(MilestoneLine(on, title, done=done))
        return lines

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("An initiative cannot end before it starts."))
        return data

    def record(self, language: str, current: Initiative | None = None) -> InitiativeRecord:
        data = self.cleaned_data
        title = dict(current.title) if current else {}
        title[language] = data["title"]
        if data.get("title_fr"):
            title["fr"] = data["title_fr"]
        description = dict(current.description or {}) if current else {}
        if data["description"]:
            description[language] = data["description"]
        else:
            description.pop(language, None)
        record = InitiativeRecord(
            title=title,
            description=description,
            kind=data["kind"],
            status=data["status"],
            progress_override=data["progress"],
            start_on=data["start_on"],
            end_on=data["end_on"],
            partner=data["partner"],
            implementers=data["implementers"],
            commitments=data["commitments"],
            places=[PlaceLine(code) for code in data["countries"]],
            fundings=data["fundings"],
            milestones=data["milestones"],
        )
        record.given |= {"progress_override", "start", "end", "description"}
        return record


def initial_for(initiative: Initiative, language: str) -> dict[str, Any]:
    """The form's values for an existing initiative."""
    countries = []
    for place in initiative.places.all():
        try:
            countries.append(country_alpha3(place.code))
        except (KeyError, ValueError):
            countries.append(place.code)
    return {
        "title": initiative.title.get(language) or initiative.title_text,
        "title_fr": initiative.title.get("fr", "") if language != "fr" else "",
        "description": (initiative.description or {}).get(language, ""),
        "partner": initiative.partner.acronym if initiative.partner else "",
        "kind": initiative.kind,
        "status": initiative.status,
        "progress": initiative.progress_override,
        "start_on": initiative.start_on,
        "end_on": initiative.end_on,
        "implementers": ", ".join(o.acronym for o in initiative.implementers.all()),
        "fundings": "\n".join(
            f"{f.funder_display}; {'' if f.amount is None else f.amount}; {f.currency}"
            for f in initiative.fundings.all()
        ),
        "countries": ", ".join(countries),
        "commitments": ", ".join(c.code for c in initiative.commitments.all()),
        "milestones": "\n".join(
            f"{m.on.isoformat()}; {m.title}; {'yes' if m.done else 'no'}"
            for m in initiative.milestones.all()
        ),
        "version": initiative.version,
    }
