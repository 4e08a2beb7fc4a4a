"""Ingest: every PDF below raw/ (any depth) with its content hash.

Only what is safe to do in the pipeline's own process happens here (listing and hashing bytes);
anything that parses a PDF runs isolated (`mrs_etl.pipeline.extract`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from mrs_etl.files import discover_pdfs, sha256_file, unfollowed_links


@dataclass(frozen=True)
class RawDocument:
    path: str  # absolute
    relpath: str  # relative to raw/, as published
    sha256: str

    @property
    def file_name(self) -> str:
        return Path(self.path).name


@dataclass(frozen=True)
class IngestProblem:
    document_id: str
    relpath: str
    reason: str
    detail: str


def ingest(raw: str | Path) -> tuple[list[RawDocument], list[IngestProblem]]:
    """The distinct documents below `raw` and what cannot be taken in (unreadable, duplicate, unfollowed links)."""
    raw = Path(raw).resolve()
    if not raw.is_dir():  # never publish an empty version because a path was mistyped
        raise FileNotFoundError(f"raw directory {raw} does not exist")
    documents: dict[str, RawDocument] = {}
    problems = [IngestProblem(hashlib.sha256(rel.encode()).hexdigest(), rel, reason, detail)
                for rel, reason, detail in ((p.relative_to(raw).as_posix(), r, d) for p, r, d in unfollowed_links(raw))]
    for path in discover_pdfs(raw):
        rel = path.relative_to(raw).as_posix()
        try:
            digest = sha256_file(path)
        except OSError as exc:
            problems.append(IngestProblem(hashlib.sha256(rel.encode()).hexdigest(), rel, "unreadable_file",
                                          f"{type(exc).__name__}: {exc.strerror or exc}"))
            continue
        if digest in documents:
            # same bytes under another name: published once; the copy is reported, not extracted
            problems.append(IngestProblem(hashlib.sha256(rel.encode()).hexdigest(), rel, "duplicate",
                                          f"same content as {documents[digest].relpath}"))
            continue
        documents[digest] = RawDocument(str(path), rel, digest)
    return list(documents.values()), problems
