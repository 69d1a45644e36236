"""Writes of the grassroots registries: checked (located Vietnamese messages, nothing saved on
a problem), scoped (the actor must be allowed to enter data on the record's area), audited,
and followed in the same transaction by the recount of every indicator derived from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.accounts.selectors import Action, user_can
from antq.areas.models import Area, Level
from antq.areas.selectors import area_related
from antq.core.errors import RecordErrors
from antq.core.services import audit_diff, audit_record
from antq.core.uploads import UnreadableImage, image_without_metadata, sniff
from antq.core.vnformat import plain_number
from antq.grassroots.models import (
    TEAMS_LAW_FROM,
    Assessment,
    Attachment,
    MediaItem,
    ModelStatus,
    ModelType,
    MovementEvent,
    SecurityTeam,
    SelfManagementModel,
    StatusChange,
    TeamMember,
)
from antq.indicators import derived
from antq.indicators.models import Indicator

MODEL_SOURCES = (
    "grassroots.models_active",
    "grassroots.models_new",
    "grassroots.models_replicated",
)
TEAM_SOURCES = ("grassroots.teams", "grassroots.team_members")
EVENT_SOURCES = ("grassroots.launches", "grassroots.ngay_hoi_participants", "grassroots.meetings")
# The largest count the database keeps (a PositiveIntegerField, on every backend).
MAX_COUNT = 2_147_483_647


def media_sources() -> tuple[str, ...]:
    return tuple(k for k in derived.SOURCES if k.startswith("grassroots.media"))


def _today() -> dt.date:
    return timezone.localdate()


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _may_enter(actor: Any, area: Area, on: dt.date | None = None) -> None:
    if actor is None:  # setup, demo and commands act for the system
        return
    if not user_can(actor, Action.ENTER, area=area, on=on or (area.valid_to or _today())):
        raise PermissionDenied(_("You may not register records for %(area)s.") % {"area": area})


def recount(sources: Iterable[str], areas: Iterable[Area], *, actor: Any, reason: str) -> None:
    """Recount the indicators derived from these sources on every unit the areas' records
    can be counted on (the areas and those linked to them by the 2025 reform)."""
    units: set[int] = set()
    for area in {a.pk: a for a in areas if a is not None}.values():
        units |= area_related(area)
    indicators = Indicator.objects.filter(derived_source__in=list(sources))
    if units and indicators.exists():
        derived.refresh(list(indicators), units, actor=actor, reason=reason[:500])


def _check_area(area: Area | None, errors: dict, levels=(Level.COMMUNE, Level.VILLAGE)) -> None:
    if area is None:
        errors["area"] = _("Choose the commune (or village) of the record.")
    elif area.level not in levels:
        errors["area"] = _("%(area)s is not a commune or a village.") % {"area": area.name}


def _snapshot(obj, fields: Iterable[str]) -> dict:
    out = {}
    for f in fields:
        v = getattr(obj, f)
        out[f] = v.pk if hasattr(v, "pk") else (v.isoformat() if hasattr(v, "isoformat") else v)
    return out


def _saved(
    obj,
    *,
    actor: Any,
    kind: str,
    before: dict,
    fields: Iterable[str],
    summary: str,
    sources: Iterable[str],
    old_area: Area | None,
):
    """The common end of a record's save: write it, audit the creation or the changed
    fields, recount what it feeds on its old and new area."""
    obj.save()
    audit_record(
        actor=actor,
        action=f"grassroots.{kind}_update" if before else f"grassroots.{kind}_create",
        obj=obj,
        summary=summary,
        changes=audit_diff(before, _snapshot(obj, fields)) if before else {},
    )
    recount(sources, [old_area, obj.area], actor=actor, reason=summary)
    return obj


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise RecordErrors({"reason": _("Say why the record is deleted.")})


def _deleted(
    obj,
    *,
    actor: Any,
    kind: str,
    reason: str,
    summary: str,
    sources: Iterable[str],
    files: Iterable = (),
):
    """Delete a record entered by mistake (the reason is kept in the audit), recount what it
    fed, and remove its stored files once the deletion is committed (not before: a rollback
    keeps the record, so it must keep its files)."""
    area, pk, label = obj.area, obj.pk, obj._meta.label_lower
    for stored in files:
        if stored:
            storage, name = stored.storage, stored.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    obj.delete()
    audit_record(
        actor=actor,
        action=f"grassroots.{kind}_delete",
        object_type=label,
        object_id=str(pk),
        summary=summary,
        changes={"reason": reason.strip()[:500]},
    )
    recount(sources, [area], actor=actor, reason=_("deleted: %(name)s") % {"name": summary})


# --- self-management models ----------------------------------------------------------------

MODEL_FIELDS = (
    "name",
    "type",
    "area",
    "place",
    "host_body",
    "founded_on",
    "members",
    "replicated_from",
    "description",
)


@transaction.atomic
def model_save(
    *, actor: Any, data: dict[str, Any], model: SelfManagementModel | None = None
) -> SelfManagementModel:
    """Register a model or change its record. Counts follow on the old and new area."""
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Give the model's name.")
    if not isinstance(data.get("type"), ModelType):
        errors["type"] = _("Choose the type of model.")
    area = data.get("area")
    _check_area(area, errors)
    founded = data.get("founded_on")
    if not isinstance(founded, dt.date):
        errors["founded_on"] = _("Give the founding date (dd/mm/yyyy).")
    elif founded > _today():
        errors["founded_on"] = _("The founding date %(date)s is in the future.") % {
            "date": _d(founded)
        }
    members = data.get("members") or 0
    if not isinstance(members, int) or members < 0:
        errors["members"] = _("The number of members is a whole number, 0 or more.")
    elif members > MAX_COUNT:
        errors["members"] = _("The number of members is too large.")
    source = data.get("replicated_from")
    if source is not None:
        if model is not None and source.pk == model.pk:
            errors["replicated_from"] = _("A model cannot be replicated from itself.")
        elif isinstance(founded, dt.date) and source.founded_on > founded:
            errors["replicated_from"] = _(
                "%(source)s was founded on %(date)s, after this model."
            ) % {"source": source.name, "date": _d(source.founded_on)}
    if model is not None and isinstance(founded, dt.date):
        first = model.status_changes.order_by("since").first()
        if first is not None and first.since < founded:
            errors["founded_on"] = _(
                "The model's status changed on %(date)s, before this founding date."
            ) % {"date": _d(first.since)}
    if errors:
        raise RecordErrors(errors)
    _may_enter(actor, area)
    old_area = None
    if model is None:
        model = SelfManagementModel(created_by=actor if getattr(actor, "pk", None) else None)
        before = {}
    else:
        _may_enter(actor, model.area)
        old_area = model.area
        before = _snapshot(model, MODEL_FIELDS)
    for f in MODEL_FIELDS:
        value = data.get(f, getattr(model, f, None) if model.pk else None)
        if f in ("place", "description"):
            value = (value or "").strip()
        if f == "name":
            value = name
        if f == "members":
            value = members
        setattr(model, f, value)
    return _saved(
        model,
        actor=actor,
        kind="model",
        before=before,
        fields=MODEL_FIELDS,
        summary=model.name,
        sources=MODEL_SOURCES,
        old_area=old_area,
    )


@transaction.atomic
def model_status_set(
    *, actor: Any, model: SelfManagementModel, status: str, since: dt.date, note: str = ""
) -> StatusChange:
    """A new status from a day on (paused, operating again, dissolved)."""
    errors: dict[str, str] = {}
    if status not in ModelStatus.values:
        errors["status"] = _("Choose a status.")
    if not isinstance(since, dt.date):
        errors["since"] = _("Give the date of the change (dd/mm/yyyy).")
    elif since < model.founded_on:
        errors["since"] = _(
            "The model was founded on %(founded)s; it cannot change status on %(date)s, "
            "before it was founded."
        ) % {"founded": _d(model.founded_on), "date": _d(since)}
    elif since > _today():
        errors["since"] = _("The date %(date)s is in the future.") % {"date": _d(since)}
    elif model.status_changes.filter(since=since).exists():
        errors["since"] = _("The model already has a status change on %(date)s.") % {
            "date": _d(since)
        }
    if errors:
        raise RecordErrors(errors)
    _may_enter(actor, model.area)
    change = StatusChange.objects.create(model=model, status=status, since=since, note=note[:500])
    latest = model.status_changes.order_by("-since", "-pk").first()
    model.status = latest.status if latest else ModelStatus.OPERATING
    model.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="grassroots.model_status",
        obj=model,
        summary=f"{model.name}: {status} {since.isoformat()}",
        changes={"note": note[:500]} if note else {},
    )
    recount(MODEL_SOURCES, [model.area], actor=actor, reason=f"{model.name}: {status}")
    return change


@transaction.atomic
def model_delete(*, actor: Any, model: SelfManagementModel, reason: str) -> None:
    """Remove a record entered by mistake (a model that ended is dissolved, not deleted)."""
    _require_reason(reason)
    _may_enter(actor, model.area)
    _deleted(
        model,
        actor=actor,
        kind="model",
        reason=reason,
        summary=model.name,
        sources=MODEL_SOURCES,
        files=[a.file for a in model.attachments.all()],
    )


@transaction.atomic
def model_assess(
    *, actor: Any, model: SelfManagementModel, year: int, rating: str, notes: str = ""
) -> Assessment:
    """The year's assessment of the model (one per year; a second replaces the first)."""
    from antq.grassroots.models import Rating

    errors: dict[str, str] = {}
    if rating not in Rating.values:
        errors["rating"] = _("Choose a rating.")
    if not isinstance(year, int) or year < model.founded_on.year or year > _today().year:
        errors["year"] = _("The year must be between %(first)s and %(last)s.") % {
            "first": model.founded_on.year,
            "last": _today().year,
        }
    if errors:
        raise RecordErrors(errors)
    _may_enter(actor, model.area)
    assessment, _created = Assessment.objects.update_or_create(
        model=model,
        year=year,
        defaults={
            "rating": rating,
            "notes": notes.strip(),
            "assessed_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    audit_record(
        actor=actor,
        action="grassroots.model_assess",
        obj=model,
        summary=f"{model.name} {year}: {rating}",
    )
    return assessment


@transaction.atomic
def attachment_add(
    *, actor: Any, model: SelfManagementModel, upload, title: str = ""
) -> Attachment:
    """A photo (JPEG, PNG) or a document (PDF), judged by content. Photos are re-encoded
    from their pixels, so they keep no metadata (GPS position, camera, time)."""
    _may_enter(actor, model.area)
    kind, ext, content = _checked_file(upload)
    attachment = Attachment(
        model=model,
        kind=kind,
        title=title.strip()[:200],
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(f"{model.pk}-{timezone.now():%Y%m%d%H%M%S}{ext}", content, save=False)
    attachment.save()
    audit_record(
        actor=actor, action="grassroots.attachment_add", obj=model, summary=attachment.title
    )
    return attachment


def _checked_file(upload) -> tuple[str, str, Any]:
    """(kind, extension, content) of an uploaded photo (JPEG, PNG: re-encoded without its
    metadata) or PDF, judged by content and size; RecordErrors otherwise."""
    from antq.directives.services import max_upload_bytes

    if upload.size > max_upload_bytes():
        raise RecordErrors(
            {
                "file": _("The file is too large (limit %(mb)s MB).")
                % {"mb": max_upload_bytes() // 2**20}
            }
        )
    upload.seek(0)
    found = sniff(upload.read(8))
    upload.seek(0)
    if found is None:
        raise RecordErrors({"file": _("Attach a photo (JPEG, PNG) or a PDF document.")})
    kind, ext = found
    if kind != "photo":
        return kind, ext, upload
    try:
        return kind, ext, ContentFile(image_without_metadata(upload, ext))
    except UnreadableImage:
        raise RecordErrors({"file": _("The photo cannot be read.")}) from None


# --- security teams ------------------------------------------------------------------------

TEAM_FIELDS = (
    "name",
    "area",
    "place",
    "decision_number",
    "decision_date",
    "established_on",
    "dissolved_on",
)


@transaction.atomic
def team_save(
    *, actor: Any, data: dict[str, Any], team: SecurityTeam | None = None
) -> SecurityTeam:
    errors: dict[str, str] = {}
    for f, message in (
        ("name", _("Give the team's name.")),
        ("place", _("Give the village or residential group.")),
        ("decision_number", _("Give the number of the commune's decision.")),
    ):
        if not (data.get(f) or "").strip():
            errors[f] = message
    area = data.get("area")
    _check_area(area, errors, levels=(Level.COMMUNE,))
    established = data.get("established_on")
    decided = data.get("decision_date")
    dissolved = data.get("dissolved_on")
    if not isinstance(decided, dt.date):
        errors["decision_date"] = _("Give the date of the decision (dd/mm/yyyy).")
    if not isinstance(established, dt.date):
        errors["established_on"] = _("Give the date the team was set up (dd/mm/yyyy).")
    elif established < TEAMS_LAW_FROM:
        errors["established_on"] = _(
            "Security teams are set up under Law 30/2023/QH15, in force from 01/07/2024."
        )
    elif established > _today():
        errors["established_on"] = _("The date %(date)s is in the future.") % {
            "date": _d(established)
        }
    elif isinstance(decided, dt.date) and decided > established:
        errors["decision_date"] = _("The decision is dated after the team was set up.")
    if dissolved is not None and isinstance(established, dt.date) and dissolved < established:
        errors["dissolved_on"] = _("The team cannot end before it was set up.")
    if (
        isinstance(area, Area)
        and isinstance(established, dt.date)
        and not area.is_valid_on(established)
    ):
        errors["area"] = _("%(area)s did not exist on %(date)s.") % {
            "area": area.name,
            "date": _d(established),
        }
    if team is not None and isinstance(established, dt.date):
        early = team.members.filter(joined_on__lt=established).first()
        if early:
            errors["established_on"] = _(
                "%(name)s joined the team on %(date)s, before this date."
            ) % {
                "name": early.full_name,
                "date": _d(early.joined_on),
            }
    if errors:
        raise RecordErrors(errors)
    _may_enter(actor, area)
    old_area = None
    before = {}
    if team is None:
        team = SecurityTeam()
    else:
        _may_enter(actor, team.area)
        old_area = team.area
        before = _snapshot(team, TEAM_FIELDS)
    for f in TEAM_FIELDS:
        value = data.get(f)
        setattr(team, f, value.strip() if isinstance(value, str) else value)
    return _saved(
        team,
        actor=actor,
        kind="team",
        before=before,
        fields=TEAM_FIELDS,
        summary=team.name,
        sources=TEAM_SOURCES,
        old_area=old_area,
    )


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@transaction.atomic
def member_save(
    *, actor: Any, team: SecurityTeam, data: dict[str, Any], member: TeamMember | None = None
) -> TeamMember:
    """A member joins (or a member's record is corrected). Members are 18 to 70 years old
    when appointed (Law 30/2023/QH15, art. 17)."""
    from antq.grassroots.models import MemberRole

    errors: dict[str, str] = {}
    name = (data.get("full_name") or "").strip()
    if not name:
        errors["full_name"] = _("Give the member's full name.")
    if data.get("role") not in MemberRole.values:
        errors["role"] = _("Choose the member's role.")
    born, joined, left = data.get("birth_date"), data.get("joined_on"), data.get("left_on")
    if not isinstance(born, dt.date):
        errors["birth_date"] = _("Give the date of birth (dd/mm/yyyy).")
    if not isinstance(joined, dt.date):
        errors["joined_on"] = _("Give the date the member joined (dd/mm/yyyy).")
    elif joined < team.established_on:
        errors["joined_on"] = _("The team was set up on %(date)s; a member cannot join before.") % {
            "date": _d(team.established_on)
        }
    elif team.dissolved_on and joined >= team.dissolved_on:
        errors["joined_on"] = _("The team ended on %(date)s.") % {"date": _d(team.dissolved_on)}
    elif joined > _today():
        errors["joined_on"] = _("The date %(date)s is in the future.") % {"date": _d(joined)}
    if isinstance(born, dt.date) and isinstance(joined, dt.date) and "joined_on" not in errors:
        age = age_on(born, joined)
        if not 18 <= age <= 70:
            errors["birth_date"] = _(
                "%(name)s was %(age)s on %(date)s; members are appointed between 18 and 70 years "
                "of age."
            ) % {"name": name or _("The member"), "age": age, "date": _d(joined)}
    if left is not None and isinstance(joined, dt.date) and left < joined:
        errors["left_on"] = _("The member cannot leave before joining.")
    if data.get("role") == MemberRole.LEADER and isinstance(joined, dt.date):
        others = team.members.filter(role=MemberRole.LEADER).exclude(pk=getattr(member, "pk", None))
        for other in others:
            if other.left_on is None or other.left_on > joined:
                if left is None or other.joined_on < left:
                    errors["role"] = _("%(name)s leads the team over the same time.") % {
                        "name": other.full_name
                    }
                    break
    if errors:
        raise RecordErrors(errors)
    _may_enter(actor, team.area)
    member = member or TeamMember(team=team)
    before = _snapshot(member, ("role", "joined_on", "left_on")) if member.pk else {}
    member.full_name, member.role, member.birth_date = name, data["role"], born
    member.joined_on, member.left_on = joined, left
    member.save()
    audit_record(
        actor=actor,
        action="grassroots.member_update" if before else "grassroots.member_create",
        obj=team,
        summary=f"{team.name}: {member.get_role_display()}",  # no names in the audit summary
        changes=audit_diff(before, _snapshot(member, ("role", "joined_on", "left_on")))
        if before
        else {},
    )
    recount(("grassroots.team_members",), [team.area], actor=actor, reason=team.name)
    return member


# --- media items and events ----------------------------------------------------------------


def _check_media(data: dict[str, Any]) -> dict[str, str]:
    from antq.grassroots.models import MediaKind, OutletLevel

    errors: dict[str, str] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Give the title.")
    if data.get("kind") not in MediaKind.values:
        errors["kind"] = _("The type must be one of: %(kinds)s.") % {
            "kinds": ", ".join(MediaKind.values)
        }
    if not (data.get("outlet") or "").strip():
        errors["outlet"] = _("Give the outlet (newspaper, radio, website…).")
    if data.get("outlet_level") not in OutletLevel.values:
        errors["outlet_level"] = _("The outlet level must be central or local.")
    day = data.get("published_on")
    if not isinstance(day, dt.date):
        errors["published_on"] = _("Give the date of publication (dd/mm/yyyy).")
    elif day > _today():
        errors["published_on"] = _("The date %(date)s is in the future.") % {"date": _d(day)}
    area = data.get("area")
    _check_area(area, errors, levels=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE))
    if isinstance(area, Area) and isinstance(day, dt.date) and not area.is_valid_on(day):
        errors["area"] = _("%(area)s did not exist on %(date)s.") % {
            "area": area.name,
            "date": _d(day),
        }
    link = (data.get("link") or "").strip()
    if link and not link.startswith(("http://", "https://")):
        errors["link"] = _("The link must start with http:// or https://.")
    return errors


MEDIA_FIELDS = ("title", "kind", "outlet", "outlet_level", "published_on", "area", "link")
MEDIA_TEXT = ("title", "kind", "outlet", "outlet_level", "link")


def _media_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        f: (data.get(f) or "").strip() if f in MEDIA_TEXT else data.get(f) for f in MEDIA_FIELDS
    }


@transaction.atomic
def media_save(*, actor: Any, data: dict[str, Any], item: MediaItem | None = None) -> MediaItem:
    errors = _check_media(data)
    if errors:
        raise RecordErrors(errors)
    _may_enter(actor, data["area"], data["published_on"])
    old_area, before = None, {}
    if item is None:
        item = MediaItem(created_by=actor if getattr(actor, "pk", None) else None)
    else:
        _may_enter(actor, item.area, item.published_on)
        old_area, before = item.area, _snapshot(item, MEDIA_FIELDS)
    for f, value in _media_values(data).items():
        setattr(item, f, value)
    upload = data.get("file")
    if upload:
        _kind, ext, content = _checked_file(upload)
        if item.file:  # the old file goes once the new one is committed
            storage, name = item.file.storage, item.file.name
            transaction.on_commit(lambda: storage.delete(name))
        item.file.save(f"{timezone.now():%Y%m%d%H%M%S%f}{ext}", content, save=False)
    item.full_clean()
    return _saved(
        item,
        actor=actor,
        kind="media",
        before=before,
        fields=MEDIA_FIELDS,
        summary=item.title,
        sources=media_sources(),
        old_area=old_area,
    )


@transaction.atomic
def media_delete(*, actor: Any, item: MediaItem, reason: str) -> None:
    _require_reason(reason)
    _may_enter(actor, item.area, item.published_on)
    _deleted(
        item,
        actor=actor,
        kind="media",
        reason=reason,
        summary=item.title,
        sources=media_sources(),
        files=[item.file],
    )


class ImportErrors(ValidationError):
    """Located problems of an import ("row 12, column D: …"); nothing was saved."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(problems, code="invalid_import")


@transaction.atomic
def media_import(*, actor: Any, rows: list[tuple[str, dict[str, Any]]], reason: str = "") -> int:
    """Create many media items at once, all or none: `rows` are (where, data) — where
    locates a row's problems ("row 12"); data errors name their field."""
    problems: list[str] = []
    items = []
    for where, data in rows:
        errors = _check_media(data)
        for field, message in errors.items():
            problems.append(f"{where}{data.get('_columns', {}).get(field, '')}: {message}")
        if not errors:
            if actor is not None and not user_can(
                actor, Action.ENTER, area=data["area"], on=data["published_on"]
            ):
                problems.append(
                    f"{where}: "
                    + _("You may not register records for %(area)s.") % {"area": data["area"]}
                )
                continue
            items.append(
                MediaItem(
                    created_by=actor if getattr(actor, "pk", None) else None,
                    **_media_values(data),
                )
            )
    if problems:
        raise ImportErrors(problems)
    MediaItem.objects.bulk_create(items, batch_size=1000)
    audit_record(
        actor=actor,
        action="grassroots.media_import",
        object_type="grassroots.mediaitem",
        summary=_("%(n)s media items imported") % {"n": len(items)},
        changes={"reason": reason[:500]} if reason else {},
    )
    areas = {i.area_id: i.area for i in items}
    if len(areas) > 50:  # many units: one recount of everything is cheaper than per unit
        indicators = Indicator.objects.filter(derived_source__in=media_sources())
        derived.refresh(list(indicators), None, actor=actor, reason=reason or _("import"))
    else:
        recount(media_sources(), areas.values(), actor=actor, reason=reason or _("import"))
    return len(items)


EVENT_FIELDS = ("kind", "title", "held_on", "area", "participants", "notes")


@transaction.atomic
def event_save(
    *, actor: Any, data: dict[str, Any], event: MovementEvent | None = None
) -> MovementEvent:
    from antq.grassroots.models import EventKind

    errors: dict[str, str] = {}
    if data.get("kind") not in EventKind.values:
        errors["kind"] = _("Choose the kind of event.")
    if not (data.get("title") or "").strip():
        errors["title"] = _("Give the title.")
    day = data.get("held_on")
    if not isinstance(day, dt.date):
        errors["held_on"] = _("Give the date (dd/mm/yyyy).")
    elif day > _today():
        errors["held_on"] = _("The date %(date)s is in the future.") % {"date": _d(day)}
    participants = data.get("participants") or 0
    if not isinstance(participants, int) or participants < 0:
        errors["participants"] = _("The number of participants is a whole number, 0 or more.")
    elif participants > MAX_COUNT:
        errors["participants"] = _("The number of participants is too large.")
    area = data.get("area")
    _check_area(area, errors, levels=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE))
    if isinstance(area, Area) and isinstance(day, dt.date) and not area.is_valid_on(day):
        errors["area"] = _("%(area)s did not exist on %(date)s.") % {
            "area": area.name,
            "date": _d(day),
        }
    if errors:
        raise RecordErrors(errors)
    _may_enter(actor, area, day)
    old_area, before = None, {}
    if event is None:
        event = MovementEvent(created_by=actor if getattr(actor, "pk", None) else None)
    else:
        _may_enter(actor, event.area, event.held_on)
        old_area, before = event.area, _snapshot(event, EVENT_FIELDS)
    for f in EVENT_FIELDS:
        value = data.get(f)
        setattr(event, f, value.strip() if isinstance(value, str) else value)
    event.participants = participants
    event.notes = event.notes or ""
    return _saved(
        event,
        actor=actor,
        kind="event",
        before=before,
        fields=EVENT_FIELDS,
        summary=event.title,
        sources=EVENT_SOURCES,
        old_area=old_area,
    )


@transaction.atomic
def event_delete(*, actor: Any, event: MovementEvent, reason: str) -> None:
    _require_reason(reason)
    _may_enter(actor, event.area, event.held_on)
    _deleted(
        event, actor=actor, kind="event", reason=reason, summary=event.title, sources=EVENT_SOURCES
    )


# --- installation ---------------------------------------------------------------------------

MODEL_TYPES = (
    (
        "tu-phong-tu-quan",
        "Mô hình “Tự phòng, tự quản, tự bảo vệ, tự hòa giải về an ninh, trật tự”",
        "Self-prevention, self-management, self-protection and self-mediation model",
    ),
    ("to-an-ninh-tu-quan", "Tổ an ninh tự quản", "Self-managed security group"),
    ("to-lien-gia", "Tổ liên gia an toàn", "Neighbourhood safety group"),
    ("cau-lac-bo", "Câu lạc bộ phòng, chống tội phạm", "Crime prevention club"),
    ("to-hoa-giai", "Tổ hòa giải ở cơ sở", "Grassroots mediation group"),
    ("camera-an-ninh", "Mô hình “Camera an ninh”", "Security camera network"),
    ("dong-ho-tu-quan", "Dòng họ tự quản về an ninh, trật tự", "Self-managed clan on security"),
)


@transaction.atomic
def registries_install(*, start: dt.date | None = None) -> bool:
    """First install of the registries: the model types, and the standard indicators linked
    to the registry counts from `start` (default: the first day of this month — figures of
    earlier periods are entered or imported). Returns False when already installed, so
    `antq setup` never re-links what an administrator has changed."""
    from antq.grassroots.counts import LINKS

    if ModelType.objects.exists():
        return False
    for code, name, name_en in MODEL_TYPES:
        ModelType.objects.create(code=code, name=name, name_en=name_en)
    start = start or _today().replace(day=1)
    for indicator in Indicator.objects.filter(code__in=list(LINKS)):
        if not indicator.derived_source:
            derived.derivation_set(indicator=indicator, source=LINKS[indicator.code], start=start)
    return True


# --- the annual assessment of the movement ---------------------------------------------------

ASSESSMENT_SOURCES = (
    "grassroots.class_xuat_sac",
    "grassroots.class_kha",
    "grassroots.class_trung_binh",
    "grassroots.class_yeu",
)
RECOGNITION_SOURCES = ("grassroots.safe_registered", "grassroots.safe_recognised")
TWO_PLACES = Decimal("0.01")

# A standard sheet a province can start from and change (criteria are data).
STANDARD_CRITERIA = (
    ("Lãnh đạo, chỉ đạo, ban hành kế hoạch và phát động phong trào", 10),
    ("Tuyên truyền, phổ biến pháp luật, nâng cao ý thức cảnh giác của Nhân dân", 10),
    ("Xây dựng, duy trì và nhân rộng mô hình tự quản về an ninh, trật tự", 15),
    ("Xây dựng lực lượng nòng cốt, tổ bảo vệ an ninh, trật tự ở cơ sở", 10),
    ("Tiếp nhận, xử lý nguồn tin của Nhân dân về an ninh, trật tự", 10),
    ("Phòng ngừa, đấu tranh với tội phạm, tệ nạn xã hội; tỷ lệ vụ án được làm rõ", 15),
    ("Hòa giải ở cơ sở; giáo dục, cảm hóa người lầm lỗi tại cộng đồng", 10),
    ("Quản lý cư trú, vũ khí, vật liệu nổ; bảo đảm trật tự an toàn giao thông", 10),
    ("Sơ kết, tổng kết, khen thưởng; kết quả Ngày hội toàn dân bảo vệ an ninh Tổ quốc", 10),
)


@transaction.atomic
def sheet_save(
    *,
    actor: Any,
    year: int,
    name: str,
    criteria: list[tuple[str, Any]],
    excellent_from: int = 90,
    good_from: int = 70,
    average_from: int = 50,
    owner=None,
):
    """Create or replace a year's criteria sheet, set by `owner` (a body). The criteria add up
    to 100 points; a sheet already used by an assessment cannot change its criteria. Only
    those grassroots.selectors.user_may_set_sheet allows may (`actor` None: the system)."""
    from antq.grassroots.models import CriteriaSheet, Criterion
    from antq.grassroots.selectors import user_may_set_sheet

    errors: dict[str, str] = {}
    parsed = []
    for n, (text, points) in enumerate(criteria, start=1):
        try:
            value = Decimal(str(points))
        except ArithmeticError:
            value = Decimal(-1)
        if not str(text).strip():
            errors[f"criterion-{n}"] = _("Criterion %(n)s has no text.") % {"n": n}
        elif value <= 0 or value != value.quantize(TWO_PLACES):
            errors[f"criterion-{n}"] = _("Criterion %(n)s: the points must be above 0.") % {"n": n}
        parsed.append((str(text).strip(), value))
    total = sum((p for _t, p in parsed), Decimal(0))
    if not errors and total != 100:
        errors[""] = _("The criteria add up to %(total)s points, not 100.") % {
            "total": plain_number(total)
        }
    if not (100 >= excellent_from > good_from > average_from >= 0):
        errors["thresholds"] = _("The classes need 100 ≥ excellent > good > average ≥ 0 points.")
    sheet = CriteriaSheet.objects.select_for_update().filter(year=year).first()
    if actor is not None and not user_may_set_sheet(actor, sheet):
        raise PermissionDenied(
            _("Only the managers of the body that set the criteria sheet change it.")
            if sheet is not None
            else _("Only the managers of a body above the communes set the criteria sheet.")
        )
    if sheet is not None and sheet.assessments.exists():
        errors[""] = _("The sheet of %(year)s is already used by assessments.") % {"year": year}
    if errors:
        raise RecordErrors(errors)
    if sheet is None:
        sheet = CriteriaSheet(year=year, owner=owner)
    sheet.name = name.strip() or f"Tiêu chí đánh giá phong trào năm {year}"
    sheet.excellent_from, sheet.good_from, sheet.average_from = (
        excellent_from,
        good_from,
        average_from,
    )
    sheet.save()
    sheet.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(sheet=sheet, number=n, text=t, max_points=p)
        for n, (t, p) in enumerate(parsed, start=1)
    )
    audit_record(actor=actor, action="grassroots.sheet_save", obj=sheet, summary=sheet.name)
    return sheet


def _check_sheet(sheet) -> None:
    total = sum((c.max_points for c in sheet.criteria.all()), Decimal(0))
    if total != 100:
        raise RecordErrors(
            {
                "": _(
                    "The criteria sheet of %(year)s adds up to %(total)s points, not 100; "
                    "an administrator must correct it first."
                )
                % {"year": sheet.year, "total": plain_number(total)}
            }
        )


def _points(raw: Any, criterion, errors: dict, field: str) -> Decimal | None:
    from antq.core.vnformat import parse_number

    text = str(raw if raw is not None else "").strip()
    if text == "":
        errors[field] = _("Criterion %(n)s: give the points.") % {"n": criterion.number}
        return None
    try:
        value = parse_number(text, whole=False)
    except (ArithmeticError, ValueError):
        errors[field] = _("Criterion %(n)s: “%(value)s” is not a number.") % {
            "n": criterion.number,
            "value": text[:20],
        }
        return None
    if value < 0 or value > criterion.max_points:
        errors[field] = _("Criterion %(n)s: between 0 and %(max)s points.") % {
            "n": criterion.number,
            "max": plain_number(criterion.max_points),
        }
        return None
    if value != value.quantize(TWO_PLACES):
        errors[field] = _("Criterion %(n)s: at most 2 decimal places.") % {"n": criterion.number}
        return None
    return value


@transaction.atomic
def assessment_self(
    *,
    actor: Any,
    sheet,
    area: Area,
    points: dict[int, Any],
    evidence: dict[int, str] | None = None,
    submit: bool = False,
):
    """The commune's own points per criterion (keyed by criterion number); saved as a draft,
    or submitted for review when every criterion has points."""
    from antq.grassroots.models import AssessmentStatus, MovementAssessment, Score

    evidence = evidence or {}
    if area.level != Level.COMMUNE:
        raise RecordErrors({"area": _("The movement is assessed commune by commune.")})
    if not area.is_valid_on(dt.date(sheet.year, 12, 31)) and not area.is_valid_on(
        dt.date(sheet.year, 1, 1)
    ):
        raise RecordErrors(
            {
                "area": _("%(area)s did not exist in %(year)s.")
                % {"area": area.name, "year": sheet.year}
            }
        )
    _check_sheet(sheet)
    _may_enter(actor, area, dt.date(sheet.year, 12, 31))
    assessment, _created = MovementAssessment.objects.select_for_update().get_or_create(
        sheet=sheet, area=area
    )
    if assessment.status != AssessmentStatus.DRAFT:
        raise RecordErrors({"": _("The self-assessment has been submitted and is locked.")})
    errors: dict[str, str] = {}
    values = {}
    saved = {s.criterion_id: s.self_points for s in assessment.scores.all()}
    for criterion in sheet.criteria.all():
        if criterion.number in points or (submit and criterion.pk not in saved):
            value = _points(points.get(criterion.number), criterion, errors, f"c{criterion.number}")
            if value is not None:
                values[criterion.number] = (criterion, value)
    unknown = set(points) - {c.number for c in sheet.criteria.all()}
    if unknown:
        errors[""] = _("No criterion numbered %(n)s.") % {"n": min(unknown)}
    if errors:
        raise RecordErrors(errors)
    for number, (criterion, value) in values.items():
        Score.objects.update_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={"self_points": value, "evidence": (evidence.get(number) or "")[:500]},
        )
    assessment.self_total = sum((s.self_points for s in assessment.scores.all()), Decimal(0))
    if submit:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = actor if getattr(actor, "pk", None) else None
    assessment.save()
    audit_record(
        actor=actor,
        action="grassroots.assessment_submit" if submit else "grassroots.assessment_self",
        obj=assessment,
        summary=f"{area.name} {sheet.year}: {plain_number(assessment.self_total)}",
    )
    return assessment


@transaction.atomic
def assessment_review(*, actor: Any, assessment, points: dict[int, Any], note: str = ""):
    """The level above's points per criterion; their total gives the class, which feeds
    the indicators of communes by class."""
    from antq.accounts.selectors import user_can_from_above
    from antq.grassroots.models import AssessmentStatus

    assessment = type(assessment).objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == AssessmentStatus.DRAFT:
        raise RecordErrors({"": _("The commune has not submitted its self-assessment yet.")})
    sheet, area = assessment.sheet, assessment.area
    if actor is not None:
        on = dt.date(sheet.year, 12, 31)
        if not user_can_from_above(actor, Action.APPROVE, area=area, on=on):
            raise PermissionDenied(_("The assessment is reviewed by the level above the commune."))
    errors: dict[str, str] = {}
    scores = {s.criterion.number: s for s in assessment.scores.select_related("criterion")}
    for criterion in sheet.criteria.all():
        raw = points.get(criterion.number, scores[criterion.number].self_points)
        value = _points(raw, criterion, errors, f"c{criterion.number}")
        if value is not None:
            scores[criterion.number].review_points = value
    if errors:
        raise RecordErrors(errors)
    for score in scores.values():
        score.save(update_fields=["review_points"])
    assessment.review_total = sum((s.review_points for s in scores.values()), Decimal(0))
    assessment.classification = sheet.classify(assessment.review_total)
    assessment.status = AssessmentStatus.REVIEWED
    assessment.reviewed_at = timezone.now()
    assessment.reviewed_by = actor if getattr(actor, "pk", None) else None
    assessment.review_note = note.strip()
    assessment.save()
    audit_record(
        actor=actor,
        action="grassroots.assessment_review",
        obj=assessment,
        summary=f"{area.name} {sheet.year}: {plain_number(assessment.review_total)} "
        f"({assessment.classification})",
    )
    recount(ASSESSMENT_SOURCES, [area], actor=actor, reason=f"{area.name} {sheet.year}")
    return assessment


@transaction.atomic
def recognition_save(
    *,
    actor: Any,
    area: Area,
    year: int,
    registered_on: dt.date,
    result: str = "registered",
    decided_on: dt.date | None = None,
    decision_number: str = "",
    note: str = "",
):
    """Registration (in the first quarter) and the year-end result of the “An toàn về an ninh,
    trật tự” movement for a residential area or commune (Thông tư 124/2021/TT-BCA)."""
    from antq.grassroots.models import RecognitionResult, SafetyRecognition

    errors: dict[str, str] = {}
    _check_area(area, errors)
    if not isinstance(registered_on, dt.date):
        errors["registered_on"] = _("Give the date of registration (dd/mm/yyyy).")
    elif not (dt.date(year, 1, 1) <= registered_on <= dt.date(year, 3, 31)):
        errors["registered_on"] = _(
            "Registration for %(year)s is made in its first quarter (01/01 to 31/03/%(year)s)."
        ) % {"year": year}
    if result not in RecognitionResult.values:
        errors["result"] = _("Choose the result.")
    elif result != RecognitionResult.REGISTERED:
        if not isinstance(decided_on, dt.date):
            errors["decided_on"] = _("Give the date of the decision (dd/mm/yyyy).")
        elif not (dt.date(year, 10, 1) <= decided_on <= dt.date(year + 1, 1, 31)):
            errors["decided_on"] = _(
                "The result for %(year)s is decided at the year's end (01/10/%(year)s to "
                "31/01/%(next)s)."
            ) % {"year": year, "next": year + 1}
        elif decided_on > _today():
            errors["decided_on"] = _("The date %(date)s is in the future.") % {
                "date": _d(decided_on)
            }
        if result == RecognitionResult.RECOGNISED and not decision_number.strip():
            errors["decision_number"] = _("Give the number of the recognition decision.")
    if isinstance(area, Area) and not area.is_valid_on(dt.date(year, 12, 31)):
        errors["area"] = _("%(area)s did not exist at the end of %(year)s.") % {
            "area": area.name,
            "year": year,
        }
    if errors:
        raise RecordErrors(errors)
    _may_enter(actor, area, dt.date(year, 12, 31))
    record, _created = SafetyRecognition.objects.update_or_create(
        area=area,
        year=year,
        defaults={
            "registered_on": registered_on,
            "result": result,
            "decided_on": decided_on if result != RecognitionResult.REGISTERED else None,
            "decision_number": decision_number.strip(),
            "note": note.strip()[:500],
        },
    )
    audit_record(
        actor=actor,
        action="grassroots.recognition_save",
        obj=record,
        summary=f"{area.name} {year}: {result}",
    )
    recount(RECOGNITION_SOURCES, [area], actor=actor, reason=f"{area.name} {year}")
    return record
