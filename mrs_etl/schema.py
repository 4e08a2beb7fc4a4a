"""Every published table, declared once.

The same metadata builds the pandera schemas that validate the tables, the Frictionless
datapackage.json that describes them and the table reference in the docs (PUDL's "metadata as
the single source" pattern). Add a table here and validation, export and docs follow.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# logical type -> (pandas dtype, Frictionless type)
TYPES = {
    "string": ("string", "string"),
    "integer": ("Int64", "integer"),
    "number": ("Float64", "number"),
    "boolean": ("boolean", "boolean"),
    "datetime": ("string", "datetime"),  # ISO 8601 text: portable across CSV, Parquet and DuckDB
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False  # no nulls allowed


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


def _provenance() -> tuple[Field, ...]:
    return (
        Field("page", "integer", "1-based PDF page index where the row's text starts"),
        Field("x0", "number", "Left edge of the row's box on that page, PDF points"),
        Field("top", "number", "Top edge of the box, PDF points from the top of the page"),
        Field("x1", "number", "Right edge of the box, PDF points"),
        Field("bottom", "number", "Bottom edge of the box, PDF points from the top of the page"),
        Field("confidence", "number", "Extractor's confidence in the row, 0-1", required=True),
        Field("flags", "string", "Semicolon-separated names of what the extractor had to guess or found odd"),
        Field("review_status", "string", "Data steward's review: unreviewed | accepted | edited | rejected | added "
              "(mrs_etl.review.overrides re-applies the overrides store by stable key on every run)"),
    )


DOC_FK = ForeignKey(("document_id",), "documents", ("document_id",))
UNIT_FK = ForeignKey(("unit_id",), "units", ("unit_id",))

TABLES: dict[str, Table] = {}


def _register(table: Table) -> Table:
    TABLES[table.name] = table
    return table


_register(Table(
    "documents", "Every PDF found in raw/, with its detected family and processing status.",
    (
        Field("document_id", "string", "sha256 of the file's bytes", required=True),
        Field("path", "string", "Path relative to the raw directory", required=True),
        Field("file_name", "string", "File name", required=True),
        Field("family", "string", "Detected document family (extractor profile), or 'unknown'"),
        Field("country", "string", "ISO 3166-1 alpha-2 country of the issuing body"),
        Field("language", "string", "ISO 639-1 language of the document"),
        Field("pages", "integer", "Number of pages"),
        Field("status", "string", "ok | quarantined", required=True),
        Field("extractor_version", "string", "Version of the extraction code that produced the rows"),
    ),
    ("document_id",),
))

_register(Table(
    "qualifications", "The qualification (or standard) a competency-standard document defines.",
    (
        Field("qualification_id", "string", "Stable key: document_id", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("title", "string", "Qualification title as printed"),
        Field("level", "string", "Level as printed (e.g. NC II, KKNI level)"),
        Field("sector", "string", "Sector or field as printed"),
        Field("country", "string", "ISO 3166-1 alpha-2"),
        Field("language", "string", "ISO 639-1"),
        Field("nominal_hours", "number", "Nominal training hours as the training arrangements state them: the "
              "printed total, else the sum of the printed per-category hours (never summed from units)"),
        *(Field(f"{category}_hours", "number", f"Nominal hours of the {category} competencies as printed")
          for category in ("basic", "common", "core", "elective")),
        Field("hours_page", "integer", "1-based page where the hours are printed"),
        Field("packaging_rules", "string", "The packaging rules as printed (\"This Qualification is packaged "
              "from ...\", \"To attain the National Qualification ...\"), sentences in document order"),
    ) + _provenance(),
    ("qualification_id",),
    (DOC_FK,),
))

_register(Table(
    "listed_units", "Units as the qualification's own list prints them (code, title, category).",
    (
        Field("listed_unit_id", "string", "Stable key: document_id/l<order>", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("order", "integer", "Position in the list, from 1", required=True),
        Field("code", "string", "Unit code as listed"),
        Field("title", "string", "Unit title as listed"),
        Field("category", "string", "basic | common | core | elective"),
        Field("nominal_hours", "number", "Nominal hours where the list gives them"),
    ) + _provenance(),
    ("listed_unit_id",),
    (DOC_FK,),
))

_register(Table(
    "units", "Units of competency with their descriptor and category.",
    (
        Field("unit_id", "string", "Stable key: document_id/u<order>", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("order", "integer", "Position of the unit in the document, from 1", required=True),
        Field("code", "string", "Unit code as printed in the unit header"),
        Field("code_as_listed", "string", "Code as printed in the qualification's unit list, when it differs"),
        Field("title", "string", "Unit title as printed in the unit header"),
        Field("title_as_listed", "string", "Title as printed in the unit list, when it differs"),
        Field("descriptor", "string", "Unit descriptor"),
        Field("category", "string", "basic | common | core | elective"),
        Field("nominal_hours", "number", "Nominal hours where the document gives them"),
    ) + _provenance(),
    ("unit_id",),
    (DOC_FK,),
))

_register(Table(
    "elements", "Elements of competency, in printed order within their unit.",
    (
        Field("element_id", "string", "Stable key: unit_id/e<order>", required=True),
        Field("unit_id", "string", "Parent unit", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("order", "integer", "Position within the unit, from 1", required=True),
        Field("number", "string", "Number as printed ('1.' recorded as '1')"),
        Field("title", "string", "Element title"),
    ) + _provenance(),
    ("element_id",),
    (UNIT_FK, DOC_FK),
))

_register(Table(
    "performance_criteria", "Performance criteria (KUK), in printed order within their element.",
    (
        Field("criterion_id", "string", "Stable key: element_id/c<order>", required=True),
        Field("element_id", "string", "Parent element", required=True),
        Field("unit_id", "string", "Unit of the parent element", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("order", "integer", "Position within the element, from 1", required=True),
        Field("number", "string", "Number as printed, typos kept ('1.1.' recorded as '1.1')"),
        Field("text", "string", "Criterion text, wrapped lines joined", required=True),
    ) + _provenance(),
    ("criterion_id",),
    (ForeignKey(("element_id",), "elements", ("element_id",)), UNIT_FK, DOC_FK),
))

_register(Table(
    "knowledge_skills", "Required knowledge and required skills, per element where the table gives them.",
    (
        Field("item_id", "string", "Stable key: element_id/k<order> or /s<order>", required=True),
        Field("element_id", "string", "Element the item is printed beside"),
        Field("unit_id", "string", "Unit", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("kind", "string", "knowledge | skill", required=True),
        Field("order", "integer", "Position within the element and kind, from 1", required=True),
        Field("number", "string", "Number as printed"),
        Field("text", "string", "Item text", required=True),
    ) + _provenance(),
    ("item_id",),
    (UNIT_FK, DOC_FK),
))

_register(Table(
    "range_variables", "Range-of-variables headings (BATASAN VARIABEL) per unit.",
    (
        Field("range_variable_id", "string", "Stable key: unit_id/r<order>", required=True),
        Field("unit_id", "string", "Unit", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("order", "integer", "Position within the unit, from 1", required=True),
        Field("number", "string", "Number as printed"),
        Field("variable", "string", "Variable heading", required=True),
    ) + _provenance(),
    ("range_variable_id",),
    (UNIT_FK, DOC_FK),
))

_register(Table(
    "range_items", "The range (items) of each range variable.",
    (
        Field("range_item_id", "string", "Stable key: range_variable_id/i<order>", required=True),
        Field("range_variable_id", "string", "Parent variable", required=True),
        Field("unit_id", "string", "Unit", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("order", "integer", "Position within the variable, from 1", required=True),
        Field("number", "string", "Number as printed"),
        Field("text", "string", "Item text", required=True),
    ) + _provenance(),
    ("range_item_id",),
    (ForeignKey(("range_variable_id",), "range_variables", ("range_variable_id",)), UNIT_FK, DOC_FK),
))

_register(Table(
    "evidence_guide", "Evidence guide (PANDUAN PENILAIAN) entries per unit.",
    (
        Field("evidence_id", "string", "Stable key: unit_id/g<order>", required=True),
        Field("unit_id", "string", "Unit", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("order", "integer", "Position within the unit, from 1", required=True),
        Field("aspect", "string", "critical_aspects | underpinning_knowledge | underpinning_skills | "
              "resource_implications | methods | context | attitudes | other", required=True),
        Field("heading", "string", "Heading as printed"),
        Field("number", "string", "Number as printed"),
        Field("text", "string", "Entry text", required=True),
    ) + _provenance(),
    ("evidence_id",),
    (UNIT_FK, DOC_FK),
))

_register(Table(
    "qa_policies", "Quality-assurance policy clauses from circulars, manuals, handbooks and forms.",
    (
        Field("policy_id", "string", "Stable key: document_id/p<order>", required=True),
        Field("document_id", "string", "Source document", required=True),
        Field("order", "integer", "Position in the document, from 1", required=True),
        Field("heading_path", "string", "Headings above the clause, joined with ' > '"),
        Field("clause", "string", "Clause number as printed"),
        Field("text", "string", "Clause text", required=True),
        Field("language", "string", "ISO 639-1"),
        Field("topics", "string", "Semicolon-separated topic tags"),
        Field("ocr", "boolean", "True when the text came from OCR (ours or the file's own layer)"),
        Field("lines", "string", "The clause's printed lines as JSON [[page, x0, top, x1, bottom, first character "
              "of the line in text], ...]: where each sentence of the clause is printed"),
    ) + _provenance(),
    ("policy_id",),
    (DOC_FK,),
))

_register(Table(
    "rejections", "Documents that could not be processed, with the reason. The run goes on without them.",
    (
        Field("document_id", "string", "sha256 of the file's bytes (of the path when unreadable)", required=True),
        Field("path", "string", "Path relative to the raw directory", required=True),
        Field("stage", "string", "ingest | extract | validate", required=True),
        Field("reason", "string", "Short machine-readable reason", required=True),
        Field("detail", "string", "What happened, for a person"),
        Field("rejected_at", "datetime", "When, UTC ISO 8601", required=True),
    ),
    ("document_id", "stage"),
))

_register(Table(
    "compliance_verdicts", "Guiding-Principles compliance check: one verdict per rulebook rule and QA system.",
    (
        Field("system", "string", "The QA system checked, as named by the caller (e.g. PH-TESDA)", required=True),
        Field("rule_id", "string", "Rule id in the rulebook", required=True),
        Field("step", "string", "Roadmap step (4 | 5) or GP for a Guiding-Principles theme", required=True),
        Field("question", "string", "The rule's question", required=True),
        Field("evidence", "string", "What counts as evidence for the rule"),
        Field("verdict", "string", "evidenced | partly evidenced | no evidence found", required=True),
        Field("score", "number", "Sum of the cited sentences' scores (derived rules: themes evidenced)", required=True),
        Field("n_citations", "integer", "Number of cited sentences", required=True),
        Field("missing", "string", "Partly evidenced: the parts of the question no cited sentence answers, joined with '; '"),
        Field("n_documents", "integer", "QA documents the check read", required=True),
        Field("rulebook_version", "string", "Version of the rulebook that produced the verdict", required=True),
        Field("checked_at", "datetime", "When, UTC ISO 8601", required=True),
    ),
    ("system", "rule_id"),
))

_register(Table(
    "compliance_citations", "Sentences cited as evidence for a compliance verdict, with where to find them.",
    (
        Field("system", "string", "The QA system checked", required=True),
        Field("rule_id", "string", "Rule the sentence is evidence for", required=True),
        Field("rank", "integer", "1 = best-scoring sentence", required=True),
        Field("document_id", "string", "sha256 of the source PDF", required=True),
        Field("file_name", "string", "Source PDF file name"),
        Field("policy_id", "string", "qa_policies row the sentence belongs to"),
        Field("page", "integer", "1-based page where the clause starts"),
        Field("x0", "number", "Clause box, PDF points"),
        Field("top", "number", "Clause box, PDF points from the top of the page"),
        Field("x1", "number", "Clause box, PDF points"),
        Field("bottom", "number", "Clause box, PDF points from the top of the page"),
        Field("clause", "string", "Clause number as printed"),
        Field("heading_path", "string", "Headings above the clause, joined with ' > '"),
        Field("sentence", "string", "The quoted sentence", required=True),
        Field("matched_terms", "string", "Semicolon-separated rulebook terms found in the sentence"),
        Field("sentence_score", "number", "The sentence's score for the rule", required=True),
        Field("answers", "string", "full | part: the sentence answers the whole question or a part of it"),
        Field("parts", "string", "The parts of the rule's question the sentence (with its headings) answers, joined with '; '"),
        Field("sentence_page", "integer", "Page where the sentence itself is printed"),
        Field("sentence_x0", "number", "The sentence's own box (its printed lines on that page), PDF points"),
        Field("sentence_top", "number", "The sentence's own box, PDF points from the top of the page"),
        Field("sentence_x1", "number", "The sentence's own box, PDF points"),
        Field("sentence_bottom", "number", "The sentence's own box, PDF points from the top of the page"),
        Field("ocr", "boolean", "True when the sentence came from OCR text"),
        Field("confidence", "number", "Extraction confidence of the clause"),
        Field("rulebook_version", "string", "Version of the rulebook", required=True),
    ),
    ("system", "rule_id", "rank"),
))

_COMPARISON_FK = ForeignKey(("comparison_id",), "comparability_runs", ("comparison_id",))


def _comparison_side(side: str) -> tuple[Field, ...]:
    return (
        Field(f"{side}_name", "string", f"Standard {side.upper()}: qualification title, else document name"),
        Field(f"{side}_document", "string", f"Standard {side.upper()}: source document file name"),
        Field(f"{side}_language", "string", f"Standard {side.upper()}: ISO 639-1 language"),
        Field(f"{side}_family", "string", f"Standard {side.upper()}: document family"),
        Field(f"{side}_source_sha256", "string", f"Standard {side.upper()}: sha256 of the source PDF"),
        Field(f"{side}_input_path", "string", f"Standard {side.upper()}: file given to the comparison (PDF or JSON)"),
        Field(f"{side}_input_sha256", "string", f"Standard {side.upper()}: sha256 of that file"),
        Field(f"{side}_n_units", "integer", f"Standard {side.upper()}: number of units"),
    )


def _comparison_unit() -> tuple[Field, ...]:
    """A unit of either side of a comparison (gaps, coverage)."""
    return (
        Field("comparison_id", "string", "Comparison", required=True),
        Field("side", "string", "A | B", required=True),
        Field("order", "integer", "Position of the unit in its standard, from 1", required=True),
        Field("code", "string", "Unit code"),
        Field("title", "string", "Unit title"),
        Field("category", "string", "basic | common | core | elective"),
        Field("n_criteria", "integer", "Criteria of the unit"),
    )


_register(Table(
    "comparability_runs", "Comparability matrix (Roadmap steps 2-3): one row per comparison of standard A "
    "(sending) with standard B (receiving), with the settings that produced it.",
    (
        Field("comparison_id", "string", "Hash of both inputs and the settings", required=True),
        Field("created_at", "datetime", "When, UTC ISO 8601", required=True),
        Field("method", "string", "lexical | semantic", required=True),
    ) + _comparison_side("a") + _comparison_side("b") + (
        Field("cross_language", "boolean", "True when A and B are in different languages (every pair low confidence)"),
        Field("n_pairs", "integer", "Unit pairs kept (one to one, partially comparable or better)"),
        Field("n_equivalent", "integer", "Kept pairs in the equivalent band"),
        Field("n_partial", "integer", "Kept pairs in the partially comparable band"),
        Field("n_gaps_a", "integer", "Units of A without a counterpart in B"),
        Field("n_gaps_b", "integer", "Units of B without a counterpart in A"),
        Field("settings", "string", "JSON: thresholds, weights, lemmatizers, glossary sha256, version"),
    ),
    ("comparison_id",),
))

_register(Table(
    "comparability_units", "Every cell of the comparability matrix: a unit of A against a unit of B.",
    (
        Field("comparison_id", "string", "Comparison", required=True),
        Field("a_order", "integer", "Position of the unit in A, from 1", required=True),
        Field("b_order", "integer", "Position of the unit in B, from 1", required=True),
        Field("a_code", "string", "Unit code in A"),
        Field("a_title", "string", "Unit title in A"),
        Field("a_category", "string", "basic | common | core | elective"),
        Field("b_code", "string", "Unit code in B"),
        Field("b_title", "string", "Unit title in B"),
        Field("b_category", "string", "basic | common | core | elective"),
        Field("score", "number", "Weighted similarity of the two units, 0-1", required=True),
        Field("text_similarity", "number", "Whole-unit text similarity, 0-1"),
        Field("title_similarity", "number", "Title similarity (token-set ratio), 0-1"),
        Field("criteria_similarity", "number", "Aligned criteria: 2 * sum(similarity) / (n_A + n_B); empty "
              "when a unit has no criteria"),
        Field("coverage_a_in_b", "number", "Share of A's criteria found in B, generic criteria (safety, "
              "housekeeping, reporting, lines recurring across units) weighing less"),
        Field("coverage_b_in_a", "number", "Share of B's criteria found in A, generic criteria weighing less"),
        Field("n_criteria_a", "integer", "Criteria of the unit in A"),
        Field("n_criteria_b", "integer", "Criteria of the unit in B"),
        Field("n_criteria_matched", "integer", "Criterion pairs aligned one to one above the threshold"),
        Field("n_criteria_found_a", "integer", "A's criteria with a counterpart in B above the threshold"),
        Field("n_criteria_found_b", "integer", "B's criteria with a counterpart in A above the threshold"),
        Field("band", "string", "equivalent | partially comparable | not comparable (decided by coverage)",
              required=True),
        Field("band_reason", "string", "What decided the band: the band model's strongest features with their "
              "values (mrs_etl/compare/band_model.json), or the same-unit rule, or the thresholds"),
        Field("aligned", "boolean", "True for the pairs of the one-to-one summary alignment", required=True),
        Field("confidence", "number", "1, or lower when the standards are in different languages"),
        Field("flags", "string", "Semicolon-separated, e.g. different_languages_low_confidence, borderline_band (the band model gave the band less than borderline_probability: read it)"),
    ),
    ("comparison_id", "a_order", "b_order"),
    (_COMPARISON_FK,),
))

_register(Table(
    "comparability_criteria", "Criterion evidence for every comparable cell and every aligned pair: "
    "criterion pairs and the criteria found on one side only.",
    (
        Field("comparison_id", "string", "Comparison", required=True),
        Field("a_order", "integer", "Unit position in A", required=True),
        Field("b_order", "integer", "Unit position in B", required=True),
        Field("evidence_order", "integer", "Row within the unit pair, from 1", required=True),
        Field("a_code", "string", "Unit code in A"),
        Field("b_code", "string", "Unit code in B"),
        Field("status", "string", "matched | only_in_a | only_in_b", required=True),
        Field("a_position", "integer", "Criterion position within A's unit, from 1"),
        Field("a_element", "string", "Element number of A's criterion"),
        Field("a_number", "string", "Criterion number in A as printed"),
        Field("a_text", "string", "Criterion text in A"),
        Field("a_generic", "boolean", "A's criterion is generic (weighs generic_weight in coverage)"),
        Field("b_position", "integer", "Criterion position within B's unit, from 1"),
        Field("b_element", "string", "Element number of B's criterion"),
        Field("b_number", "string", "Criterion number in B as printed"),
        Field("b_text", "string", "Criterion text in B"),
        Field("b_generic", "boolean", "B's criterion is generic (weighs generic_weight in coverage)"),
        Field("similarity", "number", "Criterion similarity, 0-1 (matched rows)"),
    ),
    ("comparison_id", "a_order", "b_order", "evidence_order"),
    (_COMPARISON_FK,),
))

_register(Table(
    "comparability_gaps", "Units of either standard that the other covers below gap_coverage, with no "
    "comparable unit in it.",
    _comparison_unit() + (
        Field("closest_code", "string", "The other standard's best-scoring unit"),
        Field("closest_title", "string", "Its title"),
        Field("closest_score", "number", "Its score"),
        Field("reason", "string", "Why no pair was kept", required=True),
    ),
    ("comparison_id", "side", "order"),
    (_COMPARISON_FK,),
))

_register(Table(
    "comparability_coverage", "Every unit of either standard: how much of it the other standard covers, "
    "and by which of its units together (many-to-many, as officials record it).",
    _comparison_unit() + (
        Field("coverage", "number", "Share of its criteria (generic ones weighing less) found in the units of "
              "covered_by together", required=True),
        Field("covered_by", "string", "Codes (or titles) of the other side's units that cover it, joined ' + '"),
        Field("covered_by_orders", "string", "Their positions in the other standard, ';'-separated"),
        Field("gap", "boolean", "True when coverage < gap_coverage and no unit of the other side is comparable",
              required=True),
    ),
    ("comparison_id", "side", "order"),
    (_COMPARISON_FK,),
))

_register(Table(
    "comparability_qualifications", "The qualification benchmarked as a whole (Roadmap step 3): one row per "
    "side of a comparison.",
    (
        Field("comparison_id", "string", "Comparison", required=True),
        Field("side", "string", "A | B", required=True),
        Field("name", "string", "Qualification title, else document name"),
        Field("level", "string", "Level as printed (NC II, KKNI level), else read from the title"),
        Field("nominal_hours", "number", "Nominal training hours the document states, else the sum of its units'"),
        Field("n_units", "integer", "Units of competency"),
        Field("n_basic", "integer", "Basic units"),
        Field("n_common", "integer", "Common units"),
        Field("n_core", "integer", "Core units"),
        Field("n_elective", "integer", "Elective units"),
        Field("n_uncategorised", "integer", "Units without a category (SKKNI, self-assessment guides)"),
        Field("packaging_rules", "string", "The document's own sentences on how units make the qualification"),
        Field("core_coverage", "number", "Share of this side's core criteria covered by the other side (units "
              "without a category count as core when none is marked core)"),
        Field("overall_coverage", "number", "Share of all this side's criteria covered by the other side"),
        Field("units_lacking_in_other", "string", "This side's units that the other side lacks (gaps), '; '-separated"),
        Field("summary", "string", "A line officials can quote", required=True),
    ),
    ("comparison_id", "side"),
    (_COMPARISON_FK,),
))

_register(Table(
    "qualification_catalogue", "Roadmap step 1: every qualification ingestion found, one row per competency-standard "
    "document, with its level and hours as printed or derived (mrs_etl.portfolio.catalogue) and what is unresolved.",
    (
        Field("document_id", "string", "Source document (sha256)", required=True),
        Field("file_name", "string", "Source document file name", required=True),
        Field("country", "string", "ISO 3166-1 alpha-2"),
        Field("family", "string", "Document family"),
        Field("language", "string", "ISO 639-1"),
        Field("title", "string", "Qualification title as printed, else the first unit's title"),
        Field("level", "string", "Level as printed, else read from the title (e.g. NC II); empty when neither gives one"),
        Field("level_basis", "string", "printed | title | empty when unresolved"),
        Field("sector", "string", "Sector or field as printed"),
        Field("n_units", "integer", "Units of competency (extracted units, else the qualification's unit list)", required=True),
        Field("n_basic", "integer", "Units in the basic category", required=True),
        Field("n_common", "integer", "Units in the common category", required=True),
        Field("n_core", "integer", "Units in the core category", required=True),
        Field("n_elective", "integer", "Units in the elective category", required=True),
        Field("n_uncategorised", "integer", "Units whose document gives no category", required=True),
        Field("nominal_hours", "number", "Nominal hours as the qualification states them, else the sum of the "
              "units' nominal hours when every unit gives them"),
        Field("hours_basis", "string", "stated (the qualification's printed hours) | units | listed_units | "
              "empty when unresolved"),
        Field("unresolved", "string", "Semicolon-separated: what the tables do not give (level, nominal_hours, category)"),
        Field("page", "integer", "1-based page of the qualification (or first unit) in the document"),
    ),
    ("document_id",),
    (DOC_FK,),
))
