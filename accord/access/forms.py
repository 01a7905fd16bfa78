"""Forms of the account, people and audit pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from accord.access.models import RoleKind


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100, required=False)
    expires_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=3650, required=False
    )


class CodeConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by your app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def partners() -> Any:
    # Partners sit above access in the layers: the model is looked up, not imported.
    return apps.get_model("partners", "Organisation")._default_manager.order_by("acronym")


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        required=False,
        help_text=_("Left empty: the part of the address before the @."),
    )
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=None,
        to_field_name="acronym",
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Role"), choices=[("", "—"), *RoleKind.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners()  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    username = forms.CharField(label=_("User name or e-mail address"), max_length=254)
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=None,
        to_field_name="acronym",
    )
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners()  # type: ignore[attr-defined]
