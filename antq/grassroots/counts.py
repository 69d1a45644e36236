"""The counts the grassroots registries give the indicators (antq.indicators.derived).

Flows count records by the month of their date (media items, new models, events); stocks
count what is in operation at the end of each month (models, security teams and members),
each on the unit that held the record's area that day (area_holder_on), so a model founded in
2018 in a commune merged on 1/7/2025 counts on its commune until June 2025 and on the new
commune from July.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from antq.areas.models import Area
from antq.grassroots.models import (
    TEAMS_LAW_FROM,
    AssessmentStatus,
    Classification,
    EventKind,
    MediaItem,
    MediaKind,
    ModelStatus,
    MovementAssessment,
    MovementEvent,
    OutletLevel,
    RecognitionResult,
    SafetyRecognition,
    SecurityTeam,
    SelfManagementModel,
    StatusChange,
    TeamMember,
)
from antq.indicators.derived import (
    FLOW,
    STOCK,
    Counts,
    Holders,
    Source,
    flow_behind,
    flow_counts,
    register,
    related_units,
)
from antq.indicators.periods import Period


def _stock(
    records: Callable[[set[int] | None], Iterable[tuple[object, Area]]],
    alive: Callable[[object, dt.date], int],
) -> Callable[[set[int] | None, list[Period]], Counts]:
    """Count, at each month's end, `alive(record, day)` on the unit holding its area."""

    def counts(units: set[int] | None, months: list[Period]) -> Counts:
        holder = Holders()
        out: Counts = defaultdict(Decimal)
        ends = [(m.code, m.end()) for m in months]
        for record, area in records(related_units(units)):
            for code, end in ends:
                n = alive(record, end)
                if not n:
                    continue
                unit = holder(area, end)
                if unit is not None and (units is None or unit in units):
                    out[(unit, code)] += n
        return out

    return counts


# --- self-management models ----------------------------------------------------------------


def model_status_on(model: SelfManagementModel, day: dt.date) -> str | None:
    """The model's status on the day (None before it was founded). Uses the prefetched
    status changes when there are."""
    if day < model.founded_on:
        return None
    status = ModelStatus.OPERATING
    for change in sorted(model.status_changes.all(), key=lambda c: (c.since, c.pk)):
        if change.since > day:
            break
        status = change.status
    return status


def _models(related: set[int] | None):
    qs = SelfManagementModel.objects.select_related("area").prefetch_related(
        Prefetch("status_changes", queryset=StatusChange.objects.order_by("since", "pk"))
    )
    if related is not None:
        qs = qs.filter(area_id__in=sorted(related))
    for model in qs.iterator(chunk_size=2000):
        yield model, model.area


def _models_behind(start: dt.date, end: dt.date, area_ids) -> Iterable:
    qs = (
        SelfManagementModel.objects.filter(founded_on__lte=end, area_id__in=area_ids)
        .select_related("area", "type")
        .prefetch_related("status_changes")
        .order_by("name", "pk")
    )
    for model in qs:
        if model_status_on(model, end) == ModelStatus.OPERATING:
            yield model, model.area, end


def _model_row(m: SelfManagementModel) -> list:
    return [
        m.name,
        m.type.name,
        m.area.name,
        date_format(m.founded_on, "d/m/Y"),
        m.get_status_display(),
    ]


MODEL_COLUMNS = (_("Name"), _("Type of model"), _("Area"), _("Founded on"), _("Status today"))


# --- security teams ------------------------------------------------------------------------


def team_exists_on(team: SecurityTeam, day: dt.date) -> bool:
    return team.established_on <= day and (team.dissolved_on is None or day < team.dissolved_on)


def member_serves_on(member: TeamMember, day: dt.date) -> bool:
    return member.joined_on <= day and (member.left_on is None or day < member.left_on)


def _teams(related: set[int] | None):
    qs = SecurityTeam.objects.select_related("area").prefetch_related("members")
    if related is not None:
        qs = qs.filter(area_id__in=sorted(related))
    for team in qs.iterator(chunk_size=2000):
        yield team, team.area


def _teams_behind(start: dt.date, end: dt.date, area_ids) -> Iterable:
    qs = SecurityTeam.objects.filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end),
        established_on__lte=end,
        area_id__in=area_ids,
    ).select_related("area")
    for team in qs.order_by("area__name", "place", "pk"):
        yield team, team.area, end


def _members_behind(start: dt.date, end: dt.date, area_ids) -> Iterable:
    qs = (
        TeamMember.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=end),
            Q(team__dissolved_on__isnull=True) | Q(team__dissolved_on__gt=end),
            joined_on__lte=end,
            team__established_on__lte=end,
            team__area_id__in=area_ids,
        )
        .select_related("team", "team__area")
        .order_by("team__area__name", "team__place", "role", "full_name")
    )
    for member in qs:
        yield member, member.team.area, end


# --- the sources ---------------------------------------------------------------------------


def _url(name: str) -> Callable[[object], str]:
    return lambda record: reverse(name, args=[record.pk])


MEDIA_COLUMNS = (
    _("Date"),
    _("Type of item"),
    _("Headline"),
    _("Outlet"),
    _("Outlet level"),
    _("Area"),
)


def _media_row(m: MediaItem) -> list:
    return [
        date_format(m.published_on, "d/m/Y"),
        m.get_kind_display(),
        m.title,
        m.outlet,
        m.get_outlet_level_display(),
        m.area.name,
    ]


EVENT_COLUMNS = (_("Date"), _("Kind of event"), _("Headline"), _("Area"), _("Participants"))


def _event_row(e: MovementEvent) -> list:
    return [
        date_format(e.held_on, "d/m/Y"),
        e.get_kind_display(),
        e.title,
        e.area.name,
        e.participants,
    ]


def _media(key: str, label, **filters) -> Source:
    qs = MediaItem.objects.filter(**filters)
    return Source(
        key=key,
        kind=FLOW,
        label=label,
        counts=flow_counts(qs, "published_on"),
        behind=flow_behind(qs, "published_on"),
        columns=MEDIA_COLUMNS,
        row=_media_row,
        url=_url("grassroots:media_item"),
        records_url="grassroots:media",
    )


def sources() -> list[Source]:
    models_qs = SelfManagementModel.objects.all()
    launches = MovementEvent.objects.filter(kind=EventKind.LAUNCH)
    ngay_hoi = MovementEvent.objects.filter(kind=EventKind.NGAY_HOI)
    meetings = MovementEvent.objects.filter(kind=EventKind.MEETING)
    event = {
        "kind": FLOW,
        "columns": EVENT_COLUMNS,
        "row": _event_row,
        "url": _url("grassroots:event"),
        "records_url": "grassroots:events",
    }
    out = [
        Source(
            key="grassroots.models_active",
            kind=STOCK,
            label=_("self-management models in operation"),
            counts=_stock(
                _models, lambda m, day: int(model_status_on(m, day) == ModelStatus.OPERATING)
            ),
            behind=_models_behind,
            columns=MODEL_COLUMNS,
            row=_model_row,
            url=_url("grassroots:model"),
            records_url="grassroots:models",
        ),
        Source(
            key="grassroots.models_new",
            kind=FLOW,
            label=_("self-management models founded"),
            counts=flow_counts(models_qs, "founded_on"),
            behind=flow_behind(models_qs.select_related("type"), "founded_on"),
            columns=MODEL_COLUMNS,
            row=_model_row,
            url=_url("grassroots:model"),
            records_url="grassroots:models",
        ),
        Source(
            key="grassroots.models_replicated",
            kind=FLOW,
            label=_("self-management models replicated from another"),
            counts=flow_counts(models_qs.filter(replicated_from__isnull=False), "founded_on"),
            behind=flow_behind(
                models_qs.filter(replicated_from__isnull=False).select_related("type"),
                "founded_on",
            ),
            columns=MODEL_COLUMNS,
            row=_model_row,
            url=_url("grassroots:model"),
            records_url="grassroots:models",
        ),
        Source(
            key="grassroots.teams",
            kind=STOCK,
            label=_("security teams in operation"),
            counts=_stock(_teams, lambda t, day: int(team_exists_on(t, day))),
            behind=_teams_behind,
            columns=(
                _("Team"),
                _("Village or residential group"),
                _("Commune or ward"),
                _("Established"),
            ),
            row=lambda t: [t.name, t.place, t.area.name, date_format(t.established_on, "d/m/Y")],
            url=_url("grassroots:team"),
            records_url="grassroots:teams",
            default_from=TEAMS_LAW_FROM,
        ),
        Source(
            key="grassroots.team_members",
            kind=STOCK,
            label=_("members of security teams"),
            counts=_stock(
                _teams,
                lambda t, day: (
                    sum(1 for m in t.members.all() if member_serves_on(m, day))
                    if team_exists_on(t, day)
                    else 0
                ),
            ),
            behind=_members_behind,
            # Members are people: the drill-down shows roles and teams, not names (those stay
            # on the team's page, for the officials of its area).
            columns=(_("Role"), _("Team"), _("Commune or ward"), _("Joined on")),
            row=lambda m: [
                m.get_role_display(),
                m.team.name,
                m.team.area.name,
                date_format(m.joined_on, "d/m/Y"),
            ],
            title=lambda m: f"{m.get_role_display()} — {m.team.name}",
            url=lambda m: reverse("grassroots:team", args=[m.team_id]),
            records_url="grassroots:teams",
            default_from=TEAMS_LAW_FROM,
        ),
        _media("grassroots.media", _("media items")),
        _media(
            "grassroots.media_central",
            _("media items in central outlets"),
            outlet_level=OutletLevel.CENTRAL,
        ),
        _media(
            "grassroots.media_local",
            _("media items in local outlets"),
            outlet_level=OutletLevel.LOCAL,
        ),
    ]
    for kind in MediaKind:
        out.append(
            _media(
                f"grassroots.media_{kind.value}",
                format_lazy("{}: {}", _("media items"), kind.label),
                kind=kind.value,
            )
        )
    out += [
        Source(
            key="grassroots.launches",
            label=_("movement launches"),
            counts=flow_counts(launches, "held_on"),
            behind=flow_behind(launches, "held_on"),
            **event,
        ),
        Source(
            key="grassroots.ngay_hoi_participants",
            label=_("participants in the Ngày hội"),
            counts=flow_counts(ngay_hoi, "held_on", weight=lambda e: e.participants),
            behind=flow_behind(ngay_hoi, "held_on"),
            **event,
        ),
        Source(
            key="grassroots.meetings",
            label=_("residents' meetings"),
            counts=flow_counts(meetings, "held_on"),
            behind=flow_behind(meetings, "held_on"),
            **event,
        ),
    ]
    return out


# --- the annual assessment and the “An toàn về an ninh, trật tự” recognitions ----------------


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _assessments(cls: str):
    def records(related: set[int] | None):
        qs = MovementAssessment.objects.filter(
            status=AssessmentStatus.REVIEWED, classification=cls
        ).select_related("area", "sheet")
        if related is not None:
            qs = qs.filter(area_id__in=sorted(related))
        for a in qs:
            yield a, a.area

    def behind(start: dt.date, end: dt.date, area_ids) -> Iterable:
        if (end.month, end.day) != (12, 31):
            return
        qs = MovementAssessment.objects.filter(
            status=AssessmentStatus.REVIEWED,
            classification=cls,
            sheet__year=end.year,
            area_id__in=area_ids,
        ).select_related("area", "sheet")
        for a in qs.order_by("area__name"):
            yield a, a.area, end

    return records, behind


def _recognitions(recognised: bool):
    def _qs():
        qs = SafetyRecognition.objects.select_related("area")
        return qs.filter(result=RecognitionResult.RECOGNISED) if recognised else qs

    def records(related: set[int] | None):
        qs = _qs()
        if related is not None:
            qs = qs.filter(area_id__in=sorted(related))
        for r in qs:
            yield r, r.area

    def behind(start: dt.date, end: dt.date, area_ids) -> Iterable:
        if (end.month, end.day) != (12, 31):
            return
        for r in _qs().filter(year=end.year, area_id__in=area_ids).order_by("area__name"):
            yield r, r.area, end

    return records, behind


def _assessment_row(a: MovementAssessment) -> list:
    return [a.area.name, a.sheet.year, a.review_total, a.get_classification_display()]


def _recognition_row(r: SafetyRecognition) -> list:
    return [
        r.area.name,
        r.year,
        date_format(r.registered_on, "d/m/Y"),
        r.get_result_display(),
        r.decision_number,
    ]


def _movement_sources() -> list[Source]:
    out = []
    for cls in Classification:
        records, behind = _assessments(cls.value)
        out.append(
            Source(
                key=f"grassroots.class_{cls.value}",
                kind=STOCK,
                label=format_lazy("{}: {}", _("communes by class of the movement"), cls.label),
                counts=_stock(records, lambda a, day: int(day == _year_end(a.sheet.year))),
                behind=behind,
                columns=(_("Commune or ward"), _("Year"), _("Points"), _("Class")),
                row=_assessment_row,
                url=_url("grassroots:assessment"),
                records_url="grassroots:assessments",
            )
        )
    for recognised, key, label in (
        (False, "grassroots.safe_registered", _("areas registered for “An toàn về ANTT”")),
        (True, "grassroots.safe_recognised", _("areas recognised “An toàn về ANTT”")),
    ):
        records, behind = _recognitions(recognised)
        out.append(
            Source(
                key=key,
                kind=STOCK,
                label=label,
                counts=_stock(records, lambda r, day: int(day == _year_end(r.year))),
                behind=behind,
                columns=(_("Area"), _("Year"), _("Registered on"), _("Result"), _("Decision")),
                row=_recognition_row,
                url=None,
                records_url="grassroots:recognitions",
            )
        )
    return out


# Which standard indicator each count feeds when the registries are installed.
LINKS = {
    "SM_MODELS_ACTIVE": "grassroots.models_active",
    "SM_MODELS_NEW": "grassroots.models_new",
    "SM_MODELS_REPLICATED": "grassroots.models_replicated",
    "SECURITY_TEAMS": "grassroots.teams",
    "SECURITY_TEAM_MEMBERS": "grassroots.team_members",
    "MEDIA_ITEMS": "grassroots.media",
    "MEDIA_ITEMS_CENTRAL": "grassroots.media_central",
    "MEDIA_ITEMS_LOCAL": "grassroots.media_local",
    "MEDIA_NEWS": "grassroots.media_tin",
    "MEDIA_ARTICLES": "grassroots.media_bai",
    "MEDIA_PHOTOS": "grassroots.media_anh",
    "MEDIA_REPORTS": "grassroots.media_phong_su",
    "MEDIA_VIDEOS": "grassroots.media_video",
    "LAUNCH_EVENTS": "grassroots.launches",
    "NGAY_HOI_PARTICIPANTS": "grassroots.ngay_hoi_participants",
    "MOVEMENT_CLASS_EXCELLENT": "grassroots.class_xuat_sac",
    "MOVEMENT_CLASS_GOOD": "grassroots.class_kha",
    "MOVEMENT_CLASS_AVERAGE": "grassroots.class_trung_binh",
    "MOVEMENT_CLASS_WEAK": "grassroots.class_yeu",
    "SAFE_AREAS_REGISTERED": "grassroots.safe_registered",
    "SAFE_AREAS_RECOGNISED": "grassroots.safe_recognised",
}


def register_all() -> None:
    for source in (*sources(), *_movement_sources()):
        register(source)
