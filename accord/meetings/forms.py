"""Forms of the meeting pages: what the secretariat sets up, records and uploads."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accord.core.models import Classification
from accord.meetings.models import DocumentKind, InvitationAnswer, MeetingStatus, MeetingTier
from accord.partners.models import Organisation, Person


def partner_picker(**kwargs: object) -> forms.ModelMultipleChoiceField:
    """The partners a restricted record is restricted to, picked on the form itself."""
    return forms.ModelMultipleChoiceField(
        label=_("Restricted to"),
        queryset=Organisation.objects.order_by("acronym"),
        to_field_name="acronym",
        required=False,
        help_text=_("For a restricted record: the partners whose people may read it."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        **kwargs,
    )


class RestrictedFormMixin(forms.Form):
    """A restricted record picks its partners on the same form."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("classification") == Classification.RESTRICTED and not data.get(
            "restricted_to"
        ):
            self.add_error(
                "restricted_to", _("A restricted record names the partners that may read it.")
            )
        return data


class DocumentUploadForm(RestrictedFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, initial=Classification.MEMBERS
    )
    restricted_to = partner_picker()
    upload = forms.FileField(label=_("File"))


class DocumentVersionForm(forms.Form):
    upload = forms.FileField(label=_("New version"))


class MeetingForm(RestrictedFormMixin, forms.Form):
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
    restricted_to = partner_picker()


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=255)
    planned_minutes = forms.IntegerField(
        label=_("Planned minutes"), min_value=1, max_value=1440, required=False
    )
    parent = forms.TypedChoiceField(
        label=_("Sub-item of"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Leave empty for a top-level item."),
    )
    standing = forms.BooleanField(
        label=_("Standing item (copied to the next meeting)"), required=False
    )

    def __init__(self, *args: object, parents: list[tuple[str, str]] = (), **kwargs: object):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["parent"].choices = [("", _("(top level)")), *parents]  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionPointForm(RestrictedFormMixin, forms.Form):
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
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=[("", _("Default (members)")), *Classification.choices],
        required=False,
    )
    restricted_to = partner_picker()


class MeetingEditForm(MeetingForm):
    """The same fields, and the version read, so that a stale edit is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].disabled = True


class PrepareNextForm(forms.Form):
    date = forms.CharField(
        label=_("Date of the next meeting"),
        max_length=10,
        help_text=_("2016-02-16, or 2021-05 or 2021 when only the month or year is known."),
    )


class InvitationForm(forms.Form):
    """Delegates of one member partner: people of the record, or e-mail addresses."""

    organisation = forms.ModelChoiceField(
        label=_("Partner"), queryset=Organisation.objects.none(), to_field_name="acronym"
    )
    people = forms.ModelMultipleChoiceField(
        label=_("People of the record"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Only people with an e-mail address on record are listed."),
    )
    emails = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more, separated by commas, spaces or lines."),
    )

    def __init__(self, *args: Any, partners: Any = None, people: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.fields["organisation"].queryset = partners  # type: ignore[attr-defined]
        if people is not None:
            self.fields["people"].queryset = people  # type: ignore[attr-defined]

    def clean_emails(self) -> list[str]:
        return [part for part in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if part]


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (InvitationAnswer.ATTENDING, _("I attend")),
            (InvitationAnswer.NOT_ATTENDING, _("I do not attend")),
            (InvitationAnswer.DELEGATE, _("I send a delegate")),
        ],
        widget=forms.RadioSelect,
    )
    delegate_name = forms.CharField(label=_("Delegate's name"), max_length=200, required=False)
    delegate_email = forms.EmailField(label=_("Delegate's e-mail"), required=False)
