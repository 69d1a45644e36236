"""Forms of the grassroots registries: list filters and record forms.

The forms only read what was typed (dates as dd/mm/yyyy, whole numbers, an area's official
code resolved on the map of the record's date); whether a record makes sense is judged by
the services (antq.grassroots.services), whose messages the views put on these fields.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from antq.accounts.models import Body
from antq.areas.models import Area
from antq.areas.selectors import area_by_code, areas_with_code
from antq.core.forms import StyledForm
from antq.grassroots.models import (
    EventKind,
    MediaKind,
    MemberRole,
    ModelStatus,
    ModelType,
    OutletLevel,
    Rating,
    SelfManagementModel,
)

DATE_INPUT = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DATE_ERRORS = {"invalid": _("Enter a date as dd/mm/yyyy.")}
NUMBER_ERRORS = {"invalid": _("Enter a whole number.")}


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DATE_INPUT, required=False, error_messages=DATE_ERRORS, **kwargs
    )


def area_on(code: str, on: dt.date | None) -> Area | None:
    """The area holding the official code on the day, else on today's map; None if none."""
    today = timezone.localdate()
    for day in dict.fromkeys((on or today, today)):
        try:
            return area_by_code(code, day)
        except (Area.DoesNotExist, Area.MultipleObjectsReturned):
            continue
    return None


class RecordForm(StyledForm):
    """A record whose area is typed as its official code (`area_code`) and resolved on the
    map of the day named by `area_date_field`: cleaned_data["area"] is the Area (or None)."""

    area_date_field = ""
    wide: tuple[str, ...] = ()  # fields shown across the whole form

    def clean(self):
        data = super().clean()
        code = (data.get("area_code") or "").strip()
        data["area"] = None
        if code:
            on = data.get(self.area_date_field) if self.area_date_field else None
            data["area"] = area_on(code, on)
            if data["area"] is None:
                self.add_error(
                    "area_code",
                    _("No area has the code “%(code)s” on %(date)s or today.")
                    % {
                        "code": code[:20],
                        "date": (on or timezone.localdate()).strftime("%d/%m/%Y"),
                    },
                )
        return data


def area_code_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Area code"),
        max_length=16,
        required=False,
        help_text=_("The official code of the commune, ward or village, e.g. 06124."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


# --- self-management models ----------------------------------------------------------------


class ModelForm(RecordForm):
    area_date_field = "founded_on"
    wide = ("description",)

    name = forms.CharField(label=_("Name of the model"), max_length=300, required=False)
    type = forms.ModelChoiceField(
        label=_("Type of model"), queryset=ModelType.objects.none(), required=False
    )
    area_code = area_code_field()
    place = forms.CharField(label=_("Village or residential group"), max_length=200, required=False)
    founded_on = date_field(_("Founded on"))
    members = forms.IntegerField(
        label=_("Number of members"), min_value=0, required=False, error_messages=NUMBER_ERRORS
    )
    host_body = forms.ModelChoiceField(
        label=_("Host body"), queryset=Body.objects.none(), required=False
    )
    replicated_from = forms.ModelChoiceField(
        label=_("Replicated from (an earlier model)"),
        queryset=SelfManagementModel.objects.none(),
        required=False,
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, types, bodies, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types
        self.fields["host_body"].queryset = bodies
        self.fields["replicated_from"].queryset = sources


class StatusForm(StyledForm):
    status = forms.ChoiceField(label=_("New status"), choices=ModelStatus.choices)
    since = date_field(_("Effective from"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AssessForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), required=False, error_messages=NUMBER_ERRORS)
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AttachForm(StyledForm):
    file = forms.FileField(
        label=_("Photo (JPEG, PNG) or document (PDF)"),
        error_messages={"required": _("Choose the file to attach.")},
    )
    title = forms.CharField(label=_("Caption"), max_length=200, required=False)


class DeleteForm(StyledForm):
    reason = forms.CharField(label=_("Why is the record deleted?"), max_length=500, required=False)


# --- security teams ------------------------------------------------------------------------


class TeamForm(RecordForm):
    area_date_field = "established_on"

    name = forms.CharField(label=_("Name of the team"), max_length=200, required=False)
    area_code = area_code_field(_("Commune code"))
    place = forms.CharField(label=_("Village or residential group"), max_length=200, required=False)
    decision_number = forms.CharField(
        label=_("Number of the commune's decision"), max_length=64, required=False
    )
    decision_date = date_field(_("Date of the decision"))
    established_on = date_field(_("Set up on"))
    dissolved_on = date_field(_("Dissolved on"))


class MemberForm(StyledForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role in the team"), choices=MemberRole.choices)
    birth_date = date_field(_("Date of birth"))
    joined_on = date_field(_("Joined on"))
    left_on = date_field(_("Left on"))


# --- media items and events ----------------------------------------------------------------


class MediaForm(RecordForm):
    area_date_field = "published_on"
    wide = ("title", "link")

    title = forms.CharField(label=_("Headline"), max_length=400, required=False)
    kind = forms.ChoiceField(label=_("Type of item"), choices=MediaKind.choices)
    outlet = forms.CharField(
        label=_("Outlet (newspaper, radio, website…)"), max_length=200, required=False
    )
    outlet_level = forms.ChoiceField(label=_("Outlet level"), choices=OutletLevel.choices)
    published_on = date_field(_("Published on"))
    area_code = area_code_field(_("Code of the area concerned"))
    link = forms.CharField(label=_("Link"), max_length=500, required=False)
    file = forms.FileField(
        label=_("Or the file (PDF of the page, photo)"),
        required=False,
        help_text=_("PDF, JPEG or PNG; photos are stored without their metadata."),
    )


class EventForm(RecordForm):
    area_date_field = "held_on"
    wide = ("title", "notes")

    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    title = forms.CharField(label=_("Name of the event"), max_length=300, required=False)
    held_on = date_field(_("Held on"))
    area_code = area_code_field()
    participants = forms.IntegerField(
        label=_("Participants"), min_value=0, required=False, error_messages=NUMBER_ERRORS
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("Filled template (.xlsx)"),
        error_messages={"required": _("Choose the filled template to upload.")},
    )


# --- list filters --------------------------------------------------------------------------


class ListFilter(StyledForm):
    """The filters of a list page, read from the query string. Their names are the keyword
    arguments of the list's selector; `area` is an official code read on today's map."""

    range_fields: tuple[str, str] | tuple[None, None] = (None, None)  # a date range to check

    area = forms.CharField(label=_("Area code"), max_length=16, required=False)

    def clean_area(self) -> Area | None:
        code = (self.cleaned_data.get("area") or "").strip()
        if not code:
            return None
        try:
            return area_by_code(code, timezone.localdate())
        except (Area.DoesNotExist, Area.MultipleObjectsReturned):
            pass
        # A unit that has ended (a district before 1/7/2025): the last one with the code.
        last = areas_with_code(code).last()
        if last is None:
            raise ValidationError(
                _("No area has the code “%(code)s” today."), params={"code": code[:20]}
            )
        return last

    def clean(self):
        data = super().clean()
        first, last = self.range_fields
        if first and data.get(first) and data.get(last) and data[first] > data[last]:
            self.add_error(last, _("The end of the range is before its start."))
        return data


def _any(label, choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", _("All")), *choices], required=False)


class ModelFilter(ListFilter):
    range_fields = ("founded_from", "founded_to")

    type = forms.ChoiceField(label=_("Type of model"), required=False)
    status = _any(_("Status today"), ModelStatus.choices)
    q = forms.CharField(label=_("Name or village"), max_length=100, required=False)
    founded_from = date_field(_("Founded from"))
    founded_to = date_field(_("Founded until"))

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All"))] + [(t.code, t.name) for t in types]


class TeamFilter(ListFilter):
    q = forms.CharField(label=_("Name or village"), max_length=100, required=False)


class MediaFilter(ListFilter):
    range_fields = ("date_from", "date_to")

    kind = _any(_("Type of item"), MediaKind.choices)
    level = _any(_("Outlet level"), OutletLevel.choices)
    q = forms.CharField(label=_("Headline or outlet"), max_length=100, required=False)
    date_from = date_field(_("Published from"))
    date_to = date_field(_("Published until"))


class EventFilter(ListFilter):
    range_fields = ("date_from", "date_to")

    kind = _any(_("Kind of event"), EventKind.choices)
    date_from = date_field(_("Held from"))
    date_to = date_field(_("Held until"))
