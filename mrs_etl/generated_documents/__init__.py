"""Documents the project generates itself, never downloads: the sample shipped in raw/
(`mrs-etl make-sample`) and the suite of hostile and broken inputs that tests and bench feed the
pipeline. Nothing in extraction or publishing depends on this package."""
