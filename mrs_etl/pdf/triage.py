"""Fast text for triage (family detection, text-layer checks) through pypdfium2.

pdfium's text extraction is an order of magnitude faster than pdfminer's layout analysis, so
deciding what a document is never costs a full parse.
"""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from mrs_etl.errors import DocumentRejected


def quick_text(path: str | Path, max_pages: int | None = 20) -> list[str]:
    """Plain text of the first `max_pages` pages (all when None), one string per page."""
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        reason = "encrypted" if "password" in str(exc).lower() else "unreadable_pdf"
        raise DocumentRejected(reason, f"pdfium: {exc}") from exc
    try:
        n = len(doc) if max_pages is None else min(len(doc), max_pages)
        texts = []
        for i in range(n):
            page = doc[i]
            textpage = page.get_textpage()
            try:
                # pdfium ends lines with "\r\n": normalised so that "$" in multiline patterns works
                texts.append((textpage.get_text_range() or "").replace("\r\n", "\n").replace("\r", "\n"))
            finally:
                textpage.close()
                page.close()
        return texts
    finally:
        doc.close()
