from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from antq.accounts.models import Body
from antq.core.forms import StyledForm
from antq.directives.models import DocumentKind, DocumentStatus, LinkKind, Recurrence

DATE_INPUT = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    symbol = forms.CharField(
        label=_("Number and symbol"),
        max_length=100,
        help_text=_("For example 100-KH/TU or 30/2020/NĐ-CP."),
    )
    issuer = forms.ModelChoiceField(
        label=_("Issuing body"), queryset=Body.objects.order_by("name"), required=False
    )
    issuer_name = forms.CharField(
        label=_("Or issuer's name (not a registered body)"), max_length=255, required=False
    )
    issued_on = forms.DateField(label=_("Date issued"), widget=DATE_INPUT)
    term = forms.CharField(
        label=_("Term (khóa)"),
        max_length=20,
        required=False,
        help_text=_("For Party documents, e.g. XII."),
    )
    subject = forms.CharField(
        label=_("Subject (trích yếu)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Status"), choices=DocumentStatus.choices)
    full_text = forms.CharField(
        label=_("Full text"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    file = forms.FileField(label=_("File (PDF or DOCX)"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("issuer") and not (data.get("issuer_name") or "").strip():
            self.add_error("issuer", _("Choose the issuing body or type its name."))
        return data


class LinkForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("This document"), choices=[c for c in LinkKind.choices if c[0] != "cites"]
    )
    target_symbol = forms.CharField(label=_("Document (number and symbol)"), max_length=100)


class ParseForm(StyledForm):
    text = forms.CharField(
        label=_("Paste the document's text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=500_000,
    )


class ProgressForm(StyledForm):
    reported_on = forms.DateField(label=_("Report date"), widget=DATE_INPUT)
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 4}))
    completed = forms.BooleanField(label=_("The task is done"), required=False)
    evidence_symbol = forms.CharField(
        label=_("Evidence: a document issued (number and symbol)"),
        max_length=100,
        required=False,
        help_text=_("For example the implementing plan your body issued."),
    )


class TaskForm(StyledForm):
    title = forms.CharField(label=_("Task"), max_length=300)
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lead_body = forms.ModelChoiceField(
        label=_("Lead body (chủ trì)"), queryset=Body.objects.order_by("name"), required=False
    )
    coordinating_bodies = forms.ModelMultipleChoiceField(
        label=_("Coordinating bodies (phối hợp)"),
        queryset=Body.objects.order_by("name"),
        required=False,
    )
    due_on = forms.DateField(label=_("Deadline"), widget=DATE_INPUT, required=False)
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices)
    for_all_recipients = forms.BooleanField(
        label=_("Every recipient of the plan carries it out"), required=False
    )
    expected_output = forms.CharField(label=_("Expected output"), max_length=300, required=False)


class SendForm(StyledForm):
    bodies = forms.ModelMultipleChoiceField(
        label=_("Send to"), queryset=Body.objects.order_by("name")
    )
    sent_on = forms.DateField(label=_("Date sent"), widget=DATE_INPUT)
