"""Which language a QA document is written in, from its most frequent function words.

A blank spaCy pipeline has no language identifier and none is needed for the two languages
the corpus holds: function words separate English from Indonesian/Malay text reliably.
"""
from __future__ import annotations

import re
from collections import Counter

FUNCTION_WORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "for", "with", "shall", "be", "are", "on", "by", "this",
           "that", "or", "as", "an", "will", "you", "your", "from", "at", "which"},
    "id": {"yang", "dan", "di", "untuk", "dengan", "ke", "dari", "ini", "itu", "adalah", "pada", "dalam",
           "tidak", "atau", "akan", "oleh", "sesuai", "kepada", "apabila", "setiap", "anda", "telah"},
}


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the language whose function words are most frequent in `text`."""
    counts = Counter(w.lower() for w in re.findall(r"[^\W\d_]+", text))
    scores = {lang: sum(counts[w] for w in words) for lang, words in FUNCTION_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else default
