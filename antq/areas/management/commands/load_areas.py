"""antq load-areas: (re)load the official lists of administrative units."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from antq.areas.loader import AreasFileError, build_plan, default_files, summarise_notices
from antq.areas.models import AreaLoad, Level
from antq.areas.services import areas_load
from antq.core.vnformat import format_number


def files_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_areas(
    stdout,
    *,
    old: Path | None = None,
    conversion: Path | None = None,
    force: bool = True,
    verbosity: int = 1,
) -> bool:
    """Load the files; returns False when they were already loaded and force is off."""
    default_old, default_conv = default_files()
    old, conversion = old or default_old, conversion or default_conv
    digest = files_digest([old, conversion])
    last = AreaLoad.objects.first()
    if not force and last is not None and last.files_sha256 == digest:
        stdout.write("Danh mục đơn vị hành chính đã được nạp trước đó, không thay đổi.")
        return False
    base = dt.date.fromisoformat(settings.ANTQ_AREAS_BASE_DATE)
    try:
        plan = build_plan(old, conversion, base_date=base)
    except AreasFileError as exc:
        raise CommandError(
            "Không nạp được danh mục đơn vị hành chính; cơ sở dữ liệu giữ nguyên.\n" + str(exc)
        ) from None
    result = areas_load(plan)
    reform, before = dt.date(2025, 7, 1), dt.date(2025, 1, 1)
    lines = [
        f"Đã nạp danh mục đơn vị hành chính từ {old.name} và {conversion.name}:",
        f"  trước 01/07/2025: {plan.count(Level.PROVINCE, before)} tỉnh, "
        f"{format_number(plan.count(Level.DISTRICT, before))} huyện, "
        f"{format_number(plan.count(Level.COMMUNE, before))} xã, phường, thị trấn",
        f"  từ 01/07/2025: {plan.count(Level.PROVINCE, reform)} tỉnh, "
        f"{format_number(plan.count(Level.COMMUNE, reform))} xã, phường, đặc khu",
        f"  {format_number(result.created)} đơn vị mới, {format_number(result.updated)} cập nhật, "
        f"{format_number(result.unchanged)} không đổi; {format_number(result.links)} quan hệ trực thuộc; "
        f"{format_number(result.successions)} quan hệ kế thừa; "
        f"{format_number(result.tree_paths)} đường dẫn cây",
    ]
    if result.kept_admin_shares:
        lines.append(f"  giữ {result.kept_admin_shares} tỷ lệ kế thừa do quản trị viên đặt")
    if result.stale:
        lines.append(
            f"  {len(result.stale)} đơn vị cũ không còn trong tệp (giữ lại): {', '.join(result.stale[:5])}"
        )
    lines.append(f"Các điểm bất thường của dữ liệu gốc đã xử lý ({len(plan.notices)}):")
    lines += [
        "  " + line for line in summarise_notices(plan.notices, 3 if verbosity < 2 else 10**6)
    ]
    stdout.write("\n".join(lines))
    AreaLoad.objects.create(
        files_sha256=digest,
        summary={
            "created": result.created,
            "updated": result.updated,
            "notices": len(plan.notices),
        },
    )
    return True


class Command(BaseCommand):
    help = "Load (or reload) the official lists of administrative units and the 2025 conversion."

    def add_arguments(self, parser):
        parser.add_argument(
            "--old-list", type=Path, help="pre-reform list (CSV); default: shipped file"
        )
        parser.add_argument(
            "--conversion", type=Path, help="conversion table (CSV); default: shipped file"
        )

    def handle(self, *args, **options):
        load_areas(
            self.stdout,
            old=options["old_list"],
            conversion=options["conversion"],
            force=True,
            verbosity=options["verbosity"],
        )
