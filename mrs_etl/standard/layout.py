"""What a competency-standard family prints, as data: labels, headings, column names, codes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property


def _alternatives(phrases: tuple[str, ...]) -> str:
    # Longest first so that "UNIT DESCRIPTOR" wins over "DESCRIPTOR"; words may be spaced widely.
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\s*".join(re.escape(w) for w in p.split()) for p in ordered)


@dataclass(frozen=True)
class StandardLayout:
    # unit header labels, each followed by ":" and the value
    title_labels: tuple[str, ...]
    code_labels: tuple[str, ...]
    descriptor_labels: tuple[str, ...]
    code_pattern: str  # a unit code, spaces removed
    # criteria table column headers by role: element, criteria, knowledge, skills
    columns: dict[str, tuple[str, ...]]
    range_headings: tuple[str, ...]
    evidence_headings: tuple[str, ...]
    # two-level list column headers (left = heading, right = items) of the range table
    range_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hours_labels: tuple[str, ...] = ()
    category_headings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the numbers a row of the qualification's unit list prints, in order ("hours" is read as the
    # unit's nominal hours; the others, such as "credit", are kept out of its title)
    unit_list_numbers: tuple[str, ...] = ("hours",)
    # a category heading is a line of its own: one-word headings (MANDATORY) also end sentences
    # ("... the PPE that is mandatory"); TESDA's print a column label before them ("CODE NO.  CORE COMPETENCIES")
    category_heading_alone: bool = False
    default_category: str | None = None
    # a line matching one of these ends the competency standards (the rest is training standards ...)
    end_patterns: tuple[str, ...] = ()
    # text in criteria tables that is not content ("Italicized terms are elaborated ...")
    noise_patterns: tuple[str, ...] = ()
    # evidence-guide heading -> aspect
    evidence_aspects: dict[str, str] = field(default_factory=dict)
    # regexes over the first pages' text giving the qualification title / level / sector (group 1)
    title_patterns: tuple[str, ...] = ()
    level_patterns: tuple[str, ...] = ()
    sector_patterns: tuple[str, ...] = ()
    dehyphenate: str | None = None  # "id": remove hyphens that split Indonesian suffixes
    # a label printed before element numbers ("LO 1:" = learning outcome 1), as a regex
    element_prefix: str | None = None
    # extra label patterns per field (regexes), for labels that are not fixed phrases ("Unit 001:")
    label_patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a line matching one of these closes the table it follows (sign-off rows under a unit's table)
    table_end_patterns: tuple[str, ...] = ()
    # the document states its nominal hours and packaging rules outside the units (TESDA TR Sections
    # 1, 3 and 4: mrs_etl.standard.arrangements reads them into the qualification)
    states_arrangements: bool = False

    @cached_property
    def label_re(self) -> re.Pattern:
        groups = {"title": self.title_labels, "code": self.code_labels,
                  "descriptor": self.descriptor_labels, "hours": self.hours_labels}
        parts = []
        for name, labels in groups.items():
            alternatives = [*self.label_patterns.get(name, ()), *([_alternatives(labels)] if labels else [])]
            if alternatives:
                parts.append(f"(?P<{name}>{'|'.join(alternatives)})")
        return re.compile(rf"^\s*(?:{'|'.join(parts)})\s*(?P<colon>[:：])?", re.I)

    @cached_property
    def element_prefix_re(self) -> re.Pattern | None:
        return re.compile(rf"^\s*(?:{self.element_prefix})\s*(?=\d)", re.I) if self.element_prefix else None

    @cached_property
    def table_end_res(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p, re.I) for p in self.table_end_patterns)

    @cached_property
    def code_re(self) -> re.Pattern:
        return re.compile(rf"^(?:{self.code_pattern})$")

    @cached_property
    def code_search_re(self) -> re.Pattern:
        return re.compile(rf"(?<![A-Za-z0-9.])(?:{self.code_pattern})(?![A-Za-z0-9])")

    @cached_property
    def column_res(self) -> dict[str, re.Pattern]:
        return {role: re.compile(rf"\b(?:{_alternatives(labels)})\b", re.I) for role, labels in self.columns.items()}

    @cached_property
    def range_column_res(self) -> dict[str, re.Pattern]:
        return {role: re.compile(rf"\b(?:{_alternatives(labels)})\b", re.I)
                for role, labels in self.range_columns.items()}

    @cached_property
    def label_words(self) -> frozenset[str]:
        """Every word of every column label as printed (upper case): what a header row is made of."""
        labels = [l for ls in (*self.columns.values(), *self.range_columns.values()) for l in ls]
        return frozenset(w.upper() for l in labels for w in l.split())

    @cached_property
    def range_re(self) -> re.Pattern:
        return re.compile(rf"^\s*(?:{_alternatives(self.range_headings)})\s*:?\s*$", re.I)

    @cached_property
    def evidence_re(self) -> re.Pattern:
        return re.compile(rf"^\s*(?:{_alternatives(self.evidence_headings)})\s*:?\s*$", re.I)

    @cached_property
    def category_res(self) -> dict[str, re.Pattern]:
        return {cat: re.compile(rf"(?:^|\s)(?:{_alternatives(heads)})\s*$", re.I)
                for cat, heads in self.category_headings.items()}

    @cached_property
    def category_heading_res(self) -> dict[str, re.Pattern]:
        if not self.category_heading_alone:
            return self.category_res
        return {cat: re.compile(rf"^\s*(?:[A-Z0-9]{{1,4}}[.)]\s*)?(?:{_alternatives(heads)})\s*:?\s*$", re.I)
                for cat, heads in self.category_headings.items()}

    @cached_property
    def end_res(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p, re.I) for p in self.end_patterns)

    @cached_property
    def noise_res(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p, re.I) for p in self.noise_patterns)

    @cached_property
    def aspect_res(self) -> tuple[tuple[re.Pattern, str], ...]:
        return tuple((re.compile(p, re.I), aspect) for p, aspect in self.evidence_aspects.items())

    def normalise_code(self, text: str) -> str | None:
        """The unit code in a label value, tolerating letter-spacing ("5 0 0 311108")."""
        value = text.strip()
        squeezed = re.sub(r"\s+", "", value)
        if self.code_re.match(squeezed):
            return squeezed
        m = self.code_search_re.search(value) or self.code_search_re.search(squeezed)
        return m.group(0) if m else None

    def is_structure(self, text: str) -> bool:
        """A unit label, section heading or category heading: never running text."""
        text = text.strip()
        return bool(self.label_re.match(text) or self.range_re.match(text) or self.evidence_re.match(text)
                    or self.category_heading(text) or any(w.strip(":") in self.label_words for w in text.split())
                    or self.evidence_heading(text))

    def evidence_heading(self, text: str) -> bool:
        """A numbered evidence-guide heading ("1. Critical aspects of"): it opens every unit's guide at the
        same place of its page, so it repeats like a running header."""
        m = re.match(r"^\d{1,2}\.?\s+(.+)$", text)
        return bool(m and len(m.group(1).split()) <= 6 and any(p.search(m.group(1)) for p, _ in self.aspect_res))

    def unit_row(self, line: str) -> tuple[re.Match, str, list[int]] | None:
        """A row of the qualification's unit list: (the code's match, the text it was found in, where
        each character of the match's string is in that text), None for any other line. The code
        comes first, letter-spaced or not ("5 00 311105"), after a row number or not."""
        text = line.strip()
        for body in (text, re.sub(r"^\d{1,3}\.?\s+", "", text)):
            squeezed, where = squeezed_digits(body)
            if m := self.code_search_re.match(squeezed):
                return m, body, where
            if m := self.code_search_re.match(body):  # the code is followed by numbers ("CON/PD/001/L2 2 20")
                return m, body, list(range(len(body)))
        return None

    def lists_unit(self, line: str) -> bool:
        return self.unit_row(line) is not None

    def category_heading(self, line: str) -> str | None:
        """The category a heading line opens ("CORE COMPETENCIES", "MANDATORY"), None for any other
        line; a unit-list row ending with its category ("CON/PD/001/L2 2 20 Health and Safety Mandatory")
        is a row, not a heading."""
        text = line.strip()
        cat = next((c for c, pattern in self.category_heading_res.items() if pattern.search(text)), None)
        return None if cat is None or self.lists_unit(text) else cat

    def category_of(self, line: str) -> str | None:
        for cat, pattern in self.category_res.items():
            if pattern.search(line.strip()):
                return cat
        return None

    def is_noise(self, text: str) -> bool:
        return any(p.search(text) for p in self.noise_res)

    def aspect_of(self, heading: str) -> str:
        for pattern, aspect in self.aspect_res:
            if pattern.search(heading):
                return aspect
        return "other"


def squeezed_digits(text: str) -> tuple[str, list[int]]:
    """`text` without the spaces between two digits (a letter-spaced code, "5 00 311105"), and where
    each of its characters is in `text`."""
    keep = [i for i, ch in enumerate(text)
            if not (ch == " " and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit())]
    return "".join(text[i] for i in keep), keep
