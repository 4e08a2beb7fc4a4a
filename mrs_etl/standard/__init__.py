"""The competency-standard engine: one algorithm for every family, driven by a `StandardLayout`.

A competency standard is a sequence of unit blocks. Each block has a labelled header (title, code,
descriptor), a criteria table (element | performance criteria [| knowledge | skills]) and two-level
lists (range of variables, evidence guide), laid out either as ruled tables or as numbered text.
Families differ in labels, headings and numbering, which their profile states as data.
"""
from mrs_etl.standard.layout import StandardLayout
from mrs_etl.standard.engine import extract_standard

__all__ = ["StandardLayout", "extract_standard"]
