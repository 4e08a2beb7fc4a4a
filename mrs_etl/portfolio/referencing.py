"""Roadmap step 7b: a qualification's level placed on its framework, the AQRF and the receiving framework.

Frameworks are data (`frameworks/<id>.toml`, format in their header). Every hop is either cited
(its decision has a source) or unresolved, with the reason; a decision recorded with a placeholder
source still shows its levels, marked unsourced, so a steward sees what to confirm.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

FRAMEWORKS_DIR = Path(__file__).with_name("frameworks")
AQRF = "AQRF"
PLACEHOLDER_PREFIX = "PLACEHOLDER"


class FrameworkError(ValueError):
    """A framework file that cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class Level:
    level: str
    aliases: tuple[str, ...]
    knowledge_skills: str
    application_responsibility: str


@dataclass(frozen=True)
class Decision:
    level: str | None  # None: a framework-wide entry (the decisions themselves are missing)
    to_framework: str
    to_level: str | None
    source: str  # citation, or "" when a placeholder
    placeholder: str  # what is missing, or ""


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    country: str
    source: str
    placeholder: str
    alias_source: str
    alias_placeholder: str
    levels: tuple[Level, ...]
    decisions: tuple[Decision, ...]
    path: str

    def level_of(self, printed: str | None) -> Level | None:
        """The level a document's printed level ("NC II", "Level 2", "2") stands for."""
        if not printed:
            return None
        key = _norm(printed)
        for lv in self.levels:
            if key == _norm(lv.level) or key in {_norm(a) for a in lv.aliases}:
                return lv
        return None


@dataclass(frozen=True)
class Hop:
    frm: str  # "PQF 2" or the level as printed
    to: str  # "AQRF 2", or "?" when unresolved
    status: str  # cited | unsourced | unresolved
    basis: str  # the source, or why it is not resolved


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def _cite(raw, where: str, errors: list[str]) -> tuple[str, str]:
    """(citation, placeholder) of a source table."""
    if not isinstance(raw, dict):
        errors.append(f"{where}: 'source' must be a table (reference/url/document+page, or placeholder)")
        return "", ""
    if isinstance(raw.get("placeholder"), str) and raw["placeholder"].strip():
        return "", raw["placeholder"].strip()
    if raw.get("document"):
        if not isinstance(raw.get("page"), int):
            errors.append(f"{where}: a document source needs 'page'")
        return f"{raw['document']}, p. {raw.get('page')}", ""
    cite = "; ".join(str(raw[k]) for k in ("reference", "url") if raw.get(k))
    if not cite:
        errors.append(f"{where}: a source needs reference, url, document+page or placeholder")
    return cite, ""


def parse_framework(data: dict, path: str = "") -> Framework:
    errors: list[str] = []
    for key in ("id", "name", "country"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            errors.append(f"top level: '{key}' (text) is required")
    source, placeholder = _cite(data.get("source"), "top level", errors)
    alias_source, alias_placeholder = _cite(data.get("alias_source", {"placeholder": "no aliases"}),
                                            "alias_source", errors)
    levels, seen = [], set()
    for n, raw in enumerate(data.get("levels") or [], 1):
        where = f"level #{n}"
        if not isinstance(raw, dict) or not isinstance(raw.get("level"), str):
            errors.append(f"{where}: needs 'level' (text)")
            continue
        if raw["level"] in seen:
            errors.append(f"{where}: duplicate level {raw['level']!r}")
        seen.add(raw["level"])
        for key in ("knowledge_skills", "application_responsibility"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                errors.append(f"level {raw['level']}: '{key}' is required (write a PLACEHOLDER when unknown)")
        aliases = raw.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            errors.append(f"level {raw['level']}: 'aliases' must be a list of text")
            aliases = []
        levels.append(Level(raw["level"], tuple(aliases), str(raw.get("knowledge_skills", "")),
                            str(raw.get("application_responsibility", ""))))
    if not levels:
        errors.append("top level: no [[levels]]")
    decisions = []
    for n, raw in enumerate(data.get("referencing") or [], 1):
        where = f"referencing #{n}"
        if not isinstance(raw, dict) or not isinstance(raw.get("to_framework"), str):
            errors.append(f"{where}: needs 'to_framework'")
            continue
        if raw.get("level") is not None and raw["level"] not in seen:
            errors.append(f"{where}: level {raw['level']!r} is not a level of this framework")
        if (raw.get("level") is None) != (raw.get("to_level") is None):
            errors.append(f"{where}: give both 'level' and 'to_level', or neither (a framework-wide placeholder)")
        cite, missing = _cite(raw.get("source"), where, errors)
        decisions.append(Decision(raw.get("level"), raw["to_framework"], raw.get("to_level"), cite, missing))
    if errors:
        raise FrameworkError(f"invalid framework {path or '(in memory)'}:\n  - " + "\n  - ".join(errors))
    return Framework(data["id"], data["name"], data["country"], source, placeholder, alias_source,
                     alias_placeholder, tuple(levels), tuple(decisions), path)


def load_framework(framework_id: str, directory: str | Path | None = None) -> Framework | None:
    """The framework file for an id (case-insensitive), or None when the project has none."""
    path = Path(directory or FRAMEWORKS_DIR) / f"{framework_id.lower()}.toml"
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(f"framework {path} is not valid TOML: {exc}") from None
    return parse_framework(data, str(path))


def _decision_hop(frm: Framework, level: Level, to_id: str) -> Hop:
    label = f"{frm.id} {level.level}"
    exact = [d for d in frm.decisions if d.to_framework == to_id and d.level == level.level]
    if exact:
        d = exact[0]
        if d.placeholder:
            return Hop(label, f"{to_id} {d.to_level}", "unsourced", d.placeholder)
        return Hop(label, f"{to_id} {d.to_level}", "cited", d.source)
    general = [d for d in frm.decisions if d.to_framework == to_id and d.level is None]
    why = general[0].placeholder or general[0].source if general else f"no {frm.id} -> {to_id} decision recorded"
    return Hop(label, "?", "unresolved", why)


def reference(printed_level: str | None, sending: Framework | None, receiving: Framework | None,
              sending_id: str, receiving_id: str) -> list[Hop]:
    """Hops: printed level -> sending framework -> AQRF -> receiving framework (stops at the first unresolved)."""
    if not printed_level:
        return [Hop("(no level)", f"{sending_id} ?", "unresolved", "the qualification's documents print no level")]
    if sending is None:
        return [Hop(printed_level, f"{sending_id} ?", "unresolved", f"no framework file for {sending_id}")]
    level = sending.level_of(printed_level)
    if level is None:
        return [Hop(printed_level, f"{sending_id} ?", "unresolved",
                    f"{printed_level!r} is not a level or alias of {sending.id}")]
    if _norm(printed_level) == _norm(level.level):
        first = Hop(printed_level, f"{sending.id} {level.level}", "cited", "the level is printed as a framework level")
    elif sending.alias_placeholder:
        first = Hop(printed_level, f"{sending.id} {level.level}", "unsourced", sending.alias_placeholder)
    else:
        first = Hop(printed_level, f"{sending.id} {level.level}", "cited", sending.alias_source)
    hops = [first]
    if sending.id == AQRF:
        aqrf_level = level.level
    else:
        to_aqrf = _decision_hop(sending, level, AQRF)
        hops.append(to_aqrf)
        if to_aqrf.status == "unresolved":
            hops.append(Hop(f"{AQRF} ?", f"{receiving_id} ?", "unresolved", "the AQRF level is not resolved"))
            return hops
        aqrf_level = to_aqrf.to.split(" ", 1)[1]
    if receiving is None:
        hops.append(Hop(f"{AQRF} {aqrf_level}", f"{receiving_id} ?", "unresolved", f"no framework file for {receiving_id}"))
        return hops
    back = [d for d in receiving.decisions if d.to_framework == AQRF and d.to_level == aqrf_level and d.level]
    if back:
        d = back[0]
        hops.append(Hop(f"{AQRF} {aqrf_level}", f"{receiving.id} {d.level}", "unsourced" if d.placeholder else "cited",
                        d.placeholder or d.source))
    else:
        general = [d for d in receiving.decisions if d.to_framework == AQRF and d.level is None]
        why = (general[0].placeholder or general[0].source) if general else f"no {receiving.id} -> AQRF decision recorded"
        hops.append(Hop(f"{AQRF} {aqrf_level}", f"{receiving.id} ?", "unresolved", why))
    return hops


def is_placeholder(text: str) -> bool:
    return str(text).strip().upper().startswith(PLACEHOLDER_PREFIX)
