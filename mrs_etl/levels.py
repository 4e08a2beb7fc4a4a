"""Qualification levels as titles print them ("NC II", "Level I", "Jenjang 4"): one reading for the whole library.

Only the forms national frameworks use are read, so a title without a level gives None rather than a guess;
what each form stands for on its framework is data (mrs_etl/portfolio/frameworks/).
"""
from __future__ import annotations

import re

LEVEL_IN_TITLE = re.compile(
    r"\b(NC\s+(?:IV|III|II|I)|(?:kkni\s+)?(?:level|jenjang|tingkat|kkni)\s+(?:[1-9]|IX|VIII|VII|VI|V|IV|III|II|I))\b",
    re.IGNORECASE)


def level_from_title(title: str | None) -> str | None:
    """The level a title prints, normalised ("Computer Systems Servicing NC II" -> "NC II")."""
    match = LEVEL_IN_TITLE.search(title or "")
    if not match:
        return None
    words = match.group(1).split()[-2:]
    return " ".join([words[0].upper() if words[0].lower() == "nc" else words[0].capitalize(), words[1].upper()])
