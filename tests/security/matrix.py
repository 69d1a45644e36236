"""The RBAC matrix: every URL pattern of antq (pages, API, admin) × every HTTP method it
accepts × every persona of tests/security/world.py, with the answer each must get.

A row names the pattern, the method and the object addressed (a key of World.args: "own"
and "other" are the two communes' objects). Its personas fall in three groups:
  ok         allowed; the answer is `allowed`: 200, 201, 204, or "done" (a redirect that is
             not to a login page: the form's success);
  forbidden  they see the object but may not do this: 403;
  the rest   `denied`: by default 404 (an object outside one's reach does not exist) for
             pages and 403 for the API.
Anonymous visitors get "login" (a redirect to the login page) on pages, 401 on the API and
"admin-login" on the admin, unless the row is public (ANON among `ok`). The API token
persona has no session: on pages and on the admin it is anonymous.

A write (any method but GET) is checked twice: a denied one changes nothing in the database,
and an allowed one with `changes=True` (the default for writes) does change it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.world import (
    ANON,
    APPROVER,
    CMANAGER,
    DS,
    ENTRY,
    INSPECTOR,
    OTHER,
    OTHER_ENTRY,
    OWN,
    PADMIN,
    PERSONAS,
    PMANAGER,
    PV05,
    SUPER,
    TIPS,
    TOKEN,
    VIEWER,
    World,
    pdf,
    png,
)

Outcome = int | str  # a status code, "done", "login" or "admin-login"


def group(*personas: str) -> frozenset[str]:
    return frozenset(personas)


EVERYONE = frozenset(PERSONAS)
LOGGED_IN = EVERYONE - {ANON, TOKEN}  # every account with a session
API_USERS = EVERYONE - {ANON}  # every account, by session or token
OFFICIALS = group(VIEWER, ENTRY, APPROVER, CMANAGER, OTHER_ENTRY, PV05, PMANAGER, PADMIN)
PROVINCE = group(PV05, PMANAGER, PADMIN, SUPER)  # reach every commune of the province
OWN_VIEW = group(VIEWER, ENTRY, APPROVER, CMANAGER) | PROVINCE
OTHER_VIEW = group(OTHER_ENTRY) | PROVINCE
OWN_ENTER = group(ENTRY, CMANAGER, PMANAGER, PADMIN, SUPER)
OTHER_ENTER = group(OTHER_ENTRY, PMANAGER, PADMIN, SUPER)
ABOVE = PROVINCE  # approve from above the communes (a commune never approves its own)
REGISTER = group(ENTRY, CMANAGER, OTHER_ENTRY, PMANAGER, PADMIN, SUPER)  # enter somewhere
MANAGERS = group(CMANAGER, PMANAGER, PADMIN, SUPER)  # manage somewhere
PLAN_SEEN = OWN_VIEW | OTHER_VIEW  # the plan is sent to both communes
PLAN_MANAGE = group(PMANAGER, PADMIN, SUPER)  # manage the issuer's (the province's) area
# Inspections: seen by the delegation, the inspecting body and the bodies inspected; run by
# the delegation and the inspecting body's managers. Own: the Party board inspects the own
# commune police (and the commune's people's committee). Other: the provincial police
# inspects the other commune police.
INSP_OWN_SEE = group(VIEWER, ENTRY, APPROVER, CMANAGER, INSPECTOR, SUPER)
INSP_OWN_RUN = group(INSPECTOR, SUPER)
INSP_OTHER_SEE = group(OTHER_ENTRY, PADMIN, SUPER)
INSP_OTHER_RUN = group(PADMIN, SUPER)
TIP_HANDLERS = group(TIPS)  # no other role reaches a tip, superusers included


def api(personas: frozenset[str]) -> frozenset[str]:
    """The API token persona is the own commune's data entry: it goes where ENTRY goes."""
    return personas | {TOKEN} if ENTRY in personas else personas


@dataclass(frozen=True)
class Row:
    name: str  # the URL pattern's name, namespaced
    method: str = "GET"
    target: str = "-"  # a key of World.args
    ok: frozenset[str] = frozenset()
    allowed: Outcome = 200
    forbidden: frozenset[str] = frozenset()
    denied: Outcome | None = None  # None: 404 on pages, 403 on the API, the admin's login
    anon: Outcome | None = None
    query: Callable[[World], dict] | dict | None = None
    data: Callable[[World, str], Any] | None = None
    json: bool = False
    changes: bool | None = True  # a write allowed must change the database (None: unchecked)
    variant: str = ""
    extra: dict = field(default_factory=dict)  # more URL keyword arguments
    overrides: dict = field(default_factory=dict)  # persona -> outcome, where none of the above
    headers: dict = field(default_factory=dict)
    note: str = ""

    @property
    def kind(self) -> str:
        if self.name.startswith("api:") or self.name in ("api-schema", "api-docs"):
            return "api"
        if self.name.startswith("admin:"):
            return "admin"
        return "web"

    @property
    def id(self) -> str:
        parts = [self.name, self.method, self.target]
        if self.variant:
            parts.append(self.variant)
        return "|".join(parts)

    @property
    def is_write(self) -> bool:
        return self.method != "GET"

    def must_change(self) -> bool | None:
        return self.changes if self.is_write else None


def expected(row: Row, persona: str) -> Outcome:
    if persona in row.overrides:
        return row.overrides[persona]
    no_session = persona == ANON or (persona == TOKEN and row.kind != "api")
    if no_session:
        if ANON in row.ok:
            return row.allowed
        if row.anon is not None:
            return row.anon
        return {"api": 401, "admin": "admin-login"}.get(row.kind, "login")
    if persona in row.ok:
        return row.allowed
    if persona in row.forbidden:
        return 403
    if row.denied is not None:
        return row.denied
    return {"api": 403, "admin": "admin-login"}.get(row.kind, 404)


# --- payloads ---------------------------------------------------------------------------------


def today(w: World) -> dt.date:
    return w.objects["today"]


def iso(day: dt.date) -> str:
    return day.isoformat()


def upload_png(name: str = "anh.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(), content_type="image/png")


def upload_pdf(name: str = "tep.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf(), content_type="application/pdf")


def import_file(w: World, code: str) -> SimpleUploadedFile:
    """The monthly form's template for a commune, with a new figure typed in."""
    return SimpleUploadedFile("bieu.xlsx", _import_bytes(code, w.objects["open_month"]))


@functools.cache
def _import_bytes(code: str, month: str) -> bytes:
    import openpyxl

    from antq.areas.selectors import area_by_code
    from antq.indicators import xlsx
    from antq.indicators.models import DataSet
    from antq.indicators.periods import parse_period

    period = parse_period(month)
    data_set = DataSet.objects.get(code=DS)
    area = area_by_code(code, period.start())
    book = openpyxl.load_workbook(io.BytesIO(xlsx.template_workbook(data_set, area, [period])))
    sheet = book["Số liệu"]
    row = next(r for r in sheet.iter_rows(min_row=8) if r[0].value == "MEETINGS_HELD")
    row[5].value = 7
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def media_workbook(w: World) -> SimpleUploadedFile:
    """The media import template with one item of the own commune."""
    return SimpleUploadedFile("tin-bai.xlsx", _media_bytes(today(w) - dt.timedelta(days=1)))


@functools.cache
def _media_bytes(day: dt.date) -> bytes:
    import openpyxl

    from antq.grassroots import xlsx

    book = openpyxl.load_workbook(io.BytesIO(xlsx.media_template_workbook()))
    sheet = book[xlsx.MEDIA_SHEET]
    values = (day, "tin", "Tin nhập từ tệp", "Báo Lạng Sơn", "Địa phương", OWN, "")
    for col, value in enumerate(values, start=1):
        sheet.cell(row=2, column=col).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def managed_body(w: World, persona: str):
    """The body whose inspections the persona may set up (the superuser: the Party board)."""
    return {
        CMANAGER: w.objects["own_police"],
        PMANAGER: w.objects["party_office"],
        PADMIN: w.objects["police"],
    }.get(persona, w.objects["board"])


def inspection_form(w: World, persona: str, code: str = OWN) -> dict:
    body = "own_police" if code == OWN else "other_police"
    return {
        "title": "Kiểm tra thử",
        "inspecting_body": managed_body(w, persona).pk,
        "level": "provincial",
        "subjects": [w.objects["central"].pk],
        "inspected_bodies": [w.objects[body].pk],
        "area": code,
        "period_start": "2025-07-01",
        "period_end": iso(today(w) - dt.timedelta(days=5)),
        "starts_on": iso(today(w)),
    }


def sections(w: World, side: str, text: str) -> dict:
    report = w.objects["insp"][side]["draft"]
    return {f"section-{s.pk}": text for s in report.sections.all()}


def model_form(w: World, code: str) -> dict:
    return {
        "name": "Mô hình mới",
        "type": w.objects["model_type"].pk,
        "area_code": code,
        "place": "thôn Mới",
        "founded_on": iso(today(w) - dt.timedelta(days=3)),
        "members": 5,
    }


def team_form(w: World, code: str) -> dict:
    return {
        "name": "Tổ mới",
        "area_code": code,
        "place": "thôn Mới",
        "decision_number": "99/QĐ",
        "decision_date": "2025-06-25",
        "established_on": "2025-07-01",
    }


def member_form(w: World) -> dict:
    return {
        "full_name": "Trần Văn Mới",
        "role": "to_vien",
        "birth_date": "1990-05-05",
        "joined_on": iso(today(w) - dt.timedelta(days=1)),
    }


def media_form(w: World, code: str) -> dict:
    return {
        "title": "Tin mới",
        "kind": "tin",
        "outlet": "Báo Lạng Sơn",
        "outlet_level": "local",
        "published_on": iso(today(w) - dt.timedelta(days=1)),
        "area_code": code,
    }


def event_form(w: World, code: str) -> dict:
    return {
        "kind": "meeting",
        "title": "Họp dân",
        "held_on": iso(today(w) - dt.timedelta(days=1)),
        "area_code": code,
        "participants": 30,
    }


def points(w: World) -> dict:
    sheet = w.objects["sheet_now"]
    return {f"c{c.number}": str(c.max_points) for c in sheet.criteria.all()}


def review(w: World) -> dict:
    sheet = w.objects["sheet"]
    return {f"c{c.number}": str(c.max_points) for c in sheet.criteria.all()}


def tip_form(w: World, code: str) -> dict:
    return {"province": "20", "area": code, "topic": "drugs", "content": "Mua bán ma túy ở chợ"}


def officer_tip(w: World) -> dict:
    return {
        **tip_form(w, OWN),
        "channel": "phone",
        "received_on": iso(today(w)),
        "kind": "crime",
        "body": w.objects["own_police"].pk,
    }


def case_form(w: World) -> dict:
    return {
        "number": "02/own",
        "offence": "drugs",
        "opened_on": iso(today(w) - dt.timedelta(days=1)),
        "suspects": 1,
        "assets_vnd": 0,
        "tips": [w.objects["tip_own"].pk],
    }


def bulk_values(code: str) -> Callable[[World, str], dict]:
    def payload(w: World, persona: str) -> dict:
        period = w.objects["open_month"]
        return {
            "values": [{"indicator": "MEETINGS_HELD", "area": code, "period": period, "value": "9"}]
        }

    return payload


def api_model(code: str) -> Callable[[World, str], dict]:
    def payload(w: World, persona: str) -> dict:
        return {
            "name": "Mô hình qua API",
            "type": w.objects["model_type"].code,
            "area": code,
            "founded_on": iso(today(w) - dt.timedelta(days=2)),
            "members": 4,
        }

    return payload


def api_team(code: str) -> Callable[[World, str], dict]:
    def payload(w: World, persona: str) -> dict:
        return {
            "name": "Tổ qua API",
            "area": code,
            "place": "thôn API",
            "decision_number": "7/QĐ",
            "decision_date": "2025-07-10",
            "established_on": "2025-07-15",
        }

    return payload


def api_media(code: str) -> Callable[[World, str], dict]:
    def payload(w: World, persona: str) -> dict:
        return {
            "title": "Tin qua API",
            "kind": "tin",
            "outlet": "Báo Lạng Sơn",
            "outlet_level": "local",
            "published_on": iso(today(w) - dt.timedelta(days=2)),
            "area": code,
        }

    return payload


def api_event(code: str) -> Callable[[World, str], dict]:
    def payload(w: World, persona: str) -> dict:
        return {
            "kind": "meeting",
            "title": "Họp dân qua API",
            "held_on": iso(today(w) - dt.timedelta(days=2)),
            "area": code,
            "participants": 12,
        }

    return payload


def results_query(code: str, fmt: str = "docx") -> Callable[[World], dict]:
    def query(w: World) -> dict:
        asked = {
            "document": str(w.objects["plan"].pk),
            "area": code,
            "start": w.objects["approved_month"],
            "end": w.objects["open_month"],
        }
        return {**asked, "format": fmt} if fmt else asked

    return query


def analytics_query(code: str) -> Callable[[World], dict]:
    def query(w: World) -> dict:
        return {"indicator": "MEDIATIONS", "area": code, "start": "2025", "end": str(today(w).year)}

    return query


def records_query(code: str) -> Callable[[World], dict]:
    def query(w: World) -> dict:
        month = w.objects["approved_month"]
        return {"indicator": "SM_MODELS_ACTIVE", "area": code, "start": month, "end": month}

    return query


def area_query(code: str) -> Callable[[World], dict]:
    def query(w: World) -> dict:
        return {"area": code, "start": "2025", "end": str(today(w).year)}

    return query


# --- the rows ---------------------------------------------------------------------------------


def _pages() -> list[Row]:
    rows: list[Row] = []
    add = rows.append

    # the shell
    add(Row("web:home", ok=EVERYONE, note="the public home page"))
    add(Row("web:bodies", ok=LOGGED_IN, note="the list of bodies is known to every account"))
    add(Row("web:notifications", ok=LOGGED_IN))
    add(Row("web:notifications", "POST", ok=LOGGED_IN, allowed="done", note="marks own read"))
    add(Row("areas:browser", ok=EVERYONE, note="administrative units are public facts"))
    add(Row("areas:detail", target="area", ok=EVERYONE))

    # accounts
    add(
        Row(
            "accounts:login",
            ok=group(ANON),
            forbidden=frozenset(),
            denied="done",
            note="a logged-in visitor is sent on",
        )
    )
    add(
        Row(
            "accounts:login",
            "POST",
            ok=EVERYONE,
            allowed=400,
            changes=False,
            data=lambda w, p: {"username": "w-nobody", "password": "sai"},
            note="a wrong name: refused, and the name's throttle is kept in the cache",
        )
    )
    add(Row("accounts:logout", "POST", ok=EVERYONE, allowed="done", changes=False))
    add(Row("accounts:password_change", ok=LOGGED_IN))
    add(
        Row(
            "accounts:password_change",
            "POST",
            ok=LOGGED_IN,
            allowed="done",
            data=lambda w, p: {
                "old_password": w.password,
                "new_password1": "Mat-khau-moi-2026!",
                "new_password2": "Mat-khau-moi-2026!",
            },
        )
    )
    add(Row("accounts:profile", ok=LOGGED_IN))
    add(
        Row(
            "accounts:second_factor",
            ok=EVERYONE,
            allowed="login",
            note="without a pending login, back to the login page",
        )
    )
    add(
        Row(
            "accounts:second_factor",
            "POST",
            ok=EVERYONE,
            allowed="login",
            changes=False,
            data=lambda w, p: {"code": "123456"},
        )
    )
    add(
        Row(
            "accounts:second_factor_setup",
            ok=LOGGED_IN,
            allowed=404,
            note="a 404 while ANTQ_TOTP is off",
        )
    )
    add(
        Row(
            "accounts:second_factor_setup",
            "POST",
            ok=LOGGED_IN,
            allowed=404,
            changes=False,
            data=lambda w, p: {"code": "123456"},
        )
    )
    add(
        Row(
            "accounts:second_factor_remove",
            "POST",
            ok=LOGGED_IN,
            allowed="done",
            changes=False,
            note="nothing to remove: no account here has an authenticator",
        )
    )

    # documents, plans, tasks
    add(Row("directives:documents", ok=LOGGED_IN))
    add(Row("directives:document_new", ok=MANAGERS, denied=403))
    add(
        Row(
            "directives:document_new",
            "POST",
            ok=MANAGERS,
            denied=403,
            allowed="done",
            data=lambda w, p: {
                "kind": "KH",
                "symbol": "77-KH/THU",
                "issuer_name": "Cơ quan thử",
                "issued_on": "2025-08-01",
                "subject": "Kế hoạch thử",
                "status": "in_force",
            },
        )
    )
    add(
        Row(
            "directives:document",
            target="doc_central",
            ok=LOGGED_IN,
            note="a central document (no registered issuer) is shown to every account",
        )
    )
    add(Row("directives:document", target="plan", ok=PLAN_SEEN))
    add(Row("directives:document", target="doc_other", ok=OTHER_VIEW))
    add(Row("directives:document_file", target="plan", ok=PLAN_SEEN))
    for name, data, allowed, changes in (
        (
            "directives:document_link",
            lambda w, p: {"kind": "implements", "target_symbol": "44-KL/TW"},
            "done",
            True,
        ),
        (
            "directives:document_parse",
            lambda w, p: {"text": "Thực hiện Kết luận số 44-KL/TW"},
            200,
            False,
        ),
        (
            "directives:document_citations",
            lambda w, p: {"text": "Thực hiện Kết luận số 44-KL/TW", "symbol": "44-KL/TW"},
            "done",
            True,
        ),
        (
            "directives:plan_send",
            lambda w, p: {"bodies": [w.objects["own_committee"].pk], "sent_on": "2025-07-02"},
            "done",
            True,
        ),
    ):
        add(
            Row(
                name,
                "POST",
                target="plan",
                ok=PLAN_MANAGE,
                forbidden=PLAN_SEEN - PLAN_MANAGE,
                allowed=allowed,
                data=data,
                changes=changes,
            )
        )
        add(
            Row(
                name,
                "POST",
                target="doc_other",
                ok=OTHER_ENTER - {OTHER_ENTRY},
                forbidden=OTHER_VIEW - OTHER_ENTER | {OTHER_ENTRY},
                allowed=allowed,
                data=data,
                changes=changes,
                note="a commune's data entry does not manage its documents",
            )
        )
    add(Row("directives:plan", target="plan", ok=PLAN_SEEN))
    add(Row("directives:plan", target="doc_other", ok=OTHER_VIEW))
    add(
        Row(
            "directives:plan_add_task",
            target="plan",
            ok=PLAN_MANAGE,
            forbidden=PLAN_SEEN - PLAN_MANAGE,
        )
    )
    add(
        Row(
            "directives:plan_add_task",
            "POST",
            target="plan",
            ok=PLAN_MANAGE,
            forbidden=PLAN_SEEN - PLAN_MANAGE,
            allowed="done",
            data=lambda w, p: {
                "title": "Nhiệm vụ mới",
                "lead_body": w.objects["party_office"].pk,
                "recurrence": "once",
                "due_on": "2026-12-31",
            },
        )
    )
    reporting_own = group(ENTRY, CMANAGER, PADMIN, SUPER)  # the body, or a body above it
    add(Row("directives:assignment", target="assignment_own", ok=OWN_VIEW))
    add(Row("directives:assignment", target="assignment_other", ok=OTHER_VIEW))

    def progress(w: World, p: str) -> dict:
        return {"reported_on": iso(today(w)), "text": "Đã triển khai", "completed": "on"}

    add(
        Row(
            "directives:assignment",
            "POST",
            target="assignment_own",
            ok=reporting_own,
            forbidden=OWN_VIEW - reporting_own,
            allowed="done",
            data=progress,
            note="only the assigned body, or a body above it, reports",
        )
    )
    add(
        Row(
            "directives:assignment",
            "POST",
            target="assignment_other",
            ok=group(OTHER_ENTRY, PADMIN, SUPER),
            forbidden=group(PV05, PMANAGER),
            allowed="done",
            data=progress,
        )
    )
    add(Row("directives:overdue", ok=LOGGED_IN))
    add(Row("directives:mine", ok=LOGGED_IN))
    add(
        Row(
            "reports:reminder",
            target="reminder",
            ok=PLAN_MANAGE,
            forbidden=PLAN_SEEN - PLAN_MANAGE,
            note="for those who manage the issuing body",
        )
    )
    add(Row("reports:results", ok=LOGGED_IN))
    add(
        Row(
            "reports:results",
            query=results_query(OWN),
            variant="own",
            ok=OWN_VIEW,
            forbidden=PLAN_SEEN - OWN_VIEW,
            denied=400,
            note="an area out of reach: 403; a document out of sight reads as unknown: 400",
        )
    )

    # indicators: forms, approval, results
    add(Row("indicators:index", ok=LOGGED_IN))
    add(
        Row(
            "indicators:dashboard",
            ok=OFFICIALS | {SUPER},
            denied=403,
            note="by default the user's own area (or the province): refused without a role",
        )
    )
    for code, seen in ((OWN, OWN_VIEW), (OTHER, OTHER_VIEW)):
        side = "own" if code == OWN else "other"
        add(Row("indicators:dashboard", query=area_query(code), variant=side, ok=seen, denied=403))
        add(
            Row(
                "indicators:results_xlsx", query=area_query(code), variant=side, ok=seen, denied=403
            )
        )
        add(
            Row(
                "indicators:completeness",
                query={"ds": DS, "area": code},
                variant=side,
                ok=seen,
                denied=403,
            )
        )
        add(
            Row(
                "indicators:template",
                variant=side,
                ok=seen,
                query=lambda w, c=code: {
                    "ds": DS,
                    "area": c,
                    "start": w.objects["open_month"],
                    "end": w.objects["open_month"],
                },
            )
        )
        add(Row("indicators:behind", query=records_query(code), variant=side, ok=seen))
        add(Row("indicators:entry", target=f"entry_{side}", ok=seen))
        enter = OWN_ENTER if code == OWN else OTHER_ENTER
        add(
            Row(
                "indicators:entry",
                "POST",
                target=f"entry_{side}",
                ok=enter,
                forbidden=seen - enter,
                allowed="done",
                data=lambda w, p: {"v-MEDIATIONS": "5"},
            )
        )
        add(
            Row(
                "indicators:submit",
                "POST",
                target=f"entry_{side}",
                ok=enter,
                denied=403,
                allowed="done",
                note="refused (403) to all without data entry there",
            )
        )
        add(Row("indicators:history", target=f"history_{side}", ok=seen))
        add(
            Row(
                "indicators:decide",
                "POST",
                target=f"sub_{side}",
                ok=ABOVE,
                allowed="done",
                data=lambda w, p: {"decision": "approve"},
                note="the level above approves; the commune's own approver cannot",
            )
        )
        add(
            Row(
                "indicators:decide",
                "POST",
                target=f"sub_{side}",
                ok=ABOVE,
                allowed="done",
                variant="return",
                data=lambda w, p: {"decision": "return", "reason": "Sai số"},
            )
        )
        add(
            Row(
                "indicators:derived_decide",
                "POST",
                target=f"change_{side}",
                ok=ABOVE,
                allowed="done",
                data=lambda w, p: {"decision": "apply"},
            )
        )
        add(
            Row(
                "indicators:import",
                "POST",
                variant=side,
                ok=enter,
                denied=400,
                data=lambda w, p, c=code: {"ds": DS, "file": import_file(w, c)},
                note="an area out of one's reach fails the import (400); only its job is kept",
            )
        )
    add(
        Row(
            "indicators:import",
            ok=LOGGED_IN,
            allowed="done",
            query={"ds": DS},
            note="back to the forms",
        )
    )
    add(
        Row(
            "indicators:import_job",
            target="import_job",
            ok=group(ENTRY),
            note="only the one who uploaded follows an import",
        )
    )
    add(Row("indicators:approvals", ok=LOGGED_IN))

    # grassroots registries
    add(Row("grassroots:index", ok=LOGGED_IN))
    for plural in ("models", "teams", "media", "events"):
        add(Row(f"grassroots:{plural}", ok=LOGGED_IN, note="lists scoped to the user's reach"))
        add(Row(f"grassroots:{plural}_xlsx", ok=LOGGED_IN))
    for new, form in (
        ("model_new", model_form),
        ("team_new", team_form),
        ("media_new", media_form),
        ("event_new", event_form),
    ):
        add(Row(f"grassroots:{new}", ok=REGISTER, denied=403))
        add(
            Row(
                f"grassroots:{new}",
                "POST",
                variant="own",
                ok=OWN_ENTER,
                denied=403,
                allowed="done",
                data=lambda w, p, f=form: f(w, OWN),
            )
        )
        add(
            Row(
                f"grassroots:{new}",
                "POST",
                variant="other",
                ok=OTHER_ENTER,
                denied=403,
                allowed="done",
                data=lambda w, p, f=form: f(w, OTHER),
            )
        )
    add(Row("grassroots:media_template", ok=LOGGED_IN))
    add(Row("grassroots:media_import", ok=REGISTER, denied=403))
    add(
        Row(
            "grassroots:media_import",
            "POST",
            ok=OWN_ENTER,
            allowed="done",
            forbidden=REGISTER - OWN_ENTER,
            denied=403,
            data=lambda w, p: {"file": media_workbook(w)},
            overrides={OTHER_ENTRY: 400},
            note="an item outside one's reach fails the whole import",
        )
    )
    for side, code in (("own", OWN), ("other", OTHER)):
        seen = OWN_VIEW if side == "own" else OTHER_VIEW
        enter = OWN_ENTER if side == "own" else OTHER_ENTER
        for view_name, key in (
            ("model", "model"),
            ("attachment", "attachment"),
            ("team", "team"),
            ("media_item", "media"),
            ("media_file", "media"),
            ("event", "event"),
        ):
            add(Row(f"grassroots:{view_name}", target=f"{key}_{side}", ok=seen))
        for edit, key, form in (
            ("model_edit", "model", lambda w, p, c=code: model_form(w, c)),
            ("team_edit", "team", lambda w, p, c=code: team_form(w, c)),
            ("media_edit", "media", lambda w, p, c=code: media_form(w, c)),
            ("event_edit", "event", lambda w, p, c=code: event_form(w, c)),
            ("member_new", "team", lambda w, p: member_form(w)),
            ("member_edit", "member", lambda w, p: {**member_form(w), "full_name": "Đổi tên"}),
        ):
            add(Row(f"grassroots:{edit}", target=f"{key}_{side}", ok=enter, forbidden=seen - enter))
            add(
                Row(
                    f"grassroots:{edit}",
                    "POST",
                    target=f"{key}_{side}",
                    ok=enter,
                    forbidden=seen - enter,
                    allowed="done",
                    data=form,
                )
            )
        for action, key, data in (
            ("model_status", "model", lambda w, p: {"status": "paused", "since": iso(today(w))}),
            ("model_assess", "model", lambda w, p: {"year": today(w).year, "rating": "tot"}),
            ("model_attach", "model", lambda w, p: {"file": upload_png(), "title": "Ảnh mới"}),
            ("model_delete", "model", lambda w, p: {"reason": "Nhập nhầm"}),
            ("media_delete", "media", lambda w, p: {"reason": "Nhập nhầm"}),
            ("event_delete", "event", lambda w, p: {"reason": "Nhập nhầm"}),
        ):
            add(
                Row(
                    f"grassroots:{action}",
                    "POST",
                    target=f"{key}_{side}",
                    ok=enter,
                    forbidden=seen - enter,
                    allowed="done",
                    data=data,
                )
            )
        add(Row("grassroots:assessment", target=f"assessment_{side}", ok=seen))
        add(
            Row(
                "grassroots:assessment",
                "POST",
                target=f"assessment_{side}",
                ok=ABOVE,
                forbidden=seen - ABOVE,
                allowed="done",
                data=lambda w, p: review(w),
                note="reviewed by the level above the commune",
            )
        )
        add(Row("grassroots:assessment_edit", target=f"self_assessment_{side}", ok=seen))
        add(
            Row(
                "grassroots:assessment_edit",
                "POST",
                target=f"self_assessment_{side}",
                ok=enter,
                forbidden=seen - enter,
                allowed="done",
                data=lambda w, p: {**points(w), "action": "save"},
            )
        )
        add(
            Row(
                "grassroots:recognitions",
                "POST",
                variant=side,
                ok=enter,
                denied=403,
                allowed="done",
                query=lambda w: {"year": today(w).year},
                data=lambda w, p, c=code: {
                    "area_code": c,
                    "year": today(w).year,
                    "registered_on": f"{today(w).year}-02-01",
                    "result": "registered",
                },
            )
        )
    add(Row("grassroots:assessments", ok=LOGGED_IN))
    add(Row("grassroots:assessments_xlsx", ok=LOGGED_IN))
    add(
        Row(
            "grassroots:sheet_create",
            "POST",
            ok=group(PADMIN, SUPER),
            denied=403,
            allowed="done",
            data=lambda w, p: {"year": today(w).year},
            note="this year's sheet, set by the provincial police: only its managers change it",
        )
    )
    add(
        Row(
            "grassroots:sheet_create",
            "POST",
            variant="new",
            ok=group(PMANAGER, PADMIN, SUPER),
            denied=403,
            allowed="done",
            data=lambda w, p: {"year": today(w).year - 2},
            note="a year without a sheet: the managers of a body above the communes",
        )
    )
    add(Row("grassroots:recognitions", ok=LOGGED_IN))
    add(Row("grassroots:recognitions_xlsx", ok=LOGGED_IN))

    # tips: public pages, then the handlers'
    add(Row("tips:send", ok=EVERYONE))
    add(
        Row(
            "tips:send",
            "POST",
            ok=EVERYONE,
            data=lambda w, p: tip_form(w, OWN),
            note="anyone may send a tip",
        )
    )
    add(Row("tips:follow", ok=EVERYONE))
    add(
        Row(
            "tips:follow",
            "POST",
            ok=EVERYONE,
            changes=False,
            data=lambda w, p: {"receipt": w.objects["receipt"]},
        )
    )
    add(
        Row(
            "tips:follow_message",
            "POST",
            ok=EVERYONE,
            data=lambda w, p: {"receipt": w.objects["receipt"], "text": "Bổ sung thông tin"},
        )
    )
    for name in (
        "tips:index",
        "tips:inbox",
        "tips:deadlines",
        "tips:cases",
        "tips:case_new",
        "tips:record",
    ):
        add(Row(name, ok=TIP_HANDLERS, denied=403))
    add(Row("tips:record", "POST", ok=TIP_HANDLERS, denied=403, data=lambda w, p: officer_tip(w)))
    add(
        Row(
            "tips:case_new",
            "POST",
            ok=TIP_HANDLERS,
            denied=403,
            allowed="done",
            data=lambda w, p: case_form(w),
        )
    )
    for side in ("own", "other"):
        # the own commune's tip handler is told a tip routed elsewhere does not exist
        mine = TIP_HANDLERS if side == "own" else frozenset()
        theirs = {} if side == "own" else {TIPS: 404}
        add(
            Row(
                "tips:detail",
                target=f"tip_{side}",
                ok=mine,
                denied=403,
                overrides=theirs,
                note="only the handlers of the body the tip is routed to, no one else",
            )
        )
        add(Row("tips:case_edit", target=f"case_{side}", ok=mine, denied=403, overrides=theirs))
        add(
            Row(
                "tips:case_edit",
                "POST",
                target=f"case_{side}",
                ok=mine,
                denied=403,
                overrides=theirs,
                allowed="done",
                data=lambda w, p: {**case_form(w), "number": "01/own-b"},
            )
        )
        add(
            Row(
                "tips:contact",
                "POST",
                target=f"tip_{side}",
                ok=mine,
                denied=403,
                overrides=theirs,
                note="a read, audited",
            )
        )
        add(
            Row(
                "tips:act",
                "POST",
                target=f"tip_{side}",
                extra={"action": "write"},
                variant="write",
                ok=mine,
                denied=403,
                overrides=theirs,
                allowed="done",
                data=lambda w, p: {"text": "Đã tiếp nhận", "to_citizen": "1"},
            )
        )
    for action, target, data in (
        ("classify", "tip_own", lambda w, p: {"kind": "crime", "topic": "drugs"}),
        ("triage", "tip_own", lambda w, p: {"triage": "valuable"}),
        ("assign", "tip_own", lambda w, p: {"assignee": w.users[TIPS].pk}),
        (
            "transfer",
            "tip_own",
            lambda w, p: {"to": w.objects["other_police"].pk, "reason": "Đúng địa bàn"},
        ),
        ("close", "tip_own", lambda w, p: {}),
        ("extend", "tip_crime_own", lambda w, p: {}),
        ("decide", "tip_crime_own", lambda w, p: {"decision": "prosecute", "on": iso(today(w))}),
    ):
        add(
            Row(
                "tips:act",
                "POST",
                target=target,
                extra={"action": action},
                variant=action,
                ok=TIP_HANDLERS,
                denied=403,
                allowed="done",
                data=data,
            )
        )
    add(Row("tips:attachment", target="tip_file_own", ok=TIP_HANDLERS, denied=403))

    # inspections
    add(Row("inspections:list", ok=LOGGED_IN))
    add(Row("inspections:new", ok=MANAGERS, denied=403))
    add(
        Row(
            "inspections:new",
            "POST",
            ok=MANAGERS,
            denied=403,
            allowed="done",
            data=inspection_form,
            note="the inspecting body among those the user manages",
        )
    )
    add(
        Row(
            "inspections:new",
            "POST",
            variant="other",
            ok=MANAGERS - {CMANAGER},
            overrides={CMANAGER: 400},
            denied=403,
            allowed="done",
            data=lambda w, p: inspection_form(w, p, OTHER),
            note="no further than the inspecting body's reach: not another commune's bodies",
        )
    )
    for side in ("own", "other"):
        see = INSP_OWN_SEE if side == "own" else INSP_OTHER_SEE
        run = INSP_OWN_RUN if side == "own" else INSP_OTHER_RUN
        body = "own_police" if side == "own" else "other_police"
        for state in ("open", "concluded", "settled"):
            add(Row("inspections:detail", target=f"insp_{state}_{side}", ok=see))
        add(Row("inspections:file", target=f"session_file_{side}", ok=see))
        add(Row("inspections:notice", target=f"notice_{side}", ok=see))
        runs = (
            ("member_add", f"insp_open_{side}", lambda w, p: {"role": "thu_ky", "title": "Thư ký"}),
            ("extend", f"insp_open_{side}", lambda w, p: {"days": 5}),
            ("file_add", f"session_{side}", lambda w, p: {"file": upload_pdf(), "title": "Ảnh"}),
            ("outline_add", f"insp_open_{side}", lambda w, p: {"heading": "Mục mới"}),
            ("outline_remove", f"section_{side}", lambda w, p: {}),
            (
                "outline_send",
                f"insp_open_{side}",
                lambda w, p: {"due_on": iso(today(w) + dt.timedelta(days=7))},
            ),
            (
                "session_add",
                f"insp_open_{side}",
                lambda w, p, b=body: {
                    "day": iso(today(w) - dt.timedelta(days=5)),
                    "time": "09:00",
                    "body": str(w.objects[b].pk),
                    "place": "Hội trường",
                },
            ),
            (
                "finding_add",
                f"insp_open_{side}",
                lambda w, p: {"kind": "strength", "text": "Làm tốt"},
            ),
            (
                "conclusion_issue",
                f"insp_open_{side}",
                lambda w, p: {"symbol": "09-TB/THU", "issued_on": iso(today(w))},
            ),
            (
                "recommendation_add",
                f"insp_concluded_{side}",
                lambda w, p, b=body: {
                    "text": "Khắc phục",
                    "body": str(w.objects[b].pk),
                    "due_on": iso(today(w) + dt.timedelta(days=20)),
                },
            ),
            ("carry_over", f"recommendation_{side}", lambda w, p: {"reason": "Chưa xong"}),
            ("close", f"insp_settled_{side}", lambda w, p: {}),
            (
                "self_report_return",
                f"report_submitted_{side}",
                lambda w, p: {"reason": "Bổ sung số liệu"},
            ),
        )
        for name, target, data in runs:
            rows_see = see if name != "self_report_return" else run
            add(
                Row(
                    f"inspections:{name}",
                    "POST",
                    target=target,
                    ok=run,
                    forbidden=rows_see - run,
                    allowed="done",
                    data=data,
                    note="the delegation and the inspecting body's managers run it",
                )
            )
        # the self-inspection reports: the body's own, and the delegation's
        own_body = group(VIEWER, ENTRY, APPROVER, CMANAGER) if side == "own" else group(OTHER_ENTRY)
        writers = own_body - {VIEWER} | {SUPER}
        submitters = own_body & group(APPROVER, CMANAGER) | {SUPER}
        add(Row("inspections:self_report", target=f"report_draft_{side}", ok=own_body | run))
        add(
            Row(
                "inspections:self_report",
                target=f"report_submitted_{side}",
                ok=run,
                note="another body's report: the delegation only",
            )
        )
        add(Row("inspections:self_report_file", target=f"report_file_{side}", ok=own_body | run))
        add(
            Row(
                "inspections:self_report",
                "POST",
                target=f"report_draft_{side}",
                ok=writers,
                forbidden=(own_body | run) - writers,
                allowed="done",
                data=lambda w, p, s=side: sections(w, s, "Nội dung đã viết"),
            )
        )
        add(
            Row(
                "inspections:self_report",
                "POST",
                target=f"report_draft_{side}",
                variant="submit",
                ok=submitters,
                forbidden=(own_body | run) - submitters,
                allowed="done",
                data=lambda w, p, s=side: {**sections(w, s, "Nội dung"), "action": "submit"},
            )
        )
    return rows


def _api() -> list[Row]:
    rows: list[Row] = []
    add = rows.append
    j = {"json": True}

    add(Row("api:me", ok=API_USERS))
    add(Row("api-schema", ok=EVERYONE, note="the API's description is public"))
    add(Row("api-docs", ok=EVERYONE))
    # areas: public facts
    add(Row("api:area-list", ok=EVERYONE, query={"level": "province"}))
    add(Row("api:area-detail", target="area", ok=EVERYONE))
    add(Row("api:area-history", target="area", ok=EVERYONE))
    # documents and plans
    add(Row("api:document-list", ok=API_USERS))
    add(
        Row(
            "api:document-list",
            "POST",
            ok=api(MANAGERS),
            allowed=201,
            denied=403,
            **j,
            data=lambda w, p: {
                "kind": "KH",
                "symbol": "78-KH/THU",
                "issuer_name": "Cơ quan",
                "issued_on": "2025-08-01",
                "subject": "Kế hoạch qua API",
            },
            note="without an issuer: any manager registers it",
        )
    )
    add(
        Row(
            "api:document-list",
            "POST",
            variant="issuer",
            ok=PLAN_MANAGE,
            allowed=201,
            **j,
            data=lambda w, p: {
                "kind": "KH",
                "symbol": "79-KH/TU",
                "issued_on": "2025-08-01",
                "issuer": w.objects["party_office"].code,
                "subject": "KH",
            },
            note="for an issuer: those who manage its area",
        )
    )
    add(
        Row(
            "api:document-parse",
            "POST",
            ok=API_USERS,
            changes=False,
            **j,
            data=lambda w, p: {"text": "Thực hiện Kết luận số 44-KL/TW"},
        )
    )
    add(Row("api:document-detail", target="plan", ok=api(PLAN_SEEN), denied=404))
    add(Row("api:document-detail", target="doc_other", ok=OTHER_VIEW, denied=404))
    add(
        Row(
            "api:document-links",
            "POST",
            target="plan",
            ok=PLAN_MANAGE,
            allowed=201,
            forbidden=api(PLAN_SEEN) - PLAN_MANAGE,
            denied=404,
            **j,
            data=lambda w, p: {"target": w.objects["central"].pk, "kind": "implements"},
        )
    )
    add(Row("api:plan-tasks", target="plan", ok=api(PLAN_SEEN), denied=404))
    add(
        Row(
            "api:plan-tasks",
            "POST",
            target="plan",
            ok=PLAN_MANAGE,
            allowed=201,
            forbidden=api(PLAN_SEEN) - PLAN_MANAGE,
            denied=404,
            **j,
            data=lambda w, p: {
                "title": "Nhiệm vụ qua API",
                "lead_body": w.objects["party_office"].code,
            },
        )
    )
    add(
        Row(
            "api:plan-send",
            "POST",
            target="plan",
            ok=PLAN_MANAGE,
            allowed=201,
            forbidden=api(PLAN_SEEN) - PLAN_MANAGE,
            denied=404,
            **j,
            data=lambda w, p: {
                "bodies": [w.objects["own_committee"].code],
                "sent_on": "2025-07-02",
            },
        )
    )
    add(Row("api:assignment-list", ok=API_USERS))
    reporting_own = api(group(ENTRY, CMANAGER, PADMIN, SUPER))
    add(
        Row(
            "api:assignment-progress",
            "POST",
            target="assignment_own",
            ok=reporting_own,
            allowed=201,
            forbidden=api(OWN_VIEW) - reporting_own,
            denied=404,
            **j,
            data=lambda w, p: {"reported_on": iso(today(w)), "text": "Đã làm"},
        )
    )
    add(
        Row(
            "api:assignment-progress",
            "POST",
            target="assignment_other",
            ok=group(OTHER_ENTRY, PADMIN, SUPER),
            allowed=201,
            forbidden=group(PV05, PMANAGER),
            denied=404,
            **j,
            data=lambda w, p: {"reported_on": iso(today(w)), "text": "Đã làm"},
        )
    )
    # indicators
    add(Row("api:indicator-list", ok=API_USERS))
    add(
        Row(
            "api:indicator-list",
            "POST",
            ok=group(PADMIN, SUPER),
            allowed=201,
            **j,
            data=lambda w, p: {
                "code": "CAMERAS",
                "name": "Số camera",
                "unit": "count",
                "value_type": "integer",
                "time_aggregation": "last",
            },
            note="administrators only, and only while their membership is in force",
        )
    )
    for side, code in (("own", OWN), ("other", OTHER)):
        seen = api(OWN_VIEW) if side == "own" else OTHER_VIEW
        enter = api(OWN_ENTER) if side == "own" else OTHER_ENTER
        add(Row("api:analytics", query=analytics_query(code), variant=side, ok=seen))
        add(Row("api:analytics-records", query=records_query(code), variant=side, ok=seen))
        add(Row("api:datavalues-bulk", "POST", variant=side, ok=enter, **j, data=bulk_values(code)))
        add(
            Row(
                "api:report-results",
                query=results_query(code, fmt=""),
                variant=side,
                ok=seen,
                forbidden=api(PLAN_SEEN) - seen,
                denied=400,
                note="an area out of reach: 403; a document out of sight reads as unknown: 400",
            )
        )
    # grassroots
    for plural, payload in (
        ("model", api_model),
        ("team", api_team),
        ("media", api_media),
        ("event", api_event),
    ):
        add(Row(f"api:gr-{plural}-list", ok=API_USERS))
        for side, code in (("own", OWN), ("other", OTHER)):
            enter = api(OWN_ENTER) if side == "own" else OTHER_ENTER
            add(
                Row(
                    f"api:gr-{plural}-list",
                    "POST",
                    variant=side,
                    ok=enter,
                    allowed=201,
                    **j,
                    data=payload(code),
                )
            )
    for side, code in (("own", OWN), ("other", OTHER)):
        seen = api(OWN_VIEW) if side == "own" else OTHER_VIEW
        enter = api(OWN_ENTER) if side == "own" else OTHER_ENTER
        for name, key in (
            ("gr-model-detail", "model"),
            ("gr-team-detail", "team"),
            ("gr-media-detail", "media"),
        ):
            add(Row(f"api:{name}", target=f"{key}_{side}", ok=seen, denied=404))
        add(
            Row(
                "api:gr-model-detail",
                "PATCH",
                target=f"model_{side}",
                ok=enter,
                forbidden=seen - enter,
                denied=404,
                **j,
                data=lambda w, p: {"members": 11},
            )
        )
        add(
            Row(
                "api:gr-model-status",
                "POST",
                target=f"model_{side}",
                ok=enter,
                allowed=201,
                forbidden=seen - enter,
                denied=404,
                **j,
                data=lambda w, p: {"status": "paused", "since": iso(today(w))},
            )
        )
        add(
            Row(
                "api:gr-model-assessments",
                "POST",
                target=f"model_{side}",
                ok=enter,
                allowed=201,
                forbidden=seen - enter,
                denied=404,
                **j,
                data=lambda w, p: {"year": today(w).year, "rating": "kha"},
            )
        )
        add(
            Row(
                "api:gr-team-members",
                "POST",
                target=f"team_{side}",
                ok=enter,
                allowed=201,
                forbidden=seen - enter,
                denied=404,
                **j,
                data=lambda w, p: {
                    "full_name": "Lê Văn API",
                    "role": "to_vien",
                    "birth_date": "1985-01-01",
                    "joined_on": iso(today(w)),
                },
            )
        )
        add(
            Row(
                "api:gr-media-detail",
                "DELETE",
                target=f"media_{side}",
                ok=enter,
                allowed=204,
                forbidden=seen - enter,
                denied=404,
                **j,
                data=lambda w, p: {"reason": "Nhập nhầm"},
            )
        )
        add(
            Row(
                "api:gr-media-bulk",
                "POST",
                variant=side,
                ok=enter,
                allowed=201,
                **j,
                data=lambda w, p, c=code: {"items": [api_media(c)(w, p)]},
            )
        )
    add(Row("api:gr-assessment-list", ok=API_USERS, query=lambda w: {"year": w.objects["year"]}))
    add(Row("api:gr-recognition-list", ok=API_USERS, query=lambda w: {"year": w.objects["year"]}))
    # inspections
    add(Row("api:inspection-list", ok=API_USERS))
    for side in ("own", "other"):
        see = INSP_OWN_SEE if side == "own" else INSP_OTHER_SEE
        add(Row("api:inspection-detail", target=f"insp_concluded_{side}", ok=api(see), denied=404))
    # tips: the citizen's API, public
    add(Row("api:tip-challenge", ok=EVERYONE))
    add(
        Row(
            "api:tip-submit",
            "POST",
            ok=EVERYONE,
            allowed=201,
            **j,
            data=lambda w, p: {"area": OWN, "content": "Đánh bạc ở thôn Thử", "topic": "gambling"},
        )
    )
    add(
        Row(
            "api:tip-lookup",
            "POST",
            ok=EVERYONE,
            changes=False,
            **j,
            data=lambda w, p: {"receipt": w.objects["receipt"]},
        )
    )
    add(
        Row(
            "api:tip-message",
            "POST",
            ok=EVERYONE,
            allowed=201,
            **j,
            data=lambda w, p: {"receipt": w.objects["receipt"], "text": "Thêm chi tiết"},
        )
    )
    return rows


# The models registered in the admin (antq.*.admin and Django's auth groups): only
# superusers (the only staff) reach them; every other account is sent to the admin's login.
ADMIN_MODELS = (
    "auth.group",
    "core.auditevent",
    "areas.area",
    "areas.succession",
    "accounts.user",
    "accounts.body",
    "accounts.membership",
    "accounts.apitoken",
    "directives.document",
    "directives.documentlink",
    "directives.task",
    "directives.assignment",
    "directives.progressreport",
    "indicators.indicator",
    "indicators.datavalue",
    "indicators.datavaluechange",
    "grassroots.modeltype",
    "grassroots.criteriasheet",
    "tips.retentionrule",
)
# What the superuser gets where it is not a plain 200, by method: the audit trail, the areas
# (loaded, not typed) and the values are read-only; documents, tasks, values and tokens are
# not deleted; bodies end rather than go; a sheet in use stays. The POSTs carry no data: a
# form comes back with its errors, a deletion with its confirmation — nothing is written.
_READ_ONLY = (
    "core_auditevent",
    "areas_area",
    "areas_succession",
    "directives_documentlink",
    "directives_task",
    "directives_assignment",
    "directives_progressreport",
    "indicators_datavalue",
    "indicators_datavaluechange",
)
_NO_ADD = (*_READ_ONLY, "accounts_apitoken", "directives_document")
_NO_DELETE = (
    *_READ_ONLY,
    "accounts_apitoken",
    "directives_document",
    "accounts_body",
    "indicators_indicator",
    "grassroots_modeltype",
    "grassroots_criteriasheet",
    "tips_retentionrule",
)
ADMIN_SUPERUSER: dict[tuple[str, str], Outcome] = {
    **{(f"admin:{m}_add", method): 403 for m in _NO_ADD for method in ("GET", "POST")},
    **{(f"admin:{m}_delete", method): 403 for m in _NO_DELETE for method in ("GET", "POST")},
    # a change form that is read-only answers its view (GET) but refuses a POST
    **{(f"admin:{m}_change", "POST"): 403 for m in (*_READ_ONLY, "grassroots_criteriasheet")},
    # every field read-only but the page a change form: an empty POST "saves" nothing
    ("admin:accounts_apitoken_change", "POST"): "done",
    ("admin:directives_document_change", "POST"): "done",
}


def _admin() -> list[Row]:
    staff = group(SUPER)
    rows = [
        Row("admin:index", ok=staff, denied="admin-login"),
        Row("admin:index", "POST", ok=staff, denied="admin-login", changes=False),
        Row(
            "admin:login",
            ok=EVERYONE,
            overrides={SUPER: "done"},
            note="the staff's login page, to every account that is not staff",
        ),
        Row(
            "admin:login",
            "POST",
            ok=EVERYONE,
            changes=False,
            data=lambda w, p: {"username": "w-nobody", "password": "sai"},
        ),
        Row("admin:logout", "POST", ok=EVERYONE, allowed="done", changes=False),
        Row("admin:password_change", ok=staff, denied="admin-login"),
        Row("admin:password_change", "POST", ok=staff, denied="admin-login", changes=False),
        Row("admin:password_change_done", ok=staff, denied="admin-login"),
        Row(
            "admin:autocomplete",
            ok=staff,
            allowed=403,
            denied="admin-login",
            note="answers only for a model's autocomplete field; none is asked for here",
        ),
        Row("admin:jsi18n", ok=staff, denied="admin-login"),
        Row(
            "admin:view_on_site",
            target="admin_view_on_site",
            ok=staff,
            allowed=404,
            denied="admin-login",
            note="no antq model has an address on the site",
        ),
        Row("admin:app_list", target="admin_app", ok=staff, denied="admin-login"),
        Row("admin:catch_all", ok=staff, allowed=404, denied="admin-login"),
        Row(
            "admin:auth_user_password_change",
            target="admin_user_password",
            ok=staff,
            denied="admin-login",
        ),
        Row(
            "admin:auth_user_password_change",
            "POST",
            target="admin_user_password",
            ok=staff,
            denied="admin-login",
            changes=False,
        ),
    ]
    for label in ADMIN_MODELS:
        base = label.replace(".", "_")
        for suffix, target, methods in (
            ("changelist", "-", ("GET", "POST")),
            ("add", "-", ("GET", "POST")),
            ("history", f"admin:{label}", ("GET",)),
            ("delete", f"admin:{label}", ("GET", "POST")),
            ("change", f"admin:{label}", ("GET", "POST")),
            ("redirect", f"admin:{label}", ("GET",)),
        ):
            name = f"admin:{base}_{suffix}"
            for method in methods:
                allowed = ADMIN_SUPERUSER.get(
                    (name, method), "done" if suffix == "redirect" else 200
                )
                rows.append(
                    Row(
                        name,
                        method,
                        target=target,
                        ok=staff,
                        allowed=allowed,
                        denied="admin-login",
                        changes=None if allowed == "done" else False,
                    )
                )
    return rows


ROWS: list[Row] = _pages() + _api() + _admin()
