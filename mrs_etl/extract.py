"""Extract one PDF: detect its family, run that family's profile, return an Extraction."""
from __future__ import annotations

from pathlib import Path

from mrs_etl import EXTRACTOR_VERSION
from mrs_etl.errors import DocumentRejected
from mrs_etl.files import sha256_file
from mrs_etl.models import DocumentInfo, Extraction
from mrs_etl.pdf.document import sniff
from mrs_etl.pdf.ocr import ocr_texts
from mrs_etl.pdf.triage import quick_text
from mrs_etl.registry import detect_family, profile_named


OCR_CONFIDENCE_CAP = 0.8  # OCR'd text is never trusted like a text layer, however sure tesseract is


def mark_ocr(extraction: Extraction, mean_confidence: float) -> None:
    """Flag every node `tesseract_ocr`, its confidence capped by the OCR's own."""
    confidence = min(OCR_CONFIDENCE_CAP, mean_confidence)
    nodes = [extraction.qualification] if extraction.qualification else []
    for unit in extraction.units:
        nodes.append(unit)
        for el in unit.elements:
            nodes += [el, *el.criteria, *el.required_knowledge, *el.required_skills]
        for rv in unit.range_variables:
            nodes += [rv, *rv.items]
        nodes += unit.evidence_guide
    nodes += extraction.qa_policies
    for node in nodes:
        node.flag("tesseract_ocr", confidence)
    extraction.warnings.append(f"no text layer: read by tesseract OCR (mean word confidence {mean_confidence:.2f})")


def extract_pdf(path: str | Path, family: str | None = None, sha256: str | None = None) -> Extraction:
    """Extract a PDF. Raises DocumentRejected when it cannot be read or its family is unknown."""
    path = Path(path)
    sniff(path)
    page_texts = quick_text(path, max_pages=None)
    ocr_confidence = None
    if not any(t.strip() for t in page_texts):
        # a scanned document: read by OCR, its rows marked as such and trusted less
        page_texts, ocr_confidence = ocr_texts(path, len(page_texts))
    if family:
        profile = profile_named(family)
    else:
        profile = detect_family(page_texts)
        if profile is None:
            if ocr_confidence is not None or not any(t.strip() for t in page_texts):
                raise DocumentRejected("no_text_layer", "no page has a text layer and no family could be "
                                       "detected, by OCR either")
            raise DocumentRejected("unknown_family", "the document matches no known family profile")
    info = DocumentInfo(path=str(path), file_name=path.name, sha256=sha256 or sha256_file(path),
                        family=profile.name, country=profile.country, language=profile.language,
                        pages=len(page_texts), extractor_version=EXTRACTOR_VERSION)
    extraction = profile.extract(path, info, page_texts)
    if ocr_confidence is not None:
        mark_ocr(extraction, ocr_confidence)
    if profile.kind == "competency-standard" and not extraction.units:
        # a standard whose tables could not be read is a failure to report, not an empty success
        raise DocumentRejected("no_units_found", f"recognised as {profile.name} but no unit of competency was read")
    return extraction
