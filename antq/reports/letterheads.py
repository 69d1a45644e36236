"""The letterhead of a document issued by a body: the Party's (36-HD/VPTW) for Party bodies,
the State's (NĐ 30/2020/NĐ-CP) for the others."""

from __future__ import annotations

import datetime as dt

from antq.accounts.models import Body, BodyKind
from antq.areas.models import Area
from antq.reports.content import PARTY, STATE, Letterhead, place_and_date

PARTY_KINDS = {
    BodyKind.PARTY_COMMITTEE,
    BodyKind.PARTY_STANDING_BOARD,
    BodyKind.PARTY_BOARD,
    BodyKind.PARTY_CAUCUS,
    BodyKind.PARTY_DELEGATION,
}


def short_place(area: Area) -> str:
    """“Lạng Sơn” of “Tỉnh Lạng Sơn”, as the place before the date is written."""
    for prefix in ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Thị trấn ", "Huyện ", "Thị xã "):
        if area.name.startswith(prefix):
            return area.name[len(prefix) :]
    return area.name


def is_party(body: Body | None) -> bool:
    return body is not None and body.kind in PARTY_KINDS


def body_letterhead(body: Body, number_symbol: str, day: dt.date) -> Letterhead:
    """The letterhead of `body` for a document numbered `number_symbol` (“Số 35-TB/BNCTW”, or
    “Số        -CV/TU” for a draft) dated `day`."""
    place = "Hà Nội" if body.area.level == "nation" else short_place(body.area)
    if is_party(body):
        # 36-HD/VPTW: the Party organisation of the place above, then the issuing body
        # without the place's name (“ĐẢNG BỘ TỈNH LẠNG SƠN / TỈNH ỦY”)
        name = body.short_name or body.name
        if body.area.level == "nation":
            superior, issuer = "BAN CHẤP HÀNH TRUNG ƯƠNG", name.replace(" Trung ương", "")
        else:
            superior = f"ĐẢNG BỘ {body.area.name.upper()}"
            issuer = name.replace(short_place(body.area), "").strip(" ,") or name
        return Letterhead(
            PARTY, superior, issuer.upper(), number_symbol, place_and_date(place, day)
        )
    superior = body.parent.name.upper() if body.parent_id else ""
    return Letterhead(STATE, superior, body.name.upper(), number_symbol, place_and_date(place, day))
