"""mrs-etl: ASEAN Mutual Recognition of Skills evidence from national PDFs into validated tables."""
__version__ = "0.1.0"
# Bumped whenever extraction output can change: cached extractions are keyed on (sha256, this).
EXTRACTOR_VERSION = "2026.12.05"
