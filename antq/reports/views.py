"""The results report from the web: a form (the document, the area, the period, the format)
that downloads the DOCX, PDF or XLSX annex. The document must be visible to the user and the
area within their reach."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from antq.accounts.selectors import Action, user_can, user_memberships
from antq.areas.models import Area
from antq.areas.selectors import areas_with_code
from antq.core.forms import StyledForm
from antq.directives.selectors import documents_visible_to
from antq.indicators.periods import PeriodError, parse_period
from antq.reports.results import ReportError, results_report
from antq.reports.writers import FORMATS, write


class ResultsForm(StyledForm):
    document = forms.ChoiceField(label=gettext_lazy("Document carried out"))
    area = forms.CharField(label=gettext_lazy("Area code"), max_length=16)
    start = forms.CharField(label=gettext_lazy("From period"), max_length=10)
    end = forms.CharField(label=gettext_lazy("To period"), max_length=10)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("docx", "Word (DOCX)"), ("pdf", "PDF"), ("xlsx", gettext_lazy("Excel annex"))],
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {str(d.pk): d for d in documents}
        self.fields["document"].choices = [
            (str(d.pk), f"{d.get_kind_display()} {d.symbol}") for d in documents
        ]

    def clean(self):
        data = super().clean()
        try:
            data["start_period"] = parse_period(data.get("start", ""))
        except PeriodError as exc:
            self.add_error("start", str(exc))
        try:
            data["end_period"] = parse_period(data.get("end", ""))
        except PeriodError as exc:
            self.add_error("end", str(exc))
        return data


def _area(code: str, period) -> Area | None:
    on = period.end()
    return next((a for a in areas_with_code(code) if a.is_valid_on(on)), None)


@login_required
def results(request: HttpRequest) -> HttpResponse:
    documents = list(documents_visible_to(request.user).order_by("-issued_on", "symbol")[:500])
    home = next(iter(user_memberships(request.user)), None)
    initial = {
        "document": request.GET.get("document", ""),
        "area": home.body.area.code if home else "",
        "start": "2019",
        "end": "2022",
        "format": "docx",
    }
    if "format" not in request.GET:
        form = ResultsForm(initial=initial, documents=documents)
        return render(request, "reports/results.html", {"form": form})
    form = ResultsForm(request.GET, documents=documents)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        area = _area(data["area"].strip(), data["end_period"])
        if area is None:
            form.add_error("area", _("No area holds this code at the end of the period."))
        elif not user_can(request.user, Action.VIEW, area=area, on=data["end_period"].end()):
            form.add_error("area", _("This area is outside your reach."))
            status = 403
        else:
            try:
                report = results_report(
                    document=form.documents[data["document"]],
                    area=area,
                    start=data["start_period"],
                    end=data["end_period"],
                )
            except ReportError as exc:
                form.add_error(None, str(exc))
            else:
                fmt = data["format"]
                response = HttpResponse(write(report, fmt), content_type=FORMATS[fmt])
                response["Content-Disposition"] = f'attachment; filename="{report.file_stem}.{fmt}"'
                return response
    return render(request, "reports/results.html", {"form": form}, status=status)
