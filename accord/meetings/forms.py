"""Forms of the meeting pages: what the secretariat uploads."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accord.core.models import Classification
from accord.meetings.models import DocumentKind


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
