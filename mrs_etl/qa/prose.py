"""Is a sentence policy prose, or a piece of a form, a table, a signature block or garbled OCR?

Only prose can answer a compliance question: a form field that says "Name of Assessor: ____"
names an assessor role but states no policy, a list of unit codes is a table, and OCR that ran two
columns of a page together is word salad that may hold every term of a rule. `non_prose` names
why a sentence is not prose (None when it is); the check never cites such a sentence.
The cues are what forms and tables print (blanks to fill in, 'Label:' fields, tick boxes, codes)
and what prose always has (a verb or a modal); they hold for English and Indonesian.
"""
from __future__ import annotations

import re

FORM, SIGNATURE, TABLE, GARBLED, FRAGMENT = "form field", "signature block", "table", "garbled text", "not a sentence"

BLANKS = re.compile(r"_{3,}|\.{6,}|…{2,}|-{5,}")
TICK_BOXES = re.compile(r"[☐☑☒□■❑✓✔]|\(\s*\)|\[\s*\]|\btick\b|\bcoret yang tidak perlu\b|\bcentang\b", re.I)
# 'Name of Assessor:' 'Tanggal:' - a short label and a colon with no sentence before it
LABEL = re.compile(r"(?:^|\s)(?:[A-Z][\w/&().'-]*(?:\s+[\w/&().'-]+){0,4}):(?=\s|$)")
SIGNATURE_WORDS = re.compile(
    r"\b(signature|signed in the original|very truly yours|respectfully|approved by|noted by|prepared by|"
    r"attested by|conforme|tanda tangan|ttd\.?|mengetahui|disetujui oleh)\b", re.I)
# how to fill in a form's columns ("Under the Rules of Evidence column, assess ...")
FORM_INSTRUCTION = re.compile(r"\b(?:in|under|on)\s+the\s+(?:[\w'-]+\s+){0,5}columns?\b|\bpada\s+kolom\b", re.I)
# the applicant's declaration printed on a form
DECLARATION = re.compile(r"\bI\s+(?:hereby\s+|also\s+)?(?:declare|certify|understand|agree|attest)\b|\bsaya\s+menyatakan\b", re.I)
UNIT_CODE = re.compile(r"\b(?:[A-Z]{3}\d{6}|\d{9}|[A-Z]{2,4}\d{3,4}[A-Z]?|[A-Z]\.\d{2}[A-Z]{3}\d{2}\.\d{3}\.\d{1,2})\b")
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
# a sentence has a verb: English modals/auxiliaries and common verb endings, Indonesian modals and
# the verb prefixes me-/di-/ber-/ter- (meN-kan, di-kan ...)
VERB_EN = re.compile(r"\b(is|are|was|were|be|been|being|shall|must|will|would|should|may|might|can|could|"
                     r"has|have|had|do|does|did|need|needs|refers?|means|includes?|contains?|issues|signs|"
                     r"keeps|maintains|provides|requires|allows|ensures|conducts|decides|lodges?|submits?|"
                     r"use|apply|ask|see|read|receive|provide|make|take|give|keep|contact|complete)\b"
                     r"|\b[a-z]{3,}(?:ed|ing)\b", re.I)
VERB_ID = re.compile(r"\b(adalah|merupakan|harus|wajib|dapat|akan|telah|sudah|sedang|perlu|boleh|bisa)\b"
                     r"|\b(?:me|mem|men|meng|meny|di|ber|ter|per)[a-z]{3,}\b", re.I)
FUNCTION_WORDS = {
    "en": {"the", "a", "an", "and", "or", "of", "to", "in", "for", "with", "on", "by", "at", "from", "as", "is",
           "are", "be", "shall", "will", "must", "may", "that", "which", "who", "this", "their", "its", "your",
           "you", "all", "any", "if", "when", "not", "has", "have", "been", "can", "should", "within"},
    # Filipino: bilingual TESDA forms print a Filipino line and its English translation together
    "tl": {"ng", "mga", "sa", "ang", "na", "o", "at", "ay", "kung", "para"},
    "id": {"yang", "dan", "di", "untuk", "dengan", "ke", "dari", "ini", "itu", "adalah", "pada", "dalam", "tidak",
           "atau", "akan", "oleh", "sesuai", "kepada", "apabila", "setiap", "anda", "telah", "harus", "dapat",
           "bahwa", "jika", "secara", "agar", "sebagai"},
}
MIN_WORDS = 5


def non_prose(sentence: str, language: str = "en") -> str | None:
    """Why `sentence` is not policy prose, or None when it is."""
    text = sentence.strip()
    words = WORD.findall(text)
    n = len(words)
    if n < MIN_WORDS:
        return FRAGMENT
    if len(BLANKS.findall(text)) >= 1 and (n < 40 or len(BLANKS.findall(text)) >= 2):
        return FORM
    if TICK_BOXES.search(text):
        return FORM
    if DECLARATION.search(text) or FORM_INSTRUCTION.search(text):
        return FORM
    if SIGNATURE_WORDS.search(text):
        return SIGNATURE
    labels = LABEL.findall(text)
    if len(labels) >= 2 or (labels and text.rstrip().endswith(":") and n <= 8):
        return FORM
    codes = UNIT_CODE.findall(text)
    digits = sum(ch.isdigit() for ch in text) / max(1, len(text.replace(" ", "")))
    if len(codes) >= 2 or digits > 0.25:
        return TABLE
    lower = [w.lower() for w in words]
    function = FUNCTION_WORDS.get(language, FUNCTION_WORDS["en"]) | FUNCTION_WORDS["en"]
    share_function = sum(w in function for w in lower) / n
    verb = (VERB_ID if language == "id" else VERB_EN).search(text)
    if not verb:
        return FRAGMENT
    # two columns run together: words glued without spaces ('requirementsFormdocumentary'),
    # clause numbers inside the sentence, a run of capitalised words with few function words
    glued = sum(1 for w in words if len(w) >= 25 or re.search(r"[a-z]{2}[A-Z][a-z]", w)
                or (not w.isupper() and ((len(w) >= 2 and len(set(w.lower())) == 1)
                                         or not re.search(r"[aeiouy]", w.lower()))))
    if glued >= 2 or (glued and n < 15):
        return GARBLED
    if len(re.findall(r"(?:^|\s)\d{1,2}\.\d{1,2}\s", text)) >= 2:
        return TABLE
    caps = sum(1 for w in words[1:] if w[0].isupper() and not w.isupper())
    if n >= 8 and caps / n > 0.4 and share_function < 0.25:
        return GARBLED
    foreign = {w for lang, fw in FUNCTION_WORDS.items() if lang not in (language, "en") for w in fw} - function
    if sum(w in foreign for w in lower) >= 3:
        return GARBLED
    if n >= 12 and share_function < 0.08:
        return GARBLED
    return None


# a glossary entry: 'Competency Assessment Tools (CATs) — are materials ...', 'Expert Panel — a team of ...'
# the term defined: a name of at most ten words, no verb of its own
# (or a name and its acronym, the dash lost to OCR: 'National TVET Trainers Certificate (NTTC) a final document')
DEFINITION = re.compile(r"^(?P<term>[^.;:—–=]{2,90}?)\s*(?:[—–=]|\s-|(?<=\))(?=\s))\s*"
                        r"(?:is|are|refers?\s+to|means|adalah|merupakan|a|an|the)\b", re.I)
TERM_VERBS = re.compile(r"\b(?:shall|must|will|may|should|can|is|are|was|were|be|has|have|harus|wajib|akan|dapat)\b", re.I)
DEFINITION_HEADINGS = re.compile(r"\b(?:definitions?|glossary|meaning of terms|definisi|pengertian|istilah)\b", re.I)


def definition(sentence: str, heading_path: str = "") -> bool:
    """Whether the sentence is a glossary entry, or stands under a definitions heading (the nearest
    two). A definition says what a thing is ('Expert Panel - a team of three qualified assessors'),
    not that or how the system does it: it answers a question only in part."""
    nearest = " > ".join((heading_path or "").split(" > ")[-2:])
    if nearest and DEFINITION_HEADINGS.search(nearest):
        return True
    entry = DEFINITION.search(sentence.strip())
    return bool(entry and len(entry["term"].split()) <= 10 and not TERM_VERBS.search(entry["term"]))
