"""Forms of the procedure pages: opening one, answering it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.models import Classification
from accord.meetings.models import ProcedureAnswerKind, ProcedureKind
from accord.partners.models import Organisation


class ProcedureOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Procedure"), choices=ProcedureKind.choices)
    text = forms.CharField(label=_("Draft decision"), widget=forms.Textarea(attrs={"rows": 5}))
    closes = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day answers are taken."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners asked"),
        queryset=Organisation.objects.order_by("acronym"),
        to_field_name="acronym",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every member of the framework today."),
    )
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, initial=Classification.MEMBERS
    )


class ProcedureAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), choices=ProcedureAnswerKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (for an objection)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    partner = forms.ModelChoiceField(
        label=_("For"), queryset=Organisation.objects.none(), to_field_name="acronym"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, partners: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        field.queryset = Organisation.objects.filter(pk__in=[p.pk for p in partners]).order_by(  # type: ignore[attr-defined]
            "acronym"
        )
        if len(partners) == 1:
            field.initial = partners[0].acronym
            field.widget = forms.HiddenInput()
