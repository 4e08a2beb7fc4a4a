"""Cleaning noisy OCR text without inventing words.

Every repair is checked against the document's own vocabulary: two fragments are only joined
when the joined word is printed elsewhere in the same document, a line-end hyphen is only kept
when the document prints that hyphenated compound elsewhere. What cannot be verified is left as
printed (an OCR misreading such as 'WET' for 'TVET' stays: guessing would be inventing).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# words of one or two letters that are real words, never fragments to glue to a neighbour
SHORT_WORDS = {
    "en": {"a", "i", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me", "my",
           "no", "of", "on", "or", "so", "to", "up", "us", "we"},
    "id": {"di", "ke", "ya", "se", "oh", "pa"},
}
# characters that scanners sprinkle over a page; never content on their own
STRAY = re.compile(r"(?<!\S)[|~¦`^¬«»■□▪\\]+(?!\S)")
SOFT_HYPHENS = {"\u00ad": "-", "\ufffe": "-", "\u2010": "-", "\u2011": "-"}
LETTERS = r"[^\W\d_]+"
WORD = re.compile(LETTERS)
COMPOUND = re.compile(rf"{LETTERS}-{LETTERS}")


@dataclass
class Vocabulary:
    """What a document prints: word counts and hyphenated compounds found inside lines."""
    words: Counter = field(default_factory=Counter)
    compounds: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, texts) -> "Vocabulary":
        vocab = cls()
        for text in texts:
            vocab.words.update(w.lower() for w in WORD.findall(text))
            # a compound at a line end may be a broken word: only count those inside the line
            vocab.compounds.update(m.group(0).lower() for m in COMPOUND.finditer(text.rstrip("-")))
        return vocab


def normalise(text: str) -> str:
    """Unicode, soft hyphens, stray scanner marks and spacing around punctuation."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\(cid:\d+\)", " ", text)  # glyphs without a unicode mapping
    for src, dst in SOFT_HYPHENS.items():
        text = text.replace(src, dst)
    text = re.sub(r"(?<=[^\W\d_])_(?=[^\W\d_])", " ", text)  # 'Teaching_E xperience'
    text = STRAY.sub(" ", text)
    text = re.sub(r"[ \t]+", " ", text).strip()
    text = re.sub(r"\s+([,;:!?)\]])", r"\1", text)
    text = re.sub(r"(?<=[^\W\d_])\s+\.(?=\s|$)", ".", text)  # 'word .' at a sentence end
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return text


def join_split_words(text: str, vocab: Vocabulary, language: str = "en") -> str:
    """'E xperience' -> 'Experience', 'animas i' -> 'animasi': one side is a fragment of at most
    two letters that is not a word by itself, and the joined word is printed in the document."""
    short = SHORT_WORDS.get(language, SHORT_WORDS["en"])
    tokens = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if i + 1 < len(tokens) and re.fullmatch(LETTERS, tok):
            nxt = tokens[i + 1]
            m = re.fullmatch(rf"({LETTERS})(\W*)", nxt)
            if m:
                left, right = tok, m.group(1)
                fragment = left if len(left) <= 2 else right if len(right) <= 2 else None
                if (fragment and fragment.lower() not in short
                        and vocab.words.get((left + right).lower(), 0) > 0):
                    out.append(tok + nxt)
                    i += 2
                    continue
        out.append(tok)
        i += 1
    return " ".join(out)


def join_lines(lines: list[str], vocab: Vocabulary) -> str:
    """Wrapped lines joined with one space; a line-end hyphen before a lower-case continuation is a
    broken word ('compe-' + 'tency') unless the document prints the compound ('self-assessment')."""
    return join_lines_at(lines, vocab)[0]


def join_lines_at(lines: list[str], vocab: Vocabulary) -> tuple[str, list[int | None]]:
    """`join_lines`, and where each line starts in the joined text (None for an empty line), so
    that a sentence can be traced back to the printed lines that hold it."""
    text = ""
    starts: list[int | None] = []
    for line in (ln.strip() for ln in lines):
        if not line:
            starts.append(None)
            continue
        end = re.search(rf"({LETTERS})-$", text)
        start = re.match(LETTERS, line)
        if end and start and line[0].islower():
            compound = f"{end.group(1)}-{start.group(0)}".lower()
            if compound not in vocab.compounds:
                text = text[:-1]
            starts.append(len(text))
            text += line
        elif end and start:  # 'Trainer-' + 'Candidate': a compound split at the line end
            starts.append(len(text))
            text += line
        else:
            text = f"{text} " if text else text
            starts.append(len(text))
            text += line
    return text, starts


def clean_ocr_text(text: str, vocab: Vocabulary, language: str = "en") -> str:
    """All repairs for one line of OCR text."""
    return join_split_words(normalise(text), vocab, language)
