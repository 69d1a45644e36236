"""Tip-line fixtures: a master key in the environment, the tip handlers of two communes, a
plain administrator, and helpers to send a tip as a citizen would."""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass

import pytest

from antq.accounts.models import Role, User
from antq.accounts.services import membership_grant, user_create
from antq.core import crypto
from antq.tips import services
from antq.tips.models import Channel, Topic
from tests.conftest import PASSWORD, People, area

CONTENT = "Nhóm lừa đảo ở thôn Bản Thử gọi điện tự xưng công an — nội-dung-bí-mật-7731"
CONTACT = "Người gửi thử nghiệm, 0912 345 678, lien-he-bi-mat-4402"
ACCOUNT = "STK-BI-MAT-99887766"


@pytest.fixture(autouse=True)
def master_key_env(monkeypatch, tmp_path):
    key = crypto.new_master_key()
    monkeypatch.setenv("ANTQ_MASTER_KEY", base64.urlsafe_b64encode(key).decode().rstrip("="))
    monkeypatch.setenv("ANTQ_MASTER_KEY_FILE", str(tmp_path / "keys" / "master.key"))
    return key


@dataclass
class Handlers:
    na_sam: User  # the official of Na Sầm, also a tip handler there
    hoang_van_thu: User  # the outsider, tip handler in Hoàng Văn Thụ
    admin: User  # administrator of the province police, superuser, no tip role
    people: People


@pytest.fixture
def handlers(people) -> Handlers:
    since = dt.date(2025, 7, 1)
    membership_grant(
        user=people.official, body=people.na_sam, role=Role.TIP_HANDLER, valid_from=since
    )
    membership_grant(
        user=people.outsider, body=people.hoang_van_thu, role=Role.TIP_HANDLER, valid_from=since
    )
    admin = user_create(username="admin", password=PASSWORD, full_name="Admin", is_superuser=True)
    membership_grant(
        user=admin, body=people.province_police, role=Role.ADMINISTRATOR, valid_from=since
    )
    membership_grant(user=admin, body=people.na_sam, role=Role.ADMINISTRATOR, valid_from=since)
    return Handlers(people.official, people.outsider, admin, people)


@pytest.fixture
def linked(db):
    """The standard catalogue, with the tip counts linked from July 2025."""
    from antq.indicators.services import catalogue_install

    catalogue_install()
    assert services.tips_install(start=dt.date(2025, 7, 1)) is True


def jpeg_with_gps() -> bytes:
    """A small JPEG carrying EXIF with a GPS position and a camera model."""
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "CameraModel-SECRET"  # Model
    gps = {1: "N", 2: (21.0, 50.0, 5.0), 3: "E", 4: (106.0, 45.0, 1.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def send(
    *,
    code: str = "06124",
    content: str = CONTENT,
    contact: str = CONTACT,
    attachments=(),
    received_at: dt.datetime | None = None,
):
    data = services.TipInput(
        area=area(code, dt.date.today()),
        content=content,
        topic=Topic.ONLINE_FRAUD,
        contact=contact,
        details={"accounts": ACCOUNT},
        attachments=[services.Upload(name, blob) for name, blob in attachments],
    )
    return services.tip_submit(data, channel=Channel.WEB, received_at=received_at)
