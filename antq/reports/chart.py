"""A horizontal bar chart as a PNG (Pillow), labelled in Vietnamese with the vendored Liberation
Serif, for the DOCX and the PDF alike (no Django here)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from antq.core.vnformat import format_number
from antq.reports.content import Chart

FONTS = Path(__file__).resolve().parent / "fonts"
WIDTH, BAR, GAP, LABEL_W, MARGIN = 1600, 44, 14, 520, 30
RED = (163, 32, 26)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def chart_png(chart: Chart) -> bytes:
    title_font, label_font = font(40, bold=True), font(32)
    height = MARGIN * 3 + 60 + len(chart.bars) * (BAR + GAP)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, MARGIN), chart.title, fill="black", font=title_font)
    top = MARGIN * 2 + 50
    biggest = max((v for _n, v in chart.bars), default=0) or 1
    room = WIDTH - LABEL_W - MARGIN * 2 - 160
    for i, (name, value) in enumerate(chart.bars):
        y = top + i * (BAR + GAP)
        label = name if len(name) <= 28 else name[:27] + "…"
        draw.text((MARGIN, y + 4), label, fill="black", font=label_font)
        length = int(room * value / biggest)
        draw.rectangle([LABEL_W, y, LABEL_W + max(length, 2), y + BAR], fill=RED)
        draw.text(
            (LABEL_W + length + 12, y + 4), format_number(value), fill="black", font=label_font
        )
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(200, 200))
    return out.getvalue()
