"""Demo tips for the Lạng Sơn story: a few dozen FICTITIOUS tips sent to the police of Na Sầm
and Hoàng Văn Thụ since the reform (July 2025), through every channel and in every state —
new, being verified, transferred, settled by each of the three decisions, of no value — some
of them behind cases cleared. Contents, places, numbers and accounts are invented and say so;
they are encrypted like real tips. (The seed's thousands of tips for 2019-2022 stay as
aggregate values: antq.demo.indicators.)

Called through `antq tips demo` (the tips app is a sealed room: nothing imports it).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from antq.accounts.models import Body, User
from antq.indicators import derived
from antq.indicators.models import Indicator
from antq.tips import services
from antq.tips.counts import LINKS
from antq.tips.models import Channel, Decision, Kind, Tip, Topic, Triage

COUNTED_FROM = dt.date(2025, 7, 1)
NOTE = "(Nội dung minh họa, hư cấu.)"

# (topic, what the tipster says, fraud details)
STORIES = [
    (
        Topic.ONLINE_FRAUD,
        "Có người gọi điện tự xưng là cán bộ công an, yêu cầu chuyển tiền vào "
        "tài khoản để “xác minh” hồ sơ.",
        {"phones": "0900 000 111", "accounts": "Ngân hàng A, số 0000 1111 2222 (tài khoản hư cấu)"},
    ),
    (
        Topic.ONLINE_FRAUD,
        "Nhóm trên mạng xã hội mời làm nhiệm vụ “chốt đơn” hưởng hoa hồng, "
        "đã có người trong thôn bị mất tiền.",
        {"socials": "Nhóm “Việc nhẹ lương cao” (hư cấu)", "links": "http://vi-du.invalid/nhiem-vu"},
    ),
    (
        Topic.DRUGS,
        "Thường có người lạ tụ tập ở căn nhà cuối thôn vào ban đêm, nghi sử dụng ma túy.",
        {},
    ),
    (
        Topic.THEFT,
        "Trong tuần có hai xe máy bị mất trộm ở khu chợ, đối tượng đi xe không biển số.",
        {},
    ),
    (
        Topic.SMUGGLING,
        "Có xe tải chở hàng không rõ nguồn gốc qua đường mòn gần mốc giới vào khoảng 2 giờ sáng.",
        {},
    ),
    (
        Topic.GAMBLING,
        "Có tụ điểm đánh bạc tại một quán nước ven đường, thường đông người vào tối thứ Bảy.",
        {},
    ),
    (
        Topic.VIOLENCE,
        "Hai nhóm thanh niên thường xuyên gây gổ, đe dọa người đi đường ở khu vực cầu.",
        {},
    ),
    (
        Topic.OTHER,
        "Đèn đường ở ngõ tối, nhiều lần có người lạ lảng vảng; đề nghị tăng cường tuần tra.",
        {},
    ),
]
REPLIES = [
    "Công an xã đã tiếp nhận thông tin, cảm ơn bạn. Chúng tôi sẽ kiểm tra, xác minh.",
    "Đề nghị bạn cung cấp thêm thời gian, địa điểm cụ thể nếu có.",
    "Thông tin của bạn đã được chuyển đến cơ quan có thẩm quyền để giải quyết.",
]


def _handler(body: Body) -> User:
    from antq.tips.selectors import body_handlers

    handlers = body_handlers(body)
    if not handlers:
        raise RuntimeError(f"{body}: no demo tip handler")
    return handlers[0]


def _received(today: dt.date, days_ago: int, hour: int) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _submit(body, officer, story, received, channel, kind=Kind.UNCLASSIFIED, contact=""):
    topic, text, details = story
    data = services.TipInput(
        area=body.area,
        content=f"{text} {NOTE}",
        topic=topic,
        contact=contact,
        details={"place": "Thôn minh họa (hư cấu)", **details},
    )
    by_officer = channel not in (Channel.WEB, Channel.API)
    tip, _receipt = services.tip_submit(
        data,
        channel=channel,
        officer=officer if by_officer else None,
        body=body if by_officer else None,
        kind=kind if by_officer else Kind.UNCLASSIFIED,
        received_at=received,
    )
    return tip


@transaction.atomic
def tips_load() -> int:
    """Load the demo tips once (0 if tips exist) and count them from July 2025."""
    if Tip.objects.exists():
        return 0
    rng = random.Random(2025)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    bodies = [Body.objects.get(code=c) for c in ("ls-ca-xa-na-sam", "ls-ca-xa-hoang-van-thu")]
    province = Body.objects.get(code="ls-cong-an")
    channels = [
        Channel.WEB,
        Channel.WEB,
        Channel.API,
        Channel.IN_PERSON,
        Channel.PHONE,
        Channel.VNEID,
        Channel.LETTER,
    ]
    made = []
    # Older tips, settled: since July 2025, a couple a month per body.
    days_back = (today - COUNTED_FROM).days
    for body in bodies:
        officer = _handler(body)
        for days_ago in range(days_back, 45, -24):
            story = rng.choice(STORIES)
            channel = rng.choice(channels)
            tip = _submit(
                body, officer, story, _received(today, days_ago, rng.randint(7, 21)), channel
            )
            crime = story[0] != Topic.OTHER and rng.random() < 0.7
            services.tip_classify(
                officer, tip, kind=Kind.CRIME if crime else Kind.ORDER, topic=story[0]
            )
            value = rng.random()
            triage = (
                Triage.VALUABLE
                if value < 0.65
                else Triage.NOT_VALUABLE
                if value < 0.85
                else Triage.DUPLICATE
            )
            services.tip_triage(officer, tip, triage=triage)
            services.tip_write(officer, tip, text=REPLIES[0], to_citizen=True)
            if crime:
                decision = (
                    Decision.PROSECUTE
                    if triage == Triage.VALUABLE and rng.random() < 0.6
                    else Decision.NOT_PROSECUTE
                    if rng.random() < 0.7
                    else Decision.SUSPEND
                )
                services.tip_decide(
                    officer,
                    tip,
                    decision=decision,
                    on=tip.received_on + dt.timedelta(days=rng.randint(8, 19)),
                )
            else:
                services.tip_close(officer, tip)
            made.append(tip)
    # Recent tips, one in each state and on each side of its deadline.
    na_sam = bodies[0]
    for body in bodies:
        officer = _handler(body)
        fresh = _submit(
            body,
            officer,
            STORIES[0],
            _received(today, 1, 20),
            Channel.WEB,
            contact="Người gửi minh họa, 0900 000 000 (hư cấu)",
        )
        made.append(fresh)  # received, not yet looked at
        checking = _submit(
            body, officer, STORIES[2], _received(today, 6, 9), Channel.PHONE, kind=Kind.CRIME
        )
        services.tip_triage(officer, checking, triage=Triage.VALUABLE)
        services.tip_assign(officer, checking, assignee=officer)
        services.tip_write(officer, checking, text=REPLIES[1], to_citizen=True)
        services.tip_write(
            officer, checking, text="Đã bố trí lực lượng theo dõi. " + NOTE, to_citizen=False
        )
        near = _submit(
            body, officer, STORIES[3], _received(today, 17, 10), Channel.IN_PERSON, kind=Kind.CRIME
        )
        services.tip_triage(officer, near, triage=Triage.VALUABLE)
        overdue = _submit(
            body, officer, STORIES[5], _received(today, 24, 15), Channel.VNEID, kind=Kind.CRIME
        )
        services.tip_classify(officer, overdue, kind=Kind.CRIME, topic=Topic.GAMBLING)
        extended = _submit(body, officer, STORIES[1], _received(today, 30, 11), Channel.API)
        services.tip_classify(officer, extended, kind=Kind.CRIME, topic=Topic.ONLINE_FRAUD)
        services.tip_triage(officer, extended, triage=Triage.VALUABLE)
        services.tip_extend(officer, extended)
        made += [checking, near, overdue, extended]
    # One transferred to the province's police (smuggling across the border).
    moved = _submit(na_sam, _handler(na_sam), STORIES[4], _received(today, 9, 8), Channel.WEB)
    services.tip_classify(_handler(na_sam), moved, kind=Kind.CRIME, topic=Topic.SMUGGLING)
    services.tip_write(_handler(na_sam), moved, text=REPLIES[2], to_citizen=True)
    services.tip_transfer(
        _handler(na_sam),
        moved,
        to=province,
        reason="Vụ việc vượt thẩm quyền của Công an xã (buôn lậu qua biên giới). " + NOTE,
    )
    made.append(moved)
    # Cases cleared with the help of the valuable, prosecuted tips.
    number = 0
    for body in bodies:
        officer = _handler(body)
        prosecuted = [t for t in made if t.body_id == body.pk and t.decision == Decision.PROSECUTE]
        for tip in prosecuted:
            number += 1
            opened = tip.decided_on
            cleared = min(opened + dt.timedelta(days=rng.randint(10, 40)), today)
            services.case_save(
                officer,
                body=body,
                data={
                    "number": f"MH-{opened:%Y}-{number:03d}",
                    "offence": tip.topic,
                    "area": tip.area,
                    "opened_on": opened,
                    "cleared_on": cleared,
                    "suspects": rng.randint(1, 4),
                    "assets_vnd": rng.choice([0, 15, 40, 120, 350]) * 1_000_000,
                },
                tips=[tip],
            )
    for code, source in LINKS.items():
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is not None:
            derived.derivation_set(indicator=indicator, source=source, start=COUNTED_FROM)
    return len(made)
