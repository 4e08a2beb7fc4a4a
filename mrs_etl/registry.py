"""Document family profiles: what one is, and the one registry that finds them by name.

A profile says how to recognise its family (weighted patterns over the first pages' text) and
how to extract it. Competency-standard families share one engine (`mrs_etl.standard`) and differ
only in data: labels, headings, column names and numbering patterns (`StandardLayout`).

Profiles are plugins: the engines never import them. A package of profiles (the repository's
`extractors/`, or another distribution's) names itself in the `mrs_etl.profiles` entry-point group;
every module in it that defines `PROFILE` is a family. Adding a family is adding a module there.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import Callable

from mrs_etl.errors import DocumentRejected
from mrs_etl.models import Extraction

ENTRY_POINT_GROUP = "mrs_etl.profiles"


@dataclass(frozen=True)
class Profile:
    name: str  # family id, e.g. "tesda-tr"
    country: str | None
    language: str | None
    # (regex, weight): the family's score is the sum of weights of the patterns found
    signals: tuple[tuple[str, float], ...]
    threshold: float
    extract: Callable[..., Extraction] = field(compare=False, repr=False)
    kind: str = "competency-standard"  # competency-standard | self-assessment | qa-policy

    def score(self, text: str) -> float:
        return sum(w for pattern, w in self.signals if re.search(pattern, text, re.I | re.M))


class NoProfilesInstalled(RuntimeError):
    """The project's own profiles are found through its installed metadata, which is missing."""


def _profiles_in(package_name: str) -> list[Profile]:
    package = importlib.import_module(package_name)
    profiles = []
    for mod in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        profile = getattr(importlib.import_module(f"{package_name}.{mod.name}"), "PROFILE", None)
        if isinstance(profile, Profile):
            profiles.append(profile)
    return profiles


@cache
def profiles() -> tuple[Profile, ...]:
    """Every installed family profile, in a stable order."""
    found = [p for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
             for p in _profiles_in(ep.value)]
    if not found:
        raise NoProfilesInstalled("no document family profile is installed (the mrs_etl.profiles entry points are "
                                  "missing): reinstall the project with `pip install -e .`")
    return tuple(sorted(found, key=lambda p: p.name))


def profile_named(name: str) -> Profile:
    by_name = {p.name: p for p in profiles()}
    if name not in by_name:
        raise DocumentRejected("unknown_family", f"no profile named {name!r}")
    return by_name[name]


def detect_family(page_texts: list[str]) -> Profile | None:
    """The best-scoring profile over the first pages' text, or None."""
    text = "\n".join(page_texts[:20])
    scored = [(p.score(text), p) for p in profiles()]
    scored = [(s, p) for s, p in scored if s >= p.threshold]
    if not scored:
        return None
    return max(scored, key=lambda sp: sp[0])[1]
