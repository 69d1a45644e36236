"""Forms of the tip line: the citizen's tip and follow-up, and the handling unit's actions.
Whether what was typed makes sense is judged by antq.tips.services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from antq.areas.models import Area, Level
from antq.areas.selectors import areas_on
from antq.core.forms import StyledForm
from antq.tips.models import OFFICER_CHANNELS, Decision, Kind, Topic, Triage

DATE_INPUT = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DATE_ERRORS = {"invalid": _("Enter a date as dd/mm/yyyy.")}


def provinces() -> list[Area]:
    return list(areas_on(timezone.localdate(), level=Level.PROVINCE).order_by("name"))


def communes_of(province: Area | None) -> list[Area]:
    if province is None:
        return []
    return list(
        areas_on(timezone.localdate(), level=Level.COMMUNE, parent=province).order_by("name")
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class TipForm(StyledForm):
    """What a citizen (or an officer recording a tip) says. The commune list is that of the
    province chosen first (a plain GET, so the page needs no JavaScript)."""

    area = forms.ChoiceField(label=_("Commune or ward where it happened"))
    place = forms.CharField(
        label=_("Place (village, street, address) — optional"), required=False, max_length=1000
    )
    happened = forms.CharField(
        label=_("When it happened — optional"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. about 8 p.m. on 25/11/2026")}),
    )
    topic = forms.ChoiceField(label=_("What it is about"), choices=Topic.choices)
    content = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": 10000}),
        required=False,
        help_text=_("Who, what, where, when, how you know it. At most 10.000 characters."),
    )
    phones = forms.CharField(label=_("Telephone numbers used"), required=False, max_length=1000)
    accounts = forms.CharField(
        label=_("Bank accounts (bank, number, holder)"), required=False, max_length=1000
    )
    socials = forms.CharField(
        label=_("Social-media accounts, apps, groups"), required=False, max_length=1000
    )
    links = forms.CharField(label=_("Links, websites"), required=False, max_length=1000)
    # A plain field: the files are judged by their content in the service.
    attachments = forms.Field(
        label=_("Photos or documents — optional"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
        help_text=_("Up to 3 files: photos (JPEG, PNG) or PDF, 5 MB each."),
    )
    contact = forms.CharField(
        label=_("How to reach you — optional"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        help_text=_("Name, telephone or e-mail. Leave empty to stay anonymous."),
    )
    challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    proof = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, communes: list[Area], **kwargs):
        super().__init__(*args, **kwargs)
        self.communes = {a.code: a for a in communes}
        self.fields["area"].choices = [("", "—")] + [(a.code, a.name) for a in communes]
        self.fields["topic"].initial = Topic.OTHER

    def area_obj(self) -> Area | None:
        return self.communes.get(self.cleaned_data.get("area") or "")


class OfficerTipForm(TipForm):
    channel = forms.ChoiceField(
        label=_("Received"), choices=[(c.value, c.label) for c in OFFICER_CHANNELS]
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=DATE_INPUT, error_messages=DATE_ERRORS
    )
    kind = forms.ChoiceField(label=_("Classification"), choices=Kind.choices)
    field_order = ["channel", "received_on", "kind"]

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        today = timezone.localdate()
        if day > today or day < today - dt.timedelta(days=365):
            raise forms.ValidationError(_("Give a day within the past year."))
        return day


class FollowForm(StyledForm):
    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class CitizenMessageForm(StyledForm):
    receipt = forms.CharField(widget=forms.HiddenInput, max_length=64)
    text = forms.CharField(
        label=_("Your message to the handling unit"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
        required=False,
    )


class ClassifyForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Classification"), choices=[c for c in Kind.choices if c[0] != Kind.UNCLASSIFIED]
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)


class TriageForm(StyledForm):
    triage = forms.ChoiceField(
        label=_("Assessment"), choices=[c for c in Triage.choices if c[0] != Triage.PENDING]
    )


class AssignForm(StyledForm):
    assignee = forms.ChoiceField(label=_("Officer in charge"), required=False)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.handlers = {str(u.pk): u for u in handlers}
        self.fields["assignee"].choices = [("", "—")] + [
            (str(u.pk), u.get_full_name()) for u in handlers
        ]


class WriteForm(StyledForm):
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000})
    )
    to_citizen = forms.ChoiceField(
        label=_("For"),
        choices=[("1", _("The sender (read with the receipt)")), ("0", _("Internal note"))],
    )


class TransferForm(StyledForm):
    to = forms.ChoiceField(label=_("Transfer to"))
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {str(b.pk): b for b in bodies}
        self.fields["to"].choices = [("", "—")] + [(str(b.pk), b.name) for b in bodies]


class ExtendForm(StyledForm):
    until = forms.DateField(
        label=_("New deadline"), widget=DATE_INPUT, error_messages=DATE_ERRORS, required=False
    )


class DecideForm(StyledForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    on = forms.DateField(
        label=_("Date of the decision"), widget=DATE_INPUT, error_messages=DATE_ERRORS
    )


class CaseForm(StyledForm):
    number = forms.CharField(label=_("Case number"), max_length=64)
    offence = forms.ChoiceField(label=_("Offence group"), choices=Topic.choices)
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE_INPUT, error_messages=DATE_ERRORS)
    cleared_on = forms.DateField(
        label=_("Cleared on"), widget=DATE_INPUT, error_messages=DATE_ERRORS, required=False
    )
    suspects = forms.IntegerField(label=_("Suspects"), min_value=0, initial=0)
    assets_vnd = forms.IntegerField(label=_("Assets recovered (VND)"), min_value=0, initial=0)
    tips = forms.MultipleChoiceField(
        label=_("Tips that led to it"), widget=forms.CheckboxSelectMultiple, required=False
    )
    wide = ("tips",)

    def __init__(self, *args, tips, **kwargs):
        super().__init__(*args, **kwargs)
        self.tip_objs = {str(t.pk): t for t in tips}
        self.fields["tips"].choices = [
            (str(t.pk), f"{t.reference} — {t.area.name} — {t.get_topic_display()}") for t in tips
        ]
