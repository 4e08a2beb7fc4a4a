"""Nigerian National Occupational Standards / National Skills Qualifications (NOS/NSQ, NBTE), in English.

Per unit: a header (Unit Title, Unit Reference Number such as CON/PD/004/L2, NSQ or QCF level,
credit value, guided learning hours, Unit Purpose), the assessment evidence requirements as a
numbered list, then a ruled table LO (Learning outcome) | Performance Criteria | Evidence Type |
Evidence Ref, whose elements are numbered "LO 1" and whose tick columns stay empty, closed by the
learner's, assessor's and quality assurers' sign-off rows. The qualification's unit list prints
each unit's credit value and guided learning hours (after the code or at the end of the row) and
splits the units into mandatory ones (recorded as core) and optional ones (elective), under a
heading or at the end of each row; a unit the list does not name is core.
"""
from functools import partial

from mrs_etl.registry import Profile
from mrs_etl.standard import StandardLayout, extract_standard

LAYOUT = StandardLayout(
    title_labels=("UNIT TITLE",),
    # "Unit 001: <title>" heads a unit in some qualifications instead of "Unit Title:"
    label_patterns={"title": (r"UNIT\s+\d{1,3}(?=\s*:)",)},
    code_labels=("UNIT REFERENCE NUMBER", "UNIT REF NO", "UNIT REFERENCE NO"),
    descriptor_labels=("UNIT PURPOSE",),
    # sector / trade / number / level, with the printed typo that drops a slash (CON/PD004/L2)
    code_pattern=r"[A-Z]{2,4}/[A-Z]{1,5}/?\d{3}/L\d",
    columns={
        "element": ("LEARNING OUTCOME", "LO"),
        "criteria": ("PERFORMANCE CRITERIA", "ASSESSMENT CRITERIA"),
        "evidence_type": ("EVIDENCE TYPE",),
        "evidence_ref": ("EVIDENCE REF",),
    },
    element_prefix=r"LO",
    range_headings=("RANGE STATEMENT",),
    evidence_headings=("UNIT ASSESSMENT REQUIREMENTS/EVIDENCE REQUIREMENTS",
                       "UNIT ASSESSMENT REQUIREMENTS / EVIDENCE REQUIREMENTS",
                       "UNIT ASSESSMENT EVIDENCE REQUIREMENT", "UNIT ASSESSMENT EVIDENCE REQUIREMENTS"),
    evidence_aspects={r"assessment|evidence": "methods"},
    table_end_patterns=(r"^\s*(?:Learner|Leaner|Assessor|IQAM?|EQAM?)[’'`]?s?\s+Signature\b",),
    category_headings={"core": ("MANDATORY", "MANDATORY UNITS", "MANDATORY UNIT"),
                       "elective": ("OPTIONAL", "OPTIONAL UNITS", "OPTIONAL UNIT", "ELECTIVE", "ELECTIVE UNIT")},
    category_heading_alone=True,
    unit_list_numbers=("credit", "hours"),
    default_category="core",
    title_patterns=(r"^\s*QUALIFICATION\s*:\s*(.+?)\s*$",
                    r"NATIONAL\s+SKILLS\s+QUALIFICATION\s*//\s*(.+?)\s*//"),
    level_patterns=(r"\bNSQ\s+LEVEL\s*:?\s*(\d)\b", r"^\s*LEVEL\s+(\d)\b"),
)

PROFILE = Profile(
    name="nos-nsq",
    country="NG",
    language="en",
    signals=(
        (r"NATIONAL\s+SKILLS\s+QUALIFICATION", 3.0),
        (r"Unit\s+Reference\s+Number", 2.0),
        (r"\bLO\s*\(?\s*Learning\s+outcome|Learning\s+outcome\s*\(LO\)", 1.5),
        (r"Performance\s+Criteria", 1.0),
        (r"Evidence\s+Type", 1.0),
        (r"Guided\s+learning\s+hours", 1.0),
        (r"\b[A-Z]{2,4}/[A-Z]{1,5}/?\d{3}/L\d\b", 1.0),
    ),
    threshold=6.0,
    extract=partial(extract_standard, layout=LAYOUT),
)
