"""The results report as the web page and the API ask for it: the parameters read and checked
(the document among those the user may see, the area as it stood at the end of the period,
the periods), the user's reach, and the file's HTTP response — one piece of code for both."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from antq.accounts.models import User
from antq.accounts.selectors import Action, user_can
from antq.areas.models import Area
from antq.areas.selectors import areas_with_code
from antq.directives.models import Document
from antq.directives.selectors import documents_visible_to
from antq.directives.symbols import normalise_symbol
from antq.indicators.periods import Period, PeriodError, parse_period
from antq.reports.content import OfficialDocument
from antq.reports.results import ReportError, ends_before, results_report
from antq.reports.writers import FORMATS, write

PARAMETERS = ("document", "area", "start", "end")


class ResultsRequestError(Exception):
    """The report cannot be made as asked: messages by parameter ('' for the request as a
    whole) and the HTTP status (400 bad input, 403 an area outside the user's reach)."""

    def __init__(self, errors: dict[str, str], status: int = 400):
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.status = status


@dataclass(frozen=True)
class ResultsRequest:
    document: Document
    area: Area  # the area that held the code at the end of the period
    start: Period
    end: Period

    def report(self) -> OfficialDocument:
        try:
            return results_report(
                document=self.document, area=self.area, start=self.start, end=self.end
            )
        except ReportError as exc:
            raise ResultsRequestError({"": str(exc)}) from None


def results_request(
    user: User, *, document: str, area: str, start: str, end: str
) -> ResultsRequest:
    """The request checked: every bad parameter is reported at once (400); an area outside
    the user's reach on the last day of the period is refused (403)."""
    errors: dict[str, str] = {}
    given = {"document": document, "area": area, "start": start, "end": end}
    for name in PARAMETERS:
        if not (given[name] or "").strip():
            errors[name] = str(forms.Field.default_error_messages["required"])
    doc = None if "document" in errors else _document(user, document, errors)
    periods: dict[str, Period] = {}
    for name in ("start", "end"):
        if name not in errors:
            try:
                periods[name] = parse_period(given[name])
            except PeriodError as exc:
                errors[name] = str(exc)
    if len(periods) == 2 and ends_before(periods["start"], periods["end"]):
        errors["end"] = _("The end period comes before the start period.")
    held = None
    if "area" not in errors:
        held = _area(area.strip(), periods.get("end"), errors)
    if errors:
        raise ResultsRequestError(errors)
    assert doc is not None and held is not None
    on = periods["end"].end()
    if not user_can(user, Action.VIEW, area=held, on=on):
        raise ResultsRequestError({"area": _("This area is outside your reach.")}, status=403)
    return ResultsRequest(document=doc, area=held, start=periods["start"], end=periods["end"])


def _document(user: User, text: str, errors: dict[str, str]) -> Document | None:
    """By id, or by number and symbol ("44-KL/TW", however it is spaced or cased), among the
    documents the user may see; one they may not see reads as unknown."""
    text = text.strip()
    visible = documents_visible_to(user)
    if text.isdigit():
        found = list(visible.filter(pk=int(text)))
    else:
        found = list(visible.filter(symbol=normalise_symbol(text) or text)[:10])
    if len(found) == 1:
        return found[0]
    if not found:
        errors["document"] = _("No document %(document)s among those you may see.") % {
            "document": text[:100]
        }
    else:
        errors["document"] = _(
            "Several documents bear the number and symbol %(symbol)s; give the id of one: %(ids)s."
        ) % {"symbol": found[0].symbol, "ids": ", ".join(str(d.pk) for d in found)}
    return None


def _area(code: str, end: Period | None, errors: dict[str, str]) -> Area | None:
    """The area holding `code` on the last day of `end` (codes are reused over time)."""
    candidates = list(areas_with_code(code))
    if not candidates:
        errors["area"] = _("No area has ever had the code %(code)s.") % {"code": code[:20]}
        return None
    if end is None:  # the period is wrong; the code itself exists
        return None
    held = next((a for a in candidates if a.is_valid_on(end.end())), None)
    if held is None:
        errors["area"] = _("No area holds this code at the end of the period.")
    return held


def report_file_response(report: OfficialDocument, fmt: str) -> HttpResponse:
    """The report written in `fmt` (docx, pdf, xlsx) as a download."""
    return HttpResponse(
        write(report, fmt),
        content_type=FORMATS[fmt],
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=f"{report.file_stem}.{fmt}"
            )
        },
    )
