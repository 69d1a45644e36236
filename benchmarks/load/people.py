"""The load test's officials: 200 fictitious people of Lạng Sơn and what each will do.

Run by benchmarks/load/run.py in a child process whose environment points at the load
database (DATABASE_URL, ANTQ_DATA_DIR). Through antq's own services it gives every commune
of Lạng Sơn a police body (the demo's where it has one), and makes, for each commune, a
data-entry official who enters the monthly report and a colleague (data entry) who reads;
at the provincial police's PV05, the level above that approves (DESIGN.md: a commune never
approves its own report), an approver following each commune; and a few managers of PV05,
who read the province's dashboards and approve too. Every account gets the same random password, generated here at
run time and written, with the API tokens, to a file readable only by its owner.

    python benchmarks/load/people.py OUT.json
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

COMMUNE_ROLES = ("nhap", "xem", "duyet")  # enters, reads (the commune's); approves (PV05's)
MANAGERS = 5


def main(out: Path) -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from antq.accounts.models import Body, BodyKind, Role, User
    from antq.accounts.services import body_save, membership_grant, token_create, user_create
    from antq.areas.models import Level
    from antq.areas.selectors import area_by_code, area_subtree
    from antq.indicators.models import DataSet
    from antq.indicators.periods import period_of
    from antq.indicators.selectors import entry_window
    from antq.indicators.services import STANDARD_DATA_SET

    today = timezone.localdate()
    data_set = DataSet.objects.get(code=STANDARD_DATA_SET)
    # The period the entry page proposes (the month before), unless its window has closed
    # for data-entry officials: then the month under way.
    period = period_of(today, data_set.period_type, data_set.calendar).shift(-1)
    if entry_window(data_set, period, today).expired:
        period = period.shift(1)
    end = period.end(data_set.calendar)
    typed = sorted(
        i.code for i in data_set.indicators.all() if not i.is_derived_for(end)
    )  # the cells an official types (the others are counted from the registries)

    province = area_by_code("20", today)
    communes = list(area_subtree(province, today, level=Level.COMMUNE).order_by("code"))
    police = Body.objects.get(code="ls-cong-an")
    pv05 = Body.objects.get(code="ls-cong-an-pv05")
    password = secrets.token_urlsafe(18)
    # One hash for every account: Django's argon2 costs about half a second a hash, and 200
    # of them would add minutes to the preparation for nothing.
    encoded = make_password(password)
    since = period.start(data_set.calendar).replace(day=1)

    people: list[dict] = []
    with transaction.atomic():
        for n, commune in enumerate(communes, start=1):
            body = (
                Body.objects.filter(kind=BodyKind.POLICE, area=commune)
                .filter(valid_to__isnull=True)
                .first()
            )
            if body is None:
                name = commune.name[0].lower() + commune.name[1:]
                body = body_save(
                    code=f"load-ca-{commune.code}",
                    name=f"Công an {name}",
                    kind=BodyKind.POLICE,
                    area=commune,
                    parent=police,
                    valid_from=since,
                )
            for job in COMMUNE_ROLES:
                username = f"t{commune.code}-{job}"
                approver = job == "duyet"
                user = user_create(
                    username=username,
                    password=None,
                    full_name=f"Cán bộ thử tải {n:02d}-{job}",
                    title=(
                        f"Phòng PV05, Công an tỉnh Lạng Sơn, theo dõi {commune.name} (thử tải)"
                        if approver
                        else f"Cán bộ {body.name} (thử tải)"
                    ),
                )
                membership_grant(
                    user=user,
                    body=pv05 if approver else body,
                    role=Role.APPROVER if approver else Role.DATA_ENTRY,
                    valid_from=since,
                )
                person = {"username": username, "job": job, "commune": commune.code}
                if job == "nhap":
                    person["token"] = token_create(user=user, name="load test").key
                people.append(person)
        for n in range(1, MANAGERS + 1):
            username = f"tinh-ql-{n}"
            user = user_create(
                username=username,
                password=None,
                full_name=f"Chuyên viên thử tải PV05 {n}",
                title="Phòng PV05, Công an tỉnh Lạng Sơn (thử tải)",
            )
            membership_grant(user=user, body=pv05, role=Role.MANAGER, valid_from=since)
            people.append({"username": username, "job": "tinh", "commune": "20"})
        User.objects.filter(username__in=[p["username"] for p in people]).update(password=encoded)

    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "password": password,
                "data_set": data_set.code,
                "period": period.code,
                "typed": typed,
                "communes": [c.code for c in communes],
                "people": people,
            },
            fh,
            ensure_ascii=False,
            indent=1,
        )
    print(
        f"{len(people)} officials: {len(communes)} communes × {len(COMMUNE_ROLES)} (the "
        f"approvers at PV05) + {MANAGERS} provincial managers; period {period.code}; typed cells {', '.join(typed)}"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
