"""Small competency-standard PDFs for tests, written with the reportlab canvas.

The canvas (not platypus) gives exact control over where a page breaks, so a table row can be
split between two given lines of its cells, the way real Training Regulations split rows.
Positions are kept as pdfplumber reports them: `top` grows downwards from the top of the page.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

FONT, BOLD = "Helvetica", "Helvetica-Bold"
SIZE = 10
LEADING = 13
MARGIN_TOP, MARGIN_BOTTOM, LEFT = 60, 90, 60  # the body ends MARGIN_BOTTOM above the page's bottom
PAD = 4  # space between a cell's rules and its text
HANGING = 18  # indent of a wrapped line under its item number


@dataclass
class Row:
    """A table row: one list of text lines per cell. `split_after` lines, then the next page.

    A line written with a leading space is a wrapped line: drawn with a hanging indent.
    """
    cells: list[list[str]]
    split_after: int | None = None


class StandardPdf:
    def __init__(self, path: str | Path, footer: str = "TR SAMPLE NC II", pagesize=A4):
        self.path = Path(path)
        self.footer = footer
        self.width, self.height = pagesize
        self.canvas = Canvas(str(self.path), pagesize=pagesize)
        self.page = 1
        self.top = MARGIN_TOP
        self.placed: list[tuple[int, float, str]] = []  # (page, top, text) of every text drawn

    # -- pages -------------------------------------------------------------------------------
    def _draw_footer(self) -> None:
        c = self.canvas
        c.setFont(FONT, 8)
        baseline = self.height - 40
        if self.footer:
            c.drawString(LEFT, baseline, self.footer)
            self.placed.append((self.page, self.height - baseline - 6, self.footer))
        c.drawRightString(self.width - LEFT, baseline, str(self.page))

    def new_page(self) -> None:
        self._draw_footer()
        self.canvas.showPage()
        self.page += 1
        self.top = MARGIN_TOP

    def _room(self) -> float:
        return self.height - MARGIN_BOTTOM - self.top

    def save(self) -> Path:
        self._draw_footer()
        self.canvas.save()
        return self.path

    # -- running text ------------------------------------------------------------------------
    def _text_at(self, x: float, top: float, text: str, bold: bool = False, size: float = SIZE) -> None:
        self.canvas.setFont(BOLD if bold else FONT, size)
        self.canvas.drawString(x, self.height - top - size * 0.8, text)
        self.placed.append((self.page, top, text))

    def line(self, text: str, bold: bool = False, size: float = SIZE, x: float = LEFT) -> None:
        if self._room() < LEADING:
            self.new_page()
        self._text_at(x, self.top, text, bold, size)
        self.top += max(LEADING, size * 1.3)

    def lines(self, texts: list[str], bold: bool = False) -> None:
        for text in texts:
            self.line(text, bold)

    def label(self, name: str, value: str) -> None:
        """A unit header line: "UNIT CODE : X", value left-aligned at a fixed tab."""
        if self._room() < LEADING:
            self.new_page()
        self._text_at(LEFT, self.top, name, bold=True)
        self._text_at(LEFT + 150, self.top, f": {value}", bold=True)
        self.top += LEADING

    def heading(self, text: str) -> None:
        """A category or section heading: bold, centred, with space around it."""
        self.top += 4
        if self._room() < 2 * LEADING:
            self.new_page()
        self.canvas.setFont(BOLD, 12)
        self.canvas.drawCentredString(self.width / 2, self.height - self.top - 10, text)
        self.top += 22

    def space(self, points: float = LEADING) -> None:
        self.top += points

    # -- ruled tables ------------------------------------------------------------------------
    def _rules(self, xs: list[float], top: float, bottom: float) -> None:
        c = self.canvas
        c.setLineWidth(0.6)
        for x in xs:
            c.line(x, self.height - top, x, self.height - bottom)
        for y in (top, bottom):
            c.line(xs[0], self.height - y, xs[-1], self.height - y)

    def _cell_lines(self, xs: list[float], cells: list[list[str]], start: int, stop: int, header: bool) -> float:
        """Lines start..stop of every cell, top-aligned in the cells; returns the band's bottom.

        In a header row the column labels (upper case) are bold and a note under them is not.
        """
        top = self.top
        for col, cell in enumerate(cells):
            for k, text in enumerate(cell[start:stop]):
                x = xs[col] + PAD + (HANGING if text.startswith(" ") else 0)
                self._text_at(x, top + PAD + k * LEADING, text.strip(), bold=header and text.isupper())
        depth = max((len(cell[start:stop]) for cell in cells), default=0)
        return top + 2 * PAD + depth * LEADING

    def _header(self, xs: list[float], header: list[list[str]] | None) -> None:
        if header:
            bottom = self._cell_lines(xs, header, 0, 99, header=True)
            self._rules(xs, self.top, bottom)
            self.top = bottom

    def table(self, xs: list[float], rows: list[Row | list[list[str]]], header: list[list[str]] | None = None,
              repeat_header: bool = True) -> None:
        """A ruled table; `xs` are the column boundaries (n columns -> n + 1 positions).

        Rows that do not fit break across pages line by line; `Row.split_after` forces a break.
        """
        self._header(xs, header)
        for row in rows:
            row = row if isinstance(row, Row) else Row(row)
            height = max(len(cell) for cell in row.cells)
            done = 0
            while done < height:
                fits = max(int((self._room() - 2 * PAD) // LEADING), 0)
                stop = min(height, done + fits)
                if row.split_after is not None and done < row.split_after < stop:
                    stop = row.split_after
                if stop > done:
                    bottom = self._cell_lines(xs, row.cells, done, stop, header=False)
                    self._rules(xs, self.top, bottom)
                    self.top = bottom
                    done = stop
                if done < height:
                    self.new_page()
                    if repeat_header:
                        self._header(xs, header)
        self.space(LEADING)


def scanned_copy(source: str | Path, pages: list[int], out: str | Path, dpi: int = 150) -> Path:
    """A scan of some pages of `source`: each page rendered to a grey image (pdftoppm) and placed
    alone on a page of the same size, so the copy has no text layer at all."""
    import subprocess
    import tempfile

    from reportlab.lib.utils import ImageReader

    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        canvas = None
        for number in pages:
            stem = Path(tmp) / f"p{number}"
            subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(number),
                            "-l", str(number), str(source), str(stem)], check=True)
            image = ImageReader(f"{stem}.png")
            w, h = image.getSize()
            size = (w * 72 / dpi, h * 72 / dpi)
            if canvas is None:
                canvas = Canvas(str(out), pagesize=size)
            canvas.setPageSize(size)
            canvas.drawImage(image, 0, 0, width=size[0], height=size[1])
            canvas.showPage()
        canvas.save()
    return out
