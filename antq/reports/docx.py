"""Writing an OfficialDocument as DOCX (python-docx) in the official layouts.

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman throughout. The
letterhead is a borderless two-column table: on the left the superior (regular capitals) and
the issuing body (bold capitals) over an asterisk line — or, in the State's layout, under a
short rule — and the number and symbol; on the right "ĐẢNG CỘNG SẢN VIỆT NAM" bold and
underlined (or the State's name and motto) and the place and date in italics. The kind of
document bold 16 pt, the subject bold 14 pt, a short rule; the body 14 pt justified with a
first-line indent; tables 12 pt; the signature block and "Nơi nhận" side by side at the end.
A công văn has no kind name: its "V/v …" goes under the number (12 pt) and its body opens with
"Kính gửi: …", centred for one addressee, a list beside "Kính gửi:" for several.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from antq.reports.chart import chart_png
from antq.reports.content import (
    FONT,
    PARTY,
    PARTY_MOTTO,
    STATE_MOTTO,
    STATE_NAME,
    Chart,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    addressee_lines,
)

BODY_PT, TABLE_PT, TITLE_PT, HEAD_PT = 14, 12, 16, 14


def _font(run, size: float, *, bold=False, italic=False, underline=False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(
    container,
    text: str,
    size: float = BODY_PT,
    *,
    align=None,
    bold=False,
    italic=False,
    underline=False,
    indent=False,
    before=0,
    after=0,
):
    p = container.add_paragraph()
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    _font(p.add_run(text), size, bold=bold, italic=italic, underline=underline)
    return p


def _cell(cell, lines: list[tuple[str, dict]]) -> None:
    first = True  # a new cell holds one empty paragraph: the first line goes there
    for text, style in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        _font(p.add_run(text), style.pop("size", BODY_PT), **style)


def _letterhead(doc, report: OfficialDocument) -> None:
    head = report.letterhead
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # the State's name (12 pt bold, one line) needs the wider right column (NĐ 30/2020)
    widths = (Cm(7.5), Cm(9)) if head.layout == PARTY else (Cm(6.5), Cm(10))
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
        cell.width = width  # the cell, which Word follows
    left = []
    if head.superior:
        left.append((head.superior, {}))
    left.append((head.issuer, {"bold": True}))
    left.append(("*" if head.layout == PARTY else "––––––––", {}))
    left.append((head.number_symbol, {}))
    if report.is_letter and report.subject:
        left.append((report.subject, {"size": TABLE_PT}))
    if head.layout == PARTY:
        right = [(PARTY_MOTTO, {"bold": True, "underline": True, "size": 15}), ("", {})]
    else:
        right = [
            (STATE_NAME, {"bold": True, "size": 12}),
            (STATE_MOTTO, {"bold": True, "underline": True}),
        ]
    right.append((head.place_date, {"italic": True}))
    _cell(table.rows[0].cells[0], left)
    _cell(table.rows[0].cells[1], right)


def _addressees(doc, report: OfficialDocument) -> None:
    lines = addressee_lines(report.addressees)
    if len(lines) == 1:
        _para(doc, lines[0], BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=6)
        return
    _para(doc, "", BODY_PT, after=0)
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [5, 11.5])
    label, names = table.rows[0].cells
    label.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(label.paragraphs[0].add_run(lines[0]), BODY_PT)
    for n, line in enumerate(lines[1:]):
        p = names.paragraphs[0] if n == 0 else names.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        _font(p.add_run(line), BODY_PT)
    _para(doc, "", BODY_PT)


def _widths(table, widths_cm: list[float]) -> None:
    """Column widths that hold in Word and LibreOffice alike: the grid's and every cell's."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


ALIGN = {
    "l": WD_ALIGN_PARAGRAPH.LEFT,
    "c": WD_ALIGN_PARAGRAPH.CENTER,
    "r": WD_ALIGN_PARAGRAPH.RIGHT,
}
TEXT_WIDTH_CM = 16.5  # A4 less the 30 mm and 15 mm margins


def _table(doc, block: Table) -> None:
    _para(doc, block.title, TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, before=6, after=3)
    rows = block.rows + ([block.total] if block.total else [])
    table = doc.add_table(rows=1 + len(rows), cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if block.widths:
        _widths(table, [w * TEXT_WIDTH_CM / sum(block.widths) for w in block.widths])
    for j, name in enumerate(block.columns):
        cell = table.rows[0].cells[j]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(name), TABLE_PT, bold=True)
    for i, row in enumerate(rows, start=1):
        last = block.total is not None and i == len(rows)
        for j, value in enumerate(row):
            p = table.rows[i].cells[j].paragraphs[0]
            p.alignment = ALIGN[block.alignment(j)]
            _font(p.add_run(value), TABLE_PT, bold=last)


def _chart(doc, block: Chart) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(6)
    p.add_run().add_picture(io.BytesIO(chart_png(block)), width=Cm(15))


def _closing(doc, report: OfficialDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    p = left.paragraphs[0]
    _font(p.add_run("Nơi nhận:"), BODY_PT, underline=True)
    for line in report.recipients:
        q = left.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        _font(q.add_run(f"- {line}"), TABLE_PT)
    if report.signature:
        sig = report.signature
        _cell(
            right,
            [
                (sig.on_behalf, {"bold": True}),
                (sig.position, {"bold": True}),
                ("", {}),
                ("", {}),
                ("", {}),
                (sig.signer, {"bold": True}),
            ],
        )


def docx_bytes(report: OfficialDocument) -> bytes:
    doc = new_docx()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr()
    _letterhead(doc, report)
    if report.is_letter:
        _addressees(doc, report)
    else:
        _para(
            doc, report.kind_title, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, before=18
        )
        _para(doc, report.subject, HEAD_PT, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        _para(doc, "-----", BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    previous = None
    for block in report.blocks:
        if isinstance(block, Heading):
            _para(
                doc,
                block.text,
                BODY_PT,
                bold=True,
                indent=True,
                before=6,
                after=3,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            )
        elif isinstance(block, Paragraph):
            _para(
                doc,
                block.text,
                BODY_PT,
                italic=block.italic,
                indent=True,
                before=6 if isinstance(previous, Table) else 0,  # none after a table of its own
                after=6,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            )
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
        previous = block
    _para(doc, "", BODY_PT)
    _closing(doc, report)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
