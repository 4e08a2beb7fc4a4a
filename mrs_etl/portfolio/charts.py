"""The portfolio's figures, drawn once as shapes and rendered as inline SVG (HTML) or a reportlab Drawing (PDF).

A chart is a width, a height and a list of rectangles and texts in a top-left coordinate system,
so the HTML page and the PDF show the same figure from the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

BAND_COLOURS = {"equivalent": "#63BE7B", "partially comparable": "#FFD966", "not comparable": "#EDEDED"}
VERDICT_COLOURS = {"evidenced": "#63BE7B", "partly evidenced": "#FFD966", "no evidence found": "#E06666"}


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str = ""
    stroke: str | None = None


@dataclass
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 8
    anchor: str = "start"  # start | end | middle


@dataclass
class Chart:
    width: float
    height: float
    title: str
    shapes: list = field(default_factory=list)


HEATMAP_SATURATION = 0.6  # scores at or above this are the darkest green; the legend says so


def _score_colour(score: float) -> str:
    """White (0) to dark green (HEATMAP_SATURATION and above)."""
    s = max(0.0, min(1.0, float(score) / HEATMAP_SATURATION))
    r, g, b = (int(255 + (c - 255) * s) for c in (0x1A, 0x98, 0x50))
    return f"#{r:02X}{g:02X}{b:02X}"


def heatmap(cells: list[dict], a_labels: list[str], b_labels: list[str], title: str, cell: float = 16) -> Chart:
    """Units of A down, units of B across; colour = score, a black frame = the one-to-one aligned pairs.
    `cells`: dicts with a_order, b_order (from 1), score, band, aligned."""
    left, top = 8 + 6 * max((len(s) for s in a_labels), default=4), 8 + 5 * max((len(s) for s in b_labels), default=4)
    chart = Chart(left + cell * len(b_labels) + 10, top + cell * len(a_labels) + 24, title)
    for i, label in enumerate(a_labels):
        chart.shapes.append(Text(left - 4, top + cell * i + cell * 0.75, label, 7, "end"))
    for j, label in enumerate(b_labels):
        chart.shapes.append(Text(left + cell * j + cell * 0.7, top - 4, label, 7, "vertical"))
    for c in cells:
        chart.shapes.append(Rect(left + cell * (c["b_order"] - 1), top + cell * (c["a_order"] - 1), cell, cell,
                                 _score_colour(c["score"]), f"{c['label']}: {c['score']:.2f} ({c['band']})",
                                 "#000000" if c["aligned"] else "#FFFFFF"))
    chart.shapes.append(Text(left, top + cell * len(a_labels) + 16,
                             f"colour: score 0 (white) to {HEATMAP_SATURATION} or more (dark green); "
                             "framed: aligned one to one", 7))
    return chart


def hbars(rows: list[tuple[str, list[tuple[float, str, str]]]], title: str, scale: float = 1.0,
          unit: str = "", width: float = 260) -> Chart:
    """Horizontal stacked bars: rows of (label, [(value, colour, tooltip), ...]); `scale` = the full bar."""
    left = 10 + 6 * max((len(r[0]) for r in rows), default=4)
    chart = Chart(left + width + 60, 16 * len(rows) + 14, title)
    for i, (label, parts) in enumerate(rows):
        y = 4 + 16 * i
        chart.shapes.append(Text(left - 4, y + 10, label, 8, "end"))
        x, total = left, 0.0
        for value, colour, tip in parts:
            w = width * value / scale if scale else 0
            chart.shapes.append(Rect(x, y, w, 12, colour, tip))
            x, total = x + w, total + value
        chart.shapes.append(Text(x + 4, y + 10, f"{total:g}{unit}", 8))
    return chart


def to_svg(chart: Chart) -> str:
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{chart.width:.0f}" height="{chart.height:.0f}" '
           f'viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" font-family="sans-serif">'
           f'<title>{escape(chart.title)}</title>']
    for s in chart.shapes:
        if isinstance(s, Rect):
            stroke = f' stroke="{s.stroke}" stroke-width="1"' if s.stroke else ""
            out.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" fill="{s.fill}"{stroke}>'
                       f'<title>{escape(s.title)}</title></rect>')
        elif s.anchor == "vertical":
            out.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size}" transform="rotate(-90 {s.x:.1f} {s.y:.1f})">'
                       f'{escape(s.text)}</text>')
        else:
            out.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size}" text-anchor="{s.anchor}">'
                       f'{escape(s.text)}</text>')
    out.append("</svg>")
    return "".join(out)


def to_drawing(chart: Chart, max_width: float = 480):
    """The chart as a reportlab Drawing, scaled down to fit `max_width` points."""
    from reportlab.graphics.shapes import Drawing, Group, Rect as RLRect, String
    from reportlab.lib.colors import HexColor

    k = min(1.0, max_width / chart.width)
    drawing = Drawing(chart.width * k, chart.height * k)
    group = Group()
    h = chart.height
    for s in chart.shapes:
        if isinstance(s, Rect):
            group.add(RLRect(s.x, h - s.y - s.h, s.w, s.h, fillColor=HexColor(s.fill),
                             strokeColor=HexColor(s.stroke) if s.stroke else None, strokeWidth=0.6 if s.stroke else 0))
        elif s.anchor == "vertical":
            label = Group(String(0, 0, s.text, fontSize=s.size, fontName="Helvetica"))
            label.transform = (0, 1, -1, 0, s.x, h - s.y)
            group.add(label)
        else:
            group.add(String(s.x, h - s.y, s.text, fontSize=s.size, fontName="Helvetica", textAnchor=s.anchor))
    group.scale(k, k)
    drawing.add(group)
    return drawing
