"""Forms of the reporting pages: a partner enters an initiative, an entry moves on."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.commitments.models import Commitment, InitiativeKind, InitiativeStatus
from accord.commitments.places import country_m49


def _codes(text: str) -> list[str]:
    """Codes separated by commas, semicolons or spaces, each once, in the order given."""
    return list(dict.fromkeys(code for code in re.split(r"[\s,;]+", text.strip()) if code))


class InitiativeForm(forms.Form):
    """A new initiative, kept small; the service checks the rest and who may."""

    title = forms.CharField(label=_("Title"), max_length=500)
    partner = forms.ChoiceField(label=_("Reporting partner"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=InitiativeKind.choices, initial=InitiativeKind.PROJECT
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=InitiativeStatus.choices, initial=InitiativeStatus.PLANNED
    )
    start_on = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_("ISO codes separated by commas, for example SOM, ETH."),
    )
    commitments = forms.CharField(
        label=_("Commitments"),
        required=False,
        help_text=_("Commitment codes separated by commas, for example JVAP-5."),
    )

    def __init__(self, *args: Any, partners: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        field.choices = [(acronym, acronym) for acronym in partners]  # type: ignore[attr-defined]
        if len(partners) == 1:
            field.initial = partners[0]

    def clean_countries(self) -> list[str]:
        places = []
        unknown = []
        for code in _codes(self.cleaned_data["countries"]):
            try:
                places.append(country_m49(code))
            except ValueError:
                unknown.append(code)
        if unknown:
            raise forms.ValidationError(
                _("Not an ISO country code: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return places

    def clean_commitments(self) -> list[str]:
        codes = _codes(self.cleaned_data["commitments"])
        known = set(Commitment.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise forms.ValidationError(
                _("No commitment has the code %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return codes


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Why it is returned"), widget=forms.Textarea(attrs={"rows": 2})
    )
