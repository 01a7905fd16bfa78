"""What the admin of every app shares: edits that go through the services.

The admin is for fixing data, not for the work: where a record has rules in its
services, its admin saves through them (revision, rendering, state rules, the version
check) instead of around them. :class:`ServiceAdmin` carries the version the editor
read in a hidden field, turns a service's refusal into a message on the form, and leaves
``save_record`` to each admin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from accord.core.errors import AccordError


class VersionedForm(forms.ModelForm):
    """A model form that remembers the version of the record it was read at."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "seen_version" not in self.initial:
            self.initial["seen_version"] = getattr(self.instance, "version", None)


class ServiceAdmin(admin.ModelAdmin):
    """Saves a record through :meth:`save_record`, which calls the app's services; a
    refusal (invalid, conflict, not allowed) is shown and nothing is saved."""

    form = VersionedForm

    def save_record(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = self.save_record(request, obj, form, change)
        if saved is not None and obj.pk is None:
            obj.pk = saved.pk
        if saved is not None:
            obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
            obj._state.adding = False

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except (AccordError, PermissionDenied, ValidationError) as refusal:
            message = getattr(refusal, "message", None) or " ".join(
                getattr(refusal, "messages", [str(refusal)])
            )
            self.message_user(request, f"Not saved: {message}", level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
