"""The self-assessment checklist engine, beside the competency-standard engine (`mrs_etl.standard`):
one algorithm for every checklist family, driven by a `ChecklistLayout` its profile states as data.
"""
from mrs_etl.checklist.engine import ChecklistLayout, extract_checklist

__all__ = ["ChecklistLayout", "extract_checklist"]
