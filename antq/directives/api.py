"""API for documents, links, plans, tasks, assignments and progress; scoped like the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from antq.accounts.models import Body
from antq.core.api import APIError, error_responses
from antq.directives import selectors, services
from antq.directives.models import (
    Document,
    DocumentKind,
    DocumentStatus,
    LinkKind,
    Recurrence,
)
from antq.directives.symbols import normalise_symbol, parse_references


class ReferenceSerializer(serializers.Serializer):
    symbol = serializers.CharField()
    kind = serializers.CharField(allow_null=True)
    kind_name = serializers.CharField(allow_null=True)
    number = serializers.CharField()
    issuer = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    span = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2)


class ParseInput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=2_000_000, trim_whitespace=False)


@extend_schema(
    tags=["documents"],
    summary="Find every document citation in a text",
    request=ParseInput,
    responses=ReferenceSerializer(many=True),
)
class ParseView(APIView):
    def post(self, request: Request) -> Response:
        data = ParseInput(data=request.data)
        data.is_valid(raise_exception=True)
        refs = parse_references(data.validated_data["text"])
        return Response(
            ReferenceSerializer(
                [{**r.__dict__, "span": list(r.span)} for r in refs], many=True
            ).data
        )


class DocumentSerializer(serializers.ModelSerializer):
    issuer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "symbol",
            "number",
            "issuer",
            "issuer_name",
            "issued_on",
            "term",
            "subject",
            "status",
            "is_stub",
            "is_illustrative",
            "has_file",
        ]

    def get_has_file(self, doc: Document) -> bool:
        return bool(doc.file)


class DocumentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    symbol = serializers.CharField(max_length=100)
    issuer = serializers.SlugRelatedField(
        slug_field="code", queryset=Body.objects.all(), required=False, allow_null=True
    )
    issuer_name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    issued_on = serializers.DateField()
    term = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    subject = serializers.CharField(allow_blank=True, default="")
    full_text = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    status = serializers.ChoiceField(
        choices=DocumentStatus.choices, default=DocumentStatus.IN_FORCE
    )


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _validation(exc: DjangoValidationError) -> APIError:
    if isinstance(exc, services.DuplicateDocument):
        return APIError(
            exc.messages[0],
            code="duplicate",
            status_code=409,
            details={"existing": exc.existing.pk, "url": f"/api/v1/documents/{exc.existing.pk}/"},
        )
    details = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return APIError(_("The request has invalid fields."), code="invalid", details=details)


@extend_schema(tags=["documents"])
class DocumentListView(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination  # so that the schema shows the page envelope

    @extend_schema(
        summary="Documents the caller may see",
        parameters=[OpenApiParameter("symbol", str), OpenApiParameter("kind", str)],
        responses=DocumentSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = selectors.documents_visible_to(request.user).order_by("-issued_on", "symbol")
        if symbol := request.query_params.get("symbol"):
            qs = qs.filter(symbol=normalise_symbol(symbol) or symbol)
        if kind := request.query_params.get("kind"):
            qs = qs.filter(kind=kind)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        summary="Register a document",
        request=DocumentInput,
        responses={201: DocumentSerializer, **error_responses(409)},
    )
    def post(self, request: Request) -> Response:
        data = DocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        issuer = v.get("issuer")
        if not selectors.user_may_manage(request.user, None, issuer=issuer):
            raise APIError(
                _("You may not register documents for this issuer."),
                code="permission_denied",
                status_code=403,
            )
        try:
            doc = services.document_create(actor=request.user, **v)
        except DjangoValidationError as exc:
            raise _validation(exc) from None
        return Response(DocumentSerializer(doc).data, status=status.HTTP_201_CREATED)


class LineageNodeSerializer(serializers.Serializer):
    document = DocumentSerializer()
    link = serializers.CharField(source="kind")
    children = serializers.SerializerMethodField()

    def get_children(self, node) -> list[dict]:
        return LineageNodeSerializer(node.children, many=True).data


class DocumentDetailSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "full_text"]


@extend_schema(tags=["documents"])
class DocumentDetailView(APIView):
    @extend_schema(
        summary="One document with its lineage up and down", responses=DocumentDetailSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        doc = selectors.document_for_user(request.user, pk)
        tree = selectors.lineage(request.user, doc)
        data = DocumentDetailSerializer(doc).data
        data["lineage"] = {
            "up": LineageNodeSerializer(tree["up"], many=True).data,
            "down": LineageNodeSerializer(tree["down"], many=True).data,
        }
        return Response(data)


class LinkInput(serializers.Serializer):
    target = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=LinkKind.choices)


class LinkOutput(serializers.Serializer):
    source = serializers.IntegerField()
    target = serializers.IntegerField()
    kind = serializers.CharField()


class DocumentLinkView(APIView):
    @extend_schema(
        tags=["documents"],
        summary="Link this document to another",
        request=LinkInput,
        responses={201: LinkOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        doc = selectors.document_for_user(request.user, pk)
        data = LinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        target = selectors.document_for_user(request.user, data.validated_data["target"])
        if not selectors.user_may_manage(request.user, doc):
            raise APIError(
                _("You may not change this document."), code="permission_denied", status_code=403
            )
        try:
            link = services.document_link(
                source=doc, target=target, kind=data.validated_data["kind"], actor=request.user
            )
        except DjangoValidationError as exc:
            raise _validation(exc) from None
        return Response(
            {"source": link.source_id, "target": link.target_id, "kind": link.kind}, status=201
        )


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    content = serializers.CharField()
    lead_body = serializers.CharField(source="lead_body.code")
    advising_body = serializers.CharField(
        source="advising_body.code", allow_null=True, default=None
    )
    coordinating_bodies = serializers.SerializerMethodField()
    due_on = serializers.DateField(allow_null=True)
    recurrence = serializers.CharField()
    for_all_recipients = serializers.BooleanField()
    expected_output = serializers.CharField()

    def get_coordinating_bodies(self, task) -> list[str]:
        return [body.code for body in task.coordinating_bodies.all()]


class TaskInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    content = serializers.CharField(allow_blank=True, default="")
    lead_body = serializers.SlugRelatedField(
        slug_field="code", queryset=Body.objects.all(), allow_null=True
    )
    advising_body = serializers.SlugRelatedField(
        slug_field="code", queryset=Body.objects.all(), required=False, allow_null=True
    )
    coordinating_bodies = serializers.SlugRelatedField(
        slug_field="code", queryset=Body.objects.all(), many=True, required=False
    )
    due_on = serializers.DateField(required=False, allow_null=True)
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, default=Recurrence.ONCE)
    for_all_recipients = serializers.BooleanField(default=False)
    expected_output = serializers.CharField(allow_blank=True, default="", max_length=300)


@extend_schema(tags=["plans"])
class PlanTasksView(APIView):
    @extend_schema(summary="The tasks of a plan", responses=TaskSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        plan = selectors.document_for_user(request.user, pk)
        return Response(TaskSerializer(selectors.plan_tasks(plan), many=True).data)

    @extend_schema(
        summary="Add a task to a plan", request=TaskInput, responses={201: TaskSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = selectors.document_for_user(request.user, pk)
        if not selectors.user_may_manage(request.user, plan):
            raise APIError(
                _("You may not change this plan."), code="permission_denied", status_code=403
            )
        data = TaskInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            task = services.task_create(plan=plan, actor=request.user, **data.validated_data)
        except DjangoValidationError as exc:
            raise _validation(exc) from None
        return Response(TaskSerializer(task).data, status=201)


class SendInput(serializers.Serializer):
    bodies = serializers.SlugRelatedField(slug_field="code", queryset=Body.objects.all(), many=True)
    sent_on = serializers.DateField()


class SendOutput(serializers.Serializer):
    assignments_created = serializers.IntegerField()


class PlanSendView(APIView):
    @extend_schema(
        tags=["plans"],
        summary="Send a plan to bodies (creates their assignments)",
        request=SendInput,
        responses={201: SendOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = selectors.document_for_user(request.user, pk)
        if not selectors.user_may_manage(request.user, plan):
            raise APIError(
                _("You may not send this plan."), code="permission_denied", status_code=403
            )
        data = SendInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.plan_send(plan=plan, actor=request.user, **data.validated_data)
        return Response({"assignments_created": len(created)}, status=201)


class ReportSerializer(serializers.Serializer):
    reported_on = serializers.DateField()
    text = serializers.CharField()
    completed = serializers.BooleanField()
    evidence = serializers.IntegerField(source="evidence_id", allow_null=True)


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="assignment.id")
    plan = serializers.IntegerField(source="assignment.task.plan_id")
    task = serializers.IntegerField(source="assignment.task_id")
    task_title = serializers.CharField(source="assignment.task.title")
    body = serializers.CharField(source="assignment.body.code")
    is_lead = serializers.BooleanField(source="assignment.is_lead")
    due_on = serializers.DateField(source="judgement.due_on", allow_null=True)
    status = serializers.CharField()
    reports = ReportSerializer(source="assignment.reports.all", many=True)


@extend_schema(tags=["plans"])
class AssignmentListView(APIView):
    @extend_schema(
        summary="Assignments in the caller's scope, with derived statuses",
        parameters=[OpenApiParameter("plan", int), OpenApiParameter("status", str)],
        responses=AssignmentSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = selectors.assignments_visible_to(request.user)
        if plan := request.query_params.get("plan"):
            if not plan.isdigit():
                raise APIError(_("plan must be a document id."), code="invalid")
            qs = qs.filter(task__plan_id=int(plan))
        views = selectors.judge_assignments(list(qs.order_by("id")[:2000]), timezone.localdate())
        if wanted := request.query_params.get("status"):
            views = [v for v in views if v.status == wanted]
        return Response(AssignmentSerializer(views, many=True).data)


class ProgressInput(serializers.Serializer):
    reported_on = serializers.DateField()
    text = serializers.CharField(max_length=20_000)
    completed = serializers.BooleanField(default=False)
    evidence = serializers.IntegerField(required=False, allow_null=True)


@extend_schema(tags=["plans"])
class AssignmentProgressView(APIView):
    @extend_schema(
        summary="Report progress on an assignment",
        request=ProgressInput,
        responses={201: AssignmentSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        view, may_report = selectors.assignment_for_user(request.user, pk)
        if not may_report:
            raise APIError(
                _("Only the assigned body reports on this task."),
                code="permission_denied",
                status_code=403,
            )
        data = ProgressInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        evidence = (
            selectors.document_for_user(request.user, v["evidence"]) if v.get("evidence") else None
        )
        try:
            with transaction.atomic():
                services.progress_report_create(
                    assignment=view.assignment,
                    text=v["text"],
                    completed=v["completed"],
                    reported_on=v["reported_on"],
                    evidence=evidence,
                    actor=request.user,
                )
        except DjangoValidationError as exc:
            raise _validation(exc) from None
        fresh, _may = selectors.assignment_for_user(request.user, pk)
        return Response(AssignmentSerializer(fresh).data, status=201)
