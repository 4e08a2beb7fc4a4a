"""One side of a comparison: a competency standard from a PDF or from its standard JSON.

The standard JSON shape is the one of ../shared/corpus/README.md (gold files and
`mrs-etl extract --json-dir` output); a PDF goes through the extractor first.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from mrs_etl.files import sha256_file
from mrs_etl.levels import level_from_title
from mrs_etl.models import JOINED_UNITS, UNITS_NOT_SEPARATED


class CompareInputError(ValueError):
    """An input that cannot be compared: unreadable, not a standard, or without units."""


@dataclass(frozen=True)
class CriterionText:
    element: str  # element number as printed
    number: str
    text: str


@dataclass(frozen=True)
class UnitText:
    order: int  # position in the standard, from 1
    code: str
    title: str
    category: str | None
    descriptor: str
    element_titles: tuple[str, ...]
    criteria: tuple[CriterionText, ...]
    nominal_hours: float | None = None
    range_text: tuple[str, ...] = ()  # the range of variables: each variable and what it names
    # the titles of the units it restates, when the document prints several units as this one
    # (a self-assessment guide's list for "Lay concrete hollow blocks" and "Plaster wall surface")
    restates: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def full_text(self) -> str:
        return "\n".join((self.title, self.descriptor, *self.element_titles, *(c.text for c in self.criteria)))

    @property
    def outline_text(self) -> str:
        """The unit's title and its element titles: what the unit is about, in the words an official
        reads first, without the criteria's procedure and safety boilerplate."""
        return "\n".join((self.title, *self.element_titles))

    @property
    def scope_text(self) -> str:
        """Everything the unit says it covers: its full text and its range of variables (which names
        the tools, materials and tasks a criterion's "appropriate tools" stands for)."""
        return "\n".join((self.full_text, *self.range_text))


@dataclass
class Standard:
    name: str  # what the reports call it: qualification title, else the document name
    document: str
    language: str
    units: list[UnitText]
    source_sha256: str | None = None  # sha256 of the source PDF, as the JSON records it
    input_path: str | None = None
    input_sha256: str | None = None  # sha256 of the file given to compare (PDF or JSON)
    family: str | None = None
    level: str | None = None  # as printed (NC II, KKNI level 4), else read from the title
    nominal_hours: float | None = None  # as the document states it, else the sum of its units' hours
    packaging_rules: tuple[str, ...] = ()  # the document's own sentences on how units make the qualification


_TEXT = (str, type(None))
_LABEL = (str, int, float, type(None))  # codes and numbers are sometimes written as JSON numbers
_SHAPE = {"unit": {"code": _LABEL, "title": _TEXT, "category": _TEXT, "descriptor": _TEXT},
          "element": {"number": _LABEL, "title": _TEXT}, "criterion": {"number": _LABEL, "text": _TEXT}}


def _shape_problem(data: dict) -> str | None:
    """Where `data` departs from the standard JSON shape the comparison reads, or None."""
    def fields_problem(obj, kind: str, where: str) -> str | None:
        if not isinstance(obj, dict):
            return f"{where} should be an object, not {json.dumps(obj)[:40]}"
        for name, types in _SHAPE[kind].items():
            if not isinstance(obj.get(name), types):
                return f"{where}.{name} should be text, not {json.dumps(obj[name])[:40]}"
        return None

    def list_at(obj: dict, name: str, where: str) -> tuple[list, str | None]:
        value = obj.get(name) or []
        return (value, None) if isinstance(value, list) else ([], f"{where}.{name} should be a list")

    for i, unit in enumerate(data["units"]):
        where = f"units[{i}]"
        problem = fields_problem(unit, "unit", where)
        elements, problem = (([], problem) if problem else list_at(unit, "elements", where))
        for j, element in enumerate(elements):
            problem = problem or fields_problem(element, "element", f"{where}.elements[{j}]")
            if problem:
                break
            criteria, problem = list_at(element, "criteria", f"{where}.elements[{j}]")
            for k, criterion in enumerate(criteria):
                problem = problem or fields_problem(criterion, "criterion", f"{where}.elements[{j}].criteria[{k}]")
        if problem:
            return problem
    return None


def _restated_titles(unit: dict) -> tuple[str, ...]:
    if UNITS_NOT_SEPARATED not in (unit.get("flags") or []):
        return ()
    return tuple(t.strip() for t in str(unit.get("title") or "").split(JOINED_UNITS) if t.strip())


def standard_from_json(data: dict, input_path: str | None = None, input_sha256: str | None = None) -> Standard:
    """A Standard from a dict in the standard JSON shape. Raises CompareInputError when it has no units."""
    from mrs_etl.compare.lexicon import LANGUAGES, guess_language

    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise CompareInputError(f"{input_path or 'input'}: not a standard JSON (no 'units' list)")
    problem = _shape_problem(data)
    if problem:
        raise CompareInputError(f"{input_path or 'input'}: not a standard JSON: {problem} (see the shape in "
                                "../shared/corpus/README.md, or write one with `mrs-etl extract --json-dir`)")
    units = []
    for order, u in enumerate(data["units"], 1):
        elements = u.get("elements") or []
        units.append(UnitText(
            order=order, code=str(u.get("code") or ""), title=str(u.get("title") or ""),
            category=u.get("category"), descriptor=str(u.get("descriptor") or ""),
            element_titles=tuple(str(e.get("title") or "") for e in elements),
            criteria=tuple(CriterionText(str(e.get("number") or ""), str(c.get("number") or ""), str(c.get("text") or ""))
                           for e in elements for c in (e.get("criteria") or []) if (c.get("text") or "").strip()),
            nominal_hours=_hours(u.get("nominal_hours")),
            range_text=tuple(_range_lines(u.get("range"))),
            restates=_restated_titles(u),
        ))
    if not units:
        raise CompareInputError(f"{input_path or 'input'}: the standard has no units to compare")
    language = data.get("language")
    if language not in LANGUAGES:
        language = guess_language([u.full_text for u in units[:5]])
    document = str(data.get("document") or (Path(input_path).name if input_path else "standard"))
    qualification = data.get("qualification") if isinstance(data.get("qualification"), dict) else {}
    name = str(data.get("qualification_title") or qualification.get("title") or document)
    listed_hours = {str(u.get("code") or ""): _hours(u.get("nominal_hours"))
                    for u in qualification.get("listed_units") or [] if isinstance(u, dict)}
    units = [u if u.nominal_hours is not None or not listed_hours.get(u.code) else
             replace(u, nominal_hours=listed_hours[u.code]) for u in units]
    unit_hours = [u.nominal_hours for u in units if u.nominal_hours is not None]
    rules = qualification.get("packaging_rules") or ()
    return Standard(name=name, document=document, language=language,
                    units=units, source_sha256=data.get("sha256"), input_path=input_path,
                    input_sha256=input_sha256, family=data.get("family"),
                    level=qualification.get("level") or data.get("level") or level_from_title(name),
                    nominal_hours=_hours(qualification.get("nominal_hours")) or (sum(unit_hours) if unit_hours else None),
                    packaging_rules=tuple(str(r) for r in ([rules] if isinstance(rules, str) else rules)))


def _range_lines(value) -> list[str]:
    """The texts of a range of variables (variables and their items, at any depth), in order."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [line for item in value for line in _range_lines(item)]
    if isinstance(value, dict):
        return [str(value[k]) for k in ("variable", "text") if isinstance(value.get(k), str) and value[k].strip()] + \
            _range_lines(value.get("items"))
    return []


def _hours(value) -> float | None:
    try:
        hours = float(value)
    except (TypeError, ValueError):
        return None
    return hours if hours > 0 else None


def load_standard(path: str | Path) -> Standard:
    """A Standard from a .json file (standard JSON) or a .pdf (extracted on the fly)."""
    path = Path(path)
    if not path.is_file():
        raise CompareInputError(f"{path}: no such file")
    digest = sha256_file(path)
    if path.suffix.lower() == ".pdf":
        from mrs_etl.errors import DocumentRejected
        from mrs_etl.extract import extract_pdf
        from mrs_etl.standard_json import to_standard_json

        try:
            extraction = extract_pdf(path, sha256=digest)
        except DocumentRejected as exc:
            raise CompareInputError(f"{path}: {exc.reason}: {exc.detail}") from exc
        return standard_from_json(to_standard_json(extraction), str(path), digest)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CompareInputError(f"{path}: not a PDF and not readable JSON ({exc})") from exc
    return standard_from_json(data, str(path), digest)
