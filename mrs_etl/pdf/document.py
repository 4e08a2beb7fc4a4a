"""Opening a PDF and walking its pages without leaking memory.

pdfplumber keeps every parsed page cached on the document; a page that is not closed costs
~3 MB, so pages are only ever handed out through `iter_pages`, which closes each one.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterable, Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from mrs_etl.errors import DocumentRejected

PDF_MAGIC = b"%PDF-"


def sniff(path: str | Path) -> None:
    """Reject what is plainly not a PDF before a parser spends time on it."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise DocumentRejected("empty_file", "the file has 0 bytes")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if PDF_MAGIC not in head:
        kind = "HTML" if head.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")) else \
            "ZIP" if head.startswith(b"PK\x03\x04") else "unknown data"
        raise DocumentRejected("not_a_pdf", f"no %PDF- header in the first 1024 bytes (looks like {kind})")


@contextlib.contextmanager
def open_pdf(path: str | Path) -> Iterator[pdfplumber.PDF]:
    """pdfplumber.open with parser failures turned into DocumentRejected."""
    sniff(path)
    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect as exc:
        raise DocumentRejected("encrypted", "the PDF needs a password to open") from exc
    except PDFEncryptionError as exc:
        raise DocumentRejected("encrypted", f"unsupported encryption: {exc}") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise DocumentRejected("unreadable_pdf", f"{type(exc).__name__}: {exc}") from exc
    try:
        yield pdf
    finally:
        pdf.close()


def page_count(pdf: pdfplumber.PDF) -> int:
    try:
        return len(pdf.pages)
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise DocumentRejected("unreadable_pdf", f"page tree cannot be read: {type(exc).__name__}: {exc}") from exc


def iter_pages(pdf: pdfplumber.PDF, numbers: Iterable[int] | None = None) -> Iterator[pdfplumber.page.Page]:
    """Yield pages (1-based `numbers`, default all) and close each one after use."""
    total = page_count(pdf)
    for number in numbers if numbers is not None else range(1, total + 1):
        if not 1 <= number <= total:
            continue
        page = pdf.pages[number - 1]
        try:
            yield page
        finally:
            page.close()
