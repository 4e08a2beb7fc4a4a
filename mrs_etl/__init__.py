"""mrs-etl: ASEAN Mutual Recognition of Skills evidence from national PDFs into validated tables."""
__version__ = "0.1.0"
# Bumped whenever extraction output changes on purpose; recorded in every extraction. Cached extractions are
# keyed on (sha256, this, a digest of the extraction code): see mrs_etl.extraction_key.
EXTRACTOR_VERSION = "2026.12.06"
