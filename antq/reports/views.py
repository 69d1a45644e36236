"""Generated documents from the web.

- The results report: a form (the document, the area, the period, the format) that downloads
  the DOCX, PDF or XLSX annex. The document must be visible to the user and the area within
  their reach (antq.reports.requests, which the API shares).
- The reminder letter on a plan's overdue tasks, linked from the plan's page for those who may
  manage its issuing body.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from antq.accounts.models import Body
from antq.accounts.selectors import user_memberships
from antq.core.forms import StyledForm
from antq.directives.selectors import document_for_user, documents_visible_to
from antq.reports.reminders import reminder_letter, user_may_remind
from antq.reports.requests import ResultsRequestError, report_file_response, results_request
from antq.reports.results import ReportError


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
        self.fields["document"].choices = [
            (str(d.pk), f"{d.get_kind_display()} {d.symbol}") for d in documents
        ]


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
        try:
            asked = results_request(
                request.user,
                document=data["document"],
                area=data["area"],
                start=data["start"],
                end=data["end"],
            )
            return report_file_response(asked.report(), data["format"])
        except ResultsRequestError as exc:
            for field, message in exc.errors.items():
                form.add_error(field or None, message)
            status = exc.status
    return render(request, "reports/results.html", {"form": form}, status=status)


@login_required
def reminder(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The reminder letter on the plan's overdue tasks (`?body=` for one body's); with nothing
    to urge, back to the plan's page with the reason."""
    plan = document_for_user(request.user, pk)
    if not user_may_remind(request.user, plan):
        raise PermissionDenied
    body = None
    if request.GET.get("body"):
        try:
            body = Body.objects.get(pk=int(request.GET["body"]))
        except (ValueError, Body.DoesNotExist):
            raise Http404(_("No such body.")) from None
    try:
        letter = reminder_letter(plan, body=body)
    except ReportError as exc:
        messages.warning(request, str(exc))
        return redirect("directives:document", pk=plan.pk)
    return report_file_response(letter, fmt)
