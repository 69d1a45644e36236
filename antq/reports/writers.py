"""One entry point for writing a document in a format."""

from __future__ import annotations

from antq.reports.content import OfficialDocument

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def write(report: OfficialDocument, fmt: str) -> bytes:
    if fmt == "docx":
        from antq.reports.docx import docx_bytes

        return docx_bytes(report)
    if fmt == "pdf":
        from antq.reports.pdf import pdf_bytes

        return pdf_bytes(report)
    if fmt == "xlsx":
        from antq.reports.xlsx import xlsx_bytes

        return xlsx_bytes(report)
    raise ValueError(f"unknown format {fmt!r} (docx, pdf, xlsx)")
