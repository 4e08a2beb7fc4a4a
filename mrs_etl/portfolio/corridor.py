"""A corridor as data: who sends, who receives, which documents, and the step-1 facts no PDF holds.

`corridors/<name>.toml` (format in corridors/README.md). Documents are named by file name or
sha256 and found in the processed tables, so a corridor file never holds a path. A fact is either
`value` + `source` or a `placeholder` saying what is missing: a fact nobody can source is never
written as if it were known. Loading checks the whole file and raises one CorridorError listing
every problem.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

SIDES = ("sending", "receiving")
# Roadmap step 1 facts every side must state (value + source) or mark as a placeholder.
SIDE_FACTS = {
    "responsible_agency": "Responsible ministry or agency",
    "employer_organisations": "Employer (industry) organisations involved",
    "worker_organisations": "Worker organisations involved",
}
CORRIDOR_FACTS = {"industry_shortage": "Industry with a shortage of skilled workers"}
SOURCE_KEYS = {"document", "page", "quote", "reference", "url"}
REPO_CORRIDORS = Path(__file__).resolve().parents[2] / "corridors"


class CorridorError(ValueError):
    """A corridor file that cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class Source:
    document: str | None = None  # file name or sha256 of a document in the processed tables
    page: int | None = None
    quote: str | None = None  # words printed on that page (checked against the PDF when it is at hand)
    reference: str | None = None  # a publication outside the corpus, cited by name
    url: str | None = None

    def label(self) -> str:
        if self.document:
            return f"{self.document}, p. {self.page}" if self.page else self.document
        return self.reference or self.url or ""


@dataclass(frozen=True)
class Fact:
    key: str
    question: str
    value: str | None
    source: Source | None
    placeholder: str | None  # set when nobody has sourced the fact: what is missing

    @property
    def is_placeholder(self) -> bool:
        return self.placeholder is not None


@dataclass(frozen=True)
class Side:
    role: str  # sending | receiving
    country: str
    framework: str  # id of a framework file (mrs_etl/portfolio/frameworks/<id>.toml)
    qualification: tuple[str, ...]  # documents (file name or sha256)
    supporting: tuple[str, ...]  # further evidence of the same qualification (e.g. a self-assessment guide)
    qa_system: str
    qa_documents: tuple[str, ...]
    facts: dict[str, Fact]
    level: Fact | None = None  # the qualification's level when its documents do not print it
    certificate: Fact | None = None  # the certificate awarded and who issues it


@dataclass(frozen=True)
class Corridor:
    name: str
    title: str
    sending: Side
    receiving: Side
    facts: dict[str, Fact]  # corridor-wide facts (industry with a shortage)
    path: str
    compare_config: str | None = None  # optional [compare] TOML for steps 2-3
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def sides(self) -> tuple[Side, Side]:
        return (self.sending, self.receiving)


def _source(raw, where: str, errors: list[str]) -> Source | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: 'source' must be a table with document+page (+quote), reference or url")
        return None
    unknown = set(raw) - SOURCE_KEYS
    if unknown:
        errors.append(f"{where}: unknown source field(s) {', '.join(sorted(unknown))}")
    if not any(isinstance(raw.get(k), str) and raw[k].strip() for k in ("document", "reference", "url")):
        errors.append(f"{where}: a source needs 'document' (with 'page'), 'reference' or 'url'")
    page = raw.get("page")
    if raw.get("document") and not (isinstance(page, int) and page >= 1):
        errors.append(f"{where}: a document source needs 'page' (a page number from 1)")
        page = None
    return Source(raw.get("document"), page, raw.get("quote"), raw.get("reference"), raw.get("url"))


def _fact(raw, key: str, question: str, where: str, errors: list[str]) -> Fact | None:
    if raw is None:
        errors.append(f"{where}: missing (give value + source, or a placeholder saying what is missing)")
        return None
    if not isinstance(raw, dict):
        errors.append(f"{where}: must be a table")
        return None
    unknown = set(raw) - {"value", "source", "placeholder", "question"}
    if unknown:
        errors.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    placeholder = raw.get("placeholder")
    if placeholder is not None:
        if not isinstance(placeholder, str) or not placeholder.strip():
            errors.append(f"{where}: 'placeholder' must say what is missing")
        if "value" in raw:
            errors.append(f"{where}: a placeholder has no 'value' (an unsourced value would read as a fact)")
        return Fact(key, raw.get("question", question), None, None, str(placeholder or "").strip())
    value = raw.get("value")
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}: 'value' (text) is required unless the fact is a placeholder")
    if "source" not in raw:
        errors.append(f"{where}: 'source' is required for a value; write a placeholder when there is none")
        return None
    return Fact(key, raw.get("question", question), str(value or "").strip(), _source(raw["source"], where, errors), None)


def _names(raw: dict, key: str, where: str, errors: list[str], required: bool) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        errors.append(f"{where}: '{key}' must be a list of document file names or sha256")
        return ()
    if required and not value:
        errors.append(f"{where}: '{key}' names no document")
    return tuple(v.strip() for v in value)


def _side(raw, role: str, errors: list[str]) -> Side | None:
    where = f"[{role}]"
    if not isinstance(raw, dict):
        errors.append(f"{where}: missing")
        return None
    unknown = set(raw) - {"country", "framework", "qualification", "supporting", "qa_system", "qa_documents",
                          "facts", "level", "certificate"}
    if unknown:
        errors.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("country", "framework", "qa_system"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            errors.append(f"{where}: '{key}' (text) is required")
    country = str(raw.get("country", ""))
    if country and not (len(country) == 2 and country.isalpha() and country.isupper()):
        errors.append(f"{where}: 'country' must be an ISO 3166-1 alpha-2 code such as PH, got {country!r}")
    raw_facts = raw.get("facts", {})
    if not isinstance(raw_facts, dict):
        errors.append(f"{where}: 'facts' must be a table")
        raw_facts = {}
    extra = set(raw_facts) - set(SIDE_FACTS)
    if extra:
        errors.append(f"{where}: unknown fact(s) {', '.join(sorted(extra))} (known: {', '.join(SIDE_FACTS)})")
    facts = {key: _fact(raw_facts.get(key), key, q, f"[{role}.facts.{key}]", errors) for key, q in SIDE_FACTS.items()}
    level = _fact(raw["level"], "level", "Qualification level", f"[{role}.level]", errors) if "level" in raw else None
    certificate = (_fact(raw["certificate"], "certificate", "Certificate awarded and issuing body",
                         f"[{role}.certificate]", errors) if "certificate" in raw else None)
    return Side(role, country, str(raw.get("framework", "")).strip(),
                _names(raw, "qualification", where, errors, required=True),
                _names(raw, "supporting", where, errors, required=False), str(raw.get("qa_system", "")),
                _names(raw, "qa_documents", where, errors, required=False),
                {k: f for k, f in facts.items() if f is not None}, level, certificate)


def parse_corridor(data: dict, path: str = "", name: str | None = None) -> Corridor:
    errors: list[str] = []
    unknown = set(data) - {"name", "title", "sending", "receiving", "facts", "compare_config", "notes"}
    if unknown:
        errors.append(f"top level: unknown field(s) {', '.join(sorted(unknown))}")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        errors.append("top level: 'title' (text) is required")
    sides = [_side(data.get(role), role, errors) for role in SIDES]
    raw_facts = data.get("facts", {}) if isinstance(data.get("facts", {}), dict) else {}
    facts = {key: _fact(raw_facts.get(key), key, q, f"[facts.{key}]", errors) for key, q in CORRIDOR_FACTS.items()}
    extra = set(raw_facts) - set(CORRIDOR_FACTS)
    if extra:
        errors.append(f"[facts]: unknown fact(s) {', '.join(sorted(extra))} (known: {', '.join(CORRIDOR_FACTS)})")
    if all(sides) and sides[0].country and sides[0].country == sides[1].country:
        errors.append("sending and receiving country are the same")
    if errors:
        raise CorridorError(f"invalid corridor {path or '(in memory)'}:\n  - " + "\n  - ".join(errors))
    notes = data.get("notes", [])
    return Corridor(str(data.get("name") or name or Path(path).stem), data["title"].strip(), sides[0], sides[1],
                    {k: f for k, f in facts.items() if f is not None}, path, data.get("compare_config"),
                    tuple(notes) if isinstance(notes, list) else (str(notes),))


def corridor_path(name_or_path: str | Path) -> Path:
    """A corridor file: a path as given, else corridors/<name>.toml of the repository."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        return path
    return REPO_CORRIDORS / f"{name_or_path}.toml"


def load_corridor(name_or_path: str | Path) -> Corridor:
    path = corridor_path(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        known = ", ".join(sorted(p.stem for p in REPO_CORRIDORS.glob("*.toml"))) or "none"
        raise CorridorError(f"corridor not found: {path} (corridors in the repository: {known})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorridorError(f"corridor {path} is not valid TOML: {exc}") from None
    return parse_corridor(data, str(path), path.stem)
