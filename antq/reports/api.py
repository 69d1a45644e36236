"""API: the results report on a document's implementation in an area — as JSON (the figures
and the report as structured blocks an integrator can render) or as the DOCX, PDF or XLSX
file (`format=`, DRF's format override, or the Accept header)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from antq.core.api import APIError, json_number
from antq.reports.content import Chart, Heading, OfficialDocument, Paragraph, Table
from antq.reports.requests import (
    PARAMETERS,
    ResultsRequest,
    ResultsRequestError,
    report_file_response,
    results_request,
)
from antq.reports.results import FIGURES
from antq.reports.writers import FORMATS


class _FileRenderer(BaseRenderer):
    """Chooses a file format in content negotiation; the view writes the bytes itself."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _file_renderer(fmt: str) -> type[BaseRenderer]:
    return type(
        f"{fmt.title()}Renderer", (_FileRenderer,), {"media_type": FORMATS[fmt], "format": fmt}
    )


FILE_RENDERERS = [_file_renderer(fmt) for fmt in FORMATS]


class _FormatNegotiation(DefaultContentNegotiation):
    """An unknown `format` is bad input (400), not DRF's 404."""

    def filter_renderers(self, renderers, format):
        chosen = [r for r in renderers if r.format == format]
        if not chosen:
            known = ", ".join(r.format for r in renderers)
            raise APIError(
                _("The request has invalid fields."),
                code="invalid",
                details={"format": [_("Choose one of: %(formats)s.") % {"formats": known}]},
            )
        return chosen


class ReportDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    symbol = serializers.CharField(help_text="Number and symbol, e.g. 44-KL/TW.")


class ReportAreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LetterheadSerializer(serializers.Serializer):
    layout = serializers.ChoiceField(choices=["party", "state"])
    superior = serializers.CharField(help_text="The superior body's line ('' for none).")
    issuer = serializers.CharField()
    number_symbol = serializers.CharField(help_text="The number is left blank in a draft.")
    place_date = serializers.CharField()


class HeadingBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["heading"])
    text = serializers.CharField()
    level = serializers.IntegerField(help_text="1: I., II. …; 2: 1., 2. …")


class ParagraphBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["paragraph"])
    text = serializers.CharField()
    italic = serializers.BooleanField()


class TableBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["table"])
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Cells as printed (Vietnamese number format; — for no figure).",
    )
    total = serializers.ListField(child=serializers.CharField(), allow_null=True)
    numeric_from = serializers.IntegerField(help_text="Columns from this index hold numbers.")


class BarSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField()


class ChartBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["chart"])
    title = serializers.CharField()
    unit = serializers.CharField()
    bars = BarSerializer(many=True)


class SignatureSerializer(serializers.Serializer):
    on_behalf = serializers.CharField()
    position = serializers.CharField()
    signer = serializers.CharField()


class OfficialDocumentSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="The document's kind: BÁO CÁO.")
    subject = serializers.CharField()
    letterhead = LetterheadSerializer()
    blocks = PolymorphicProxySerializer(
        component_name="ReportBlock",
        serializers={
            "heading": HeadingBlockSerializer,
            "paragraph": ParagraphBlockSerializer,
            "table": TableBlockSerializer,
            "chart": ChartBlockSerializer,
        },
        resource_type_field_name="type",
        many=True,
    )
    signature = SignatureSerializer(allow_null=True)
    recipients = serializers.ListField(child=serializers.CharField())


class ReportFilesSerializer(serializers.Serializer):
    docx = serializers.URLField()
    pdf = serializers.URLField()
    xlsx = serializers.URLField()


class ResultsSerializer(serializers.Serializer):
    document = ReportDocumentSerializer()
    area = ReportAreaSerializer(help_text="The area that held the code at the end of the period.")
    start = serializers.CharField()
    end = serializers.CharField()
    has_data = serializers.BooleanField()
    figures = serializers.DictField(
        child=serializers.DecimalField(
            max_digits=24, decimal_places=4, coerce_to_string=False, allow_null=True
        ),
        help_text=(
            "Indicator code → total, written as the analytics endpoint writes it; null where "
            "nothing was reported (every figure when has_data is false), never a zero."
        ),
    )
    report = OfficialDocumentSerializer()
    files = ReportFilesSerializer()


_BLOCK_TYPES = {Heading: "heading", Paragraph: "paragraph", Table: "table", Chart: "chart"}


def _block(block) -> dict[str, Any]:
    data = {"type": _BLOCK_TYPES[type(block)], **asdict(block)}
    if isinstance(block, Chart):
        data["bars"] = [{"label": label, "value": value} for label, value in block.bars]
    return data


def _report_json(report: OfficialDocument) -> dict[str, Any]:
    return {
        "title": report.kind_title,
        "subject": report.subject,
        "letterhead": asdict(report.letterhead),
        "blocks": [_block(b) for b in report.blocks],
        "signature": asdict(report.signature) if report.signature else None,
        "recipients": report.recipients,
    }


def _figures(report: OfficialDocument) -> dict[str, int | float | None]:
    figures = report.figures if report.has_data else {}
    return {f.code: json_number(figures[f.code]) if f.code in figures else None for f in FIGURES}


def _files(request: Request, asked: ResultsRequest) -> dict[str, str]:
    path = reverse("api:report-results")
    params = {
        "document": asked.document.pk,
        "area": asked.area.code,
        "start": asked.start.code,
        "end": asked.end.code,
    }
    return {
        fmt: request.build_absolute_uri(f"{path}?{urlencode({**params, 'format': fmt})}")
        for fmt in FORMATS
    }


@extend_schema(
    tags=["reports"],
    summary="The results report on a document's implementation in an area",
    description=(
        "The report the web page writes (every figure from the data): as JSON — the figures "
        "and the report as blocks to render — or, with `format=docx|pdf|xlsx` (or an Accept "
        "header naming the file's type), the file itself as an attachment. The document must "
        "be one the caller may see and the area within their reach at the end of the period. "
        'Bad parameters: 400 `invalid` with `details` per parameter ({"end": ["…"]}); an '
        "area outside the caller's reach: 403 `permission_denied`. Errors are JSON whatever "
        "format was asked."
    ),
    parameters=[
        OpenApiParameter(
            "document",
            str,
            required=True,
            description="The document's id, or its number and symbol (44-KL/TW).",
        ),
        OpenApiParameter(
            "area",
            str,
            required=True,
            description="Official code of the area as it stood at the end of the period.",
        ),
        OpenApiParameter(
            "start", str, required=True, description="First period: 2019, 2019S1, 2019Q1, 201901."
        ),
        OpenApiParameter("end", str, required=True, description="Last period (inclusive)."),
        OpenApiParameter(
            "format",
            str,
            enum=["json", *FORMATS],
            description="json (default), or the report as a docx, pdf or xlsx file.",
        ),
    ],
    responses={
        (200, "application/json"): ResultsSerializer,
        **{(200, media_type): OpenApiTypes.BINARY for media_type in FORMATS.values()},
    },
)
class ResultsReportView(APIView):
    renderer_classes = [JSONRenderer, *FILE_RENDERERS]
    content_negotiation_class = _FormatNegotiation

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Who asks comes before what is asked: without credentials an unknown `format` is a
        # 401, not a 400 (DRF negotiates the format before it authenticates).
        self.perform_authentication(request)
        self.check_permissions(request)
        super().initial(request, *args, **kwargs)

    def get(self, request: Request):
        q = request.query_params
        try:
            asked = results_request(request.user, **{name: q.get(name, "") for name in PARAMETERS})
            report = asked.report()
        except ResultsRequestError as exc:
            raise _api_error(exc) from None
        fmt = request.accepted_renderer.format
        if fmt in FORMATS:
            return report_file_response(report, fmt)
        return Response(
            {
                "document": {"id": asked.document.pk, "symbol": asked.document.symbol},
                "area": {"code": asked.area.code, "name": asked.area.name},
                "start": asked.start.code,
                "end": asked.end.code,
                "has_data": report.has_data,
                "figures": _figures(report),
                "report": _report_json(report),
                "files": _files(request, asked),
            }
        )

    def finalize_response(self, request, response, *args, **kwargs):
        # An error is JSON in the one error shape, whatever file format was asked for.
        if getattr(response, "exception", False):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def _api_error(exc: ResultsRequestError) -> APIError:
    details = {field or "non_field_errors": [message] for field, message in exc.errors.items()}
    if exc.status == 403:
        return APIError(
            exc.errors.get("area", str(exc)),
            code="permission_denied",
            status_code=403,
            details=details,
        )
    return APIError(_("The request has invalid fields."), code="invalid", details=details)
