"""API: the indicator catalogue, bulk values, and analytics (totals in both modes)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from antq.accounts.selectors import Action, user_can
from antq.areas.api import area_on_or_404, parse_on
from antq.areas.models import Area
from antq.core.api import APIError, error_responses, json_number
from antq.indicators import engine, selectors, services
from antq.indicators.models import Indicator, TimeAggregation, Unit, ValueType
from antq.indicators.periods import PERIOD_TYPES, PeriodError, parse_period


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "name_en",
            "unit",
            "value_type",
            "time_aggregation",
            "space_aggregation",
            "min_value",
            "max_value",
            "description",
            "is_standard",
            "derived_source",
            "derived_from",
        ]
        read_only_fields = ["space_aggregation", "is_standard", "derived_source", "derived_from"]


class IndicatorInput(serializers.Serializer):
    code = serializers.RegexField(r"^[A-Za-z][A-Za-z0-9_]{1,63}$")
    name = serializers.CharField(max_length=300)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    unit = serializers.ChoiceField(choices=Unit.choices)
    value_type = serializers.ChoiceField(choices=ValueType.choices)
    time_aggregation = serializers.ChoiceField(choices=TimeAggregation.choices)
    min_value = serializers.DecimalField(
        max_digits=20, decimal_places=4, required=False, allow_null=True, default=0
    )
    max_value = serializers.DecimalField(
        max_digits=20, decimal_places=4, required=False, allow_null=True, default=None
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["indicators"])
class IndicatorListView(APIView):
    @extend_schema(summary="The indicator catalogue", responses=IndicatorSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(IndicatorSerializer(Indicator.objects.order_by("code"), many=True).data)

    @extend_schema(
        summary="Add an indicator (administrators)",
        request=IndicatorInput,
        responses={201: IndicatorSerializer},
    )
    def post(self, request: Request) -> Response:
        if not selectors.user_may_define_indicators(request.user):
            raise APIError(
                _("Only administrators add indicators."), code="permission_denied", status_code=403
            )
        data = IndicatorInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            indicator = services.indicator_create(actor=request.user, **data.validated_data)
        except DjangoValidationError as exc:
            raise APIError(
                _("The request has invalid fields."), code="invalid", details=exc.message_dict
            ) from None
        return Response(IndicatorSerializer(indicator).data, status=201)


class RowSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    area = serializers.CharField(required=False)
    period = serializers.CharField(required=False)
    value = serializers.DecimalField(max_digits=24, decimal_places=4, coerce_to_string=False)


class AnalyticsSerializer(serializers.Serializer):
    rows = RowSerializer(many=True)
    total = serializers.DecimalField(max_digits=24, decimal_places=4, coerce_to_string=False)


def _area_in_scope(request: Request, on) -> Area:
    """The `area` parameter resolved on `on`; 400 without it, 404 unknown, 403 out of scope."""
    code = request.query_params.get("area")
    if not code:
        raise APIError(
            _("Give the area's official code."), code="invalid", details={"area": "required"}
        )
    area = area_on_or_404(code, on)
    if not user_can(request.user, Action.VIEW, area=area, on=on):
        raise APIError(
            _("This area is outside your scope."), code="permission_denied", status_code=403
        )
    return area


@extend_schema(
    tags=["indicators"],
    summary="Totals of indicators over an area and periods",
    parameters=[
        OpenApiParameter(
            "indicator",
            str,
            many=True,
            required=True,
            description="Indicator code; repeat for several.",
        ),
        OpenApiParameter(
            "area", str, required=True, description="Official code, resolved on `on`."
        ),
        OpenApiParameter(
            "on",
            OpenApiTypes.DATE,
            description="Resolves the area code; the map used in current mode. Default today.",
        ),
        OpenApiParameter(
            "start", str, required=True, description="Period code, e.g. 2019, 2019Q1, 201901."
        ),
        OpenApiParameter("end", str, required=True, description="Period code (inclusive)."),
        OpenApiParameter("by", str, description="Comma list of: area, year, half, quarter, month."),
        OpenApiParameter("mode", str, enum=["historic", "current"]),
    ],
    responses={200: AnalyticsSerializer, **error_responses(404)},
)
class AnalyticsView(APIView):
    def get(self, request: Request) -> Response:
        q = request.query_params
        codes = [c.strip().upper() for c in q.getlist("indicator") if c.strip()]
        if not codes:
            raise APIError(
                _("Give at least one indicator."), code="invalid", details={"indicator": "required"}
            )
        indicators = list(Indicator.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {i.code for i in indicators})
        if missing:
            raise APIError(
                _("Unknown indicator: %(codes)s.") % {"codes": ", ".join(missing)},
                code="unknown_indicator",
                details={"indicator": missing},
            )
        on = parse_on(request)
        area = _area_in_scope(request, on)
        try:
            start, end = parse_period(q.get("start", "")), parse_period(q.get("end", ""))
        except PeriodError as exc:
            raise APIError(
                _("Bad period: %(error)s") % {"error": exc}, code="invalid_period"
            ) from None
        by = [b.strip() for b in q.get("by", "").split(",") if b.strip()]
        unknown = [b for b in by if b != "area" and b not in PERIOD_TYPES]
        times = [b for b in by if b in PERIOD_TYPES]
        if unknown or len(times) > 1:
            raise APIError(
                _("'by' takes area and at most one of: year, half, quarter, month."),
                code="invalid_grouping",
            )
        try:
            result = engine.analytics(
                indicators=indicators,
                area=area,
                start=start,
                end=end,
                on=on,
                by_area="area" in by,
                by_time=times[0] if times else None,
                mode=q.get("mode", "historic"),
            )
        except engine.AnalyticsError as exc:
            raise APIError(str(exc), code=exc.code) from None
        rows = []
        for row in result.rows:
            item = {"indicator": row.indicator}
            if "area" in by:
                item["area"] = row.area
            if times:
                item["period"] = row.period
            item["value"] = json_number(row.value)
            rows.append(item)
        return Response({"rows": rows, "total": json_number(result.total)})


class RecordSerializer(serializers.Serializer):
    registry = serializers.CharField(help_text="The registry's count, e.g. grassroots.media.")
    id = serializers.IntegerField()
    label = serializers.CharField()
    unit = serializers.CharField(help_text="Official code of the unit it is counted on.")
    date = serializers.DateField(help_text="The day it counts for (a stock: the range's end).")
    url = serializers.CharField()


class RecordsSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    area = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    total = serializers.DecimalField(max_digits=24, decimal_places=4, coerce_to_string=False)
    count = serializers.IntegerField()
    records = RecordSerializer(many=True)


@extend_schema(
    tags=["indicators"],
    summary="The records behind a total counted from a registry (drill-down)",
    description=(
        "For an indicator counted from a registry: the records the total of `analytics` "
        "counts for the same area, range, mode and date — flows dated in the range, stocks in "
        "operation at its end. `count` equals `total` for counts of records; for sums (Ngày "
        "hội participants) `total` is the sum over the records listed."
    ),
    parameters=[
        OpenApiParameter("indicator", str, required=True),
        OpenApiParameter(
            "area", str, required=True, description="Official code, resolved on `on`."
        ),
        OpenApiParameter("on", OpenApiTypes.DATE, description="Default: the end of the range."),
        OpenApiParameter("start", str, required=True),
        OpenApiParameter("end", str, required=True),
        OpenApiParameter("mode", str, enum=["historic", "current"]),
    ],
    responses={200: RecordsSerializer, **error_responses(404)},
)
class RecordsView(APIView):
    def get(self, request: Request) -> Response:
        from antq.indicators import derived

        q = request.query_params
        indicator = Indicator.objects.filter(
            code=(q.get("indicator") or "").strip().upper()
        ).first()
        if indicator is None:
            raise APIError(
                _("Unknown indicator: %(codes)s.") % {"codes": (q.get("indicator") or "")[:64]},
                code="unknown_indicator",
            )
        try:
            start, end = parse_period(q.get("start", "")), parse_period(q.get("end", ""))
        except PeriodError as exc:
            raise APIError(
                _("Bad period: %(error)s") % {"error": exc}, code="invalid_period"
            ) from None
        on = parse_on(request) if q.get("on") else end.end()
        area = _area_in_scope(request, on)
        mode = q.get("mode", "historic")
        if mode not in ("historic", "current"):
            raise APIError(_("'mode' is historic or current."), code="invalid")
        found = derived.records_behind(indicator, area, start, end, mode=mode, on=on)
        if found is None:
            raise APIError(
                _("%(code)s is not counted from a registry: it has no records behind it.")
                % {"code": indicator.code},
                code="not_derived",
            )
        result = engine.analytics(
            indicators=[indicator], area=area, start=start, end=end, on=on, mode=mode
        )
        records = [
            {
                "registry": found.source.key,
                "id": record.pk,
                "label": found.source.title(record),
                "unit": unit.code,
                "date": day,
                "url": request.build_absolute_uri(found.source.url(record))
                if found.source.url
                else "",
            }
            for record, unit, day in found.records
        ]
        return Response(
            RecordsSerializer(
                {
                    "indicator": indicator.code,
                    "area": area.code,
                    "start": found.start,
                    "end": found.end,
                    "total": result.total,
                    "count": len(records),
                    "records": records,
                }
            ).data
        )


class BulkItem(serializers.Serializer):
    indicator = serializers.CharField(max_length=64)
    area = serializers.CharField(max_length=16)
    period = serializers.CharField(max_length=8)
    value = serializers.CharField(max_length=40)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BulkInput(serializers.Serializer):
    values = BulkItem(many=True, allow_empty=False, max_length=200_000)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BulkOutput(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class BulkValuesView(APIView):
    @extend_schema(
        tags=["indicators"],
        summary="Save many values at once (all or nothing)",
        request=BulkInput,
        responses=BulkOutput,
    )
    def post(self, request: Request) -> Response:
        data = BulkInput(data=request.data)
        data.is_valid(raise_exception=True)
        items = [
            services.ValueInput(where=f"values[{n}]", **item)
            for n, item in enumerate(data.validated_data["values"])
        ]
        # Scope: every area must be within the caller's reach for data entry.
        denied = selectors.out_of_scope(request.user, items)
        if denied:
            raise APIError(
                _("Some areas are outside your scope."),
                code="permission_denied",
                status_code=403,
                details=denied[:100],
            )
        try:
            counts = services.values_save(
                items, actor=request.user, source="imported", reason=data.validated_data["reason"]
            )
        except services.ValueErrors as exc:
            raise APIError(
                _("No value was saved: %(n)d problem(s).") % {"n": len(exc.problems)},
                code="invalid_values",
                details=exc.problems[:500],
            ) from None
        return Response(counts)
