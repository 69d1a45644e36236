"""Pages of the tip line.

Public (no login, no JavaScript needed): sending a tip — the province first, then its
communes — and following it with the receipt (the receipt travels only in POST bodies, never
in a URL). Officials: the inbox of their body, a tip (decrypted for its handlers only, every
read audited), the legal deadlines, recording a tip received in person, by phone, letter,
the media or VNeID, and cases.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from antq.accounts.models import Body, BodyKind
from antq.areas.models import Area, Level
from antq.areas.selectors import areas_on
from antq.core.errors import RecordErrors
from antq.tips import intake, legal, selectors, services
from antq.tips.forms import (
    AssignForm,
    CaseForm,
    CitizenMessageForm,
    ClassifyForm,
    DecideForm,
    ExtendForm,
    FollowForm,
    OfficerTipForm,
    TipForm,
    TransferForm,
    TriageForm,
    WriteForm,
    communes_of,
    provinces,
)
from antq.tips.models import Channel, Kind, State, Tip, Triage

PAGE_SIZE = 50
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


def _private(response: HttpResponse) -> HttpResponse:
    """Nothing of the tip line is kept by a browser or a proxy cache."""
    add_never_cache_headers(response)
    response.headers["Cache-Control"] = "no-store, private"
    return response


def _show(form, exc: RecordErrors) -> None:
    for name, message in exc.errors.items():
        form.add_error(name if name in form.fields else None, message)


def _province(request: HttpRequest) -> Area | None:
    code = (request.POST.get("province") or request.GET.get("province") or "").strip()
    if not code:
        return None
    return areas_on(timezone.localdate(), level=Level.PROVINCE).filter(code=code[:16]).first()


def _uploads(request: HttpRequest) -> list[services.Upload]:
    files = request.FILES.getlist("attachments")[: services.MAX_ATTACHMENTS + 1]
    limit = services.max_attachment_bytes()
    # A file over the limit is read only up to it: enough for the service to refuse it.
    return [services.Upload(f.name, f.read(limit + 1)) for f in files]


def _tip_input(form, request: HttpRequest) -> services.TipInput:
    data = form.cleaned_data
    return services.TipInput(
        area=form.area_obj(),
        content=data.get("content", ""),
        topic=data.get("topic") or "",
        contact=data.get("contact", ""),
        details={name: data.get(name, "") for name in services.DETAIL_FIELDS},
        attachments=_uploads(request),
    )


# --- the citizen's pages -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    province = _province(request)
    communes = communes_of(province)
    status = 200
    if request.method == "POST":
        form = TipForm(request.POST, request.FILES, communes=communes)
        if form.is_valid():
            proven = intake.proof_valid(form.cleaned_data["challenge"], form.cleaned_data["proof"])
            if not intake.allowed(intake.client_key(request), proven=proven):
                form.add_error(
                    None,
                    _(
                        "Too many tips have been sent from this device in the past hour. Try "
                        "again later; in an emergency call 113."
                    ),
                )
                status = 429
            else:
                try:
                    tip, receipt = services.tip_submit(
                        _tip_input(form, request), channel=Channel.WEB
                    )
                except RecordErrors as exc:
                    _show(form, exc)
                else:
                    return _private(
                        render(request, "tips/receipt.html", {"receipt": receipt, "tip": tip})
                    )
        if status == 200:
            status = 400
    else:
        form = TipForm(communes=communes)
    context = {
        "form": form,
        "provinces": provinces(),
        "province": province,
        "challenge": intake.challenge_new(),
        "bits": intake.pow_bits(),
    }
    return _private(render(request, "tips/send.html", context, status=status))


def _lookup(request: HttpRequest, receipt: str):
    """The tip of a receipt (None when unknown), or False when the client asked too often."""
    if not intake.lookup_allowed(intake.client_key(request)):
        return False
    return services.tip_by_receipt(receipt)


def _follow_page(request, form, tip=None, message_form=None, status=200):
    context = {"form": form, "tip": tip}
    if tip is not None:
        context["view"] = services.citizen_view(tip)
        context["message_form"] = message_form or CitizenMessageForm(
            initial={"receipt": form.cleaned_data["receipt"]}
        )
        context["closed"] = tip.state == State.CLOSED
    return _private(render(request, "tips/follow.html", context, status=status))


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _follow_page(request, FollowForm())
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _follow_page(request, form, status=400)
    tip = _lookup(request, form.cleaned_data["receipt"])
    if tip is False:
        form.add_error(None, _("Too many look-ups from this device in the past hour."))
        return _follow_page(request, form, status=429)
    if tip is None:
        form.add_error("receipt", _("No tip has this receipt code. Check the 20 characters."))
        return _follow_page(request, form, status=404)
    return _follow_page(request, form, tip)


@require_POST
def follow_message(request: HttpRequest) -> HttpResponse:
    message_form = CitizenMessageForm(request.POST)
    form = FollowForm({"receipt": request.POST.get("receipt", "")})
    if not (form.is_valid() and message_form.is_valid()):
        return _follow_page(request, FollowForm(), status=400)
    tip = _lookup(request, form.cleaned_data["receipt"])
    if not tip:
        form.add_error("receipt", _("No tip has this receipt code. Check the 20 characters."))
        return _follow_page(request, form, status=404 if tip is None else 429)
    try:
        services.citizen_message(tip, message_form.cleaned_data["text"])
    except RecordErrors as exc:
        _show(message_form, exc)
        return _follow_page(request, form, tip, message_form, status=400)
    page = _follow_page(request, form, tip)
    return page


# --- the handling unit's pages -------------------------------------------------------------------


def handler_required(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        bodies = selectors.handler_bodies(request.user)
        if not bodies:
            raise PermissionDenied(
                _("Only officers with the tip-handling role in a police body read tips.")
            )
        request.tip_bodies = bodies
        return view(request, *args, **kwargs)

    return wrapped


def _tip_or_404(request: HttpRequest, pk: int) -> Tip:
    """A tip of the user's bodies; anything else is a 404, and the attempt is audited."""
    tip = Tip.objects.select_related("area", "body", "assignee").filter(pk=pk).first()
    if tip is None:
        raise Http404(_("No such tip."))
    if tip.body_id not in {b.pk for b in request.tip_bodies} or tip.erased_at is not None:
        services.deny(request.user, tip)  # raises Http404
    return tip


@handler_required
def inbox(request: HttpRequest) -> HttpResponse:
    tips = selectors.tips_for(request.user)
    filters = {
        "state": (State, request.GET.get("state", "")),
        "triage": (Triage, request.GET.get("triage", "")),
        "kind": (Kind, request.GET.get("kind", "")),
    }
    for name, (choices, value) in filters.items():
        if value in choices.values:
            tips = tips.filter(**{name: value})
    if request.GET.get("mine"):
        tips = tips.filter(assignee=request.user)
    page = Paginator(tips, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for tip in page:
        tip.clock = legal.clock(tip.deadline, today) if tip.state != State.CLOSED else None
    context = {
        "page": page,
        "filters": {n: (c.choices, v) for n, (c, v) in filters.items()},
        "bodies": request.tip_bodies,
        "due": selectors.tips_due(request.user)
        .filter(deadline__lte=today + dt.timedelta(days=legal.NEAR_DAYS))
        .count(),
    }
    return _private(render(request, "tips/inbox.html", context))


@handler_required
def deadlines(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tips = list(selectors.tips_due(request.user))
    for tip in tips:
        tip.clock = legal.clock(tip.deadline, today)
        tip.days_left = (tip.deadline - today).days
    return _private(render(request, "tips/deadlines.html", {"tips": tips, "today": today}))


def _action_forms(request, tip: Tip) -> dict:
    police = Body.objects.filter(kind=BodyKind.POLICE).exclude(pk=tip.body_id)
    today = timezone.localdate()
    police = [b for b in police.order_by("name") if b.is_valid_on(today)]
    return {
        "classify": ClassifyForm(
            initial={
                "kind": tip.kind if tip.kind != Kind.UNCLASSIFIED else Kind.CRIME,
                "topic": tip.topic,
            }
        ),
        "triage": TriageForm(initial={"triage": tip.triage}),
        "assign": AssignForm(
            handlers=selectors.body_handlers(tip.body),
            initial={"assignee": tip.assignee_id or ""},
        ),
        "write": WriteForm(initial={"to_citizen": "1"}),
        "transfer": TransferForm(bodies=police),
        "extend": ExtendForm(),
        "decide": DecideForm(initial={"on": today}),
    }


@handler_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _tip_or_404(request, pk))


def _detail(request, tip: Tip, *, forms: dict | None = None, contact=None, status=200):
    view = services.tip_open(request.user, tip)
    today = timezone.localdate()
    context = {
        "tip": tip,
        "view": view,
        "forms": {**_action_forms(request, tip), **(forms or {})},
        "contact": contact,
        "clock": legal.clock(tip.deadline, today) if tip.state != State.CLOSED else None,
        "closed": tip.state == State.CLOSED,
        "cases": list(tip.cases.all()),
        "citizen_status": services.citizen_status(tip),
    }
    return _private(render(request, "tips/detail.html", context, status=status))


@require_POST
@handler_required
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    tip = _tip_or_404(request, pk)
    text = services.tip_contact(request.user, tip)
    return _detail(request, tip, contact=text or _("(the sender left no contact)"))


@handler_required
def attachment(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    tip = _tip_or_404(request, pk)
    ext, data = services.tip_attachment(request.user, tip, file_pk)
    response = HttpResponse(data, content_type=CONTENT_TYPES[ext])
    disposition = "inline" if ext != ".pdf" else "attachment"
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="{tip.reference}-{file_pk}{ext}"'
    )
    return _private(response)


def _act(form_class, call, **form_kwargs):
    """An action on a tip: the form, then the service; its problems shown on the form."""

    def run(request, tip):
        form = form_class(request.POST, **form_kwargs.get("extra", lambda r, t: {})(request, tip))
        if form.is_valid():
            try:
                call(request, tip, form)
            except RecordErrors as exc:
                _show(form, exc)
            else:
                return None
        return form

    return run


ACTIONS = {
    "classify": _act(
        ClassifyForm,
        lambda r, t, f: services.tip_classify(
            r.user, t, kind=f.cleaned_data["kind"], topic=f.cleaned_data["topic"]
        ),
    ),
    "triage": _act(
        TriageForm, lambda r, t, f: services.tip_triage(r.user, t, triage=f.cleaned_data["triage"])
    ),
    "assign": _act(
        AssignForm,
        lambda r, t, f: services.tip_assign(
            r.user, t, assignee=f.handlers.get(f.cleaned_data["assignee"] or "")
        ),
        extra=lambda r, t: {"handlers": selectors.body_handlers(t.body)},
    ),
    "write": _act(
        WriteForm,
        lambda r, t, f: services.tip_write(
            r.user, t, text=f.cleaned_data["text"], to_citizen=f.cleaned_data["to_citizen"] == "1"
        ),
    ),
    "transfer": _act(
        TransferForm,
        lambda r, t, f: services.tip_transfer(
            r.user, t, to=f.bodies.get(f.cleaned_data["to"]), reason=f.cleaned_data["reason"]
        ),
        extra=lambda r, t: {
            "bodies": [b for b in Body.objects.filter(kind=BodyKind.POLICE).exclude(pk=t.body_id)]
        },
    ),
    "extend": _act(
        ExtendForm, lambda r, t, f: services.tip_extend(r.user, t, until=f.cleaned_data["until"])
    ),
    "decide": _act(
        DecideForm,
        lambda r, t, f: services.tip_decide(
            r.user, t, decision=f.cleaned_data["decision"], on=f.cleaned_data["on"]
        ),
    ),
    "close": _act(ExtendForm, lambda r, t, f: services.tip_close(r.user, t)),
}
DONE = {
    "classify": gettext_lazy("The tip has been classified."),
    "triage": gettext_lazy("The assessment has been saved."),
    "assign": gettext_lazy("The officer in charge has been saved."),
    "write": gettext_lazy("The message has been saved."),
    "transfer": gettext_lazy("The tip has been transferred; your body can no longer read it."),
    "extend": gettext_lazy("The deadline has been extended."),
    "decide": gettext_lazy("The decision has been recorded; the tip is settled."),
    "close": gettext_lazy("The tip is settled."),
}


@require_POST
@handler_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404(_("No such action."))
    tip = _tip_or_404(request, pk)
    form = ACTIONS[action](request, tip)
    if form is None:
        messages.success(request, DONE[action])
        if action == "transfer":
            return redirect("tips:inbox")
        return redirect("tips:detail", pk=tip.pk)
    return _detail(request, tip, forms={action: form}, status=400)


@require_http_methods(["GET", "POST"])
@handler_required
def record(request: HttpRequest) -> HttpResponse:
    """A tip an officer received in person, by phone, by letter, from the media or VNeID."""
    province = _province(request) or _home_province(request.tip_bodies[0])
    communes = communes_of(province)
    body = request.tip_bodies[0]
    if request.method == "POST":
        form = OfficerTipForm(request.POST, request.FILES, communes=communes)
        body = next((b for b in request.tip_bodies if str(b.pk) == request.POST.get("body")), body)
        if form.is_valid():
            received = timezone.make_aware(
                dt.datetime.combine(form.cleaned_data["received_on"], dt.time(8))
            )
            try:
                tip, receipt = services.tip_submit(
                    _tip_input(form, request),
                    channel=form.cleaned_data["channel"],
                    officer=request.user,
                    body=body,
                    kind=form.cleaned_data["kind"],
                    received_at=received,
                )
            except RecordErrors as exc:
                _show(form, exc)
            else:
                return _private(
                    render(
                        request,
                        "tips/receipt.html",
                        {"receipt": receipt, "tip": tip, "officer": True},
                    )
                )
        status = 400
    else:
        form = OfficerTipForm(
            communes=communes,
            initial={"received_on": timezone.localdate(), "kind": Kind.CRIME},
        )
        status = 200
    context = {
        "form": form,
        "provinces": provinces(),
        "province": province,
        "bodies": request.tip_bodies,
        "body": body,
    }
    return _private(render(request, "tips/record.html", context, status=status))


def _home_province(body: Body) -> Area | None:
    from antq.areas.selectors import area_ancestors

    today = timezone.localdate()
    chain = area_ancestors(body.area, today, include_self=True)
    return next((a for a in chain if a.level == Level.PROVINCE), None)


# --- cases ------------------------------------------------------------------------------------------


@handler_required
def cases(request: HttpRequest) -> HttpResponse:
    rows = selectors.cases_for(request.user).prefetch_related("tips")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return _private(render(request, "tips/cases.html", {"page": page}))


@require_http_methods(["GET", "POST"])
@handler_required
def case_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    case = None
    if pk is not None:
        case = get_object_or_404(selectors.cases_for(request.user), pk=pk)
    body = case.body if case else request.tip_bodies[0]
    linkable = list(
        selectors.tips_for(request.user).filter(body=body).order_by("-received_on", "-pk")[:300]
    )
    if request.method == "POST":
        form = CaseForm(request.POST, tips=linkable)
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = [form.tip_objs[k] for k in data.pop("tips")]
            data["area"] = chosen[0].area if chosen else None
            try:
                case = services.case_save(
                    request.user, body=body, data=data, tips=chosen, case=case
                )
            except RecordErrors as exc:
                _show(form, exc)
            else:
                messages.success(request, _("The case has been saved."))
                return redirect("tips:cases")
        status = 400
    else:
        initial = {"tips": [str(t.pk) for t in case.tips.all()]} if case else {}
        if case:
            initial.update(
                {
                    n: getattr(case, n)
                    for n in (
                        "number",
                        "offence",
                        "opened_on",
                        "cleared_on",
                        "suspects",
                        "assets_vnd",
                    )
                }
            )
        form = CaseForm(tips=linkable, initial=initial)
        status = 200
    title = _("Case %(n)s") % {"n": case.number} if case else _("Record a case")
    return _private(
        render(
            request,
            "tips/case_form.html",
            {"form": form, "title": title, "cancel": reverse("tips:cases")},
            status=status,
        )
    )
