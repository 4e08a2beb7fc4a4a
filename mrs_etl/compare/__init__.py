"""Comparability matrix between two competency standards (ASEAN MRS Roadmap steps 2-3).

    result = compare_standards(a, b, CompareConfig())   # a, b: Standard or standard-JSON dicts
    result.cells[i, j]                                   # every cell: coverages, band, criterion pairs
    result.coverage                                      # every unit: coverage by a set of the other side's
    result.qualifications()                              # the two qualifications as a whole (step 3)
    result.tables()                                      # comparability_* DataFrames
    write_outputs(result, out_dir)                       # xlsx, HTML, Parquet and CSV
"""
from mrs_etl.compare.align import CROSS_LANGUAGE_FLAG, assign, compare_standards
from mrs_etl.compare.config import BANDS, EQUIVALENT, NOT_COMPARABLE, PARTIAL, CompareConfig, load_config
from mrs_etl.compare.pipeline import pipeline_check
from mrs_etl.compare.result import ComparisonResult, UnitCoverage
from mrs_etl.compare.standards import CompareInputError, Standard, load_standard, standard_from_json
from mrs_etl.compare.writers import write_outputs

__all__ = [
    "BANDS", "CROSS_LANGUAGE_FLAG", "EQUIVALENT", "NOT_COMPARABLE", "PARTIAL", "CompareConfig",
    "CompareInputError", "ComparisonResult", "Standard", "assign", "compare_standards", "load_config",
    "load_standard", "pipeline_check", "standard_from_json", "UnitCoverage", "write_outputs",
]

