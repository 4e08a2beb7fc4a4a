"""Characters that must never reach a published cell: what a broken ToUnicode map or a damaged file puts in text.

C0/C1 control codes (NUL, ESC ... but not tab and line breaks), lone surrogates, Unicode noncharacters
(U+FFFE, U+FFFF, U+FDD0-U+FDEF and the last two of every plane) and the bidirectional embedding,
override and isolate controls (a lone right-to-left override reverses what a reader sees). None of them
is text in any language of the corpus; private-use glyphs (Word bullets) are left alone.
"""
from __future__ import annotations

import re

FLAG = "control_characters_removed"
_NONCHARACTERS = "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
PATTERN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\u202a-\u202e\u2066-\u2069"
                     f"{re.escape(_NONCHARACTERS)}]")


def clean(text: str) -> str:
    """`text` without the characters above."""
    return PATTERN.sub("", text)


def escape(text: str) -> str:
    """`text` with each such character written out (\\u001b): for names that must still identify a file."""
    return PATTERN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def clean_row(row: dict) -> dict:
    """The row with every text cell cleaned, flagged when something was removed (rows with a `flags` cell)."""
    changed = False
    for name, value in row.items():
        if isinstance(value, str) and PATTERN.search(value):
            row[name], changed = clean(value), True
    if changed and "flags" in row:
        row["flags"] = ";".join(filter(None, [row.get("flags"), FLAG]))
    return row
