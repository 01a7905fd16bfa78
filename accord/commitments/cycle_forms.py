"""Forms of the reporting-cycle pages: plan a cycle, move its deadline, record an exception."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.commitments.models import Cycle, InitiativeStatus, Instrument

DATE = forms.DateInput(attrs={"type": "date"})


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(
        label=_("Deadline"), widget=DATE, help_text=_("Entries submitted later are late.")
    )
    previous = forms.ModelChoiceField(
        label=_("Continues"),
        queryset=Cycle.objects.none(),
        required=False,
        to_field_name="name",
        help_text=_("Its entries not verified come back when this cycle opens."),
    )
    instruments = forms.ModelMultipleChoiceField(
        label=_("Instruments followed up"),
        queryset=Instrument.objects.none(),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = Cycle.objects.order_by("-opens_on")  # type: ignore[attr-defined]
        self.fields["instruments"].queryset = Instrument.objects.order_by("code")  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Cycle.objects.filter(name=name).exists():
            raise forms.ValidationError(_("A cycle already has this name."))
        return name


class DeadlineForm(forms.Form):
    closes_on = forms.DateField(label=_("New deadline"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ExceptionForm(forms.Form):
    """A change to a verified entry; the reason is kept and shown."""

    initiative = forms.TypedChoiceField(label=_("Verified entry"), coerce=int)
    progress = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *InitiativeStatus.choices], required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, entries: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiative"].choices = entries  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        found = {"progress": data.get("progress"), "status": data.get("status") or None}
        return {key: value for key, value in found.items() if value is not None}
