"""The layout's dependency rules, read from the source: profiles depend on the engines, never the reverse."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("mrs_etl/standard", "mrs_etl/checklist", "mrs_etl/qa/policies.py")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def library_files(*parts: str) -> list[Path]:
    files = []
    for part in parts:
        p = ROOT / part
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return files


def test_no_library_module_imports_the_profiles():
    offenders = {str(f.relative_to(ROOT)): sorted(m for m in imported_modules(f) if m.split(".")[0] == "extractors")
                 for f in library_files("mrs_etl")}
    assert {f: m for f, m in offenders.items() if m} == {}


def test_engines_do_not_import_the_registry():
    offenders = {str(f.relative_to(ROOT)): sorted(m for m in imported_modules(f) if m == "mrs_etl.registry")
                 for f in library_files(*ENGINES)}
    assert {f: m for f, m in offenders.items() if m} == {}


def test_the_flows_call_the_pipeline_package_not_loose_modules():
    stages = {m for m in imported_modules(ROOT / "pipelines" / "flows.py") if m.startswith("mrs_etl.")}
    assert {m for m in stages if m.startswith("mrs_etl.pipeline.")}, stages
    assert not [m for m in stages if m.split(".")[1].startswith("pipeline_")]


def test_every_profile_module_is_found_by_the_registry():
    import importlib

    from mrs_etl.registry import profiles

    modules = sorted(p.stem for p in (ROOT / "extractors").glob("*.py") if not p.stem.startswith("_"))
    defined = {importlib.import_module(f"extractors.{m}").PROFILE.name for m in modules}
    assert defined == {p.name for p in profiles()}
