"""TESDA Self-Assessment Guides: the qualification's criteria restated as "Can I ...?" items."""
from functools import partial

from mrs_etl.registry import Profile
from mrs_etl.checklist import ChecklistLayout, extract_checklist

LAYOUT = ChecklistLayout(
    qualification_pattern=r"^\s*Qualification(?:\s+Title)?\s*:\s*(.+?)\s*$",
    units_label=r"\bUnits?(?:/s)?\s+of\b",
    units_end=r"^\s*(?:Instructions?|Introduction)\s*:",
    checklist_start=r"^\s*CAN\s+I\s*\??\s*(?:YES\s+NO)?",
    checklist_end=r"I\s+agree\s+to\s+undertake|Candidate.?s\s+Name",
    project_pattern=r"^\s*Project\s*\d*\s*:",
)

PROFILE = Profile(
    name="tesda-sag",
    country="PH",
    language="en",
    kind="self-assessment",
    signals=(
        (r"SELF\s*[-–]?\s*ASSESSMENT\s+GUIDE", 4.0),
        (r"^\s*CAN\s+I\s*\?", 3.0),
        (r"Qualification(?:\s+Title)?\s*:", 1.0),
        (r"I\s+agree\s+to\s+undertake\s+assessment", 1.0),
        (r"TESDA", 0.5),
    ),
    threshold=6.0,
    extract=partial(extract_checklist, layout=LAYOUT),
)
