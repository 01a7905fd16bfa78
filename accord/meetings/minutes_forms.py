"""Forms of the minutes on the meeting page, and of decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.models import Classification
from accord.core.params import whole_number
from accord.meetings.minutes_models import CommentKind
from accord.meetings.minutes_text import Paragraph


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("Text of the minutes (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "A line such as ACTION [IOM, DG HOME] due 2027-03-31: share the returns figures "
            "proposes an action point."
        ),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CirculateForm(forms.Form):
    deadline = forms.DateField(
        label=_("Comments until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional."),
    )


class ApproveForm(forms.Form):
    confirm = forms.TypedMultipleChoiceField(
        label=_("Action points to confirm"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Those left unticked are dropped."),
    )

    def __init__(self, *args: object, proposals: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["confirm"]
        field.choices = [  # type: ignore[attr-defined]
            (p.pk, f"[{', '.join(p.owners)}] {p.text}") for p in (proposals or [])
        ]
        field.initial = [p.pk for p in (proposals or [])]


class CorrectionForm(forms.Form):
    body = forms.CharField(
        label=_("Corrected text (Markdown)"), widget=forms.Textarea(attrs={"rows": 10})
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CommentKind.choices)
    paragraph = forms.ChoiceField(label=_("Paragraph"), required=False)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    proposed_text = forms.CharField(
        label=_("Paragraph as you propose it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a proposed amendment."),
    )

    def __init__(
        self, *args: object, paragraphs: list[Paragraph] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices: list[tuple[str, str]] = [("", str(_("The minutes as a whole")))]
        for index, paragraph in enumerate(paragraphs or [], start=1):
            excerpt = " ".join(paragraph.source.split())
            excerpt = excerpt if len(excerpt) <= 70 else excerpt[:69] + "…"
            choices.append((paragraph.anchor, f"§{index}: {excerpt}"))
        self.fields["paragraph"].choices = choices  # type: ignore[attr-defined]


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class DecisionLinksForm(forms.Form):
    """A decision with what it is linked to; the service checks the codes and ids."""

    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = forms.TypedChoiceField(
        label=_("Agenda item"), coerce=int, required=False, empty_value=None
    )
    commitments = forms.CharField(
        label=_("Commitments"),
        required=False,
        help_text=_("Codes separated by commas, e.g. JVAP-2, JVAP-5.2."),
    )
    initiatives = forms.CharField(
        label=_("Initiatives"), required=False, help_text=_("Ids separated by commas.")
    )
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=[("", _("As the meeting")), *Classification.choices],
        required=False,
    )

    def __init__(self, *args: object, items: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agenda_item"].choices = [("", "—"), *(items or [])]  # type: ignore[attr-defined]

    def clean_commitments(self) -> list[str]:
        text = self.cleaned_data.get("commitments") or ""
        return [code.strip() for code in text.split(",") if code.strip()]

    def clean_initiatives(self) -> list[int]:
        text = self.cleaned_data.get("initiatives") or ""
        parts = [part.strip() for part in text.split(",") if part.strip()]
        ids = [whole_number(part, minimum=1) for part in parts]
        if any(pk is None for pk in ids):
            raise forms.ValidationError(_("Initiatives are named by their ids: numbers."))
        return [pk for pk in ids if pk is not None]


class DecisionEditForm(DecisionLinksForm):
    action_points = forms.TypedMultipleChoiceField(
        label=_("Action points that carry it out"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: object, action_points: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["action_points"].choices = [  # type: ignore[attr-defined]
            (ap.pk, ap.text[:80]) for ap in (action_points or [])
        ]
