"""Pages of the grassroots registries: an overview, lists with filters and a map-free area
drill-down, records with their forms and actions, XLSX downloads and the media import.

Reads go through antq.grassroots.selectors (a record outside the user's scope is a 404),
writes through antq.grassroots.services, whose problems are shown on the form's fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from antq.accounts.models import Body
from antq.accounts.selectors import Action, user_scope_area_ids_any_time, user_scope_roots
from antq.areas.models import Area, Level
from antq.areas.selectors import area_ancestors, area_children, area_holder_on, nation
from antq.core.spreadsheets import MAX_BYTES
from antq.grassroots import selectors, services, xlsx
from antq.grassroots.forms import (
    AssessForm,
    AttachForm,
    DeleteForm,
    EventFilter,
    EventForm,
    ImportForm,
    MediaFilter,
    MediaForm,
    MemberForm,
    ModelFilter,
    ModelForm,
    StatusForm,
    TeamFilter,
    TeamForm,
)
from antq.grassroots.models import (
    Assessment,
    Attachment,
    AttachmentKind,
    MediaItem,
    MemberRole,
    ModelStatus,
    MovementEvent,
    SecurityTeam,
    SelfManagementModel,
    TeamMember,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELD_OF = {"area": "area_code"}  # a service's field name -> the form's, where they differ


# --- helpers -------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _show_errors(form, exc: ValidationError) -> None:
    """Put a service's problems on the form's fields (others on the whole form)."""
    if isinstance(exc, services.RecordErrors):
        errors = list(exc.errors.items())
    elif hasattr(exc, "error_dict"):
        errors = [(k, " ".join(v)) for k, v in exc.message_dict.items()]
    else:
        errors = [("", " ".join(exc.messages))]
    for key, message in errors:
        name = FIELD_OF.get(key, key)
        form.add_error(name if name in form.fields else None, message)


def _require_register(user) -> None:
    if not selectors.user_may_register(user):
        raise PermissionDenied(_("Your roles do not let you register records."))


def _require_enter(user, area: Area, on: dt.date | None = None) -> None:
    if not selectors.user_may_enter(user, area, on):
        raise PermissionDenied(_("You may not register records for %(area)s.") % {"area": area})


def _initial(record, fields: tuple[str, ...]) -> dict[str, Any]:
    """A form's initial values from a record: related records by id, the area by its code."""
    out: dict[str, Any] = {}
    for f in fields:
        value = getattr(record, f)
        if f == "area":
            out["area_code"] = value.code
        else:
            out[f] = value.pk if hasattr(value, "pk") else value
    return out


def _record_form(
    request: HttpRequest,
    form,
    save: Callable[[dict], Any],
    *,
    to: Callable[[Any], str],
    title: str,
    crumbs: list[tuple[str, str]],
    cancel: str,
) -> HttpResponse:
    """A record's create or edit page: on a valid POST, `save` (a service call) and go to
    `to(record)`; the service's problems land on the fields, with status 400."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(to(record))
    return render(
        request,
        "grassroots/form.html",
        {"form": form, "title": title, "crumbs": crumbs, "cancel": cancel},
        status=400 if request.method == "POST" else 200,
    )


def _act(
    request: HttpRequest,
    form,
    act: Callable[[dict], Any],
    *,
    page: Callable[[Any], HttpResponse],
    success: str,
    to: str,
) -> HttpResponse:
    """An action posted from a record's page: done, or the page again with the form's
    problems (status 400)."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(to)
    return page(form)


def _bound(request: HttpRequest, form_class, **kwargs):
    if request.method != "POST":
        return form_class(None, **kwargs)
    return form_class(request.POST, request.FILES, **kwargs)


def _xlsx(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{_today():%Y%m%d}.xlsx"'
    return response


# --- lists: filters, area drill-down, pages ------------------------------------------------


def _filtered(request: HttpRequest, form, selector) -> tuple[QuerySet, dict, bool]:
    """The records the list's filters select (their names are the selector's arguments);
    none when a filter is wrong."""
    if form.is_valid():
        filters = dict(form.cleaned_data)
        return selector(request.user, **filters), filters, True
    return selector(request.user).none(), {}, False


def _drill(user, area: Area | None) -> dict[str, Any]:
    """The area drill-down on today's map: the area's ancestors (to widen) and children (to
    narrow), or the user's own areas when none is chosen."""
    today = _today()
    if area is not None:
        on = today if area.is_valid_on(today) else area.valid_to  # a unit that has ended
        return {
            "ancestors": [a for a in area_ancestors(area, on) if a.level != Level.NATION],
            "children": list(area_children(area, on)),
            "roots": [],
        }
    if user.is_superuser:
        roots = list(area_children(nation(), today))
    else:
        roots = [
            a
            for a in Area.objects.filter(pk__in=user_scope_roots(user, Action.VIEW)).order_by(
                "code"
            )
            if a.is_valid_on(today)
        ]
    return {"ancestors": [], "children": [], "roots": roots}


def _list_page(
    request: HttpRequest, template: str, form, qs: QuerySet, filters: dict, ok: bool, **extra
) -> HttpResponse:
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    area = filters.get("area")
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "area": area,
            "drill": _drill(request.user, area),
            "may_register": selectors.user_may_register(request.user),
            **extra,
        },
        status=200 if ok else 400,
    )


def _xlsx_or_back(request: HttpRequest, ok: bool, list_name: str) -> HttpResponse | None:
    if ok:
        return None
    return redirect(reverse(list_name) + "?" + request.GET.urlencode())


# --- overview ------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user, today = request.user, _today()
    year_start = today.replace(month=1, day=1)
    models = selectors.models_visible_to(user)
    teams = selectors.teams_visible_to(user, active_on=today)
    events = selectors.events_visible_to(user, date_from=year_start)
    counts = {
        "models_operating": models.filter(status=ModelStatus.OPERATING).count(),
        "models_total": models.count(),
        "teams": teams.count(),
        "members": sum(teams.values_list("n_members", flat=True)),
        "media_year": selectors.media_visible_to(user, date_from=year_start).count(),
        "events_year": events.count(),
    }
    return render(
        request,
        "grassroots/index.html",
        {
            "counts": counts,
            "year": today.year,
            "today": today,
            "may_register": selectors.user_may_register(user),
        },
    )


# --- self-management models ----------------------------------------------------------------


def _model_filter(request: HttpRequest) -> ModelFilter:
    return ModelFilter(request.GET, types=list(selectors.model_types()))


@login_required
def model_list(request: HttpRequest) -> HttpResponse:
    form = _model_filter(request)
    qs, filters, ok = _filtered(request, form, selectors.models_visible_to)
    return _list_page(request, "grassroots/model_list.html", form, qs, filters, ok)


@login_required
def models_xlsx(request: HttpRequest) -> HttpResponse:
    form = _model_filter(request)
    qs, filters, ok = _filtered(request, form, selectors.models_visible_to)
    return _xlsx_or_back(request, ok, "grassroots:models") or _xlsx(
        xlsx.models_workbook(qs.select_related("replicated_from").iterator(2000), filters),
        "antq-mo-hinh",
    )


def _model_for(user, pk: int) -> SelfManagementModel:
    qs = selectors.models_visible_to(user).select_related("replicated_from__area")
    qs = qs.prefetch_related(
        "status_changes",
        "attachments",
        Prefetch("assessments", queryset=Assessment.objects.select_related("assessed_by")),
    )
    return get_object_or_404(qs, pk=pk)


def _model_page(request: HttpRequest, model: SelfManagementModel, status: int = 200, **forms):
    user, today = request.user, _today()
    visible = selectors.models_visible_to(user)
    attachments = list(model.attachments.all())
    timeline = [{"since": model.founded_on, "status": ModelStatus.OPERATING, "founded": True}]
    timeline += [
        {"since": c.since, "status": c.status, "note": c.note} for c in model.status_changes.all()
    ]
    labels = dict(ModelStatus.choices)
    for step in timeline:
        step["label"] = labels.get(step["status"], step["status"])
    context = {
        "model": model,
        "holder_today": area_holder_on(model.area, today) if model.area.valid_to else None,
        "may_enter": selectors.user_may_enter(user, model.area),
        "timeline": timeline,
        "photos": [a for a in attachments if a.kind == AttachmentKind.PHOTO],
        "documents": [a for a in attachments if a.kind != AttachmentKind.PHOTO],
        "replicas": list(visible.filter(replicated_from=model)),
        "source_visible": bool(
            model.replicated_from_id and visible.filter(pk=model.replicated_from_id).exists()
        ),
        "status_form": StatusForm(initial={"since": today}),
        "assess_form": AssessForm(initial={"year": today.year}),
        "attach_form": AttachForm(),
        "delete_form": DeleteForm(),
        **forms,
    }
    return render(request, "grassroots/model_detail.html", context, status=status)


@login_required
def model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _model_page(request, _model_for(request.user, pk))


def _host_bodies(user, current: int | None) -> QuerySet[Body]:
    qs = Body.objects.all()
    if not user.is_superuser:
        qs = qs.filter(
            Q(area_id__in=user_scope_area_ids_any_time(user, Action.ENTER)) | Q(pk=current)
        )
    return qs.order_by("name")


def _model_form(request: HttpRequest, model: SelfManagementModel | None) -> HttpResponse:
    user = request.user
    # Models it may be replicated from: those the user sees, and the one it already names.
    sources = SelfManagementModel.objects.filter(
        Q(pk__in=selectors.models_visible_to(user).values("pk"))
        | Q(pk=getattr(model, "replicated_from_id", None))
    )
    if model is not None:
        sources = sources.exclude(pk=model.pk)
    form = _bound(
        request,
        ModelForm,
        initial=_initial(model, services.MODEL_FIELDS) if model else {"members": 0},
        types=selectors.model_types(),
        bodies=_host_bodies(user, getattr(model, "host_body_id", None)),
        sources=sources.select_related("area").order_by("name", "pk"),
    )

    def save(data: dict) -> SelfManagementModel:
        return services.model_save(
            actor=user, data={f: data.get(f) for f in services.MODEL_FIELDS}, model=model
        )

    crumbs = [(reverse("grassroots:models"), _("Self-management models"))]
    if model is not None:
        crumbs.append((reverse("grassroots:model", args=[model.pk]), model.name))
    return _record_form(
        request,
        form,
        save,
        to=lambda saved: reverse("grassroots:model", args=[saved.pk]),
        title=_("Edit the model") if model else _("Register a self-management model"),
        crumbs=crumbs,
        cancel=crumbs[-1][0],
    )


@login_required
def model_new(request: HttpRequest) -> HttpResponse:
    _require_register(request.user)
    return _model_form(request, None)


@login_required
def model_edit(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model_for(request.user, pk)
    _require_enter(request.user, model.area)
    return _model_form(request, model)


def _model_action(request: HttpRequest, pk: int, form_class, form_key: str, act, success):
    model = _model_for(request.user, pk)
    _require_enter(request.user, model.area)
    return _act(
        request,
        form_class(request.POST, request.FILES),
        lambda data: act(model, data),
        page=lambda f: _model_page(request, model, 400, **{form_key: f}),
        success=success,
        to=reverse("grassroots:model", args=[model.pk]),
    )


@login_required
@require_POST
def model_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _model_action(
        request,
        pk,
        StatusForm,
        "status_form",
        lambda model, d: services.model_status_set(
            actor=request.user, model=model, status=d["status"], since=d["since"], note=d["note"]
        ),
        _("Status recorded."),
    )


@login_required
@require_POST
def model_assess(request: HttpRequest, pk: int) -> HttpResponse:
    return _model_action(
        request,
        pk,
        AssessForm,
        "assess_form",
        lambda model, d: services.model_assess(
            actor=request.user, model=model, year=d["year"], rating=d["rating"], notes=d["notes"]
        ),
        _("Assessment recorded."),
    )


@login_required
@require_POST
def model_attach(request: HttpRequest, pk: int) -> HttpResponse:
    return _model_action(
        request,
        pk,
        AttachForm,
        "attach_form",
        lambda model, d: services.attachment_add(
            actor=request.user, model=model, upload=d["file"], title=d["title"]
        ),
        _("File attached."),
    )


@login_required
@require_POST
def model_delete(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model_for(request.user, pk)
    _require_enter(request.user, model.area)
    return _act(
        request,
        DeleteForm(request.POST),
        lambda d: services.model_delete(actor=request.user, model=model, reason=d["reason"]),
        page=lambda f: _model_page(request, model, 400, delete_form=f),
        success=_("The record of %(name)s has been deleted.") % {"name": model.name},
        to=reverse("grassroots:models"),
    )


_CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A model's photo or document, to those who see the model."""
    item = get_object_or_404(Attachment, pk=pk)
    if not selectors.models_visible_to(request.user).filter(pk=item.model_id).exists():
        raise Http404
    name = item.file.name.rsplit("/", 1)[-1]
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=item.kind != AttachmentKind.PHOTO,
        filename=name,
        content_type=_CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- security teams ------------------------------------------------------------------------


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    form = TeamFilter(request.GET)
    qs, filters, ok = _filtered(request, form, selectors.teams_visible_to)
    return _list_page(request, "grassroots/team_list.html", form, qs, filters, ok, today=_today())


@login_required
def teams_xlsx(request: HttpRequest) -> HttpResponse:
    form = TeamFilter(request.GET)
    qs, filters, ok = _filtered(request, form, selectors.teams_visible_to)
    return _xlsx_or_back(request, ok, "grassroots:teams") or _xlsx(
        xlsx.teams_workbook(qs.iterator(2000), filters), "antq-to-bao-ve-antt"
    )


def _team_for(user, pk: int) -> SecurityTeam:
    return get_object_or_404(selectors.teams_visible_to(user), pk=pk)


_ROLE_RANK = {MemberRole.LEADER: 0, MemberRole.DEPUTY: 1, MemberRole.MEMBER: 2}


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request.user, pk)
    members = sorted(
        team.members.all(),
        key=lambda m: (m.left_on is not None, _ROLE_RANK.get(m.role, 9), m.full_name),
    )
    return render(
        request,
        "grassroots/team_detail.html",
        {
            "team": team,
            "members": members,
            "today": _today(),
            "may_enter": selectors.user_may_enter(request.user, team.area),
            "member_form": MemberForm(initial={"role": MemberRole.MEMBER, "joined_on": _today()}),
        },
    )


def _team_form(request: HttpRequest, team: SecurityTeam | None) -> HttpResponse:
    form = _bound(request, TeamForm, initial=_initial(team, services.TEAM_FIELDS) if team else {})

    def save(data: dict) -> SecurityTeam:
        return services.team_save(
            actor=request.user, data={f: data.get(f) for f in services.TEAM_FIELDS}, team=team
        )

    crumbs = [(reverse("grassroots:teams"), _("Security teams"))]
    if team is not None:
        crumbs.append((reverse("grassroots:team", args=[team.pk]), team.name))
    return _record_form(
        request,
        form,
        save,
        to=lambda saved: reverse("grassroots:team", args=[saved.pk]),
        title=_("Edit the team") if team else _("Register a security team"),
        crumbs=crumbs,
        cancel=crumbs[-1][0],
    )


@login_required
def team_new(request: HttpRequest) -> HttpResponse:
    _require_register(request.user)
    return _team_form(request, None)


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request.user, pk)
    _require_enter(request.user, team.area)
    return _team_form(request, team)


MEMBER_FIELDS = ("full_name", "role", "birth_date", "joined_on", "left_on")


def _member_form(request: HttpRequest, team: SecurityTeam, member: TeamMember | None):
    _require_enter(request.user, team.area)
    initial = _initial(member, MEMBER_FIELDS) if member else {"role": MemberRole.MEMBER}
    form = _bound(request, MemberForm, initial=initial)

    def save(data: dict) -> TeamMember:
        return services.member_save(
            actor=request.user,
            team=team,
            data={f: data.get(f) for f in MEMBER_FIELDS},
            member=member,
        )

    team_url = reverse("grassroots:team", args=[team.pk])
    return _record_form(
        request,
        form,
        save,
        to=lambda _saved: team_url,
        title=_("Edit a member's record") if member else _("Add a member"),
        crumbs=[(reverse("grassroots:teams"), _("Security teams")), (team_url, team.name)],
        cancel=team_url,
    )


@login_required
def member_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_form(request, _team_for(request.user, pk), None)


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        TeamMember.objects.filter(team__in=selectors.teams_visible_to(request.user).values("pk")),
        pk=pk,
    )
    return _member_form(request, _team_for(request.user, member.team_id), member)


# --- media items ---------------------------------------------------------------------------


@login_required
def media_list(request: HttpRequest) -> HttpResponse:
    form = MediaFilter(request.GET)
    qs, filters, ok = _filtered(request, form, selectors.media_visible_to)
    return _list_page(request, "grassroots/media_list.html", form, qs, filters, ok)


@login_required
def media_xlsx(request: HttpRequest) -> HttpResponse:
    form = MediaFilter(request.GET)
    qs, filters, ok = _filtered(request, form, selectors.media_visible_to)
    return _xlsx_or_back(request, ok, "grassroots:media") or _xlsx(
        xlsx.media_workbook(qs.iterator(2000), filters), "antq-tin-bai"
    )


def _media_for(user, pk: int) -> MediaItem:
    return get_object_or_404(selectors.media_visible_to(user), pk=pk)


def _media_page(request: HttpRequest, item: MediaItem, status: int = 200, **forms):
    context = {
        "item": item,
        "may_enter": selectors.user_may_enter(request.user, item.area, item.published_on),
        "delete_form": DeleteForm(),
        **forms,
    }
    return render(request, "grassroots/media_detail.html", context, status=status)


@login_required
def media_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _media_page(request, _media_for(request.user, pk))


def _media_form(request: HttpRequest, item: MediaItem | None) -> HttpResponse:
    initial = (
        _initial(item, services.MEDIA_FIELDS)
        if item
        else {"published_on": _today(), "outlet_level": "local"}
    )
    form = _bound(request, MediaForm, initial=initial)

    def save(data: dict) -> MediaItem:
        return services.media_save(
            actor=request.user,
            data={f: data.get(f) for f in (*services.MEDIA_FIELDS, "file")},
            item=item,
        )

    crumbs = [(reverse("grassroots:media"), _("Media items"))]
    if item is not None:
        crumbs.append((reverse("grassroots:media_item", args=[item.pk]), item.title))
    return _record_form(
        request,
        form,
        save,
        to=lambda saved: reverse("grassroots:media_item", args=[saved.pk]),
        title=_("Edit the media item") if item else _("Register a media item"),
        crumbs=crumbs,
        cancel=crumbs[-1][0],
    )


@login_required
def media_file(request: HttpRequest, pk: int) -> FileResponse:
    """A media item's file, to those who see the item."""
    item = _media_for(request.user, pk)
    if not item.file:
        raise Http404
    name = item.file.name.rsplit("/", 1)[-1]
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=ext == ".pdf",
        filename=name,
        content_type=_CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def media_new(request: HttpRequest) -> HttpResponse:
    _require_register(request.user)
    return _media_form(request, None)


@login_required
def media_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _media_for(request.user, pk)
    _require_enter(request.user, item.area, item.published_on)
    return _media_form(request, item)


@login_required
@require_POST
def media_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _media_for(request.user, pk)
    _require_enter(request.user, item.area, item.published_on)
    return _act(
        request,
        DeleteForm(request.POST),
        lambda d: services.media_delete(actor=request.user, item=item, reason=d["reason"]),
        page=lambda f: _media_page(request, item, 400, delete_form=f),
        success=_("The media item has been deleted."),
        to=reverse("grassroots:media"),
    )


@login_required
def media_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(xlsx.media_template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="antq-mau-nhap-tin-bai.xlsx"'
    return response


@login_required
def media_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: every row is created, or none and every problem is listed."""
    _require_register(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            problems = [
                _("The file is larger than %(mb)d MB; split it.") % {"mb": MAX_BYTES // 2**20}
            ]
        else:
            try:
                created = xlsx.media_import_workbook(
                    actor=request.user, data=upload.read(), filename=upload.name or "upload.xlsx"
                )
            except services.ImportErrors as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    ngettext("Imported %(n)d media item.", "Imported %(n)d media items.", created)
                    % {"n": created},
                )
                return redirect("grassroots:media")
    return render(
        request,
        "grassroots/media_import.html",
        {"form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


# --- movement events -----------------------------------------------------------------------


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilter(request.GET)
    qs, filters, ok = _filtered(request, form, selectors.events_visible_to)
    return _list_page(request, "grassroots/event_list.html", form, qs, filters, ok)


@login_required
def events_xlsx(request: HttpRequest) -> HttpResponse:
    form = EventFilter(request.GET)
    qs, filters, ok = _filtered(request, form, selectors.events_visible_to)
    return _xlsx_or_back(request, ok, "grassroots:events") or _xlsx(
        xlsx.events_workbook(qs.iterator(2000), filters), "antq-su-kien"
    )


def _event_for(user, pk: int) -> MovementEvent:
    return get_object_or_404(selectors.events_visible_to(user), pk=pk)


def _event_page(request: HttpRequest, event: MovementEvent, status: int = 200, **forms):
    context = {
        "event": event,
        "may_enter": selectors.user_may_enter(request.user, event.area, event.held_on),
        "delete_form": DeleteForm(),
        **forms,
    }
    return render(request, "grassroots/event_detail.html", context, status=status)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_page(request, _event_for(request.user, pk))


def _event_form(request: HttpRequest, event: MovementEvent | None) -> HttpResponse:
    initial = _initial(event, services.EVENT_FIELDS) if event else {"participants": 0}
    form = _bound(request, EventForm, initial=initial)

    def save(data: dict) -> MovementEvent:
        return services.event_save(
            actor=request.user, data={f: data.get(f) for f in services.EVENT_FIELDS}, event=event
        )

    crumbs = [(reverse("grassroots:events"), _("Movement events"))]
    if event is not None:
        crumbs.append((reverse("grassroots:event", args=[event.pk]), event.title))
    return _record_form(
        request,
        form,
        save,
        to=lambda saved: reverse("grassroots:event", args=[saved.pk]),
        title=_("Edit the event") if event else _("Register an event"),
        crumbs=crumbs,
        cancel=crumbs[-1][0],
    )


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    _require_register(request.user)
    return _event_form(request, None)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request.user, pk)
    _require_enter(request.user, event.area, event.held_on)
    return _event_form(request, event)


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request.user, pk)
    _require_enter(request.user, event.area, event.held_on)
    return _act(
        request,
        DeleteForm(request.POST),
        lambda d: services.event_delete(actor=request.user, event=event, reason=d["reason"]),
        page=lambda f: _event_page(request, event, 400, delete_form=f),
        success=_("The event has been deleted."),
        to=reverse("grassroots:events"),
    )
