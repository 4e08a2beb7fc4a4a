"""Item numbers as printed: "1", "1.", "1.1", "1.1.", "2.11All" (no space), bullets, roman, letters.

Numbers are kept as printed (typos and all) with one normalisation the gold also applies: a
trailing period is dropped ("1.1." -> "1.1", "1." -> "1").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# bullet glyphs, including the Symbol/Wingdings private-use code points Word exports
BULLETS = "•◦▪▫●○■□➢➤►▸‣⁃∙·*-–\uf0b7\uf0a7\uf0d8\uf0fc\uf076\uf0a8\uf06e\uf0e0"
_DECIMAL = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(\.?)(?:(?<=\.)(?=\S)|(?=\s|$)|(?<=\d)(?=[A-Za-z(“\"']))")
_ROMAN = re.compile(r"^\(?([ivxIVX]{1,5})[.)](?=\s)")
_LETTER = re.compile(r"^\(?([a-zA-Z])[.)](?=\s)")
_BULLET = re.compile(rf"^([{re.escape(BULLETS)}])(?=\s|[A-Za-z])")


@dataclass(frozen=True)
class Numbered:
    number: str  # as printed, trailing period dropped; "" for a bullet
    style: str  # decimal | roman | letter | bullet
    depth: int  # 1 for "1." / "a)" / bullets, 2 for "1.1", ...
    rest: str  # the text after the number


def parse_number(text: str) -> Numbered | None:
    """The item number that starts `text`, or None when the text does not start an item."""
    text = text.lstrip()
    m = _DECIMAL.match(text)
    if m:
        number = m.group(1)
        depth = number.count(".") + 1
        rest = text[m.end():]
        if depth == 1 and not m.group(2) and rest[:1].isalpha():
            return None  # "3D printing": a word, not a number
        if depth == 1 and not m.group(2) and len(number) > 2:
            return None  # "100 pieces", "2015 ..." start a sentence, not an item
        return Numbered(number, "decimal", depth, rest.strip())
    for pattern, style in ((_ROMAN, "roman"), (_LETTER, "letter")):
        m = pattern.match(text)
        if m:
            return Numbered(m.group(1), style, 1, text[m.end():].strip())
    m = _BULLET.match(text)
    if m and len(text) > 2:
        return Numbered("", "bullet", 1, text[m.end():].strip())
    if text.startswith("o ") and len(text) > 2:  # Word's second-level bullet, set as a letter "o"
        return Numbered("", "bullet", 2, text[2:].strip())
    return None


def first_component(number: str) -> str:
    return number.split(".", 1)[0]
