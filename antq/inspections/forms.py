"""Forms of an inspection's page; whether what was typed makes sense is judged by the
services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from antq.core.forms import StyledForm
from antq.inspections.models import FindingKind, Level, MemberRole, Prefill

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


class InspectionForm(StyledForm):
    """Setting up an inspection; the choices are what the user may pick."""

    title = forms.CharField(label=_("Title"), max_length=300)
    inspecting_body = forms.ModelChoiceField(label=_("Inspecting body"), queryset=None)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    decision = forms.ModelChoiceField(
        label=_("Decision setting it up"), queryset=None, required=False
    )
    subjects = forms.ModelMultipleChoiceField(label=_("Documents inspected"), queryset=None)
    inspected_bodies = forms.ModelMultipleChoiceField(label=_("Bodies inspected"), queryset=None)
    area = forms.CharField(
        label=_("Area inspected (code)"),
        max_length=16,
        help_text=_("The code of the province, district or commune, as it stood in the period."),
    )
    period_start = forms.DateField(
        label=_("Period covered from"), widget=DATE, error_messages=DATE_ERRORS
    )
    period_end = forms.DateField(
        label=_("Period covered to"), widget=DATE, error_messages=DATE_ERRORS
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE, error_messages=DATE_ERRORS)
    wide = ("title", "subjects", "inspected_bodies")

    def __init__(self, *args, bodies, documents, all_bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspecting_body"].queryset = bodies
        self.fields["decision"].queryset = documents
        self.fields["subjects"].queryset = documents
        self.fields["inspected_bodies"].queryset = all_bodies
        self.fields["subjects"].widget.attrs["size"] = 6
        self.fields["inspected_bodies"].widget.attrs["size"] = 8


class MemberForm(StyledForm):
    role = forms.ChoiceField(label=_("Role in the delegation"), choices=MemberRole.choices)
    title = forms.CharField(label=_("Title (position)"), max_length=200)
    body_name = forms.CharField(label=_("Body"), max_length=255, required=False)
    username = forms.CharField(
        label=_("Account (optional)"),
        max_length=150,
        required=False,
        help_text=_("The member's login, so they can record sessions and see notices."),
    )


class ExtendForm(StyledForm):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=60)


class SessionFileForm(StyledForm):
    title = forms.CharField(label=_("Name of the file"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF, DOCX, JPEG, PNG)"))


class OutlineSectionForm(StyledForm):
    heading = forms.CharField(label=_("Heading"), max_length=300)
    guidance = forms.CharField(
        label=_("What to report"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    prefill = forms.ChoiceField(
        label=_("Pre-filled from the data"), choices=Prefill.choices, required=False
    )
    wide = ("heading", "guidance")


class OutlineSendForm(StyledForm):
    due_on = forms.DateField(label=_("Reports due on"), widget=DATE, error_messages=DATE_ERRORS)


class ReturnForm(StyledForm):
    reason = forms.CharField(
        label=_("What the report should complete"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    wide = ("reason",)
