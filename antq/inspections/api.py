"""Inspections in the API (read): the list within the caller's reach and one inspection with
its delegation, sessions, findings and recommendations with their state today."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from antq.inspections import selectors, services
from antq.inspections.models import Inspection


class InspectionSerializer(serializers.ModelSerializer):
    inspecting_body = serializers.CharField(source="inspecting_body.code")
    area = serializers.CharField(source="area.code")
    deadline = serializers.DateField()
    phase = serializers.SerializerMethodField()
    subjects = serializers.SerializerMethodField()
    inspected_bodies = serializers.SerializerMethodField()
    conclusion = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "title",
            "inspecting_body",
            "level",
            "area",
            "period_start",
            "period_end",
            "starts_on",
            "deadline",
            "extension_days",
            "phase",
            "subjects",
            "inspected_bodies",
            "conclusion",
            "closed_on",
        ]

    def get_phase(self, obj) -> str:
        return services.phase(obj)

    def get_subjects(self, obj) -> list[str]:
        return [d.symbol for d in obj.subjects.all()]

    def get_inspected_bodies(self, obj) -> list[str]:
        return [b.code for b in obj.inspected_bodies.all()]

    def get_conclusion(self, obj) -> str | None:
        return obj.conclusion.symbol if obj.conclusion_id else None


class InspectionDetailSerializer(InspectionSerializer):
    members = serializers.SerializerMethodField()
    sessions = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()
    recommendations = serializers.SerializerMethodField()
    self_reports = serializers.SerializerMethodField()

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "members", "sessions", "findings"]
        fields += ["recommendations", "outline_sent_on", "self_reports_due_on", "self_reports"]

    def get_members(self, obj) -> list[dict]:
        return [{"role": m.role, "title": m.title, "body": m.body_name} for m in obj.members.all()]

    def get_sessions(self, obj) -> list[dict]:
        return [
            {
                "held_at": timezone.localtime(s.held_at).isoformat(),
                "place": s.place,
                "body": s.body.code,
                "attendees": s.attendees,
                "agenda": s.agenda,
                "files": [
                    {"title": f.title, "url": f"/inspections/{obj.pk}/files/{f.pk}"}
                    for f in s.files.all()
                ],
            }
            for s in obj.sessions.select_related("body").prefetch_related("files")
        ]

    def get_self_reports(self, obj) -> list[dict]:
        """The self-inspection reports the caller sees (all for the delegation, their own
        bodies' otherwise): body, status, day submitted, and the document's address."""
        user = self.context["request"].user
        return [
            {
                "body": r.body.code,
                "status": r.status,
                "submitted_on": r.submitted_on,
                "docx": f"/inspections/{obj.pk}/self-reports/{r.pk}.docx",
            }
            for r in selectors.self_reports_for(user, obj)
        ]

    def get_findings(self, obj) -> list[dict]:
        return [{"kind": f.kind, "text": f.text} for f in obj.findings.all()]

    def get_recommendations(self, obj) -> list[dict]:
        today = timezone.localdate()
        return [
            {
                "text": r.task.title,
                "body": r.task.lead_body.code,
                "due_on": r.task.due_on,
                "state": selectors.recommendation_state(r, today),
                "assignment": next((a.pk for a in r.task.assignments.all() if a.is_lead), None),
                "carried_over_on": r.carried_over_on,
            }
            for r in obj.recommendations.select_related("task__lead_body").prefetch_related(
                "task__assignments__reports"
            )
        ]


@extend_schema(summary="Inspections within the caller's reach")
class InspectionListView(ListAPIView):
    serializer_class = InspectionSerializer

    def get_queryset(self):
        return selectors.inspections_for(self.request.user).prefetch_related(
            "subjects", "inspected_bodies"
        )


@extend_schema(
    summary="One inspection: delegation, sessions and their files, findings, recommendations, "
    "self-inspection reports"
)
class InspectionDetailView(RetrieveAPIView):
    serializer_class = InspectionDetailSerializer

    def get_queryset(self):
        return selectors.inspections_for(self.request.user)
