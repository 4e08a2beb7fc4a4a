"""File identity: content hashes and discovery."""
from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def discover_pdfs(root: str | Path) -> list[Path]:
    """PDFs below root at any depth, in a stable order (case-insensitive suffix); links to files are followed."""
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def unfollowed_links(root: str | Path) -> list[tuple[Path, str, str]]:
    """Symbolic links below root that discovery does not follow, as (path, reason, detail).

    A link to a directory is not walked (it may loop, or lead out of raw/); a dangling link or a loop
    names no file at all. Each is reported so that a document that is not read is never silent.
    """
    found = []
    for path in sorted(Path(root).rglob("*")):
        if not path.is_symlink():
            continue
        target = os.readlink(path)
        try:
            resolved = path.resolve(strict=True)
        except RuntimeError:  # Python < 3.13 reports a loop this way
            found.append((path, "symlink_loop", f"the link -> {target} leads back to itself"))
            continue
        except OSError as exc:
            reason = "symlink_loop" if exc.errno == errno.ELOOP else "broken_symlink"
            found.append((path, reason, f"the link -> {target} names nothing that exists"
                          if reason == "broken_symlink" else f"the link -> {target} leads back to itself"))
            continue
        if resolved.is_dir():
            found.append((path, "symlinked_directory", f"a link to the directory {target} is not followed; "
                          "put the files themselves (or links to them) in raw/"))
    return found
