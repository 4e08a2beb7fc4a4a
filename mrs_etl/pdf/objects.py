"""A page's characters and ruling edges read straight from pdfminer's layout, in one light pass.

pdfplumber's `page.chars` and `page.edges` turn every layout object into a dict of some twenty
resolved attributes (colours, graphic state, matrix, marked content); extraction needs the box,
font and size of each character and the segments of the rules, and that conversion cost as
much as interpreting the page. The geometry here is pdfplumber's own (`Page.process_object`:
the same top/bottom flip and MediaBox shift, `rect_to_edges`, `curve_to_edges`, `line_to_edge`)
and the words come from pdfplumber's `WordExtractor`, so the words and rules are the ones
`page.extract_words` and `page.edges` give, object for object and in the same order.
"""
from __future__ import annotations

from dataclasses import dataclass
from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine, LTRect
from pdfplumber.page import fix_fontname_bytes
from pdfplumber.utils.text import WordExtractor

# how the project cuts characters into words (pdfplumber's extract_words settings)
WORD_SETTINGS = dict(keep_blank_chars=False, use_text_flow=False, x_tolerance=3, y_tolerance=2.5,
                     extra_attrs=["fontname", "size"])


@dataclass
class Edge:
    """A ruling segment as pdfplumber's `page.edges` has it (orientation None for a slanted one)."""
    x0: float
    top: float
    x1: float
    bottom: float
    orientation: str | None


@dataclass
class PageObjects:
    chars: list[dict]  # the keys pdfplumber's WordExtractor reads, nothing else
    edges: list[Edge]  # line edges, then rectangle edges, then curve edges, as page.edges orders them

    def words(self) -> list[dict]:
        return WordExtractor(**WORD_SETTINGS).extract_words(self.chars)


def _leaves(objs):
    """Layout objects depth first, figures opened (pdfplumber without LAParams)."""
    for obj in objs:
        if isinstance(obj, LTContainer):
            yield from _leaves(obj._objs)
        else:
            yield obj


def page_objects(page) -> PageObjects:
    """Characters and edges of a pdfplumber page, from its (cached) pdfminer layout."""
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    doctop = page.initial_doctop
    unicode_norm = page.pdf.unicode_norm
    chars: list[dict] = []
    lines: list[Edge] = []
    rects: list[Edge] = []
    curves: list[Edge] = []
    for obj in _leaves(page.layout._objs):
        if not isinstance(obj, (LTChar, LTCurve)):
            continue  # images, annotations
        top = (height - obj.y1) + mb_top
        bottom = (height - obj.y0) + mb_top
        x0, x1 = (obj.x0 + mb_x0, obj.x1 + mb_x0) if mb_x0 != 0 else (obj.x0, obj.x1)
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if unicode_norm is not None:
                text = normalize_unicode(unicode_norm, text)
            fontname = obj.fontname
            if isinstance(fontname, bytes):
                fontname = fix_fontname_bytes(fontname)
            chars.append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": doctop + top,
                          "upright": obj.upright, "fontname": fontname, "size": obj.size})
        elif isinstance(obj, LTLine):
            lines.append(Edge(x0, top, x1, bottom, "h" if top == bottom else "v"))
        elif isinstance(obj, LTRect):
            rects += [Edge(x0, top, x1, top, "h"), Edge(x0, top + obj.height, x1, bottom, "h"),
                      Edge(x0, top, x0, bottom, "v"), Edge(x1, top, x1, bottom, "v")]
        else:
            pts = [(page.mediabox[0] + x, page.mediabox[1] + height - y) for x, y in obj.pts]
            curves += [Edge(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]),
                            "v" if p[0] == q[0] else ("h" if p[1] == q[1] else None))
                       for p, q in zip(pts, pts[1:])]
    return PageObjects(chars, lines + rects + curves)
