"""What a document family profile is.

A profile says how to recognise its family (weighted patterns over the first pages' text) and
how to extract it. Competency-standard families share one engine (`mrs_etl.standard`) and differ
only in data: labels, headings, column names and numbering patterns (`StandardLayout`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from mrs_etl.models import Extraction


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
