"""Every write about tips and cases: intake, handling, the legal track, cases, erasure.

Intake never records who sent a tip or when to the minute, and writes no audit event (an
audit row carries the exact time). Everything an official does is checked against the
tip-handling role in the tip's body and audited — reads included — with the tip's reference
only, never its content.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.accounts.models import Body, BodyKind, User
from antq.areas.models import Area, Level
from antq.areas.selectors import area_ancestors, area_related
from antq.core import crypto
from antq.core.errors import RecordErrors
from antq.core.services import audit_record
from antq.core.uploads import UnreadableImage, image_without_metadata, sniff
from antq.indicators import derived
from antq.indicators.models import Indicator
from antq.tips import legal, vault
from antq.tips.models import (
    OFFICER_CHANNELS,
    Attachment,
    Author,
    Case,
    Channel,
    Decision,
    Kind,
    Message,
    RetentionCategory,
    RetentionRule,
    State,
    Tip,
    Topic,
    Triage,
    WrappedKey,
)
from antq.tips.selectors import body_handlers, user_handles

MAX_CONTENT = 10_000
MAX_FIELD = 1_000
MAX_CONTACT = 500
MAX_MESSAGE = 4_000
MAX_ATTACHMENTS = 3
# The structured details a tipster may give (most reports are now of online fraud).
DETAIL_FIELDS = ("place", "happened", "phones", "accounts", "socials", "links")
CLOSING_TRIAGE = (Triage.NOT_VALUABLE, Triage.DUPLICATE, Triage.OUT_OF_SCOPE)

RETENTION_DEFAULTS = {
    RetentionCategory.CRIME: 120,
    RetentionCategory.ORDER: 60,
    RetentionCategory.NO_ACTION: 12,
}
# Which sources each change recounts (antq.tips.counts).
RECEIVED_SOURCES = ("tips.received", "tips.valuable")
CASE_SOURCES = ("tips.cases_cleared", "tips.suspects", "tips.assets")


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def hour_of(moment: dt.datetime) -> dt.datetime:
    """The moment to the hour, in Vietnam time."""
    return timezone.localtime(moment).replace(minute=0, second=0, microsecond=0)


def max_attachment_bytes() -> int:
    return settings.ANTQ_TIPS_MAX_ATTACHMENT_MB * 2**20


# --- routing ----------------------------------------------------------------------------------


def route(area: Area, on: dt.date) -> Body | None:
    """The police body that receives a tip about `area` on `on`: the commune's police, or,
    where it has none on record, the nearest police above it."""
    police = Body.objects.filter(kind=BodyKind.POLICE, valid_from__lte=on).exclude(valid_to__lt=on)
    for place in area_ancestors(area, on, include_self=True)[::-1]:
        body = police.filter(area=place).order_by("pk").first()
        if body is not None:
            return body
    return None


# --- intake -------------------------------------------------------------------------------------


@dataclass
class Upload:
    name: str
    data: bytes


@dataclass
class TipInput:
    area: Area | None
    content: str
    topic: str = Topic.OTHER
    contact: str = ""
    details: dict[str, str] = field(default_factory=dict)
    attachments: list[Upload] = field(default_factory=list)


def _checked_text(errors: dict, name: str, value: Any, limit: int, *, required=False) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        errors[name] = _("Tell what happened.")
    elif len(text) > limit:
        errors[name] = _("Too long: at most %(n)s characters (this has %(m)s).") % {
            "n": f"{limit:,}".replace(",", "."),
            "m": f"{len(text):,}".replace(",", "."),
        }
    return text


def _checked_attachments(errors: dict, uploads: list[Upload]) -> list[tuple[str, bytes]]:
    if len(uploads) > MAX_ATTACHMENTS:
        errors["attachments"] = _("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS}
        return []
    out = []
    for upload in uploads:
        if len(upload.data) > max_attachment_bytes():
            errors["attachments"] = _("%(name)s is too large (limit %(mb)s MB).") % {
                "name": upload.name[:80],
                "mb": settings.ANTQ_TIPS_MAX_ATTACHMENT_MB,
            }
            continue
        found = sniff(upload.data[:8])
        if found is None:
            errors["attachments"] = _("%(name)s is not a photo (JPEG, PNG) or a PDF document.") % {
                "name": upload.name[:80]
            }
            continue
        kind, ext = found
        data = upload.data
        if kind == "photo":
            import io

            try:
                data = image_without_metadata(io.BytesIO(upload.data), ext)
            except UnreadableImage:
                errors["attachments"] = _("%(name)s cannot be read as a photo.") % {
                    "name": upload.name[:80]
                }
                continue
        out.append((ext, data))
    return out


def _check_input(data: TipInput, on: dt.date) -> tuple[dict, list[tuple[str, bytes]], dict]:
    errors: dict[str, str] = {}
    content = _checked_text(errors, "content", data.content, MAX_CONTENT, required=True)
    contact = _checked_text(errors, "contact", data.contact, MAX_CONTACT)
    details = {
        name: _checked_text(errors, name, data.details.get(name, ""), MAX_FIELD)
        for name in DETAIL_FIELDS
    }
    if data.topic not in Topic.values:
        errors["topic"] = _("Choose what the tip is about.")
    if data.area is None:
        errors["area"] = _("Choose the commune or ward where it happened.")
    elif data.area.level != Level.COMMUNE or not data.area.is_valid_on(on):
        errors["area"] = _("%(area)s is not a commune or ward in existence today.") % {
            "area": data.area.name
        }
    files = _checked_attachments(errors, data.attachments)
    return {"content": content, "contact": contact, **details}, files, errors


@transaction.atomic
def tip_submit(
    data: TipInput,
    *,
    channel: str,
    officer: User | None = None,
    body: Body | None = None,
    kind: str = Kind.UNCLASSIFIED,
    received_at: dt.datetime | None = None,
) -> tuple[Tip, str]:
    """Receive a tip; returns it and the receipt to show once. RecordErrors on bad input,
    with nothing stored. A citizen's submission (`officer` None) leaves no audit event."""
    moment = hour_of(received_at or _now())
    on = moment.date()
    checked, files, errors = _check_input(data, on)
    if errors:
        raise RecordErrors(errors)
    if channel not in Channel.values:
        raise RecordErrors({"channel": _("Choose the channel the tip came by.")})
    if officer is not None:
        if channel not in OFFICER_CHANNELS:
            raise RecordErrors({"channel": _("Choose the channel the tip came by.")})
        if body is None or not user_handles(officer, body):
            raise RecordErrors({"": _("You do not handle tips in this body.")})
    else:
        body = route(data.area, on)
        if body is None:
            raise RecordErrors(
                {
                    "area": _("No police body receives tips for %(area)s yet; call 113.")
                    % {"area": data.area.name}
                }
            )
    key = crypto.new_data_key()
    receipt = crypto.new_receipt()
    content = {k: v for k, v in checked.items() if k != "contact" and v}
    tip = Tip.objects.create(
        received_at=moment,
        received_on=on,
        channel=channel,
        area=data.area,
        body=body,
        topic=data.topic,
        kind=kind if kind in Kind.values else Kind.UNCLASSIFIED,
        content=vault.seal_json(key, content),
        contact=vault.seal_json(key, checked["contact"]) if checked["contact"] else None,
        receipt_digest=vault.receipt_digest(receipt),
    )
    if tip.kind == Kind.CRIME:
        tip.deadline = legal.first_deadline(on)
        tip.save(update_fields=["deadline"])
    for ext, blob in files:
        Attachment.objects.create(tip=tip, ext=ext, box=crypto.encrypt(key, blob))
    vault.wrap_for(tip, body, key)
    if officer is not None:
        audit_record(
            actor=officer,
            action="tips.recorded",
            obj=tip,
            summary=f"{tip.reference} ({tip.get_channel_display()})",
        )
    return tip, receipt


# --- the citizen's side ---------------------------------------------------------------------


def tip_by_receipt(receipt: str) -> Tip | None:
    """The tip of a receipt, or None — after the same work whether the receipt is unknown,
    erased or malformed."""
    digest = vault.receipt_digest(receipt)
    return Tip.objects.filter(receipt_digest=digest, erased_at__isnull=True).first()


@dataclass
class CitizenView:
    reference: str
    received_at: dt.datetime
    status: str
    messages: list[dict]


def citizen_status(tip: Tip) -> str:
    """The tip's state in plain words, without confidential detail."""
    if tip.state == State.CLOSED:
        if tip.decision == Decision.PROSECUTE:
            return _("Settled: the competent body has decided to institute criminal proceedings.")
        if tip.decision == Decision.NOT_PROSECUTE:
            return _(
                "Settled: the competent body has decided not to institute criminal proceedings."
            )
        if tip.decision == Decision.SUSPEND:
            return _("The settlement has been suspended for the time being.")
        return _("Settled: the handling unit has finished dealing with your tip.")
    if tip.state == State.TRANSFERRED:
        return _("Transferred to the competent body, which will deal with it.")
    if tip.state == State.CHECKING:
        return _("Being verified by the handling unit.")
    return _("Received: your tip has reached the responsible unit and awaits review.")


def _messages(tip: Tip, key: bytes, *, notes: bool) -> list[dict]:
    out = []
    for m in tip.messages.all():
        if m.author == Author.NOTE and not notes:
            continue
        out.append(
            {
                "author": m.author,
                "author_label": m.get_author_display(),
                "officer": m.officer,
                "at": m.at,
                "text": crypto.decrypt(key, bytes(m.box)).decode(),
            }
        )
    return out


def citizen_view(tip: Tip) -> CitizenView:
    key = vault.data_key(tip, tip.body)
    return CitizenView(
        reference=tip.reference,
        received_at=tip.received_at,
        status=citizen_status(tip),
        messages=[
            {
                "author": m["author"],
                "author_label": m["author_label"],
                "at": m["at"],
                "text": m["text"],
            }
            for m in _messages(tip, key, notes=False)
        ],
    )


@transaction.atomic
def citizen_message(tip: Tip, text: str) -> Message:
    errors: dict[str, str] = {}
    text = _checked_text(errors, "text", text, MAX_MESSAGE)
    if not text:
        errors["text"] = _("Write your message.")
    if tip.state == State.CLOSED and not errors:
        errors["text"] = _("This tip has been settled; send a new tip if you have more to say.")
    if errors:
        raise RecordErrors(errors)
    key = vault.data_key(tip, tip.body)
    return Message.objects.create(
        tip=tip, author=Author.CITIZEN, at=hour_of(_now()), box=crypto.encrypt(key, text.encode())
    )


# --- the handling unit's side ------------------------------------------------------------------


def deny(user: User, tip: Tip) -> None:
    """Someone asked for a tip they may not read: they learn nothing (404, as for a tip that
    does not exist), and the attempt is recorded."""
    audit_record(actor=user, action="tips.denied", obj=tip, summary=f"#{tip.pk}")
    raise Http404(_("No such tip."))


def _require(user: User, tip: Tip) -> None:
    """Only the tip-handling officers of the tip's body."""
    if tip.erased_at is not None or not user_handles(user, tip.body):
        deny(user, tip)


def _handled(service):
    """A service on a tip for its handlers: the check first (so that a denial is recorded
    even though the change is not made), then the change in one transaction."""

    @functools.wraps(service)
    def run(user: User, tip: Tip, **kwargs):
        _require(user, tip)
        with transaction.atomic():
            return service(user, tip, **kwargs)

    return run


@dataclass
class OfficerView:
    tip: Tip
    content: dict
    messages: list[dict]
    attachments: list[Attachment]


def tip_open(user: User, tip: Tip) -> OfficerView:
    """Decrypt a tip for one of its handlers (audited)."""
    _require(user, tip)
    key = vault.data_key(tip, tip.body)
    view = OfficerView(
        tip=tip,
        content=vault.open_json(key, tip.content),
        messages=_messages(tip, key, notes=True),
        attachments=list(tip.attachments.all()),
    )
    audit_record(actor=user, action="tips.read", obj=tip, summary=tip.reference)
    return view


def tip_contact(user: User, tip: Tip) -> str:
    """The contact block, opened only on purpose (audited apart from the content)."""
    _require(user, tip)
    audit_record(actor=user, action="tips.contact_read", obj=tip, summary=tip.reference)
    if tip.contact is None:
        return ""
    return vault.open_json(vault.data_key(tip, tip.body), tip.contact)


def tip_attachment(user: User, tip: Tip, pk: int) -> tuple[str, bytes]:
    _require(user, tip)
    attachment = tip.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404(_("No such file."))
    audit_record(
        actor=user, action="tips.attachment_read", obj=tip, summary=f"{tip.reference} #{pk}"
    )
    return attachment.ext, crypto.decrypt(vault.data_key(tip, tip.body), bytes(attachment.box))


def _changed(user: User, tip: Tip, action: str, fields: dict[str, Any], summary: str = "") -> Tip:
    old = {name: getattr(tip, name) for name in fields}
    for name, value in fields.items():
        setattr(tip, name, value)
    tip.save(update_fields=list(fields))
    audit_record(
        actor=user,
        action=action,
        obj=tip,
        summary=summary or tip.reference,
        changes={
            name: [_plain(old[name]), _plain(value)]
            for name, value in fields.items()
            if old[name] != value
        },
    )
    return tip


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    return value.isoformat() if hasattr(value, "isoformat") else value


def _require_open(tip: Tip) -> None:
    if tip.state == State.CLOSED:
        raise RecordErrors({"": _("This tip has been settled.")})


@_handled
def tip_classify(user: User, tip: Tip, *, kind: str, topic: str) -> Tip:
    """Classify the tip. A report of a crime starts its legal clock from the day it was
    received (and keeps it if classified again)."""
    _require_open(tip)
    if kind not in Kind.values or kind == Kind.UNCLASSIFIED:
        raise RecordErrors({"kind": _("Choose the classification.")})
    if topic not in Topic.values:
        raise RecordErrors({"topic": _("Choose what the tip is about.")})
    fields: dict[str, Any] = {"kind": kind, "topic": topic}
    if tip.state in (State.RECEIVED, State.TRANSFERRED):
        fields["state"] = State.CHECKING
    if kind == Kind.CRIME and tip.deadline is None:
        fields["deadline"] = legal.first_deadline(tip.received_on)
    elif kind != Kind.CRIME:
        fields.update(deadline=None, extensions=0)
    return _changed(user, tip, "tips.classified", fields)


@_handled
def tip_triage(user: User, tip: Tip, *, triage: str) -> Tip:
    if triage not in Triage.values or triage == Triage.PENDING:
        raise RecordErrors({"triage": _("Choose the assessment.")})
    fields: dict[str, Any] = {"triage": triage}
    if tip.state in (State.RECEIVED, State.TRANSFERRED):
        fields["state"] = State.CHECKING
    _changed(user, tip, "tips.triaged", fields)
    recount(["tips.valuable"], [tip.area], actor=user, reason=f"{tip.reference}: triage")
    return tip


@_handled
def tip_assign(user: User, tip: Tip, *, assignee: User | None) -> Tip:
    if assignee is not None and not user_handles(assignee, tip.body):
        raise RecordErrors({"assignee": _("Assign the tip to an officer handling tips here.")})
    return _changed(user, tip, "tips.assigned", {"assignee": assignee})


@_handled
def tip_write(user: User, tip: Tip, *, text: str, to_citizen: bool) -> Message:
    """A reply the sender reads with the receipt, or an internal note."""
    errors: dict[str, str] = {}
    text = _checked_text(errors, "text", text, MAX_MESSAGE)
    if not text:
        errors["text"] = _("Write your message.")
    if errors:
        raise RecordErrors(errors)
    key = vault.data_key(tip, tip.body)
    message = Message.objects.create(
        tip=tip,
        author=Author.UNIT if to_citizen else Author.NOTE,
        officer=user,
        at=_now(),
        box=crypto.encrypt(key, text.encode()),
    )
    audit_record(
        actor=user,
        action="tips.replied" if to_citizen else "tips.noted",
        obj=tip,
        summary=tip.reference,
    )
    return message


@_handled
def tip_transfer(user: User, tip: Tip, *, to: Body | None, reason: str) -> Tip:
    """Hand the tip to another body (the competent investigating body): its data key is
    wrapped for that body and the present body's copy is destroyed."""
    _require_open(tip)
    errors: dict[str, str] = {}
    today = _today()
    if to is None or to.kind != BodyKind.POLICE or not to.is_valid_on(today):
        errors["to"] = _("Choose a police body in operation.")
    elif to.pk == tip.body_id:
        errors["to"] = _("The tip is already with this body.")
    reason = _checked_text(errors, "reason", reason, 500)
    if not reason and "reason" not in errors:
        errors["reason"] = _("Say why the tip is transferred.")
    if errors:
        raise RecordErrors(errors)
    key = vault.data_key(tip, tip.body)
    vault.wrap_for(tip, to, key)
    WrappedKey.objects.filter(tip=tip).exclude(body=to).delete()
    old = tip.body
    return _changed(
        user,
        tip,
        "tips.transferred",
        {"body": to, "state": State.TRANSFERRED, "assignee": None},
        summary=f"{tip.reference}: {old} → {to}. {reason}",
    )


@_handled
def tip_extend(user: User, tip: Tip, *, until: dt.date | None = None) -> Tip:
    """Extend the deadline of a report of a crime: first to no more than 2 months from
    receipt (complex matters), then once by the procuracy by no more than 2 months."""
    _require_open(tip)
    if tip.kind != Kind.CRIME or tip.deadline is None:
        raise RecordErrors({"": _("Only a report of a crime has a legal deadline.")})
    if tip.extensions >= legal.MAX_EXTENSIONS:
        raise RecordErrors({"until": _("The deadline has already been extended twice.")})
    received = tip.received_on
    latest = legal.latest_deadline(received, tip.deadline, tip.extensions)
    until = until or latest
    if until <= tip.deadline or until > latest:
        raise RecordErrors(
            {
                "until": _("The new deadline must fall after %(d)s and no later than %(l)s.")
                % {"d": f"{tip.deadline:%d/%m/%Y}", "l": f"{latest:%d/%m/%Y}"}
            }
        )
    return _changed(
        user, tip, "tips.extended", {"deadline": until, "extensions": tip.extensions + 1}
    )


@_handled
def tip_decide(user: User, tip: Tip, *, decision: str, on: dt.date | None = None) -> Tip:
    """Settle a report of a crime by one of the three decisions."""
    _require_open(tip)
    on = on or _today()
    received = tip.received_on
    if tip.kind != Kind.CRIME:
        raise RecordErrors({"decision": _("Classify the tip as a report of a crime first.")})
    if decision not in Decision.values:
        raise RecordErrors({"decision": _("Choose one of the three decisions.")})
    if on < received or on > _today():
        raise RecordErrors({"on": _("The decision's date must fall between receipt and today.")})
    return _changed(
        user,
        tip,
        "tips.decided",
        {"decision": decision, "decided_on": on, "state": State.CLOSED, "closed_on": on},
    )


@_handled
def tip_close(user: User, tip: Tip) -> Tip:
    """Settle a tip that is not a report of a crime (or is of no value, a duplicate, out of
    scope)."""
    _require_open(tip)
    if tip.kind == Kind.CRIME:
        raise RecordErrors({"": _("A report of a crime is settled by one of the three decisions.")})
    if tip.kind == Kind.UNCLASSIFIED and tip.triage not in CLOSING_TRIAGE:
        raise RecordErrors({"": _("Classify or assess the tip before settling it.")})
    return _changed(user, tip, "tips.closed", {"state": State.CLOSED, "closed_on": _today()})


# --- cases ----------------------------------------------------------------------------------------

CASE_FIELDS = ("number", "offence", "area", "opened_on", "cleared_on", "suspects", "assets_vnd")


@transaction.atomic
def case_save(
    user: User, *, body: Body, data: dict[str, Any], tips: Iterable[Tip], case: Case | None = None
) -> Case:
    """Record a case and the tips that led to it; its counts reach the indicators."""
    if not user_handles(user, body) or (case is not None and case.body_id != body.pk):
        raise Http404(_("No such case."))
    errors: dict[str, str] = {}
    number = str(data.get("number") or "").strip()[:64]
    if not number:
        errors["number"] = _("Give the case number.")
    elif Case.objects.filter(number=number).exclude(pk=getattr(case, "pk", None)).exists():
        errors["number"] = _("A case with this number is already recorded.")
    if data.get("offence") not in Topic.values:
        errors["offence"] = _("Choose the offence group.")
    area = data.get("area")
    if not isinstance(area, Area) or area.level != Level.COMMUNE:
        errors["area"] = _("Choose the commune or ward of the case.")
    opened, cleared = data.get("opened_on"), data.get("cleared_on")
    if not isinstance(opened, dt.date) or opened > _today():
        errors["opened_on"] = _("Give the date the case was opened (not in the future).")
    elif cleared is not None and (cleared < opened or cleared > _today()):
        errors["cleared_on"] = _("The case is cleared after it is opened, and not in the future.")
    for name in ("suspects", "assets_vnd"):
        value = data.get(name)
        if not isinstance(value, int) or value < 0:
            errors[name] = _("Give a whole number, zero or more.")
    tips = list(tips)
    if not tips:
        errors["tips"] = _("Link the case to the tip or tips that led to it.")
    elif any(t.body_id != body.pk or t.erased_at is not None for t in tips):
        errors["tips"] = _("Link only tips your body handles.")
    if errors:
        raise RecordErrors(errors)
    old_area = case.area if case else None
    values = {name: data.get(name) for name in CASE_FIELDS}
    values["number"] = number
    if case is None:
        case = Case.objects.create(body=body, **values)
        action, changes = "tips.case_created", {}
    else:
        changes = {
            n: [_plain(getattr(case, n)), _plain(v)]
            for n, v in values.items()
            if getattr(case, n) != v
        }
        for n, v in values.items():
            setattr(case, n, v)
        case.save()
        action = "tips.case_changed"
    case.tips.set(tips)
    audit_record(actor=user, action=action, obj=case, summary=case.number, changes=changes)
    recount(CASE_SOURCES, [case.area, old_area], actor=user, reason=f"case {case.number}")
    return case


# --- retention ----------------------------------------------------------------------------------


def retention_install() -> None:
    for category, months in RETENTION_DEFAULTS.items():
        RetentionRule.objects.get_or_create(category=category, defaults={"months": months})


@transaction.atomic
def tip_erase(tip: Tip, *, actor: Any = None, reason: str) -> None:
    """Crypto-erase a tip: its wrapped keys are destroyed and its ciphertexts dropped, so
    nothing can open what it said; the row stays, so the counts already made remain."""
    WrappedKey.objects.filter(tip=tip).delete()
    tip.attachments.all().delete()
    tip.messages.all().delete()
    tip.content = b""
    tip.contact = None
    tip.receipt_digest = None
    tip.erased_at = _now()
    tip.save(update_fields=["content", "contact", "receipt_digest", "erased_at"])
    audit_record(actor=actor, action="tips.erased", obj=tip, summary=f"{tip.reference}: {reason}")


def tips_erase_expired(today: dt.date | None = None) -> int:
    """Erase every settled tip kept longer than its category's retention period."""
    today = today or _today()
    months = dict(RetentionRule.objects.values_list("category", "months"))
    n = 0
    for tip in Tip.objects.filter(erased_at__isnull=True, state=State.CLOSED).exclude(
        closed_on__isnull=True
    ):
        keep = months.get(tip.retention_category, RETENTION_DEFAULTS[tip.retention_category])
        if legal.add_months(tip.closed_on, keep) < today:
            tip_erase(tip, reason=_("retention period of %(n)s months ended") % {"n": keep})
            n += 1
    return n


# --- counts and warnings --------------------------------------------------------------------------


def recount(sources: Iterable[str], areas: Iterable[Area | None], *, actor: Any, reason: str):
    units: set[int] = set()
    for area in {a.pk: a for a in areas if a is not None}.values():
        units |= area_related(area)
    indicators = list(Indicator.objects.filter(derived_source__in=list(sources)))
    if units and indicators:
        derived.refresh(indicators, units, actor=actor, reason=reason[:500])


def deadline_warnings(today: dt.date | None = None) -> int:
    """Notify the handlers of every report of a crime whose deadline is near or past (once
    per tip, state and deadline)."""
    from antq.core.services import notify

    today = today or _today()
    n = 0
    open_crimes = Tip.objects.filter(
        kind=Kind.CRIME, erased_at__isnull=True, deadline__isnull=False
    ).exclude(state=State.CLOSED)
    for tip in open_crimes.select_related("body"):
        state = legal.clock(tip.deadline, today)
        if state in (None, legal.Clock.OK):
            continue
        title = (
            _("Tip %(ref)s: the deadline for settling it passed on %(d)s")
            if state == legal.Clock.OVERDUE
            else _("Tip %(ref)s: the deadline for settling it is %(d)s")
        ) % {"ref": tip.reference, "d": f"{tip.deadline:%d/%m/%Y}"}
        for handler in body_handlers(tip.body):
            n += notify(
                user=handler,
                kind="tip_deadline",
                title=title,
                url=reverse("tips:detail", args=[tip.pk]),
                dedupe_key=f"tip-deadline:{tip.pk}:{state}:{tip.deadline:%Y%m%d}",
            )
    return n


def tips_tick(today: dt.date | None = None) -> dict[str, int]:
    """The hourly round: counts of tips received reach the indicators (at most an hour late,
    so that no total reveals the minute a tip came in), deadline warnings, erasure."""
    today = today or _today()
    indicators = list(Indicator.objects.filter(derived_source__startswith="tips."))
    if indicators:
        derived.refresh(indicators, actor=None, reason="antq tips tick", recent=2)
    return {"warned": deadline_warnings(today), "erased": tips_erase_expired(today)}


def tips_install(*, start: dt.date | None = None) -> bool:
    """First install: retention periods, and the standard indicators linked to the tip
    counts from `start` (default: this month); False when already installed."""
    from antq.tips.counts import LINKS

    if RetentionRule.objects.exists():
        return False
    retention_install()
    start = start or _today().replace(day=1)
    for indicator in Indicator.objects.filter(code__in=list(LINKS), derived_source=""):
        derived.derivation_set(indicator=indicator, source=LINKS[indicator.code], start=start)
    return True
