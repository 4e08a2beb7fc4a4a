"""TESDA Training Regulations (Philippines), 2004-2022 vintages.

Units are headed "UNIT OF COMPETENCY" or "UNIT TITLE"; criteria tables are ELEMENT | PERFORMANCE
CRITERIA, or ELEMENT | PERFORMANCE CRITERIA | REQUIRED KNOWLEDGE | REQUIRED SKILLS (2022 format);
RANGE OF VARIABLES and EVIDENCE GUIDE follow as ruled tables. Section 3 (training standards) ends
the competency standards; its curriculum design states the nominal hours, and Sections 1 and 4 the
packaging rules, which the qualification carries.
"""
from functools import partial

from mrs_etl.registry import Profile
from mrs_etl.standard import StandardLayout, extract_standard

LAYOUT = StandardLayout(
    title_labels=("UNIT OF COMPETENCY", "UNIT TITLE", "TITLE OF UNIT", "UNIT OF COMPETENCE"),
    code_labels=("UNIT CODE", "CODE NO", "CODE"),
    descriptor_labels=("UNIT DESCRIPTOR", "DESCRIPTOR", "UNIT DESCRIPTION"),
    hours_labels=("NOMINAL DURATION", "NOMINAL HOURS"),
    code_pattern=r"[A-Z]{2,4}\d{6,9}|\d{9}|[A-Z]{2,4}\d{3}\d{3}-?\d{0,3}",
    columns={
        "element": ("ELEMENTS", "ELEMENT"),
        "criteria": ("PERFORMANCE CRITERIA", "PERFORMANCE CRITERION"),
        "knowledge": ("REQUIRED KNOWLEDGE", "UNDERPINNING KNOWLEDGE"),
        "skills": ("REQUIRED SKILLS", "REQUIRED SKILL", "UNDERPINNING SKILLS"),
    },
    range_headings=("RANGE OF VARIABLES", "RANGE OF VARIABLE", "RANGE STATEMENT"),
    range_columns={"variable": ("VARIABLES", "VARIABLE"), "range": ("RANGE", "SCOPE")},
    evidence_headings=("EVIDENCE GUIDE", "EVIDENCE GUIDES"),
    category_headings={
        "basic": ("BASIC COMPETENCIES", "BASIC COMPETENCY"),
        "common": ("COMMON COMPETENCIES", "COMMON COMPETENCY"),
        "core": ("CORE COMPETENCIES", "CORE COMPETENCY"),
        "elective": ("ELECTIVE COMPETENCIES", "ELECTIVE COMPETENCY"),
    },
    end_patterns=(r"^SECTION\s*3\b", r"^SECTION\s*III\b", r"^TRAINING\s+STANDARDS?\s*$",
                  r"^3\.\s*TRAINING STANDARDS"),
    # the note in the criteria column header, whole or wrapped over narrow lines
    noise_patterns=(r"^\(?\s*(?:bold\s*(?:&|and)?\s*)?itali[cs]i[sz]ed\b",
                    r"^(?:(?:terms|fonts|words)\s+)?(?:are\s+)?elaborated\s+in\s+the\b",
                    r"^(?:in\s+the\s+)?range\s+of\s+variables?\)?\.?$"),
    evidence_aspects={
        r"critical\s+aspect": "critical_aspects",
        r"underpinning\s+knowledge|required\s+knowledge": "underpinning_knowledge",
        r"underpinning\s+skills?|required\s+skills?": "underpinning_skills",
        r"resource\s+implication": "resource_implications",
        r"method": "methods",
        r"context": "context",
    },
    title_patterns=(
        r"TRAINING\s+REGULATIONS\s*(?:FOR|ON)?\s*\n?\s*([A-Z][A-Z0-9 ()/&,'\-]+?\bN\s*C\s*[IV]+)\b",
        r"^\s*([A-Z][A-Z0-9 ()/&,'\-]+?\bNC\s*[IV]+)\s*$",
        r"^\s*SECTION\s*1\s+(?!DEFINITION)(.+?)\s+QUALIFICATIONS?\s*$",
    ),
    level_patterns=(r"\b(NC\s*(?:IV|III|II|I))\b", r"\b(Level\s+[IV1-8]+)\b"),
    sector_patterns=(r"^\s*(?:SECTOR|Sector)\s*[:\-]\s*(.+)$", r"^\s*([A-Z][A-Z ,&/]+)\s+SECTOR\s*$"),
    states_arrangements=True,  # Section 3 hours, Sections 1 and 4 packaging rules
)

PROFILE = Profile(
    name="tesda-tr",
    country="PH",
    language="en",
    signals=(
        (r"TRAINING\s+REGULATIONS", 3.0),
        (r"Technical Education and Skills Development Authority|TESDA", 2.0),
        (r"UNIT\s+OF\s+COMPETENCY|UNIT\s+TITLE", 1.0),
        (r"PERFORMANCE\s+CRITERIA", 1.0),
        (r"COMPETENCY\s+STANDARDS", 1.0),
        (r"\bNC\s*(?:I|II|III|IV)\b", 1.0),
        (r"EVIDENCE\s+GUIDE", 1.0),
        (r"RANGE\s+OF\s+VARIABLES?", 0.5),
        # circulars and memoranda cite Training Regulations without being one
        (r"^\s*(?:TESDA\s+)?(?:CIRCULAR|MEMORANDUM)\s+(?:No|Order)", -4.0),
    ),
    threshold=6.0,
    extract=partial(extract_standard, layout=LAYOUT),
)
