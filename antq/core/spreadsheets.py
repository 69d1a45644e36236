"""Excel workbooks (openpyxl): the pieces every import and export of antq shares — reading
an upload safely (refused by content: old .xls, .ods, .xlsb, PDF, zip bombs, damaged files),
texts that stay texts, one look for every sheet."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import Any

from django.utils.translation import gettext as _

MAX_BYTES = 25 * 1024 * 1024  # an upload larger than this is refused unread
MAX_UNCOMPRESSED = 250 * 1024 * 1024  # guards against a zip bomb
SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")


class WorkbookRefused(ValueError):
    """The upload is not a readable .xlsx; the message (for the user) says why."""


def norm(text: Any) -> str:
    return SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip().casefold()


def put_text(cell, value: str) -> None:
    """Write text that stays text: a leading "=" must not turn a name into a formula."""
    cell.value = value
    cell.data_type = "s"


def workbook_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="9AA5B1")
    return {
        "title": Font(bold=True, size=14),
        "subtitle": Font(size=11, color="333333"),
        "note": Font(italic=True, size=10, color="555555"),
        "header_font": Font(bold=True, color="FFFFFF"),
        "header_fill": PatternFill("solid", fgColor="1F4E79"),
        "entry_fill": PatternFill("solid", fgColor="FFF8DC"),
        "total_font": Font(bold=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "total_border": Border(top=Side(style="medium"), bottom=Side(style="medium")),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "number": Alignment(vertical="top"),
        "top": Alignment(vertical="top"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
    }


def check_xlsx(data: bytes) -> None:
    """Refuse, by content, anything that is not an .xlsx (an Office Open XML workbook)."""
    if not data:
        raise WorkbookRefused(_("the file is empty."))
    if len(data) > MAX_BYTES:
        raise WorkbookRefused(
            _("the file is larger than %(mb)d MB; split it by area or period.")
            % {"mb": MAX_BYTES // (1024 * 1024)},
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookRefused(
            _(
                "this is an old Excel 97-2003 (.xls) file or a workbook protected by a password to open; save it as an Excel workbook (.xlsx) without a password."
            ),
        )
    if data.startswith(b"%PDF"):
        raise WorkbookRefused(_("this is a PDF file, not an Excel workbook (.xlsx)."))
    not_xlsx = _("the file is not an Excel workbook (.xlsx); download the template again.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WorkbookRefused(not_xlsx) from None
    with archive:
        names = set(archive.namelist())
        if "mimetype" in names and archive.read("mimetype").startswith(
            b"application/vnd.oasis.opendocument"
        ):
            raise WorkbookRefused(
                _(
                    "this is an OpenDocument spreadsheet (.ods); save it as an Excel workbook (.xlsx)."
                ),
            )
        if "xl/workbook.bin" in names:
            raise WorkbookRefused(
                _("this is a binary Excel workbook (.xlsb); save it as an Excel workbook (.xlsx)."),
            )
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise WorkbookRefused(not_xlsx)
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
            raise WorkbookRefused(_("the workbook is too large once unpacked."))


def load_xlsx(data: bytes, *, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:  # a damaged package can fail in many ways inside openpyxl
        raise WorkbookRefused(
            _("the workbook is damaged and cannot be read; save it again in Excel.")
        ) from None
