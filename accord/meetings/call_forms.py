"""Forms of the calls for contributions: opening one, answering it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.models import Classification
from accord.meetings.models import CallAsks, DocumentKind
from accord.partners.models import Organisation


class CallOpenForm(forms.Form):
    message = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 4}))
    asks = forms.ChoiceField(label=_("Asks for"), choices=CallAsks.choices, initial=CallAsks.BOTH)
    due = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners asked"),
        queryset=Organisation.objects.order_by("acronym"),
        to_field_name="acronym",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every member of the framework on the meeting's date."),
    )


#: What a partner may classify its document as (restricted: to itself and the secretariat).
CONTRIBUTION_CLASSIFICATIONS = [
    (Classification.MEMBERS, _("Members")),
    (Classification.RESTRICTED, _("Restricted to my partner and the secretariat")),
]


class ContributionForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("For"), queryset=Organisation.objects.none(), to_field_name="acronym"
    )
    title = forms.CharField(label=_("Document title"), required=False, max_length=255)
    upload = forms.FileField(label=_("Document"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), choices=DocumentKind.choices, initial=DocumentKind.BACKGROUND_NOTE
    )
    classification = forms.ChoiceField(
        label=_("Classification"), choices=CONTRIBUTION_CLASSIFICATIONS
    )
    agenda_request = forms.CharField(
        label=_("Agenda request"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An item you ask to be put on the agenda, and why."),
    )

    def __init__(self, *args: Any, partners: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        field.queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in partners]
        ).order_by("acronym")
        if len(partners) == 1:
            field.initial = partners[0].acronym
            field.widget = forms.HiddenInput()
