"""QA documents: circulars, policy manuals, handbooks, assessment forms and certification
bodies' assessment instruments, in English or Indonesian.

Detection leans on what only QA documents print (circular headers, complaints and appeals,
RPL, form codes, BNSP/LSP instruments) and counts against the markers of competency standards
and self-assessment guides, which the standards profiles score.
"""
from __future__ import annotations

from pathlib import Path

from mrs_etl.registry import Profile
from mrs_etl.models import DocumentInfo, Extraction
from mrs_etl.qa.policies import PolicyLayout, extract_policies

LAYOUT = PolicyLayout()

SIGNALS: tuple[tuple[str, float], ...] = (
    # issuances and policy documents
    (r"\b(TESDA\s+)?CIRCULAR\b|\bCircular\s+No\.?", 4.0),
    (r"\bMEMORANDUM\b|\bMemorandum\s+(Order|Circular)\b", 2.0),
    (r"\bDate\s+Issued\b", 1.5),
    (r"\bEffectivity\b", 1.0),
    (r"\bSupersedes\b", 1.0),
    (r"^\s*SUBJECT\s*:", 1.0),
    (r"\bseries\s+(of\s+)?(19|20)\d\d\b|\bhereby\s+(issued|amended)\b", 1.5),
    (r"\bpolic(y|ies)\s+and\s+procedures?\b|\bpolicy\b", 1.0),
    (r"\bguidelines\b", 1.0),
    (r"\bStudent\s+Handbook\b", 3.0),
    (r"\bRegistered\s+Training\s+Organi[sz]ation\b|\bRTO\b", 1.5),
    # QA processes
    (r"\bcomplaints?\b", 1.5),
    (r"\bappeals?\b", 1.5),
    (r"\brecognition\s+of\s+prior\s+learning\b|\brekognisi\s+pembelajaran\s+lampau\b", 2.0),
    (r"\bassessment\s+and\s+certification\b", 1.5),
    (r"\bassessment\s+cent(er|re)\b|\bassessor\b", 1.0),
    (r"\b[A-Z]{2,}-OP-[A-Z]{2,}-\d", 3.0),  # controlled form codes (TESDA-OP-CO-05-F26)
    (r"\bLETTER\s+OF\s+(APPOINTMENT|ASSIGNMENT)\b", 2.0),
    # Indonesian certification bodies' instruments
    (r"\bFR\.?\s?IA\.?\s?\d", 4.0),
    (r"\bLembaga\s+Sertifikasi\s+Profesi\b|\bLSP\b|\bBNSP\b", 2.0),
    (r"\bSkema\s+Sertifikasi\b", 2.0),
    (r"\bAsesor\b|\bAsesi\b", 1.5),
    # competency standards and self-assessment guides belong to other profiles: they print their
    # table headings on every unit, where QA prose mentions them once or twice
    (r"(?:\bPERFORMANCE\s+CRITERIA\b[\s\S]*?){3}", -4.0),
    (r"(?:\bKRITERIA\s+UNJUK\s+KERJA\b[\s\S]*?){3}", -4.0),
    (r"(?:\bRANGE\s+OF\s+VARIABLES\b|\bBATASAN\s+VARIABEL\b)[\s\S]*?(?:\bRANGE\s+OF\s+VARIABLES\b|\bBATASAN\s+VARIABEL\b)", -3.0),
    (r"(?:\b(?:UNIT\s+OF\s+COMPETENCY|UNIT\s+CODE|KODE\s+UNIT)\b[\s\S]*?){3}", -2.0),
    (r"(?:\bCan\s+I\b[\s\S]*?){5}", -3.0),
)


def extract(path: str | Path, info: DocumentInfo, page_texts: list[str]) -> Extraction:
    from mrs_etl.qa.matching import evidence_matcher
    from mrs_etl.qa.rulebook import load_rulebook

    tagger = evidence_matcher(load_rulebook()).topics
    policies, language = extract_policies(path, LAYOUT, language=info.language, tagger=tagger)
    info.language = language
    ex = Extraction(document=info, qa_policies=policies)
    if not policies:
        ex.warnings.append("no QA policy clause found")
    return ex


PROFILE = Profile(name="qa-policy", country=None, language=None, signals=SIGNALS, threshold=6.0,
                  extract=extract, kind="qa-policy")
