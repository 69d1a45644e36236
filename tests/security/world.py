"""The RBAC matrix's world: one province, two of its communes (one "own", one "other"), the
bodies that act there, one account per persona, and one object of each kind to address —
the own commune's and the other commune's where scope is by commune.

Built once per test module through antq's services (the raw ORM only where antq has no
service: a Django auth group for the admin's pages), inside a transaction the module rolls
back. The tests log people in with force_login; their password (hashed with the tests' fast
hasher) is there for the password change form.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

D = dt.date
SINCE = D(2025, 7, 1)  # the communes of the 2025 reform, their police and their officials
OWN, OTHER, PROVINCE = "06124", "06172", "20"  # Xã Na Sầm, Xã Hoàng Văn Thụ, Lạng Sơn
DS = "phong-trao-hang-thang"  # the standard monthly form of a commune
PASSWORD = "mật-khẩu-ma-trận-1"


# --- personas ----------------------------------------------------------------------------------

ANON = "anonymous"  # no session, no token
CITIZEN = "citizen"  # an account with no role anywhere
VIEWER = "viewer"  # viewer, own commune police
ENTRY = "entry"  # data entry, own commune police
APPROVER = "approver"  # approver, own commune police (approves nothing of its own commune)
CMANAGER = "commune_manager"  # manager, own commune police
TIPS = "tip_handler"  # tip handler (only), own commune police
OTHER_ENTRY = "other_entry"  # data entry, other commune police
PV05 = "pv05_approver"  # approver, PV05 of the provincial police
PMANAGER = "party_manager"  # manager, the provincial Party office (issues the plan)
PADMIN = "police_admin"  # administrator, the provincial police
EXPIRED = "expired_admin"  # administrator of the provincial police whose membership ended
INSPECTOR = "inspector"  # member of an inspection delegation, no role in any body
SUPER = "superuser"
TOKEN = "token"  # an integration: data entry in the own commune, through an API token only

PERSONAS = (
    ANON,
    CITIZEN,
    VIEWER,
    ENTRY,
    APPROVER,
    CMANAGER,
    TIPS,
    OTHER_ENTRY,
    PV05,
    PMANAGER,
    PADMIN,
    EXPIRED,
    INSPECTOR,
    SUPER,
    TOKEN,
)


@dataclass
class World:
    users: dict[str, Any]  # persona -> User (ANON: None)
    token: str  # the API key of TOKEN
    password: str  # every account's (the password change form asks for it)
    args: dict[str, dict[str, Any]]  # target name -> the URL's keyword arguments
    objects: dict[str, Any] = field(default_factory=dict)  # named objects the payloads use
    sessions: dict[str, str] = field(default_factory=dict)  # persona -> session cookie

    def user(self, persona: str):
        return self.users[persona]


# --- small files ---------------------------------------------------------------------------------


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(out, format="JPEG")
    return out.getvalue()


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def master_key_env() -> dict[str, str]:
    """A fresh master key for the tip line, as the environment gives it."""
    from antq.core import crypto

    key = crypto.new_master_key()
    return {"ANTQ_MASTER_KEY": base64.urlsafe_b64encode(key).decode().rstrip("=")}


# --- the world --------------------------------------------------------------------------------


def month(day: dt.date, back: int) -> str:
    """The code of the month `back` months before `day`'s."""
    first = day.replace(day=1)
    for _n in range(back):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return f"{first:%Y%m}"


def build() -> World:
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile

    from antq.accounts.models import BodyKind, Role
    from antq.accounts.services import body_save, membership_grant, token_create, user_create
    from antq.areas.selectors import area_by_code
    from antq.core.services import notify
    from antq.directives import services as directives
    from antq.directives.models import DocumentKind, LinkKind
    from antq.grassroots import services as grassroots
    from antq.grassroots.models import ModelType
    from antq.indicators import jobs, xlsx
    from antq.indicators import services as indicators
    from antq.indicators.models import DataSet, DerivedChange
    from antq.indicators.periods import parse_period
    from antq.inspections import services as inspections
    from antq.inspections.models import Level as InspectionLevel
    from antq.inspections.models import MemberRole
    from antq.tips import services as tips
    from antq.tips.models import Channel, Topic

    today = timezone.localdate()
    own, other = area_by_code(OWN, today), area_by_code(OTHER, today)
    province = area_by_code(PROVINCE, today)

    # bodies
    party_office = body_save(
        code="w-vp-tu", name="Văn phòng Tỉnh ủy", kind=BodyKind.PARTY_BOARD, area=province
    )
    board = body_save(
        code="w-bnc-tu", name="Ban Nội chính Tỉnh ủy", kind=BodyKind.PARTY_BOARD, area=province
    )
    police = body_save(
        code="w-ca-tinh", name="Công an tỉnh Lạng Sơn", kind=BodyKind.POLICE, area=province
    )
    pv05 = body_save(
        code="w-pv05",
        name="Phòng PV05, Công an tỉnh",
        kind=BodyKind.POLICE,
        area=province,
        parent=police,
    )
    own_police = body_save(
        code="w-ca-own",
        name="Công an xã Na Sầm",
        kind=BodyKind.POLICE,
        area=own,
        parent=police,
        valid_from=SINCE,
    )
    other_police = body_save(
        code="w-ca-other",
        name="Công an xã Hoàng Văn Thụ",
        kind=BodyKind.POLICE,
        area=other,
        parent=police,
        valid_from=SINCE,
    )
    own_committee = body_save(
        code="w-ubnd-own",
        name="Ủy ban nhân dân xã Na Sầm",
        kind=BodyKind.PEOPLES_COMMITTEE,
        area=own,
        valid_from=SINCE,
    )
    other_committee = body_save(
        code="w-ubnd-other",
        name="Ủy ban nhân dân xã Hoàng Văn Thụ",
        kind=BodyKind.PEOPLES_COMMITTEE,
        area=other,
        valid_from=SINCE,
    )

    # people
    def person(username: str, *roles: tuple[Any, str], superuser: bool = False, **kw):
        user = user_create(
            username=username,
            password=PASSWORD,
            full_name=username.title(),
            is_superuser=superuser,
        )
        for body, role in roles:
            membership_grant(user=user, body=body, role=role, valid_from=kw.get("since", SINCE))
        return user

    users = {
        ANON: None,
        CITIZEN: person("w-citizen"),
        VIEWER: person("w-viewer", (own_police, Role.VIEWER)),
        ENTRY: person("w-entry", (own_police, Role.DATA_ENTRY)),
        APPROVER: person("w-approver", (own_police, Role.APPROVER)),
        CMANAGER: person("w-cmanager", (own_police, Role.MANAGER)),
        TIPS: person("w-tips", (own_police, Role.TIP_HANDLER)),
        OTHER_ENTRY: person("w-other", (other_police, Role.DATA_ENTRY)),
        PV05: person("w-pv05", (pv05, Role.APPROVER)),
        PMANAGER: person("w-pmanager", (party_office, Role.MANAGER)),
        PADMIN: person("w-padmin", (police, Role.ADMINISTRATOR)),
        EXPIRED: person("w-expired"),
        INSPECTOR: person("w-inspector"),
        SUPER: person("w-super", superuser=True),
        TOKEN: person("w-integration", (own_police, Role.DATA_ENTRY)),
    }
    membership_grant(
        user=users[EXPIRED],
        body=police,
        role=Role.ADMINISTRATOR,
        valid_from=D(2019, 1, 1),
        valid_to=today - dt.timedelta(days=30),
    )
    token = token_create(user=users[TOKEN], name="matrix").key
    # helpers that act in the world without being personas
    other_tips = person("w-other-tips", (other_police, Role.TIP_HANDLER))
    for persona, user in users.items():  # a notice each: "mark all read" has work to do
        if user is not None:
            notify(user=user, kind="matrix", title="Thông báo thử", dedupe_key=f"matrix-{persona}")
    Group.objects.create(name="w-group")  # the admin's pages of groups need one

    # documents, plans, tasks, assignments
    central = directives.document_create(
        actor=None,
        kind=DocumentKind.CONCLUSION,
        symbol="44-KL/TW",
        issuer_name="Ban Bí thư",
        issued_on=D(2019, 1, 22),
        subject="Tiếp tục đẩy mạnh thực hiện Chỉ thị 09-CT/TW",
    )
    plan = directives.document_create(
        actor=None,
        kind=DocumentKind.PLAN,
        symbol="100-KH/TU",
        issuer=party_office,
        issued_on=SINCE,
        subject="Tiếp tục thực hiện Chỉ thị 09-CT/TW",
        file=SimpleUploadedFile("ke-hoach.pdf", pdf(), content_type="application/pdf"),
    )
    task = directives.task_create(
        plan=plan,
        actor=None,
        title="Xây dựng kế hoạch thực hiện",
        lead_body=party_office,
        for_all_recipients=True,
        due_on=SINCE + dt.timedelta(days=30),  # overdue: the reminder letter has work
    )
    directives.plan_send(plan=plan, bodies=[own_police, other_police], sent_on=SINCE, actor=None)
    other_doc = directives.document_create(
        actor=None,
        kind=DocumentKind.PLAN,
        symbol="05-KH/CAX",
        issuer=other_police,
        issued_on=SINCE + dt.timedelta(days=5),
        subject="Kế hoạch của Công an xã Hoàng Văn Thụ",
    )
    directives.document_link(source=other_doc, target=plan, kind=LinkKind.IMPLEMENTS, actor=None)
    directives.task_create(
        plan=other_doc,
        actor=None,
        title="Tuyên truyền ở thôn",
        lead_body=other_police,
        for_all_recipients=True,
        recurrence="yearly",
    )
    assignment_own = task.assignments.get(body=own_police)
    assignment_other = task.assignments.get(body=other_police)
    directives.progress_report_create(
        assignment=assignment_other,
        text="Đã xây dựng kế hoạch",
        completed=False,
        reported_on=SINCE + dt.timedelta(days=10),
        actor=None,
    )

    # indicators: an open form (this month's: open whatever the day), submitted reports (last
    # month's), approved ones (the month before) whose counts then change under them
    indicators.catalogue_install()
    indicators.data_sets_install()
    data_set = DataSet.objects.get(code=DS)
    open_month, submitted_month, approved_month = (month(today, n) for n in (0, 1, 2))
    # the registries count from the approved month on
    grassroots.registries_install(start=parse_period(approved_month).start())
    indicators.values_save(
        [
            indicators.ValueInput("MEDIATIONS", code, period, 3)
            for code in (OWN, OTHER)
            for period in (open_month, submitted_month, approved_month)
        ],
        actor=None,
    )
    indicators.values_save(  # a figure corrected: the value's trail has a change
        [indicators.ValueInput("MEDIATIONS", OWN, open_month, 4)], actor=users[ENTRY]
    )
    subs = {}
    for code, area, official in ((OWN, own, users[ENTRY]), (OTHER, other, users[OTHER_ENTRY])):
        approved = indicators.submission_submit(
            data_set=data_set, area=area, period=approved_month, actor=official
        )
        indicators.submission_decide(submission=approved, approve=True, actor=users[PV05])
        subs[code] = indicators.submission_submit(
            data_set=data_set, area=area, period=submitted_month, actor=official
        )
    # an import of the own commune's open month, by its official
    template = xlsx.template_workbook(data_set, own, [parse_period(open_month)])
    import_job = jobs.import_start(
        data_set=data_set, data=_filled(template), filename="bieu.xlsx", user=users[ENTRY]
    )

    # grassroots registries, one of each in each commune
    model_type = ModelType.objects.order_by("code").first()
    approved_day = parse_period(approved_month).start()
    records: dict[str, dict[str, Any]] = {}
    for side, area, police_body in (("own", own, own_police), ("other", other, other_police)):
        model = grassroots.model_save(
            actor=None,
            data={
                "name": f"Mô hình tự quản {side}",
                "type": model_type,
                "area": area,
                "place": "thôn Thử",
                "host_body": police_body,
                "founded_on": approved_day + dt.timedelta(days=2),  # changes approved counts
                "members": 10,
            },
        )
        attachment = grassroots.attachment_add(
            actor=None,
            model=model,
            upload=SimpleUploadedFile("anh.png", png(), content_type="image/png"),
            title="Ảnh",
        )
        team = grassroots.team_save(
            actor=None,
            data={
                "name": f"Tổ bảo vệ ANTT {side}",
                "area": area,
                "place": "thôn Thử",
                "decision_number": f"12/QĐ-{side}",
                "decision_date": SINCE,
                "established_on": SINCE,
                "dissolved_on": None,
            },
        )
        member = grassroots.member_save(
            actor=None,
            team=team,
            data={
                "full_name": "Nguyễn Văn Thử",
                "role": "to_truong",
                "birth_date": D(1980, 1, 1),
                "joined_on": SINCE,
                "left_on": None,
            },
        )
        media = grassroots.media_save(
            actor=None,
            data={
                "title": f"Tin bài {side}",
                "kind": "tin",
                "outlet": "Báo Lạng Sơn",
                "outlet_level": "local",
                "published_on": SINCE + dt.timedelta(days=3),
                "area": area,
                "link": "",
                "file": SimpleUploadedFile("tin.jpg", jpeg(), content_type="image/jpeg"),
            },
        )
        event = grassroots.event_save(
            actor=None,
            data={
                "kind": "launch",
                "title": f"Phát động phong trào {side}",
                "held_on": SINCE + dt.timedelta(days=4),
                "area": area,
                "participants": 120,
                "notes": "",
            },
        )
        records[side] = {
            "model": model,
            "attachment": attachment,
            "team": team,
            "member": member,
            "media": media,
            "event": event,
        }
    changes = {
        code: DerivedChange.objects.filter(area__code=code, status="pending").order_by("pk")[0]
        for code in (OWN, OTHER)
    }

    # the movement's assessment: last year's sheet, set by the provincial police, with both
    # communes' self-assessments submitted; this year's sheet for the drafts
    year = today.year - 1
    sheet = grassroots.sheet_save(
        actor=users[PADMIN],
        year=year,
        name=f"Tiêu chí năm {year}",
        criteria=list(grassroots.STANDARD_CRITERIA),
        owner=police,
    )
    sheet_now = grassroots.sheet_save(
        actor=users[PADMIN],
        year=today.year,
        name=f"Tiêu chí năm {today.year}",
        criteria=list(grassroots.STANDARD_CRITERIA),
        owner=police,
    )
    full = {c.number: c.max_points for c in sheet.criteria.all()}
    assessments = {
        code: grassroots.assessment_self(
            actor=None, sheet=sheet, area=area, points=full, submit=True
        )
        for code, area in ((OWN, own), (OTHER, other))
    }

    tips.tips_install(start=SINCE)
    # tips: one routed to each commune's police (the own one with a photo), and a case each
    tip_own, receipt = tips.tip_submit(
        tips.TipInput(
            area=own,
            content="Nhóm lừa đảo ở thôn Thử — nội-dung-thử-own",
            topic=Topic.ONLINE_FRAUD,
            contact="0912 345 678",
            attachments=[tips.Upload("anh.jpg", jpeg())],
        ),
        channel=Channel.WEB,
    )
    tip_other, _receipt = tips.tip_submit(
        tips.TipInput(area=other, content="Trộm cắp ở thôn Khác", topic=Topic.OTHER),
        channel=Channel.WEB,
    )
    tip_crime, _receipt = tips.tip_submit(
        tips.TipInput(area=own, content="Cướp giật ở chợ", topic=Topic.THEFT), channel=Channel.WEB
    )
    assert tip_own.body == tip_crime.body == own_police and tip_other.body == other_police
    # the own tips assessed: one about order (it may be settled), one a crime (it has a
    # legal deadline, which may be extended, and is settled by a decision)
    tip_own = tips.tip_classify(users[TIPS], tip_own, kind="order", topic=Topic.ONLINE_FRAUD)
    tip_crime = tips.tip_classify(users[TIPS], tip_crime, kind="crime", topic=Topic.THEFT)
    tip_file = tip_own.attachments.get()
    case_data = {
        "offence": Topic.ONLINE_FRAUD,
        "opened_on": today - dt.timedelta(days=3),
        "cleared_on": None,
        "suspects": 1,
        "assets_vnd": 0,
    }
    case_own = tips.case_save(
        users[TIPS],
        body=own_police,
        data={**case_data, "number": "01/own", "area": own},
        tips=[tip_own],
    )
    case_other = tips.case_save(
        other_tips,
        body=other_police,
        data={**case_data, "number": "01/other", "area": other},
        tips=[tip_other],
    )

    # inspections. Own side: the Party board inspects the own commune police; the inspector
    # is a member of its delegation. Other side: the provincial police inspects the other
    # commune police. "open": the outline not yet sent, no conclusion; "concluded": the
    # outline sent (self-reports drafted), a conclusion and a recommendation; "settled": a
    # conclusion and nothing open (it may close).
    start = today - dt.timedelta(days=10)

    def inspection(title, body, inspected):
        made = inspections.inspection_create(
            actor=None,
            title=title,
            inspecting_body=body,
            level=InspectionLevel.PROVINCIAL,
            area=province,
            period_start=SINCE,
            period_end=today - dt.timedelta(days=20),
            starts_on=start,
            subjects=[plan],
            inspected_bodies=inspected,
        )
        session = inspections.session_save(
            actor=None,
            inspection=made,
            held_at=timezone.make_aware(dt.datetime.combine(start, dt.time(9))),
            place="Trụ sở",
            body=inspected[0],
        )
        session_file = inspections.session_file_add(
            actor=None,
            session=session,
            upload=SimpleUploadedFile("bien-ban.pdf", pdf(), content_type="application/pdf"),
            title="Biên bản",
        )
        return made, session, session_file

    def conclude(made, symbol):
        inspections.conclusion_issue(actor=None, inspection=made, symbol=symbol, issued_on=today)

    insp = {}
    for side, body, inspected, member in (
        ("own", board, [own_police, own_committee], users[INSPECTOR]),
        ("other", police, [other_police, other_committee], None),
    ):
        opened, session, session_file = inspection(f"Kiểm tra {side} (mở)", body, inspected)
        if member is not None:
            inspections.member_add(
                actor=None, inspection=opened, role=MemberRole.MEMBER, title="CV", user=member
            )
        concluded, _s, _f = inspection(f"Kiểm tra {side} (kết luận)", body, inspected)
        if member is not None:
            inspections.member_add(
                actor=None, inspection=concluded, role=MemberRole.MEMBER, title="CV", user=member
            )
        reports = inspections.outline_send(
            actor=None, inspection=concluded, due_on=today + dt.timedelta(days=7)
        )
        conclude(concluded, f"01-TB/{side.upper()}")
        recommendation = inspections.recommendation_add(
            actor=None,
            inspection=concluded,
            text="Tiếp tục tuyên truyền",
            body=inspected[0],
            due_on=today + dt.timedelta(days=30),
        )
        settled, _s, _f = inspection(f"Kiểm tra {side} (xong)", body, inspected)
        if member is not None:
            inspections.member_add(
                actor=None, inspection=settled, role=MemberRole.MEMBER, title="CV", user=member
            )
        conclude(settled, f"02-TB/{side.upper()}")
        by_body = {r.body_id: r for r in reports}
        draft = by_body[inspected[0].pk]
        submitted = by_body[inspected[-1].pk]
        inspections.self_report_save(
            actor=None,
            report=submitted,
            texts={s.pk: s.text or "Đã thực hiện." for s in submitted.sections.all()},
        )
        inspections.self_report_submit(actor=None, report=submitted)
        insp[side] = {
            "open": opened,
            "session": session,
            "file": session_file,
            "section": opened.outline.order_by("order").first(),
            "concluded": concluded,
            "draft": draft,
            "submitted": submitted,
            "recommendation": recommendation,
            "settled": settled,
        }

    args: dict[str, dict[str, Any]] = {
        "-": {},
        # areas (public)
        "area": {"code": PROVINCE},
        # directives
        "doc_central": {"pk": central.pk},
        "plan": {"pk": plan.pk},
        "doc_other": {"pk": other_doc.pk},
        "assignment_own": {"pk": assignment_own.pk},
        "assignment_other": {"pk": assignment_other.pk},
        "reminder": {"pk": plan.pk, "fmt": "docx"},
        # indicators
        "entry_own": {"ds": DS, "area_code": OWN, "period_code": open_month},
        "entry_other": {"ds": DS, "area_code": OTHER, "period_code": open_month},
        "sub_own": {"pk": subs[OWN].pk},
        "sub_other": {"pk": subs[OTHER].pk},
        "change_own": {"pk": changes[OWN].pk},
        "change_other": {"pk": changes[OTHER].pk},
        "import_job": {"pk": import_job.pk},
        "history_own": {"code": "MEDIATIONS", "area_code": OWN, "period_code": open_month},
        "history_other": {"code": "MEDIATIONS", "area_code": OTHER, "period_code": open_month},
        # grassroots
        "assessment_own": {"pk": assessments[OWN].pk},
        "assessment_other": {"pk": assessments[OTHER].pk},
        "self_assessment_own": {"year": today.year, "area_code": OWN},
        "self_assessment_other": {"year": today.year, "area_code": OTHER},
        # tips
        "tip_own": {"pk": tip_own.pk},
        "tip_other": {"pk": tip_other.pk},
        "tip_crime_own": {"pk": tip_crime.pk},
        "tip_file_own": {"pk": tip_own.pk, "file_pk": tip_file.pk},
        "case_own": {"pk": case_own.pk},
        "case_other": {"pk": case_other.pk},
    }
    for side in ("own", "other"):
        r = records[side]
        for name in ("model", "attachment", "team", "member", "media", "event"):
            args[f"{name}_{side}"] = {"pk": r[name].pk}
        i = insp[side]
        args[f"insp_open_{side}"] = {"pk": i["open"].pk}
        args[f"insp_concluded_{side}"] = {"pk": i["concluded"].pk}
        args[f"insp_settled_{side}"] = {"pk": i["settled"].pk}
        args[f"session_{side}"] = {"pk": i["open"].pk, "session_pk": i["session"].pk}
        args[f"session_file_{side}"] = {"pk": i["open"].pk, "file_pk": i["file"].pk}
        args[f"section_{side}"] = {"pk": i["open"].pk, "section_pk": i["section"].pk}
        args[f"report_draft_{side}"] = {
            "pk": i["concluded"].pk,
            "report_pk": i["draft"].pk,
        }
        args[f"report_submitted_{side}"] = {
            "pk": i["concluded"].pk,
            "report_pk": i["submitted"].pk,
        }
        args[f"report_file_{side}"] = {
            "pk": i["concluded"].pk,
            "report_pk": i["draft"].pk,
            "fmt": "docx",
        }
        args[f"recommendation_{side}"] = {
            "pk": i["concluded"].pk,
            "rec_pk": i["recommendation"].pk,
        }
        args[f"notice_{side}"] = {"pk": i["settled"].pk, "fmt": "docx"}
    from django.contrib.contenttypes.models import ContentType

    from antq.accounts.models import Body

    admin_objects = {
        "auth.group": Group.objects.get(name="w-group"),
        "core.auditevent": _first("core.auditevent"),
        "areas.area": own,
        "areas.succession": _first("areas.succession"),
        "accounts.user": users[VIEWER],
        "accounts.body": own_police,
        "accounts.membership": users[VIEWER].memberships.get(),
        "accounts.apitoken": users[TOKEN].api_tokens.get(),
        "directives.document": plan,
        "directives.documentlink": _first("directives.documentlink"),
        "directives.task": task,
        "directives.assignment": assignment_own,
        "directives.progressreport": _first("directives.progressreport"),
        "indicators.indicator": _first("indicators.indicator"),
        "indicators.datavalue": _first("indicators.datavalue"),
        "indicators.datavaluechange": _first("indicators.datavaluechange"),
        "grassroots.modeltype": model_type,
        "grassroots.criteriasheet": sheet,
        "tips.retentionrule": _first("tips.retentionrule"),
    }
    for label, obj in admin_objects.items():
        assert obj is not None, f"the world has no {label} for the admin's pages"
        args[f"admin:{label}"] = {"object_id": obj.pk}
    args["admin_view_on_site"] = {
        "content_type_id": ContentType.objects.get_for_model(Body).pk,
        "object_id": own_police.pk,
    }
    args["admin_app"] = {"app_label": "accounts"}
    args["admin_user_password"] = {"id": users[VIEWER].pk}
    objects = {
        "today": today,
        "own_area": own,
        "other_area": other,
        "receipt": receipt,
        "sheet_now": sheet_now,
        "open_month": open_month,
        "submitted_month": submitted_month,
        "approved_month": approved_month,
        "year": year,
        "own_police": own_police,
        "other_police": other_police,
        "party_office": party_office,
        "own_committee": own_committee,
        "police": police,
        "board": board,
        "plan": plan,
        "central": central,
        "model_type": model_type,
        "tip_own": tip_own,
        "tip_other": tip_other,
        "insp": insp,
        "records": records,
        "sheet": sheet,
    }
    return World(users=users, token=token, password=PASSWORD, args=args, objects=objects)


def _first(label: str):
    from django.apps import apps

    return apps.get_model(label).objects.order_by("pk").first()


def _filled(template: bytes) -> bytes:
    """The template with one figure typed in, as an official would fill it."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["Số liệu"]
    row = next(r for r in sheet.iter_rows(min_row=8) if r[0].value == "MEETINGS_HELD")
    row[5].value = 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the fixtures ---------------------------------------------------------------------------
# The test modules of the matrix import them (`from tests.security.world import ...`): they
# replace two fixtures of the suite for those modules only, for speed — the matrix has
# thousands of cells. `db` is a savepoint in the world's transaction rather than a Django test
# case per test (whose set-up, and its check of deferred constraints over the whole database
# before the rollback, cost more than most cells), and the settings the suite sets for every
# test are set once for the module.


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    env = master_key_env()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    media = tempfile.TemporaryDirectory(prefix="antq-matrix-")
    from django.conf import settings as django_settings

    settings = override_settings(
        MEDIA_ROOT=media.name,
        ANTQ_IMPORTS_INLINE=True,  # a thread would not see the test's transaction
        PASSWORD_HASHERS=["tests.hashers.FastArgon2PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    settings.enable()
    try:
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                built = build()
                built.sessions = sessions(built)
                yield built
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
    finally:
        settings.disable()
        media.cleanup()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def sessions(world) -> dict[str, str]:
    """A session per persona, made once: each test sends its cookie (what the test writes to
    its session is rolled back with the rest)."""
    from django.conf import settings
    from django.test import Client

    out = {}
    for persona, user in world.users.items():
        if user is not None and persona != TOKEN:
            client = Client()
            client.force_login(user)
            out[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return out


@pytest.fixture
def db(world, django_db_blocker):
    """A savepoint in the world's transaction for one test, rolled back after it."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _plain_static_storage():
    """The suite's settings for each test are the world's, set once (above); the cache
    (throttles, rate limits) starts empty for each test."""
    cache.clear()
