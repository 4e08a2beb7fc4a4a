"""Words of a standard -> English concepts the matcher compares.

spaCy blank pipelines tokenise ("en", "id"); spaCy's stop lists and the glossary's drop boilerplate;
English words go through spaCy's lemma lookup table (spacy-lookups-data, offline), Indonesian words
through the bilingual glossary (glossary_en_id.toml) with its affix rules, then the Indonesian lookup
table. A word neither table knows is kept as written, lower-cased: loanwords (router, server,
backup) then still meet their English twins.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

GLOSSARY_PATH = Path(__file__).with_name("glossary_en_id.toml")
LANGUAGES = ("en", "id")
_EN_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_REDUPLICATION = re.compile(r"\b([^\W\d_]+)-\1\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
# Used only when spacy-lookups-data is not installed: plural and inflection endings, longest first.
_EN_SUFFIX_RULES = (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


@dataclass(frozen=True)
class Glossary:
    id_terms: dict[str, tuple[str, ...]]
    en_terms: dict[str, tuple[str, ...]]
    prefixes: dict[str, tuple[str, ...]]
    suffixes: tuple[str, ...]
    stopwords: dict[str, frozenset[str]]
    sha256: str
    path: str
    longest_phrase: int = field(default=1)
    # spaCy stop words a criterion uses as content, per language: never dropped
    content_words: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path = GLOSSARY_PATH) -> "Glossary":
        raw = Path(path).read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))

        def terms(table: dict) -> dict[str, tuple[str, ...]]:
            return {k.lower(): tuple(v.lower().split()) for k, v in table.items()}

        id_terms, en_terms = terms(data.get("id", {})), terms(data.get("en", {}))
        affixes = data.get("indonesian_affixes", {})
        # longest prefix first, so "meng" is tried before "me"
        prefixes = dict(sorted(((p, tuple(r)) for p, r in affixes.get("prefixes", {}).items()),
                               key=lambda pr: -len(pr[0])))
        stop = data.get("stopwords", {})
        longest = max((len(k.split()) for k in (*id_terms, *en_terms)), default=1)
        return cls(id_terms, en_terms, prefixes, tuple(affixes.get("suffixes", ())),
                   {lang: frozenset(w.lower() for w in stop.get(lang, ())) for lang in LANGUAGES},
                   hashlib.sha256(raw).hexdigest(), str(path), longest,
                   {lang: frozenset(w.lower() for w in data.get("content_words", {}).get(lang, ()))
                    for lang in LANGUAGES})


@lru_cache(maxsize=None)
def _tokenizer(language: str):
    """The language's spaCy punctuation rules without its tokenizer exceptions: Indonesian has tens of
    thousands (reduplications, abbreviations) that take seconds to load and that the concept mapping
    below handles itself."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, get_lang_class
    from spacy.vocab import Vocab

    defaults = get_lang_class(language).Defaults
    return Tokenizer(Vocab(), rules={},
                     prefix_search=compile_prefix_regex(defaults.prefixes).search,
                     suffix_search=compile_suffix_regex(defaults.suffixes).search,
                     infix_finditer=compile_infix_regex(defaults.infixes).finditer,
                     token_match=defaults.token_match, url_match=defaults.url_match)


def _stop_words(language: str) -> frozenset[str]:
    from spacy.util import get_lang_class

    return frozenset(get_lang_class(language).Defaults.stop_words)


@lru_cache(maxsize=None)
def lemma_table(language: str):
    """spaCy's lemma lookup table (a spacy.lookups.Table: .get(word)) or None without spacy-lookups-data."""
    try:
        from spacy.lookups import load_lookups

        return load_lookups(language, ["lemma_lookup"]).get_table("lemma_lookup")
    except (ImportError, ValueError, KeyError):
        return None


def lemmatizer_name(language: str) -> str:
    return "spacy-lookups-data lemma_lookup" if lemma_table(language) is not None else "suffix rules (fallback)"


@lru_cache(maxsize=None)
def english_words() -> dict[str, frozenset[str]]:
    """WordNet's base forms by part of speech (spacy-lookups-data's en_lemma_index, read directly:
    spacy.lookups loads every English table, seconds), empty without the package."""
    try:
        from importlib.resources import files

        with (files("spacy_lookups_data") / "data" / "en_lemma_index.json.gz").open("rb") as fh:
            index = json.loads(gzip.decompress(fh.read()))
    except (ImportError, OSError, ValueError):
        return {}
    return {pos: frozenset(w for w in index.get(pos, ()) if w.isalpha()) for pos in ("noun", "verb", "adj", "adv")}


# English nominalisations -> the verb they name (installation -> install, validation -> validate),
# accepted only when the result is a WordNet verb and the word is not a verb itself (position stays).
_EN_DERIVATION = (("ification", ("ify",)), ("ization", ("ize",)), ("isation", ("ise", "ize")),
                  ("enance", ("ain",)), ("uction", ("uce",)), ("ription", ("ribe",)), ("ysis", ("yze", "yse")),
                  ("ation", ("ate", "e", "")), ("ition", ("ite", "e", "")), ("ption", ("pt", "pe", "be")),
                  ("sion", ("de", "se", "t", "")), ("ion", ("", "e")), ("ment", ("",)), ("ance", ("", "e")),
                  ("ence", ("", "e")), ("ure", ("e", "")), ("al", ("e", "")))


def english_verb(word: str) -> str | None:
    """The verb an English derived noun names, or None."""
    verbs = english_words().get("verb", frozenset())
    if not verbs or word in verbs:
        return None
    for suffix, replacements in _EN_DERIVATION:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            for replacement in replacements:
                if stem + replacement in verbs:
                    return stem + replacement
            return None
    return None


# Loanwords: Indonesian spells English technical words as it hears them (validasi, prosedur, objektif,
# kapasitas). Both spellings reduce to one skeleton: the sound-alike letters folded, doubled letters
# and a final e dropped, and the regular endings aligned (-tion/-si, -ty/-tas, -ct/-k, -pt/-p).
_SKELETON_STEPS = tuple((re.compile(p, re.MULTILINE), r) for p, r in (
    (r"tion$", "sion"), ("ph", "f"), ("th", "t"), ("ch", "k"), ("c(?=[eiy])", "s"), ("[cq]", "k"), ("x", "ks"),
    ("ou", "u"), ("j", "y"), ("y", "i"), ("z", "s"), (r"([a-z])\1+", r"\1"), ("e$", ""), ("iv$", "if"),
    ("kst$", "ks"), ("kt$", "k"), ("pt$", "p")))
# Indonesian endings -> the skeleton of the English ending they stand for
_ID_ENDINGS = (("", ("",)), ("tas", ("ti",)), ("si", ("sion", "s")), ("is", ("ik",)), ("en", ("ent",)),
               ("an", ("ant",)), ("a", ("",)))
_LOANWORD_MIN = 5  # shorter Indonesian words meet English ones by chance (sel 'cell' ~ sell)


def skeleton(words: str) -> str:
    """The skeleton of a word, or of each line of newline-separated words (one pass over them all)."""
    for pattern, replacement in _SKELETON_STEPS:
        words = pattern.sub(replacement, words)
    return words


@lru_cache(maxsize=None)
def _english_skeletons() -> dict[str, str]:
    """Skeleton -> the English word it stands for (nouns first, then verbs, adjectives; shortest first)."""
    out: dict[str, str] = {}
    words = english_words()
    for pos in ("noun", "verb", "adj"):
        ordered = sorted((w for w in words.get(pos, ()) if len(w) >= _LOANWORD_MIN - 1), key=lambda w: (len(w), w))
        for key, word in zip(skeleton("\n".join(ordered)).split("\n"), ordered):
            out.setdefault(key, word)
    return out


def english_loanword(word: str) -> str | None:
    """The English word an Indonesian loanword spells (validasi -> validation, objektif -> objective)."""
    if len(word) < _LOANWORD_MIN:
        return None
    table = _english_skeletons()
    for ending, replacements in _ID_ENDINGS:
        if ending and not word.endswith(ending):
            continue
        stem = skeleton(word[: len(word) - len(ending)] if ending else word)
        for replacement in replacements:
            hit = table.get(stem + replacement)
            if hit:
                return hit
    return None


@lru_cache(maxsize=None)
def default_glossary() -> Glossary:
    return Glossary.load()


class Normalizer:
    """Concept tokens of a text in one language. Keeps a cache: standards repeat their words."""

    def __init__(self, language: str, glossary: Glossary | None = None):
        if language not in LANGUAGES:
            raise ValueError(f"no lexicon for language {language!r} (known: {', '.join(LANGUAGES)})")
        self.language = language
        self.glossary = glossary or default_glossary()
        self.tokenizer = _tokenizer(language)
        content = self.glossary.content_words
        self.stop = (_stop_words(language) - content.get(language, frozenset())) | self.glossary.stopwords[language]
        # concepts are English whatever the language, so English boilerplate is dropped after mapping too
        self.concept_stop = (_stop_words("en") - content.get("en", frozenset())) | self.glossary.stopwords["en"]
        self.lemmas = lemma_table(language)
        self.phrases = self.glossary.id_terms if language == "id" else self.glossary.en_terms
        self._word_cache: dict[str, tuple[str, ...]] = {}
        self._text_cache: dict[str, list[str]] = {}  # titles and criteria are read more than once

    def words(self, text: str) -> list[str]:
        text = text or ""
        if self.language == "en":
            # spaCy splits infix hyphens; "lay-out", "set-up", "pre-cast" are one word, not "lay"
            text = _EN_HYPHEN.sub("", text)
        else:
            text = _REDUPLICATION.sub(r"\1", text)  # Indonesian plural: bahan-bahan counts as bahan
        return [t.text.lower() for t in self.tokenizer(text) if _WORD.fullmatch(t.text)]

    def concepts(self, text: str) -> list[str]:
        if text not in self._text_cache:
            self._text_cache[text] = self._concepts(text)
        return list(self._text_cache[text])

    def _concepts(self, text: str) -> list[str]:
        words = self.words(text)
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(self.glossary.longest_phrase, len(words) - i), 1, -1):
                phrase = " ".join(words[i:i + n])
                if phrase in self.phrases:
                    out.extend(self._phrase(phrase))
                    i += n
                    break
            else:
                out.extend(self.word(words[i]))
                i += 1
        return out

    def _phrase(self, phrase: str) -> tuple[str, ...]:
        concepts = self.phrases[phrase]
        if self.language == "en":
            return concepts
        english = normalizer("en", self.glossary)
        return tuple(c for concept in concepts for c in english.word(concept))

    def word(self, word: str) -> tuple[str, ...]:
        if word not in self._word_cache:
            self._word_cache[word] = () if word in self.stop or word.isdigit() else tuple(
                c for c in self._concept(word) if c not in self.concept_stop)
        return self._word_cache[word]

    def _concept(self, word: str) -> tuple[str, ...]:
        if self.language == "id":
            concepts, known = self._indonesian(word)
            if not known:
                english = self._english_spelling(word)
                if english is None:
                    return concepts
                concepts = (english,)
            # an English concept then reads as the English side's words do: lemma and synonyms
            # (sistem operasi -> operating system -> operate system; masalah -> problem -> fault)
            english = normalizer("en", self.glossary)
            return tuple(c for concept in concepts for c in english.word(concept))
        lemma = self._english_lemma(word)
        terms = self.glossary.en_terms
        found = terms.get(word) or terms.get(lemma)
        if found:
            return found
        verb = english_verb(lemma)
        return terms.get(verb, (verb,)) if verb else (lemma,)

    def _english_spelling(self, word: str) -> str | None:
        """An Indonesian word the glossary lacks that is an English word or spells one, else None.
        Tried on the word, then on its roots (divalidasi -> validasi -> validation), then as an English plural."""
        nouns = english_words().get("noun", frozenset())
        for root in (word, *self._loanword_roots(word)):
            if len(root) >= _LOANWORD_MIN - 1 and root in nouns:
                return root  # written as in English: dataset, routing, tools
            english = english_loanword(root)
            if english:
                return english
        return self._english_plural(word)

    def _english_plural(self, word: str) -> str | None:
        """An English plural Indonesian text keeps as written (tools, records, stakeholders) -> its singular.
        Indonesian words end in -is, -as, -us as no English plural does (kritis, garis, tugas, khusus)."""
        if not word.endswith("s") or word.endswith(("is", "as", "us", "ss")) or \
                (self.lemmas is not None and self.lemmas.get(word) is not None):
            return None
        singular = normalizer("en", self.glossary)._english_lemma(word)
        words = english_words()
        return singular if singular != word and (singular in words.get("noun", ()) or singular in words.get("verb", ())) \
            else None

    def _english_lemma(self, word: str) -> str:
        if self.lemmas is not None:
            lemma = self.lemmas.get(word, word)
            if lemma == word and len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
                # a plural the lookup table lacks (mensurations, sanitizers): its singular, when that is
                # a word the table or WordNet knows, so both printings of a title meet
                singular = word[:-1]
                if singular in self.lemmas or singular in english_words().get("noun", frozenset()):
                    return self.lemmas.get(singular, singular)
            return lemma
        for suffix, replacement in _EN_SUFFIX_RULES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: len(word) - len(suffix)] + replacement
        return word

    def _indonesian(self, word: str) -> tuple[tuple[str, ...], bool]:
        """(English concepts, True) from the glossary, else (the word's Indonesian lemma, False)."""
        terms = self.glossary.id_terms
        if word in terms:
            return terms[word], True
        lemma = self.lemmas.get(word) if self.lemmas is not None else None
        if lemma in terms:
            return terms[lemma], True
        for root in self._roots(word):
            if root in terms:
                return terms[root], True
        return (lemma or word,), False

    def _loanword_roots(self, word: str):
        """A loanword keeps its first letter under meN-/peN- (memvalidasi, mengkonfigurasi) and takes
        few suffixes; deeper cuts make chance English words (memindai -> minda -> mind)."""
        for prefix, restores in self.glossary.prefixes.items():
            if "" in restores and word.startswith(prefix) and len(word) - len(prefix) >= _LOANWORD_MIN:
                stem = word[len(prefix):]
                yield stem
                for suffix in ("kan", "nya"):
                    if stem.endswith(suffix) and len(stem) - len(suffix) >= _LOANWORD_MIN:
                        yield stem[: -len(suffix)]
        for suffix in ("kan", "nya"):
            if word.endswith(suffix) and len(word) - len(suffix) >= _LOANWORD_MIN:
                yield word[: -len(suffix)]

    def _roots(self, word: str):
        """Candidate roots: prefix removed (with meN-/peN- consonant restored), then suffixes removed."""
        stems = [word]
        for prefix, restores in self.glossary.prefixes.items():
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                stems.extend(r + word[len(prefix):] for r in restores)
        for stem in stems:
            yield stem
            for suffix in self.glossary.suffixes:
                if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                    shorter = stem[: -len(suffix)]
                    yield shorter
                    # suffixes stack: ditemukannya = di + temu + kan + nya
                    for inner in self.glossary.suffixes:
                        if shorter.endswith(inner) and len(shorter) - len(inner) >= 3:
                            yield shorter[: -len(inner)]


_normalizers: dict[tuple[str, str], Normalizer] = {}


def normalizer(language: str, glossary: Glossary | None = None) -> Normalizer:
    """The Normalizer of a language and glossary, shared within the process (its caches fill once)."""
    glossary = glossary or default_glossary()
    key = (language, glossary.sha256 + glossary.path)
    if key not in _normalizers:
        _normalizers[key] = Normalizer(language, glossary)
    return _normalizers[key]


def guess_language(texts: list[str]) -> str:
    """'id' or 'en' by which stop list covers more of the words (for inputs that do not say)."""
    words = [w.lower() for t in texts for w in _WORD.findall(t or "")]
    en = sum(w in _stop_words("en") for w in words)
    ind = sum(w in _stop_words("id") for w in words)
    return "id" if ind > en else "en"
