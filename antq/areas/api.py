"""Public read API for administrative units (they are public facts: no login needed)."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from antq.areas import selectors
from antq.areas.models import Area, AreaTreePath, Level
from antq.core.api import APIError
from antq.core.vnformat import format_date, parse_date


def parse_on(request: Request) -> dt.date:
    raw = request.query_params.get("on")
    if raw is None or raw.strip() == "":
        return selectors.today()
    try:
        return parse_date(raw)
    except ValueError:
        raise APIError(
            _("'%(value)s' is not a date; use YYYY-MM-DD or DD/MM/YYYY.") % {"value": raw[:40]},
            code="invalid_date",
            details={"on": raw[:40]},
        ) from None


def area_on_or_404(code: str, on: dt.date) -> Area:
    try:
        return selectors.area_by_code(code, on)
    except Area.DoesNotExist:
        raise APIError(
            _("No area had the code %(code)s on %(date)s.")
            % {"code": code[:20], "date": format_date(on)},
            code="not_found",
            status_code=404,
        ) from None


class AreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name", "level", "kind"]


class AreaListItemSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_code", allow_null=True, read_only=True)

    class Meta:
        model = Area
        fields = ["code", "name", "level", "kind", "parent", "valid_from", "valid_to"]


class AreaDetailSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    on = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = [
            "code",
            "name",
            "level",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "on",
            "children",
        ]

    def get_on(self, area: Area) -> dt.date:
        return self.context["on"]

    def get_parent(self, area: Area) -> dict | None:
        parent = selectors.area_parent(area, self.context["on"])
        return AreaRefSerializer(parent).data if parent else None

    def get_children(self, area: Area) -> list[dict]:
        return AreaRefSerializer(selectors.area_children(area, self.context["on"]), many=True).data


class AreaPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 5000


_ON = OpenApiParameter(
    "on", OpenApiTypes.DATE, description="The date the map is taken on (default: today)."
)


@extend_schema(
    tags=["areas"],
    summary="Areas valid on a date",
    parameters=[
        _ON,
        OpenApiParameter("level", str, enum=[lv.value for lv in Level]),
        OpenApiParameter("parent", str, description="Official code of the parent on that date."),
    ],
)
class AreaListView(ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = AreaListItemSerializer
    pagination_class = AreaPagination

    def get_queryset(self):
        on = parse_on(self.request)
        level = self.request.query_params.get("level") or None
        if level and level not in Level.values:
            raise APIError(
                _("Unknown level '%(level)s'; use one of: %(levels)s.")
                % {"level": level[:20], "levels": ", ".join(Level.values)},
                code="invalid_level",
            )
        parent_code = self.request.query_params.get("parent")
        parent = area_on_or_404(parent_code, on) if parent_code else None
        parent_code_sq = AreaTreePath.objects.filter(
            descendant=OuterRef("pk"), depth=1, valid_from__lte=on, valid_to__gte=on
        ).values("ancestor__code")[:1]
        return selectors.areas_on(on, level=level, parent=parent).annotate(
            parent_code=Subquery(parent_code_sq)
        )


@extend_schema(tags=["areas"], summary="One area on a date, with its children", parameters=[_ON])
class AreaDetailView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=AreaDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        on = parse_on(request)
        area = area_on_or_404(code, on)
        return Response(AreaDetailSerializer(area, context={"on": on}).data)


class _LinkSerializer(serializers.Serializer):
    parent = AreaRefSerializer()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)


class _PredecessorSerializer(serializers.Serializer):
    area = AreaRefSerializer(source="predecessor")
    effective_date = serializers.DateField()
    kind = serializers.CharField()
    share = serializers.DecimalField(max_digits=9, decimal_places=8)
    note = serializers.CharField()


class _SuccessorSerializer(_PredecessorSerializer):
    area = AreaRefSerializer(source="successor")


class AreaHistoryItemSerializer(serializers.Serializer):
    area = AreaListItemSerializer(source="area_obj")
    parents = _LinkSerializer(many=True)
    predecessors = _PredecessorSerializer(many=True)
    successors = _SuccessorSerializer(many=True)


@extend_schema(
    tags=["areas"],
    summary="Every area that has held the code, with what it came from and what it became",
    parameters=[
        OpenApiParameter(
            "on", OpenApiTypes.DATE, description="Only the area holding the code on that date."
        )
    ],
)
class AreaHistoryView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=AreaHistoryItemSerializer(many=True))
    def get(self, request: Request, code: str) -> Response:
        history = selectors.area_history(code)
        if request.query_params.get("on"):
            on = parse_on(request)
            history = [h for h in history if h["area"].is_valid_on(on)]
        if not history:
            raise APIError(
                _("No area has had the code %(code)s.") % {"code": code[:20]},
                code="not_found",
                status_code=404,
            )
        for item in history:
            item["area"].parent_code = None
            item["area_obj"] = item["area"]
        return Response(AreaHistoryItemSerializer(history, many=True).data)
