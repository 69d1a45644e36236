"""Forms of an inspection's page; whether what was typed makes sense is judged by the
services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from antq.core.forms import StyledForm
from antq.inspections.models import FindingKind

DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DATE_ERRORS = {"invalid": _("Enter a date as dd/mm/yyyy.")}


class SessionForm(StyledForm):
    day = forms.DateField(label=_("Date"), widget=DATE, error_messages=DATE_ERRORS)
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"placeholder": "14:00"}), initial="08:00"
    )
    body = forms.ChoiceField(label=_("Body worked with"))
    place = forms.CharField(label=_("Place"), max_length=255)
    attendees = forms.CharField(
        label=_("Attendees (by title and body)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    wide = ("attendees", "agenda", "minutes")

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {str(b.pk): b for b in bodies}
        self.fields["body"].choices = [("", "—")] + [(str(b.pk), b.name) for b in bodies]


class FindingForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    wide = ("text",)


class RecommendationForm(StyledForm):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.ChoiceField(label=_("Responsible body"), required=False)
    due_on = forms.DateField(
        label=_("Deadline"), widget=DATE, error_messages=DATE_ERRORS, required=False
    )
    wide = ("text",)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {str(b.pk): b for b in bodies}
        self.fields["body"].choices = [("", "—")] + [(str(b.pk), b.name) for b in bodies]


class ConclusionForm(StyledForm):
    symbol = forms.CharField(label=_("Number and symbol"), max_length=100)
    issued_on = forms.DateField(label=_("Date issued"), widget=DATE, error_messages=DATE_ERRORS)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=500)


class CarryOverForm(StyledForm):
    reason = forms.CharField(label=_("Why it is carried over"), max_length=1000)
