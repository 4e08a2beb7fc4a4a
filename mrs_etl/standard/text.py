"""Joining wrapped lines into one text the way the gold annotations do."""
from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
# Indonesian suffixes and enclitics that a line-end hyphen splits off a word ("mempertimbang-" "kan")
_ID_SUFFIX = re.compile(r"^(kan|an|i|nya|lah|kah|pun|ku|mu)\b", re.I)


def join_lines(lines: list[str], dehyphenate: str | None = None) -> str:
    """Wrapped lines joined with one space.

    A line-end hyphen is kept as a compound ("pre-" + "cast" -> "pre-cast"). With
    dehyphenate="id", a hyphen that split off an Indonesian suffix is removed.
    """
    out = ""
    for raw in lines:
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].isalpha():
            if dehyphenate == "id" and line[:1].islower() and _ID_SUFFIX.match(line):
                out = out[:-1] + line
            else:
                out = out + line
        else:
            out = f"{out} {line}"
    return out.strip()


def clean_value(text: str) -> str:
    """A label's value: leading colon and whitespace removed, spaces folded."""
    return _SPACES.sub(" ", text).strip().lstrip(":：").strip()
