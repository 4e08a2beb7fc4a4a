"""The stages `pipelines/flows.py` runs, in order.

ingest (PDFs below raw/ with their hashes) -> extract (each document in an isolated child, outcomes
kept in a content-addressed cache) -> assemble (records to tables, stewards' overrides replayed,
rows that break the schema quarantined) -> validate (pandera schemas and foreign keys from
`mrs_etl.schema`) -> checks (comparability, compliance) -> publish (one writer at a time, atomic
versions in processed/) -> report (what `mrs-etl run` prints).
"""
