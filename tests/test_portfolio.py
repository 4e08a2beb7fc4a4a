"""The MRS portfolio of a corridor: corridor files, frameworks, and both corpus corridors built end to end.

The corpus part runs ingestion once per session over a temporary raw/ of symlinks to the
corridors' PDFs, then builds both portfolios once; the tests read what was built.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from mrs_etl.cli import app as cli
from mrs_etl.files import sha256_file
from mrs_etl.levels import level_from_title
from mrs_etl.portfolio.corridor import REPO_CORRIDORS, CorridorError, load_corridor
from mrs_etl.portfolio.referencing import FRAMEWORKS_DIR, is_placeholder, load_framework, reference

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
PH_ID = "ph-id-computer-systems-servicing"
ID_PH = "id-ph-computer-operation"


# --- corridor files and frameworks (no corpus) ------------------------------------------------------------

def test_a_broken_corridor_file_gets_one_message_listing_every_problem(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[sending]\ncountry = "Philippines"\nframework = "PQF"\nqa_system = "PH"\n'
                   'qualification = []\n[sending.facts.responsible_agency]\nvalue = "TESDA"\n'
                   '[sending.facts.worker_organisations]\nplaceholder = "unknown"\nvalue = "guess"\n')
    with pytest.raises(CorridorError) as err:
        load_corridor(bad)
    message = str(err.value)
    for expected in ("ISO 3166-1", "'qualification' names no document", "responsible_agency]: 'source' is required",
                     "a placeholder has no 'value'", "employer_organisations]: missing", "[receiving]: missing",
                     "industry_shortage]: missing"):
        assert expected in message
    result = CliRunner().invoke(cli, ["portfolio", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output and "invalid corridor" in result.output
    assert not (tmp_path / "out").exists()


def test_every_repository_corridor_loads_and_every_fact_is_sourced_or_a_placeholder():
    files = sorted(REPO_CORRIDORS.glob("*.toml"))
    assert {p.stem for p in files} >= {PH_ID, ID_PH}
    for path in files:
        corridor = load_corridor(path)
        facts = [*corridor.facts.values()] + [f for s in corridor.sides for f in s.facts.values()]
        for fact in facts:
            assert fact.is_placeholder or (fact.source and (fact.source.document and fact.source.page
                                                             or fact.source.reference or fact.source.url)), fact


def test_frameworks_hold_no_invented_wording_and_unsourced_hops_are_flagged():
    for path in FRAMEWORKS_DIR.glob("*.toml"):
        fw = load_framework(path.stem)
        assert fw.levels
        for lv in fw.levels:  # the project has no official descriptor text: every one must say so
            assert is_placeholder(lv.knowledge_skills) and is_placeholder(lv.application_responsibility), (fw.id, lv)
    pqf, kkni = load_framework("PQF"), load_framework("KKNI")
    hops = reference("NC II", pqf, kkni, "PQF", "KKNI")
    assert [(h.frm, h.to, h.status) for h in hops] == [
        ("NC II", "PQF 2", "unsourced"), ("PQF 2", "?", "unresolved"), ("AQRF ?", "KKNI ?", "unresolved")]
    assert "referencing report" in hops[1].basis
    assert reference("NC V", pqf, kkni, "PQF", "KKNI")[0].status == "unresolved"
    assert reference("2", pqf, None, "PQF", "TQF")[-1].status == "unresolved"
    # a cited decision is followed through the AQRF to the receiving framework
    from mrs_etl.portfolio.referencing import parse_framework

    a = parse_framework({"id": "A", "name": "A", "country": "PH", "source": {"reference": "Act 1"},
                         "levels": [{"level": "2", "aliases": ["NC II"], "knowledge_skills": "k",
                                     "application_responsibility": "r"}],
                         "alias_source": {"reference": "Order 2"},
                         "referencing": [{"level": "2", "to_framework": "AQRF", "to_level": "3",
                                          "source": {"reference": "Report A"}}]})
    b = parse_framework({"id": "B", "name": "B", "country": "ID", "source": {"reference": "Act 2"},
                         "levels": [{"level": "4", "knowledge_skills": "k", "application_responsibility": "r"}],
                         "referencing": [{"level": "4", "to_framework": "AQRF", "to_level": "3",
                                          "source": {"reference": "Report B"}}]})
    assert [(h.to, h.status) for h in reference("NC II", a, b, "A", "B")] == [
        ("A 2", "cited"), ("AQRF 3", "cited"), ("B 4", "cited")]


@pytest.mark.parametrize("title, level", [
    ("COMPUTER SYSTEMS SERVICING NC II", "NC II"), ("Agroentrepreneurship NC III", "NC III"),
    ("Trainers Methodology Level I", "Level I"), ("Operator jenjang 4", "Jenjang 4"),
    ("STANDAR KOMPETENSI KERJA NASIONAL INDONESIA", None), ("NCR region", None)])
def test_level_is_read_from_a_title_only_in_the_forms_frameworks_print(title, level):
    assert level_from_title(title) == level


def test_sources_are_found_by_file_name_or_sha256_and_a_quarantined_one_says_why():
    from mrs_etl.portfolio.sources import resolve
    from mrs_etl.tables import frame

    tables = {"documents": frame("documents", [
        {"document_id": "a" * 64, "path": "sub/good.pdf", "file_name": "good.pdf", "status": "ok", "family": "skkni"},
        {"document_id": "b" * 64, "path": "bad.pdf", "file_name": "bad.pdf", "status": "quarantined"}]),
        "rejections": frame("rejections", [{"document_id": "b" * 64, "path": "bad.pdf", "stage": "extract",
                                            "reason": "timeout", "detail": "600 s", "rejected_at": "2026-01-01T00:00:00Z"}])}
    assert resolve("good.pdf", tables).ok and resolve("A" * 64, tables).file_name == "good.pdf"
    bad = resolve("bad.pdf", tables)
    assert bad.status == "quarantined" and bad.reason == "extract: timeout: 600 s"
    assert resolve("other.pdf", tables).status == "missing"


# --- both corpus corridors, built once ---------------------------------------------------------------------

def _needed_documents() -> set[str]:
    names = set()
    for name in (PH_ID, ID_PH):
        c = load_corridor(name)
        for side in c.sides:
            names |= {*side.qualification, *side.supporting, *side.qa_documents}
    return names


@pytest.fixture(scope="module")
def site(corpus_dir, tmp_path_factory):
    from mrs_etl.portfolio import make_portfolio
    from pipelines.flows import run_pipeline

    root = tmp_path_factory.mktemp("portfolio")
    raw = root / "raw"
    raw.mkdir()
    for name in sorted(_needed_documents()):
        (raw / name).symlink_to(corpus_dir / "pdf" / name)
    run_pipeline(raw, root / "processed")
    built = {name: make_portfolio(load_corridor(name), root / "processed", root / "out", raw) for name in (PH_ID, ID_PH)}
    return {"root": root, "raw": raw, "processed": root / "processed", "built": built}


def _completeness(site, name) -> pd.DataFrame:
    return pd.read_csv(site["built"][name][0] / "completeness.csv")


def test_ph_id_portfolio_has_every_section_and_a_completeness_row_per_question(site):
    folder, pf = site["built"][PH_ID]
    for page in ("index", "step1", "step2-3", "step4-5", "step6", "step7b"):
        assert (folder / f"{page}.html").is_file()
    assert (folder / "portfolio.pdf").stat().st_size > 10_000
    assert sorted(p.name for p in (folder / "step2-3").iterdir()) == [
        "tesda-tr-computer-systems-servicing-nc-ii__vs__skkni-2016-321-jaringan-komputer",
        "tesda-tr-computer-systems-servicing-nc-ii__vs__skkni-2018-056-pengoperasian-komputer"]
    assert (folder / "step4-5" / "PH-TESDA" / "compliance.xlsx").is_file()
    assert (folder / "step4-5" / "ID-BNSP" / "compliance.xlsx").is_file()
    assert all(s.status == "built" for s in pf.sections.values())
    table = _completeness(site, PH_ID)
    assert set(table["status"]) <= {"answered", "partly", "missing"}
    assert {"1", "2", "3", "4", "5", "6", "7a", "7b"} <= set(table["step"].astype(str))
    by_question = dict(zip(table["question"], table["status"]))
    # sourced facts are answered, placeholders missing; the 15 units of CSS NC II are all in the profile
    assert by_question["Responsible ministry or agency (sending)"] == "answered"
    assert by_question["Worker organisations involved (sending)"] == "missing"
    assert by_question["Industry with a shortage of skilled workers (corridor)"] == "missing"
    assert by_question["Does the profile incorporate every unit of the qualification?"] == "answered"
    assert len(pf.sections["step6"].data["profile"].units) == 15
    assert by_question["Is the qualification's level referenced to the AQRF and the receiving framework?"] == "missing"
    assert all(f["check"] in ("quote verified on the page", "placeholder") for f in pf.facts), pf.facts


def test_manifest_lists_every_source_with_its_sha256_and_every_claim_with_file_and_page(site):
    folder, _ = site["built"][PH_ID]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {s["file_name"] for s in manifest["sources"]} == _needed_documents()
    for s in manifest["sources"]:
        assert s["status"] == "ok" and s["sha256"] == sha256_file(folder / s["copied_to"])
    assert manifest["claims"] and all(c["file_name"] and c["page"] for c in manifest["claims"])


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.lower())


def test_every_quotation_traces_back_to_its_pdf_page(site):
    from mrs_etl.portfolio.build import page_text

    folder, _ = site["built"][PH_ID]
    claims = [c for c in json.loads((folder / "manifest.json").read_text())["claims"] if c["kind"] != "figure"]
    assert len(claims) >= 100 and {c["section"] for c in claims} >= {"step1", "step4-5", "step6"}
    misses = []
    for c in claims:  # every quotation, not a sample: reading the pages takes about a second
        pdf = folder / "sources" / c["file_name"]
        # a row records the page it starts on: an item split across a page break ends on the next one
        page = set(_words(page_text(pdf, c["page"]) + " " + page_text(pdf, c["page"] + 1)))
        quote = _words(c["text"])
        found = sum(w in page for w in quote) / len(quote)
        if found < 0.9:  # OCR-cleaned QA sentences differ from the file's own text layer in a few letters
            misses.append((c["file_name"], c["page"], round(found, 2), c["text"][:80]))
    assert not misses, misses


def test_figures_trace_to_table_rows(site):
    from mrs_etl.pipeline.publish import read_published

    folder, pf = site["built"][PH_ID]
    tables = read_published(site["processed"])
    catalogue = tables["qualification_catalogue"].set_index("document_id")
    for claim in (c for c in pf.claims if c.table == "qualification_catalogue"):
        row = catalogue.loc[claim.row_id]
        assert claim.text == f"{row['n_units']} units" and claim.page == row["page"]
        assert row["n_units"] == (tables["units"]["document_id"] == claim.row_id).sum()


def test_a_missing_or_quarantined_source_marks_its_section_missing_and_the_rest_is_built(site, tmp_path):
    from mrs_etl.portfolio.write import write_portfolio
    from mrs_etl.pipeline.publish import read_published

    text = (REPO_CORRIDORS / f"{PH_ID}.toml").read_text()
    text = text.replace('"tesda-circular-020-s2014-nttc-level-i.pdf",\n  "tesda-circular-033-s2017-iwer.pdf",\n  '
                        '"tesda-circular-050-s2017-rpiit.pdf",\n  "tesda-circular-051-s2017-equivalent-iwer.pdf",\n  '
                        '"tesda-annex-11-competency-assessment-forms.pdf",', '"no-such-circular.pdf",')
    text = text.replace('qualification = ["skkni-2016-321-jaringan-komputer.pdf", "skkni-2018-056-pengoperasian-komputer.pdf"]',
                        'qualification = ["skkni-2099-999-missing.pdf"]')
    (tmp_path / "broken.toml").write_text(text)
    folder, pf = write_portfolio(load_corridor(tmp_path / "broken.toml"), read_published(site["processed"]),
                                 tmp_path / "out", site["raw"])
    assert pf.sections["step2-3"].status == "missing" and "skkni-2099-999-missing.pdf is missing" in \
        "; ".join(pf.sections["step2-3"].reasons)
    assert pf.sections["step4-5"].status == "missing"
    assert pf.sections["step6"].status == "built" and pf.sections["step1"].status == "built"
    table = pd.read_csv(folder / "completeness.csv")
    assert (table[table["step"].astype(str) == "2"]["status"] == "missing").all()
    assert "Section missing" in (folder / "step4-5.html").read_text()
    assert (folder / "portfolio.pdf").is_file()


def test_the_second_corridor_runs_the_other_way(site):
    folder, pf = site["built"][ID_PH]
    assert pf.corridor.sending.country == "ID" and pf.sections["step6"].status == "built"
    profile = pf.sections["step6"].data["profile"]
    assert len(profile.units) == 17 and profile.incorporates_every_unit
    hops = pf.sections["step7b"].data["hops"]
    assert hops[0].status == "unresolved" and "SKKNI sets units" in hops[0].basis
    assert (folder / "step2-3" / "skkni-2018-056-pengoperasian-komputer__vs__tesda-tr-computer-systems-servicing-nc-ii"
            / "comparability.xlsx").is_file()


# --- rendered ----------------------------------------------------------------------------------------------

def test_pdf_renders_with_pdftoppm_and_holds_every_section(site):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    folder, pf = site["built"][PH_ID]
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(folder / "portfolio.pdf"),
                    str(ARTIFACTS / "portfolio-pdf")], check=True)
    assert (ARTIFACTS / "portfolio-pdf-01.png").stat().st_size > 5_000
    text = subprocess.run(["pdftotext", "-layout", str(folder / "portfolio.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    for section in pf.sections.values():
        assert section.title.split(" (")[0] in text
    assert "Completeness" in text and "PLACEHOLDER" in text


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_html_portfolio_in_headless_chromium(site):
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (scripts/setup.sh --dev installs the Debian packages chromium "
                    "and chromium-driver)")
    from playwright.sync_api import sync_playwright

    folder, pf = site["built"][PH_ID]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto((folder / "index.html").as_uri())
            rows = page.locator("table.completeness tr[data-status]")
            assert rows.count() == len(pf.completeness)
            assert page.locator("tr[data-status=missing]").count() == sum(r["status"] == "missing" for r in pf.completeness)
            page.screenshot(path=str(ARTIFACTS / "portfolio-index.png"), full_page=True)
            for href in page.locator("a.src").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
                assert (folder / href.split("#")[0]).is_file(), href
            page.goto((folder / "step2-3.html").as_uri())
            assert page.locator("figure.heatmap svg rect").count() == 15 * 24 + 15 * 17
            assert page.locator("figure.coverage svg").count() == 2
            assert page.locator("figure.coverage svg rect").count() == 2 * 15  # a bar per unit of A
            page.screenshot(path=str(ARTIFACTS / "portfolio-step2-3.png"), full_page=True)
            page.goto((folder / "step6.html").as_uri())
            assert page.locator("div.unit").count() == 15
            assert page.locator("a.src[href*='tesda-tr-computer-systems-servicing-nc-ii.pdf#page=']").count() > 15
            page.screenshot(path=str(ARTIFACTS / "portfolio-step6.png"), full_page=True)
            page.goto((folder / "step1.html").as_uri())
            assert page.locator("[data-placeholder]").count() == sum(bool(f["placeholder"]) for f in pf.facts)
            page.goto((folder / "step4-5.html").as_uri())
            assert page.locator("figure.verdicts svg rect").count() > 0
            page.goto((folder / "step7b.html").as_uri())
            assert page.locator("table.hops tr[data-status]").count() == len(pf.sections["step7b"].data["hops"])
        finally:
            browser.close()


def test_the_flow_runs_ingestion_then_every_corridor_and_reports_a_broken_one(site, tmp_path):
    from mrs_etl.prefect_api import prefect_api
    from pipelines.flows import portfolio_flow

    broken = tmp_path / "broken.toml"
    broken.write_text('title = "no sides"\n')
    with prefect_api():  # the project's local server: Prefect's own times out on a busy machine
        outcomes = portfolio_flow(corridors=[ID_PH, str(broken)], raw_dir=str(site["raw"]),
                                  processed_dir=str(site["processed"]), out_dir=str(tmp_path / "out"))
    assert [o["corridor"] for o in outcomes] == [ID_PH, str(broken)]
    assert outcomes[0]["sections_missing"] == "none" and (tmp_path / "out" / ID_PH / "index.html").is_file()
    assert outcomes[1]["sections_missing"].startswith("failed: CorridorError")
