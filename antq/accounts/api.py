"""API views about the caller: who they are and what they may do."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from antq.accounts.selectors import user_memberships


class _BodyRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    area = serializers.CharField(source="area.code")


class _MembershipSerializer(serializers.Serializer):
    body = _BodyRefSerializer()
    role = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    title = serializers.CharField()
    memberships = _MembershipSerializer(many=True)


@extend_schema(tags=["accounts"], summary="Who the token or session belongs to, and their roles")
class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "username": user.username,
            "full_name": user.full_name,
            "title": user.title,
            "memberships": list(user_memberships(user)),
        }
        return Response(MeSerializer(data).data)
