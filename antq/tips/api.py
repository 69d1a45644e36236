"""The tip line's public API for partner applications: send a tip, follow it with its
receipt, write to the handling unit. No login, no cookie: the receipt travels only in JSON
bodies, never in a URL; floods meet the limits of antq.tips.intake."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from antq.areas.models import Level
from antq.areas.selectors import areas_on
from antq.core.api import APIError, error_responses
from antq.core.errors import RecordErrors
from antq.tips import intake, services
from antq.tips.models import Channel, Topic


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


def _invalid(exc: RecordErrors) -> APIError:
    details = {name or "non_field_errors": [message] for name, message in exc.errors.items()}
    return APIError(_("The request has invalid fields."), code="invalid", details=details)


def _throttled() -> APIError:
    return APIError(
        _("Too many requests from this client in the past hour; try again later."),
        code="throttled",
        status_code=429,
    )


def _not_found() -> APIError:
    # The same answer, after the same work, for an unknown, erased or malformed receipt.
    return APIError(_("No tip has this receipt code."), code="not_found", status_code=404)


class ProofSerializer(serializers.Serializer):
    challenge = serializers.CharField(max_length=200)
    nonce = serializers.CharField(max_length=20)


class TipInSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=16, help_text="official code of the commune or ward")
    content = serializers.CharField(
        max_length=services.MAX_CONTENT, allow_blank=True, trim_whitespace=False
    )
    contact = serializers.CharField(
        max_length=services.MAX_CONTACT, required=False, allow_blank=True
    )
    topic = serializers.ChoiceField(choices=Topic.choices, required=False, default=Topic.OTHER)
    place = serializers.CharField(max_length=services.MAX_FIELD, required=False, allow_blank=True)
    happened = serializers.CharField(
        max_length=services.MAX_FIELD, required=False, allow_blank=True
    )
    phones = serializers.CharField(max_length=services.MAX_FIELD, required=False, allow_blank=True)
    accounts = serializers.CharField(
        max_length=services.MAX_FIELD, required=False, allow_blank=True
    )
    socials = serializers.CharField(max_length=services.MAX_FIELD, required=False, allow_blank=True)
    links = serializers.CharField(max_length=services.MAX_FIELD, required=False, allow_blank=True)
    pow = ProofSerializer(required=False, help_text="proof-of-work (GET /api/v1/tips/challenge)")


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField(max_length=64)


class MessageInSerializer(ReceiptSerializer):
    text = serializers.CharField(max_length=services.MAX_MESSAGE)


def _valid(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


STATUS_OUT = inline_serializer(
    "TipStatus",
    {
        "reference": serializers.CharField(),
        "received": serializers.DateTimeField(help_text="to the hour"),
        "status": serializers.CharField(),
        "messages": serializers.ListField(child=serializers.DictField()),
    },
)


def _status(tip) -> dict:
    view = services.citizen_view(tip)
    return {
        "reference": view.reference,
        "received": timezone.localtime(view.received_at).isoformat(),
        "status": view.status,
        "messages": [
            {
                "from": m["author"],
                "at": timezone.localtime(m["at"]).isoformat(),
                "text": m["text"],
            }
            for m in view.messages
        ],
    }


def _lookup(request: Request, receipt: str):
    if not intake.lookup_allowed(intake.client_key(request)):
        raise _throttled()
    tip = services.tip_by_receipt(receipt)
    if tip is None:
        raise _not_found()
    return tip


class ChallengeView(PublicView):
    @extend_schema(
        summary="A proof-of-work challenge for sending a tip",
        responses=inline_serializer(
            "TipChallenge",
            {"challenge": serializers.CharField(), "bits": serializers.IntegerField()},
        ),
    )
    def get(self, request: Request) -> Response:
        return Response({"challenge": intake.challenge_new(), "bits": intake.pow_bits()})


class SubmitView(PublicView):
    @extend_schema(
        summary="Send a tip",
        description=(
            "Returns the receipt once: the only way to follow the tip. Without a valid `pow` "
            "the submission meets a stricter hourly limit."
        ),
        request=TipInSerializer,
        responses={
            201: inline_serializer("TipReceipt", {"receipt": serializers.CharField()}),
            **error_responses(429),
        },
    )
    def post(self, request: Request) -> Response:
        data = _valid(TipInSerializer, request)
        proof = data.get("pow") or {}
        proven = intake.proof_valid(proof.get("challenge", ""), proof.get("nonce", ""))
        if not intake.allowed(intake.client_key(request), proven=proven):
            raise _throttled()
        area = areas_on(timezone.localdate(), level=Level.COMMUNE).filter(code=data["area"]).first()
        if area is None:
            raise _invalid(RecordErrors({"area": _("No commune or ward has this code today.")}))
        tip_input = services.TipInput(
            area=area,
            content=data["content"],
            topic=data.get("topic") or Topic.OTHER,
            contact=data.get("contact", ""),
            details={name: data.get(name, "") for name in services.DETAIL_FIELDS},
        )
        try:
            _tip, receipt = services.tip_submit(tip_input, channel=Channel.API)
        except RecordErrors as exc:
            raise _invalid(exc) from None
        response = Response({"receipt": receipt}, status=status.HTTP_201_CREATED)
        response.headers["Cache-Control"] = "no-store"
        return response


class LookupView(PublicView):
    @extend_schema(
        summary="The status of a tip and the messages exchanged, by its receipt",
        request=ReceiptSerializer,
        responses={200: STATUS_OUT, **error_responses(404, 429)},
    )
    def post(self, request: Request) -> Response:
        tip = _lookup(request, _valid(ReceiptSerializer, request)["receipt"])
        response = Response(_status(tip))
        response.headers["Cache-Control"] = "no-store"
        return response


class MessageView(PublicView):
    @extend_schema(
        summary="Write to the unit handling a tip, by its receipt",
        request=MessageInSerializer,
        responses={201: STATUS_OUT, **error_responses(404, 429)},
    )
    def post(self, request: Request) -> Response:
        data = _valid(MessageInSerializer, request)
        tip = _lookup(request, data["receipt"])
        try:
            services.citizen_message(tip, data["text"])
        except RecordErrors as exc:
            raise _invalid(exc) from None
        response = Response(_status(tip), status=status.HTTP_201_CREATED)
        response.headers["Cache-Control"] = "no-store"
        return response
