"""Errors that quarantine one document and let the run go on."""
from __future__ import annotations


class DocumentRejected(Exception):
    """A document that cannot be processed. `reason` is short and machine-readable."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
