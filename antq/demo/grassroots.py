"""Demo registries for Lạng Sơn: the records the seed's totals are counted from.

- 66 self-management models in operation at the end of 2022 (plus 4 dissolved and 1 paused
  and resumed along the way), founded 2015-2022 over the 11 districts, some replicated from
  earlier ones, assessed every year;
- 6.512 media items 2019-2022 (“hơn 6.500 tin, bài, ảnh, phóng sự”) and a few a month on the
  65 new communes from July 2025;
- launches and the Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8) every year in each
  district, and residents' meetings;
- security teams (Law 30/2023/QH15) in the villages of Na Sầm and Hoàng Việt from 2024;
- the 2022 assessment of the movement in all 194 communes (self-assessed, reviewed by the
  province) and the communes registered for and recognised as “An toàn về an ninh, trật tự”.

Names of models, villages, teams and team members are FICTITIOUS (the article names none);
every record says so. The indicators counted from these records are derived from 1/1/2019
(teams from 1/7/2024), so the demo's totals come from records, not typed figures.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from antq.areas.models import Level
from antq.areas.selectors import area_by_code, area_subtree
from antq.demo.indicators import _cells, _split
from antq.grassroots import services
from antq.grassroots.counts import LINKS
from antq.grassroots.models import (
    MediaKind,
    MemberRole,
    ModelStatus,
    ModelType,
    OutletLevel,
    SelfManagementModel,
)
from antq.indicators import derived
from antq.indicators.models import Indicator
from antq.indicators.periods import period_of, periods_between

NOTE = "Bản ghi minh họa, tên hư cấu (fictitious demo record)."
MEDIA_2019_2022 = 6512
MODELS_END_2022 = 66
DERIVED_FROM = dt.date(2019, 1, 1)

_PRE = ("Nà", "Bản", "Khuổi", "Pác", "Còn", "Kéo", "Phai", "Lũng", "Nà Pò", "Khòn")
_POST = ("Pàn", "Slảng", "Mò", "Chang", "Lùng", "Tẳng", "Riềng", "Hẩu", "Lạn", "Nưa")
_FAMILY = ("Hoàng", "Nông", "Lương", "Vi", "Lộc", "Hà", "Triệu", "Mã", "Chu", "Đinh")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Xuân")
_GIVEN = ("An", "Bình", "Cường", "Dung", "Giang", "Hòa", "Khánh", "Lâm", "Mai", "Phúc", "Quý")
_CENTRAL = ("Báo Công an nhân dân", "Báo Nhân Dân", "Truyền hình Quốc hội", "Báo Biên phòng")
_LOCAL = ("Báo Lạng Sơn", "Đài Phát thanh - Truyền hình Lạng Sơn", "Cổng thông tin điện tử tỉnh")
_TOPICS = (
    "tuyên truyền phòng, chống tội phạm",
    "mô hình tự quản về an ninh, trật tự",
    "phát động phong trào toàn dân bảo vệ an ninh Tổ quốc",
    "phòng, chống ma túy ở khu dân cư",
    "gương người tốt, việc tốt trong phong trào",
    "bảo đảm an ninh, trật tự khu vực biên giới",
)


def _village(rng: random.Random) -> str:
    return f"thôn {rng.choice(_PRE)} {rng.choice(_POST)}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _models(rng: random.Random, communes: list) -> None:
    types = list(ModelType.objects.order_by("code"))
    hosts = rng.sample(communes, 52)
    made: list[SelfManagementModel] = []
    # 66 operating at the end of 2022, 4 dissolved before, 1 paused and resumed.
    for n in range(MODELS_END_2022 + 4):
        host = hosts[n % len(hosts)]
        founded = dt.date(
            rng.randint(2015, 2021 if n >= MODELS_END_2022 else 2022),
            rng.randint(1, 12),
            rng.randint(1, 28),
        )
        kind = types[n % len(types)]
        source = None
        if made and n % 6 == 5:  # replicated from an earlier model of the same type
            earlier = [m for m in made if m.type_id == kind.pk and m.founded_on <= founded]
            source = earlier[0] if earlier else None
        village = _village(rng)
        model = services.model_save(
            actor=None,
            data={
                "name": f"{kind.name.split('“')[-1].rstrip('”')} {village}",
                "type": kind,
                "area": host,
                "place": village,
                "founded_on": founded,
                "members": rng.randint(8, 45),
                "replicated_from": source,
                "description": NOTE,
            },
        )
        made.append(model)
        if n >= MODELS_END_2022:  # dissolved before the end of 2022
            end = founded + dt.timedelta(days=rng.randint(200, 900))
            end = min(end, dt.date(2022, 11, 30))
            services.model_status_set(
                actor=None,
                model=model,
                status=ModelStatus.DISSOLVED,
                since=end,
                note="Giải thể do sáp nhập thôn (minh họa).",
            )
        elif n == 7:
            services.model_status_set(
                actor=None,
                model=model,
                status=ModelStatus.PAUSED,
                since=max(founded, dt.date(2020, 3, 1)) + dt.timedelta(days=30),
                note="Tạm dừng hoạt động trong thời gian giãn cách (minh họa).",
            )
            services.model_status_set(
                actor=None,
                model=model,
                status=ModelStatus.OPERATING,
                since=max(founded, dt.date(2020, 3, 1)) + dt.timedelta(days=200),
            )
        for year in range(max(2019, founded.year), 2023):
            if model.status != ModelStatus.DISSOLVED or year < 2020:
                services.model_assess(
                    actor=None,
                    model=model,
                    year=year,
                    rating=rng.choices(["tot", "kha", "trung_binh", "yeu"], [5, 3, 2, 1])[0],
                    notes="Đánh giá minh họa.",
                )


def _media(rng: random.Random, communes: list, new_communes: list) -> int:
    months = periods_between("2019", "2022", "month")
    counts = _split(MEDIA_2019_2022, _cells(communes, months, rng))
    kinds = list(MediaKind.values)
    rows = []

    def item(area, day):
        level = OutletLevel.CENTRAL if rng.random() < 0.15 else OutletLevel.LOCAL
        outlet = rng.choice(_CENTRAL if level == OutletLevel.CENTRAL else _LOCAL)
        kind = rng.choices(kinds, [40, 30, 20, 6, 4])[0]
        label = dict(MediaKind.choices)[kind]
        return (
            f"Dòng {len(rows) + 1}",
            {
                "title": f"{label}: {area.name} {rng.choice(_TOPICS)} (minh họa)",
                "kind": kind,
                "outlet": outlet,
                "outlet_level": level,
                "published_on": day,
                "area": area,
                "link": "",
            },
        )

    for n, count in enumerate(counts):
        commune, month = communes[n // len(months)], months[n % len(months)]
        start = month.start()
        for _k in range(count):
            rows.append(item(commune, start.replace(day=rng.randint(1, 28))))
    today = dt.date.today()
    last = period_of(today.replace(day=1) - dt.timedelta(days=1), "month")
    if last.code >= "202507":
        for month in periods_between("202507", last.code, "month"):
            for commune in new_communes:
                for _k in range(rng.randint(1, 6)):
                    rows.append(item(commune, month.start().replace(day=rng.randint(1, 28))))
    return services.media_import(actor=None, rows=rows, reason="demo")


def _events(rng: random.Random, lang_son, before) -> None:
    districts = sorted(area_subtree(lang_son, before, level=Level.DISTRICT), key=lambda a: a.code)
    for year in range(2019, 2023):
        services.event_save(
            actor=None,
            data={
                "kind": "launch",
                "title": f"Phát động phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}",
                "held_on": dt.date(year, 3, 15),
                "area": lang_son,
                "participants": rng.randint(300, 600),
                "notes": NOTE,
            },
        )
        for district in districts:
            services.event_save(
                actor=None,
                data={
                    "kind": "launch",
                    "title": f"Phát động phong trào năm {year} — {district.name}",
                    "held_on": dt.date(year, 4, rng.randint(1, 28)),
                    "area": district,
                    "participants": rng.randint(150, 400),
                    "notes": NOTE,
                },
            )
            services.event_save(
                actor=None,
                data={
                    "kind": "ngay_hoi",
                    "title": f"Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {year} — {district.name}",
                    "held_on": dt.date(year, 8, 19),
                    "area": district,
                    "participants": rng.randint(400, 1500),
                    "notes": NOTE,
                },
            )


def _teams(rng: random.Random) -> None:
    on = dt.date(2024, 7, 1)
    for code in ("06124", "06157"):  # TT Na Sầm and xã Hoàng Việt, later xã Na Sầm
        commune = area_by_code(code, on)
        for k in range(3):
            village = _village(rng)
            established = dt.date(2024, 7, 1) + dt.timedelta(days=rng.randint(0, 60))
            team = services.team_save(
                actor=None,
                data={
                    "name": f"Tổ bảo vệ an ninh, trật tự {village}",
                    "area": commune,
                    "place": village,
                    "decision_number": f"{100 + k}/QĐ-UBND",
                    "decision_date": established,
                    "established_on": established,
                    "dissolved_on": None,
                },
            )
            for m in range(rng.randint(3, 5)):
                role = [MemberRole.LEADER, MemberRole.DEPUTY][m] if m < 2 else MemberRole.MEMBER
                services.member_save(
                    actor=None,
                    team=team,
                    data={
                        "full_name": _person(rng),
                        "role": role,
                        "birth_date": dt.date(
                            rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)
                        ),
                        "joined_on": established,
                        "left_on": None,
                    },
                )


def _movement(rng: random.Random, communes: list) -> None:
    """2022: every commune's self-assessment reviewed by the province, and the communes
    registered for and recognised as “An toàn về an ninh, trật tự”."""
    sheet = services.sheet_save(
        actor=None,
        year=2022,
        name="Tiêu chí đánh giá phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2022 (minh họa)",
        criteria=list(services.STANDARD_CRITERIA),
    )
    criteria = list(sheet.criteria.all())
    for commune in communes:
        level = rng.choices([0.95, 0.85, 0.72, 0.55], [3, 5, 2, 1])[0]
        own = {
            c.number: min(
                c.max_points,
                round(c.max_points * Decimal(str(level + rng.uniform(-0.05, 0.08))), 1),
            )
            for c in criteria
        }
        assessment = services.assessment_self(
            actor=None, sheet=sheet, area=commune, points=own, submit=True
        )
        reviewed = {
            n: max(Decimal(0), p - Decimal(rng.choice([0, 0, 0, 1, 2]))) for n, p in own.items()
        }
        services.assessment_review(actor=None, assessment=assessment, points=reviewed)
    for commune in communes:
        if rng.random() < 0.82:
            recognised = rng.random() < 0.8
            services.recognition_save(
                actor=None,
                area=commune,
                year=2022,
                registered_on=dt.date(2022, rng.randint(1, 3), rng.randint(1, 28)),
                result="recognised" if recognised else "not_recognised",
                decided_on=dt.date(2022, 12, rng.randint(10, 28)),
                decision_number=f"{rng.randint(100, 999)}/QĐ-UBND" if recognised else "",
                note=NOTE,
            )


@transaction.atomic
def grassroots_load() -> bool:
    """Load the demo registries and derive the indicators from them (idempotent)."""
    if SelfManagementModel.objects.filter(description=NOTE).exists():
        return False
    rng = random.Random(2019)  # noqa: S311 (demo data)
    before = dt.date(2022, 1, 1)
    lang_son = area_by_code("20", before)
    communes = sorted(area_subtree(lang_son, before, level=Level.COMMUNE), key=lambda a: a.code)
    new_communes = sorted(
        area_subtree(lang_son, dt.date(2025, 7, 1), level=Level.COMMUNE), key=lambda a: a.code
    )
    # Count nothing while loading, then everything once from 1/1/2019.
    linked = list(Indicator.objects.filter(code__in=list(LINKS)))
    for indicator in linked:
        indicator.derived_from = None
        indicator.save(update_fields=["derived_from"])
    _models(rng, communes)
    _media(rng, communes, new_communes)
    _events(rng, lang_son, before)
    _teams(rng)
    _movement(rng, communes)
    for indicator in linked:
        indicator.derived_source = LINKS[indicator.code]
        indicator.derived_from = DERIVED_FROM
        source = derived.SOURCES[indicator.derived_source]
        if source.default_from and source.default_from > DERIVED_FROM:
            indicator.derived_from = source.default_from
        indicator.save(update_fields=["derived_source", "derived_from"])
    derived.refresh(linked, reason="demo")
    return True
