"""What an extraction produces: the competency-standard hierarchy with provenance on every node.

Every node carries a `Box` (page and bounding box in PDF points, top-left origin as pdfplumber
reports it), a confidence in [0, 1] and flags naming what the extractor had to guess. The standard
JSON shape of ../shared/corpus/README.md and the published tables are both views of these objects
(`mrs_etl.standard_json`, `mrs_etl.tables`).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    page: int  # 1-based PDF page index
    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: "Box | None") -> "Box":
        if other is None:
            return self
        if other.page != self.page:
            return self  # a node that spans pages keeps the box where it starts
        return Box(self.page, min(self.x0, other.x0), min(self.top, other.top),
                   max(self.x1, other.x1), max(self.bottom, other.bottom))

    def as_dict(self) -> dict:
        return {"page": self.page, "x0": round(self.x0, 1), "top": round(self.top, 1),
                "x1": round(self.x1, 1), "bottom": round(self.bottom, 1)}


@dataclass
class Provenance:
    box: Box | None = None
    confidence: float = 1.0
    flags: list[str] = field(default_factory=list)

    def flag(self, name: str, confidence: float | None = None) -> None:
        if name not in self.flags:
            self.flags.append(name)
        if confidence is not None:
            self.confidence = min(self.confidence, confidence)


@dataclass
class Criterion(Provenance):
    number: str = ""
    text: str = ""


@dataclass
class ListItem(Provenance):
    """A numbered item of a unit-level list: range item, knowledge, skill, evidence-guide entry."""
    number: str = ""
    text: str = ""


@dataclass
class RangeVariable(Provenance):
    number: str = ""
    variable: str = ""
    items: list[ListItem] = field(default_factory=list)


@dataclass
class EvidenceItem(Provenance):
    aspect: str = ""  # critical_aspects | underpinning_knowledge | underpinning_skills | resource_implications | methods | context | other
    heading: str = ""  # the heading as printed
    number: str = ""
    text: str = ""


@dataclass
class Element(Provenance):
    number: str = ""
    title: str = ""
    criteria: list[Criterion] = field(default_factory=list)
    required_knowledge: list[ListItem] = field(default_factory=list)
    required_skills: list[ListItem] = field(default_factory=list)


# A unit a document prints as several, without telling their items apart (a self-assessment checklist
# covering two units in one list), is titled by their titles joined by this and flagged units_not_separated.
JOINED_UNITS = " / "
UNITS_NOT_SEPARATED = "units_not_separated"


@dataclass
class Unit(Provenance):
    code: str = ""
    title: str = ""
    category: str | None = None  # basic | common | core | elective | None when the document does not say
    descriptor: str = ""
    nominal_hours: float | None = None
    code_as_listed: str | None = None  # as printed in the qualification's unit list, when it differs
    title_as_listed: str | None = None
    elements: list[Element] = field(default_factory=list)
    range_variables: list[RangeVariable] = field(default_factory=list)
    evidence_guide: list[EvidenceItem] = field(default_factory=list)


@dataclass
class ListedUnit(Provenance):
    """A unit as the qualification's list of units prints it (code, title, category)."""
    code: str = ""
    title: str = ""
    category: str | None = None
    nominal_hours: float | None = None


@dataclass
class QAPolicy(Provenance):
    heading_path: list[str] = field(default_factory=list)
    clause: str = ""
    text: str = ""
    language: str = "en"
    topics: list[str] = field(default_factory=list)
    ocr: bool = False
    # the printed lines: (page, x0, top, x1, bottom, first character of the line in `text`)
    lines: list[tuple] = field(default_factory=list)


@dataclass
class Qualification(Provenance):
    title: str = ""
    level: str | None = None
    sector: str | None = None
    listed_units: list[ListedUnit] = field(default_factory=list)
    # as the training arrangements state them (TESDA Section 3 and Sections 1/4), never summed from units
    nominal_hours: float | None = None
    hours_by_category: dict[str, float] = field(default_factory=dict)
    hours_page: int | None = None
    packaging_rules: list[str] = field(default_factory=list)


@dataclass
class DocumentInfo:
    path: str
    file_name: str
    sha256: str
    family: str
    country: str | None
    language: str | None
    pages: int
    extractor_version: str


@dataclass
class Extraction:
    document: DocumentInfo
    qualification: Qualification | None = None
    units: list[Unit] = field(default_factory=list)
    qa_policies: list[QAPolicy] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
