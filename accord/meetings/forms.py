"""Forms of the meeting pages: what the secretariat sets up, records and uploads."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accord.core.models import Classification
from accord.meetings.models import DocumentKind, MeetingStatus, MeetingTier
from accord.partners.models import Organisation


class DocumentUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, initial=Classification.MEMBERS
    )
    upload = forms.FileField(label=_("File"))


class DocumentVersionForm(forms.Form):
    upload = forms.FileField(label=_("New version"))


class MeetingForm(forms.Form):
    """A new meeting; the service checks the date, the ordinal and who may."""

    tier = forms.ModelChoiceField(
        label=_("Tier"), queryset=MeetingTier.objects.order_by("name"), to_field_name="code"
    )
    date = forms.CharField(
        label=_("Date"),
        max_length=10,
        help_text=_("2016-02-16, or 2021-05 or 2021 when only the month or year is known."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Empty: the ordinal and the tier."),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    host = forms.ModelChoiceField(
        label=_("Host"),
        queryset=Organisation.objects.order_by("acronym"),
        to_field_name="acronym",
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=MeetingStatus.choices, initial=MeetingStatus.PLANNED
    )
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, initial=Classification.MEMBERS
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=255)
    planned_minutes = forms.IntegerField(
        label=_("Planned minutes"), min_value=1, max_value=1440, required=False
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionPointForm(forms.Form):
    text = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owners = forms.ModelMultipleChoiceField(
        label=_("Owners"),
        queryset=Organisation.objects.order_by("acronym"),
        to_field_name="acronym",
        help_text=_("The organisations that carry it out."),
    )
    due_date = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
