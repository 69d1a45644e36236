"""API for the grassroots registries: self-management models, security teams, media items and
movement events; scoped like the pages, written through antq.grassroots.services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from antq.accounts.models import Body
from antq.areas.api import area_on_or_404
from antq.areas.models import Area
from antq.areas.selectors import area_by_code, today
from antq.core.api import APIError
from antq.core.vnformat import format_date, parse_date
from antq.grassroots import selectors, services
from antq.grassroots.models import (
    EventKind,
    MediaKind,
    MemberRole,
    ModelStatus,
    ModelType,
    OutletLevel,
    Rating,
    SelfManagementModel,
    StatusChange,
)

T = TypeVar("T")
R = TypeVar("R", bound=Model)


# --- shared pieces ---------------------------------------------------------------------------


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


def _values(choices: type) -> str:
    return ", ".join(choices.values)


def _saving(write: Callable[..., T], **kwargs: Any) -> T:
    """Run a service; its field problems become the API's 400 `invalid` with `details` per
    field (PermissionDenied goes on to the exception handler as a 403)."""
    try:
        return write(**kwargs)
    except services.RecordErrors as exc:
        details = {field or "non_field_errors": [message] for field, message in exc.errors.items()}
        raise APIError(
            _("The request has invalid fields."), code="invalid", details=details
        ) from None


def _forbidden(message: str) -> APIError:
    return APIError(message, code="permission_denied", status_code=403)


def _not_found() -> APIError:
    return APIError(_("No such record in your scope."), code="not_found", status_code=404)


def _one(qs: QuerySet[R], pk: int) -> R:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise _not_found()
    return obj


def _date_param(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError:
        raise APIError(
            _("'%(value)s' is not a date; use YYYY-MM-DD or DD/MM/YYYY.") % {"value": raw[:40]},
            code="invalid_date",
            details={name: raw[:40]},
        ) from None


def _choice_param(request: Request, name: str, choices: list[str]) -> str:
    value = request.query_params.get(name, "").strip()
    if value and value not in choices:
        raise APIError(
            _("Unknown %(name)s '%(value)s'; use one of: %(values)s.")
            % {"name": name, "value": value[:40], "values": ", ".join(choices)},
            code="invalid",
            details={name: value[:40]},
        )
    return value


def _area_param(request: Request) -> Area | None:
    code = request.query_params.get("area", "").strip()
    return area_on_or_404(code, today()) if code else None


def _area_for(code: str, day: dt.date | None, cache: dict) -> Area:
    """The area holding the official code on the record's own date, else on today's map."""
    key = (code, day)
    if key not in cache:
        cache[key] = None
        for on in (day, today()):
            if on is None:
                continue
            try:
                cache[key] = area_by_code(code, on)
                break
            except Area.DoesNotExist:
                continue
    if cache[key] is None:
        raise serializers.ValidationError(
            {
                "area": [
                    _("No area had the code %(code)s on %(date)s.")
                    % {"code": code[:20], "date": format_date(day or today())}
                ]
            }
        )
    return cache[key]


def _located(detail: Any, where: str) -> list[str]:
    """DRF's nested errors as flat located messages: "items[3].published_on: …"."""
    if isinstance(detail, dict):
        out: list[str] = []
        for key, value in detail.items():
            if isinstance(key, int):  # DRF's errors of a list of objects, by position
                sub = f"{where}[{key}]"
            elif key == "non_field_errors":
                sub = where
            else:
                sub = f"{where}.{key}" if where else key
            out += _located(value, sub)
        return out
    if isinstance(detail, list) and not all(isinstance(v, str) for v in detail):
        return [p for n, v in enumerate(detail) for p in _located(v, f"{where}[{n}]")]
    messages = detail if isinstance(detail, list) else [detail]
    return [f"{where}: {message}" for message in messages]


class _AreaInput(serializers.Serializer):
    """`area` is an official code, resolved on the record's own date (`date_field`), falling
    back to today's map."""

    date_field = ""
    area = serializers.CharField(
        max_length=16,
        help_text="Official code of the area, as held on the record's date (else today).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "area" in attrs:
            day = attrs.get(self.date_field) or self.context.get(self.date_field)
            attrs["area"] = _area_for(attrs["area"], day, self.context.setdefault("areas", {}))
        return attrs


class _Ref(serializers.SlugRelatedField):
    """A reference by code with a message that names what was not found."""

    def __init__(self, *, message: str, **kwargs: Any):
        super().__init__(slug_field="code", **kwargs)
        self.error_messages["does_not_exist"] = message


_AREA_PARAM = OpenApiParameter(
    "area", str, description="Official code on today's map; records of the areas under it."
)
_FROM = OpenApiParameter("from", OpenApiTypes.DATE, description="On or after this date.")
_TO = OpenApiParameter("to", OpenApiTypes.DATE, description="On or before this date.")


# --- self-management models ------------------------------------------------------------------


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.CharField()
    since = serializers.DateField()
    note = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rating = serializers.CharField()
    notes = serializers.CharField()


class GrassrootsModelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField(source="type.code")
    type_name = serializers.CharField(source="type.name")
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    place = serializers.CharField()
    host_body = serializers.CharField(source="host_body.code", allow_null=True, default=None)
    founded_on = serializers.DateField()
    members = serializers.IntegerField()
    replicated_from = serializers.IntegerField(source="replicated_from_id", allow_null=True)
    status = serializers.CharField(help_text=f"Today's status: {_values(ModelStatus)}.")
    description = serializers.CharField()


class GrassrootsModelDetailSerializer(GrassrootsModelSerializer):
    status_changes = StatusChangeSerializer(many=True, source="status_changes.all")
    assessments = AssessmentSerializer(many=True, source="assessments.all")
    replicas = serializers.ListField(
        child=serializers.IntegerField(), source="visible_replicas", help_text="Ids in scope."
    )


class GrassrootsModelInput(_AreaInput):
    date_field = "founded_on"
    name = serializers.CharField(max_length=300)
    type = _Ref(
        queryset=ModelType.objects.all(),
        message=gettext_lazy("No model type has the code '{value}'."),
        help_text="Model type code.",
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    host_body = _Ref(
        queryset=Body.objects.all(),
        message=gettext_lazy("No body has the code '{value}'."),
        required=False,
        allow_null=True,
        default=None,
    )
    founded_on = serializers.DateField()
    members = serializers.IntegerField(required=False, default=0)
    replicated_from = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Id of the model copied."
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_replicated_from(self, value: int | None) -> SelfManagementModel | None:
        if value is None:
            return None
        source = selectors.models_visible_to(self.context["user"]).filter(pk=value).first()
        if source is None:
            raise serializers.ValidationError(_("No model %(id)s in your scope.") % {"id": value})
        return source


class ModelStatusInput(serializers.Serializer):
    status = serializers.CharField(max_length=16, help_text=_values(ModelStatus))
    since = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AssessmentInput(serializers.Serializer):
    year = serializers.IntegerField()
    rating = serializers.CharField(max_length=16, help_text=_values(Rating))
    notes = serializers.CharField(required=False, allow_blank=True, default="")


def _model_detail(user, pk: int) -> SelfManagementModel:
    model = _one(
        selectors.models_visible_to(user).prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("since", "id")),
            "assessments",
        ),
        pk,
    )
    model.visible_replicas = list(
        selectors.models_visible_to(user)
        .filter(replicated_from=model)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return model


def _model_for_writing(user, pk: int) -> SelfManagementModel:
    model = _one(selectors.models_visible_to(user), pk)
    if not selectors.user_may_enter(user, model.area):
        raise _forbidden(_("You may not change this model."))
    return model


@extend_schema(tags=["grassroots"])
class ModelListView(ListAPIView):
    serializer_class = GrassrootsModelSerializer
    pagination_class = Pagination

    def get_queryset(self):
        q = self.request.query_params
        return selectors.models_visible_to(
            self.request.user,
            area=_area_param(self.request),
            type=q.get("type", "").strip(),
            status=_choice_param(self.request, "status", ModelStatus.values),
            q=q.get("q", "").strip(),
            founded_from=_date_param(self.request, "founded_from"),
            founded_to=_date_param(self.request, "founded_to"),
        ).order_by("name", "id")  # counting replicas drops the default ordering

    @extend_schema(
        summary="Self-management models in the caller's scope",
        parameters=[
            _AREA_PARAM,
            OpenApiParameter("type", str, description="Model type code."),
            OpenApiParameter("status", str, enum=ModelStatus.values),
            OpenApiParameter("q", str, description="Part of the name or place."),
            OpenApiParameter("founded_from", OpenApiTypes.DATE),
            OpenApiParameter("founded_to", OpenApiTypes.DATE),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Register a self-management model",
        request=GrassrootsModelInput,
        responses={201: GrassrootsModelDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        data = GrassrootsModelInput(data=request.data, context={"user": request.user})
        data.is_valid(raise_exception=True)
        model = _saving(services.model_save, actor=request.user, data=data.validated_data)
        return Response(
            GrassrootsModelDetailSerializer(_model_detail(request.user, model.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["grassroots"])
class ModelDetailView(APIView):
    @extend_schema(
        summary="One model with its status changes, assessments and replicas",
        responses=GrassrootsModelDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(GrassrootsModelDetailSerializer(_model_detail(request.user, pk)).data)

    @extend_schema(
        summary="Change a model's record (only the fields sent)",
        request=GrassrootsModelInput(partial=True),
        responses=GrassrootsModelDetailSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        model = _model_for_writing(request.user, pk)
        data = GrassrootsModelInput(
            data=request.data,
            partial=True,
            context={"user": request.user, "founded_on": model.founded_on},
        )
        data.is_valid(raise_exception=True)
        record = {f: getattr(model, f) for f in services.MODEL_FIELDS}
        record.update(data.validated_data)
        _saving(services.model_save, actor=request.user, data=record, model=model)
        return Response(GrassrootsModelDetailSerializer(_model_detail(request.user, pk)).data)


@extend_schema(tags=["grassroots"])
class ModelStatusView(APIView):
    @extend_schema(
        summary="A new status of a model from a day on",
        request=ModelStatusInput,
        responses={201: GrassrootsModelDetailSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        model = _model_for_writing(request.user, pk)
        data = ModelStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        _saving(services.model_status_set, actor=request.user, model=model, **data.validated_data)
        return Response(
            GrassrootsModelDetailSerializer(_model_detail(request.user, pk)).data, status=201
        )


@extend_schema(tags=["grassroots"])
class ModelAssessmentView(APIView):
    @extend_schema(
        summary="The year's assessment of a model (a second one for a year replaces the first)",
        request=AssessmentInput,
        responses={201: GrassrootsModelDetailSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        model = _model_for_writing(request.user, pk)
        data = AssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        _saving(services.model_assess, actor=request.user, model=model, **data.validated_data)
        return Response(
            GrassrootsModelDetailSerializer(_model_detail(request.user, pk)).data, status=201
        )


# --- security teams --------------------------------------------------------------------------


class TeamMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField(help_text=_values(MemberRole))
    joined_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)
    full_name = serializers.CharField(
        required=False, help_text="Only for callers who may enter data on the team's area."
    )
    birth_date = serializers.DateField(
        required=False, help_text="Only for callers who may enter data on the team's area."
    )

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        if not self.context.get("personal"):
            del data["full_name"], data["birth_date"]
        return data


class SecurityTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    place = serializers.CharField()
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    established_on = serializers.DateField()
    dissolved_on = serializers.DateField(allow_null=True)
    current_members = serializers.IntegerField(source="n_members")


class SecurityTeamDetailSerializer(SecurityTeamSerializer):
    members = TeamMemberSerializer(many=True, source="members.all")


class SecurityTeamInput(_AreaInput):
    date_field = "established_on"
    name = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200)
    decision_number = serializers.CharField(max_length=64)
    decision_date = serializers.DateField()
    established_on = serializers.DateField()
    dissolved_on = serializers.DateField(required=False, allow_null=True, default=None)


class TeamMemberInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    role = serializers.CharField(max_length=16, help_text=_values(MemberRole))
    birth_date = serializers.DateField()
    joined_on = serializers.DateField()
    left_on = serializers.DateField(required=False, allow_null=True, default=None)


def _team_detail(user, pk: int) -> dict:
    team = _one(selectors.teams_visible_to(user).prefetch_related("members"), pk)
    context = {"personal": selectors.user_may_enter(user, team.area)}
    return SecurityTeamDetailSerializer(team, context=context).data


@extend_schema(tags=["grassroots"])
class TeamListView(ListAPIView):
    serializer_class = SecurityTeamSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.teams_visible_to(
            self.request.user,
            area=_area_param(self.request),
            q=self.request.query_params.get("q", "").strip(),
            active_on=_date_param(self.request, "active_on"),
        ).order_by("area_id", "place", "id")  # counting members drops the default ordering

    @extend_schema(
        summary="Security teams in the caller's scope",
        parameters=[
            _AREA_PARAM,
            OpenApiParameter("q", str, description="Part of the name or place."),
            OpenApiParameter("active_on", OpenApiTypes.DATE, description="Teams active that day."),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Register a security team",
        request=SecurityTeamInput,
        responses={201: SecurityTeamDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        data = SecurityTeamInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = _saving(services.team_save, actor=request.user, data=data.validated_data)
        return Response(_team_detail(request.user, team.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["grassroots"])
class TeamDetailView(APIView):
    @extend_schema(
        summary="One team with its members (names and birth dates only within data-entry scope)",
        responses=SecurityTeamDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_team_detail(request.user, pk))


@extend_schema(tags=["grassroots"])
class TeamMembersView(APIView):
    @extend_schema(
        summary="A member joins a team (18 to 70 years old when appointed)",
        request=TeamMemberInput,
        responses={201: TeamMemberSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        team = _one(selectors.teams_visible_to(request.user), pk)
        if not selectors.user_may_enter(request.user, team.area):
            raise _forbidden(_("You may not change this team."))
        data = TeamMemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = _saving(
            services.member_save, actor=request.user, team=team, data=data.validated_data
        )
        return Response(TeamMemberSerializer(member, context={"personal": True}).data, status=201)


# --- media items -----------------------------------------------------------------------------


class MediaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text=_values(MediaKind))
    outlet = serializers.CharField()
    outlet_level = serializers.CharField(help_text=_values(OutletLevel))
    published_on = serializers.DateField()
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    link = serializers.CharField()


class MediaItemInput(_AreaInput):
    date_field = "published_on"
    title = serializers.CharField(max_length=400)
    kind = serializers.CharField(max_length=16, help_text=_values(MediaKind))
    outlet = serializers.CharField(max_length=200)
    outlet_level = serializers.CharField(max_length=16, help_text=_values(OutletLevel))
    published_on = serializers.DateField()
    link = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MediaBulkInput(serializers.Serializer):
    items = MediaItemInput(many=True, allow_empty=False, max_length=10_000)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MediaBulkOutput(serializers.Serializer):
    created = serializers.IntegerField()


@extend_schema(tags=["grassroots"])
class MediaListView(ListAPIView):
    serializer_class = MediaItemSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.media_visible_to(
            self.request.user,
            area=_area_param(self.request),
            kind=_choice_param(self.request, "kind", MediaKind.values),
            level=_choice_param(self.request, "level", OutletLevel.values),
            q=self.request.query_params.get("q", "").strip(),
            date_from=_date_param(self.request, "from"),
            date_to=_date_param(self.request, "to"),
        )

    @extend_schema(
        summary="Media items in the caller's scope",
        parameters=[
            _AREA_PARAM,
            OpenApiParameter("kind", str, enum=MediaKind.values),
            OpenApiParameter("level", str, enum=OutletLevel.values, description="Outlet level."),
            OpenApiParameter("q", str, description="Part of the title or outlet."),
            _FROM,
            _TO,
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Register a media item",
        request=MediaItemInput,
        responses={201: MediaItemSerializer},
    )
    def post(self, request: Request) -> Response:
        data = MediaItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = _saving(services.media_save, actor=request.user, data=data.validated_data)
        return Response(MediaItemSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["grassroots"])
class MediaDetailView(APIView):
    @extend_schema(summary="One media item", responses=MediaItemSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            MediaItemSerializer(_one(selectors.media_visible_to(request.user), pk)).data
        )

    @extend_schema(
        summary="Delete a media item entered by mistake",
        description='Give the reason as `{"reason": "…"}` in the body or `?reason=` in the query.',
        parameters=[OpenApiParameter("reason", str, description="Why the item is deleted.")],
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        item = _one(selectors.media_visible_to(request.user), pk)
        if not selectors.user_may_enter(request.user, item.area, item.published_on):
            raise _forbidden(_("You may not delete this media item."))
        body = request.data if isinstance(request.data, dict) else {}
        reason = str(body.get("reason") or request.query_params.get("reason") or "")
        _saving(services.media_delete, actor=request.user, item=item, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["grassroots"])
class MediaBulkView(APIView):
    @extend_schema(
        summary="Register many media items at once (all or nothing)",
        request=MediaBulkInput,
        responses={201: MediaBulkOutput},
    )
    def post(self, request: Request) -> Response:
        data = MediaBulkInput(data=request.data)
        if not data.is_valid():
            raise _bulk_invalid(_located(data.errors, ""))
        items = data.validated_data["items"]
        allowed: dict[tuple[Area, dt.date], bool] = {}
        denied = []
        for n, item in enumerate(items):
            key = (item["area"], item["published_on"])
            if key not in allowed:
                allowed[key] = selectors.user_may_enter(request.user, *key)
            if not allowed[key]:
                denied.append(f"items[{n}].area: {item['area']}")
        if denied:
            raise APIError(
                _("Some areas are outside your scope."),
                code="permission_denied",
                status_code=403,
                details=denied[:100],
            )
        columns = {f: f".{f}" for f in services.MEDIA_FIELDS}
        rows = [(f"items[{n}]", {**item, "_columns": columns}) for n, item in enumerate(items)]
        try:
            created = services.media_import(
                actor=request.user, rows=rows, reason=data.validated_data["reason"]
            )
        except services.ImportErrors as exc:
            raise _bulk_invalid(exc.problems) from None
        return Response({"created": created}, status=status.HTTP_201_CREATED)


def _bulk_invalid(problems: list[str]) -> APIError:
    return APIError(
        _("No item was saved: %(n)d problem(s).") % {"n": len(problems)},
        code="invalid_items",
        details=problems[:500],
    )


# --- movement events -------------------------------------------------------------------------


class MovementEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text=_values(EventKind))
    title = serializers.CharField()
    held_on = serializers.DateField()
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    participants = serializers.IntegerField()
    notes = serializers.CharField()


class MovementEventInput(_AreaInput):
    date_field = "held_on"
    kind = serializers.CharField(max_length=16, help_text=_values(EventKind))
    title = serializers.CharField(max_length=300)
    held_on = serializers.DateField()
    participants = serializers.IntegerField(required=False, default=0)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["grassroots"])
class EventListView(ListAPIView):
    serializer_class = MovementEventSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.events_visible_to(
            self.request.user,
            area=_area_param(self.request),
            kind=_choice_param(self.request, "kind", EventKind.values),
            date_from=_date_param(self.request, "from"),
            date_to=_date_param(self.request, "to"),
        )

    @extend_schema(
        summary="Movement events (launches, Ngày hội, meetings) in the caller's scope",
        parameters=[_AREA_PARAM, OpenApiParameter("kind", str, enum=EventKind.values), _FROM, _TO],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Register a movement event",
        request=MovementEventInput,
        responses={201: MovementEventSerializer},
    )
    def post(self, request: Request) -> Response:
        data = MovementEventInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = _saving(services.event_save, actor=request.user, data=data.validated_data)
        return Response(MovementEventSerializer(event).data, status=status.HTTP_201_CREATED)


# --- the annual assessment and the “An toàn về ANTT” recognitions (read) ---------------------


def _year_param(request: Request) -> int:
    raw = request.query_params.get("year", "").strip()
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise APIError(
            _("Give the year (e.g. 2022)."),
            code="invalid",
            details={"year": raw[:10] or "required"},
        )
    return int(raw)


class MovementAssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField(source="sheet.year")
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    status = serializers.CharField(help_text="draft, submitted or reviewed")
    self_total = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    review_total = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    classification = serializers.CharField(help_text="xuat_sac, kha, trung_binh, yeu or empty")


@extend_schema(tags=["grassroots"])
class AssessmentListView(ListAPIView):
    serializer_class = MovementAssessmentSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.assessments_visible_to(
            self.request.user, year=_year_param(self.request), area=_area_param(self.request)
        )

    @extend_schema(
        summary="The year's assessments of the movement in the caller's scope",
        parameters=[OpenApiParameter("year", int, required=True), _AREA_PARAM],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class RecognitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    registered_on = serializers.DateField()
    result = serializers.CharField(help_text="registered, recognised or not_recognised")
    decided_on = serializers.DateField(allow_null=True)
    decision_number = serializers.CharField()


@extend_schema(tags=["grassroots"])
class RecognitionListView(ListAPIView):
    serializer_class = RecognitionSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.recognitions_visible_to(
            self.request.user, year=_year_param(self.request), area=_area_param(self.request)
        )

    @extend_schema(
        summary="The year's “An toàn về an ninh, trật tự” registrations and recognitions",
        parameters=[OpenApiParameter("year", int, required=True), _AREA_PARAM],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
