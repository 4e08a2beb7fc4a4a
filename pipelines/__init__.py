"""Prefect flows and deployments (orchestration only; the work lives in mrs_etl/)."""
