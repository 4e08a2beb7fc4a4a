"""The stewards' review app, end to end: a generated TESDA-like PDF is extracted and published, a
steward reviews rows through the app (HTTP API, then a real headless Chromium), the document is
re-extracted and re-published, and the changes are still applied."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from typer.testing import CliRunner

from mrs_etl.cli import app as cli
from mrs_etl.extract import extract_pdf
from mrs_etl.pipeline.publish import current_version, publish
from mrs_etl.review.app import create_app, serve
from mrs_etl.review.overrides import OverrideStore, apply_overrides, default_store_path
from mrs_etl.tables import extraction_frames, frame
from mrs_etl.pipeline.validate import validate_tables

CRITERIA = [
    ("1. Prepare trial balance", ["1.1 Ledger balances are listed", "1.2 Totals are checked for errors",
                                  "1.3 Trial balance is signed"]),
    ("2. Prepare statements", ["2.1 Income statement is prepared", "2.2 Balance sheet is prepared"]),
]
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")


def write_standard_pdf(path: Path, criteria=CRITERIA) -> None:
    """A two-page TESDA-like competency standard: one unit, a ruled ELEMENT | PERFORMANCE CRITERIA table."""
    styles = getSampleStyleSheet()
    cell = styles["Normal"]
    rows = [[Paragraph("ELEMENT", cell), Paragraph("PERFORMANCE CRITERIA", cell)]]
    rows += [[Paragraph(element, cell), [Paragraph(c, cell) for c in items]] for element, items in criteria]
    table = Table(rows, colWidths=[150, 330])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    # invariant: the same content gives the same bytes, hence the same document id and row keys
    SimpleDocTemplate(str(path), pagesize=A4, invariant=True).build([
        Paragraph("TRAINING REGULATIONS", styles["Title"]), Paragraph("BOOKKEEPING NC III", styles["Title"]),
        Paragraph("Technical Education and Skills Development Authority (TESDA)", cell),
        Paragraph("SECTION 2 COMPETENCY STANDARDS", styles["Heading2"]),
        Paragraph("CORE COMPETENCIES", styles["Heading2"]), PageBreak(),
        Paragraph("UNIT OF COMPETENCY: PREPARE FINANCIAL REPORTS", cell), Paragraph("UNIT CODE: FIN315201", cell),
        Paragraph("UNIT DESCRIPTOR: This unit covers the knowledge and skills to prepare reports.", cell),
        Spacer(1, 12), table, PageBreak(), Paragraph("SECTION 3 TRAINING STANDARDS", styles["Heading2"])])


def mark_doubtful(criteria: pd.DataFrame) -> None:
    """Criterion 2.2 as the extractor's guess, so that the "flagged" filter has something to find."""
    criteria.loc[criteria["number"] == "2.2", ["confidence", "flags"]] = [0.5, "number_guessed"]


def extract_and_publish(raw: Path, processed: Path, mark=mark_doubtful) -> str:
    """What a pipeline run does for these tests: extract every PDF, apply the overrides, validate, publish.

    `mark` changes the criteria's confidence and flags first. Returns the document id of the (single) PDF.
    """
    tables, documents = {}, []
    for pdf in sorted(raw.glob("*.pdf")):
        extraction = extract_pdf(pdf)
        info = extraction.document
        documents.append({"document_id": info.sha256, "path": pdf.relative_to(raw).as_posix(),
                          "file_name": info.file_name, "family": info.family, "country": info.country,
                          "language": info.language, "pages": info.pages, "status": "ok",
                          "extractor_version": info.extractor_version})
        tables = extraction_frames(extraction)
    mark(tables["performance_criteria"])
    tables["documents"] = frame("documents", documents)
    tables["rejections"] = frame("rejections", [])
    tables, _ = apply_overrides(tables, OverrideStore(default_store_path(processed)))
    validate_tables(tables)
    publish(tables, processed)
    return documents[0]["document_id"]


class StewardClient(TestClient):
    """A browser on the app's own pages: the loopback address it serves, and its form token in every POST."""

    def __init__(self, app, **kwargs):
        super().__init__(app, base_url="http://127.0.0.1:8765", **kwargs)

    def post(self, url, data=None, **kwargs):
        return super().post(url, data={"csrf": self.app.state.review.csrf, **(data or {})}, **kwargs)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    raw, processed = root / "raw", root / "processed"
    raw.mkdir()
    write_standard_pdf(raw / "bookkeeping.pdf")
    doc = extract_and_publish(raw, processed)
    return {"root": root, "raw": raw, "processed": processed, "doc": doc}


@pytest.fixture
def fresh(site, tmp_path):
    """A copy of the published site with an empty overrides store, for tests that change things."""
    processed = tmp_path / "processed"
    shutil.copytree(site["processed"], processed, symlinks=True)
    return {**site, "processed": processed, "client": StewardClient(create_app(processed, site["raw"]))}


def crit(doc: str, element: int, n: int) -> str:
    return f"{doc}/u001/e{element:02d}/c{n:02d}"


def status_of(html: str, key: str) -> str:
    row = re.search(rf'<tr data-key="{re.escape(key)}".*?status-(\w+)', html, re.S)
    assert row, f"row {key} not shown"
    return row.group(1)


def test_documents_rows_flags_and_page_image(site):
    client = StewardClient(create_app(site["processed"], site["raw"]))
    doc = site["doc"]
    index = client.get("/")
    assert index.status_code == 200 and "bookkeeping.pdf" in index.text and f"/documents/{doc}" in index.text
    page = client.get(f"/documents/{doc}")
    assert page.status_code == 200
    assert all(text in page.text for text in ("Ledger balances are listed", "Balance sheet is prepared"))
    flagged = client.get(f"/documents/{doc}", params={"flagged": "true"})
    assert "number_guessed" in flagged.text and "Ledger balances are listed" not in flagged.text
    assert "1 of 5 rows" in flagged.text

    selected = client.get(f"/documents/{doc}", params={"key": crit(doc, 1, 2)})
    box = re.search(r'id="highlight" style="left: ([\d.]+)%; top: ([\d.]+)%; width: ([\d.]+)%', selected.text)
    assert box, "the selected row's box is drawn over the page"
    left, top, width = map(float, box.groups())
    # criteria sit in the right-hand column of the table, in the upper part of an A4 page
    assert 30 < left < 45 and 10 < top < 40 and 10 < width < 60
    image = client.get(f"/documents/{doc}/pages/2.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    width_px, height_px = int.from_bytes(image.content[16:20], "big"), int.from_bytes(image.content[20:24], "big")
    assert (width_px, height_px) == (round(595.28 * 1.5), round(841.89 * 1.5))
    assert list((site["root"] / "review" / "page-cache" / doc).glob("2@*.png")), "rendered pages are cached"
    assert client.get(f"/documents/{doc}/pages/9.png").status_code == 404


def test_review_actions_are_logged_and_survive_re_publishing(fresh):
    client, doc = fresh["client"], fresh["doc"]
    edit = client.post(f"/documents/{doc}/review", data={
        "table": "performance_criteria", "key": crit(doc, 1, 1), "action": "edit", "steward": "Ana Cruz",
        "reason": "missing word", "field.number": "1.1", "field.text": "Ledger balances are listed in full",
        "field.element_id": f"{doc}/u001/e01"}, follow_redirects=False)
    assert edit.status_code == 303 and "Ana Cruz" in edit.headers["set-cookie"]
    client.post(f"/documents/{doc}/review", data={"table": "performance_criteria", "key": crit(doc, 1, 2),
                                                  "action": "reject", "steward": "Ana Cruz", "reason": "duplicate"})
    client.post(f"/documents/{doc}/review", data={"table": "units", "key": f"{doc}/u001", "action": "accept",
                                                  "steward": "Ben Santos"})
    added = client.post(f"/documents/{doc}/add", data={
        "table": "performance_criteria", "parent": f"{doc}/u001/e02", "field.number": "2.3",
        "field.text": "Notes to the statements are written", "field.page": "2", "steward": "Ben Santos",
        "reason": "row lost at the table end"}, follow_redirects=False)
    added_key = re.search(r"key=([^&]+)", added.headers["location"]).group(1).replace("%2F", "/")

    def check(html: str) -> None:
        assert "Ledger balances are listed in full" in html
        assert status_of(html, crit(doc, 1, 1)) == "edited"
        assert status_of(html, crit(doc, 1, 2)) == "rejected"
        assert status_of(html, crit(doc, 1, 3)) == "unreviewed"
        assert status_of(html, added_key) == "added" and "Notes to the statements are written" in html

    check(client.get(f"/documents/{doc}").text)
    before = current_version(fresh["processed"])
    write_standard_pdf(fresh["raw"] / "bookkeeping.pdf")  # re-extraction of the same document
    assert extract_and_publish(fresh["raw"], fresh["processed"]) == doc
    assert current_version(fresh["processed"]) != before  # a new version is current
    check(client.get(f"/documents/{doc}").text)
    assert status_of(client.get(f"/documents/{doc}", params={"table": "units"}).text, f"{doc}/u001") == "accepted"

    # the published tables carry the review too (the run applied the store before publishing)
    published = pd.read_parquet(current_version(fresh["processed"]) / "parquet" / "performance_criteria.parquet")
    assert dict(zip(published["criterion_id"], published["review_status"]))[crit(doc, 1, 2)] == "rejected"

    log = client.get("/overrides.csv").text.splitlines()
    assert len(log) == 5 and log[0].startswith("id,created_at,steward,table,row_key")
    assert "Ana Cruz" in log[1] and "missing word" in log[1]
    assert [o["action"] for o in client.get("/overrides.json").json()] == ["edit", "reject", "accept", "add"]


def test_bad_edits_are_refused_and_not_stored(fresh):
    client, doc = fresh["client"], fresh["doc"]
    refused = client.post(f"/documents/{doc}/review", data={
        "table": "units", "key": f"{doc}/u001", "action": "edit", "steward": "Ana",
        "field.nominal_hours": "forty"})
    assert refused.status_code == 400 and "nominal_hours must be a number" in refused.text
    nameless = client.post(f"/documents/{doc}/review", data={
        "table": "performance_criteria", "key": crit(doc, 1, 1), "action": "reject", "steward": " "})
    assert nameless.status_code == 400 and "name is required" in nameless.text
    assert client.get("/overrides.json").json() == []


def test_conflicts_are_shown_until_withdrawn(fresh):
    client, doc = fresh["client"], fresh["doc"]
    client.post(f"/documents/{doc}/review", data={"table": "performance_criteria", "key": crit(doc, 1, 3),
                                                  "action": "reject", "steward": "Ana", "reason": "not a criterion"})
    # the document changes: element 1 now has two criteria, so the rejected row's key is gone
    write_standard_pdf(fresh["raw"] / "bookkeeping.pdf", [CRITERIA[0][:1] + (CRITERIA[0][1][:2],), CRITERIA[1]])
    doc2 = extract_and_publish(fresh["raw"], fresh["processed"])
    conflicts = client.get("/conflicts.json").json()
    assert [(c["kind"], c["row_key"], c["action"]) for c in conflicts] == [
        ("missing_row", crit(doc, 1, 3), "reject")]
    assert doc2 != doc  # a changed PDF is a new document: the old document's override is orphaned
    index = client.get("/")
    assert "missing row" in index.text and "not a criterion" in index.text
    withdrawn = client.post(f"/overrides/{conflicts[0]['override_id']}/withdraw",
                            data={"steward": "Ana", "reason": "document revised", "back": "/"}, follow_redirects=False)
    assert withdrawn.status_code == 303
    assert client.get("/conflicts.json").json() == []
    assert client.get("/overrides.json").json()[0]["withdrawn_by"] == "Ana"


def test_token_is_checked_on_every_request(site):
    client = StewardClient(create_app(site["processed"], site["raw"], token="s3cret"))
    assert client.get("/").status_code == 401
    assert client.get("/", headers={"X-Review-Token": "wrong"}).status_code == 401
    assert client.get("/overrides.json", headers={"X-Review-Token": "s3cret"}).status_code == 200
    assert client.get("/", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    entry = client.get("/?token=s3cret", follow_redirects=False)
    assert entry.status_code == 303 and entry.headers["location"] == "/"
    assert "mrs_review_token=s3cret" in entry.headers["set-cookie"]
    assert client.get("/").status_code == 200  # the cookie now carries the token
    assert client.post(f"/documents/{site['doc']}/review", data={}, cookies={"mrs_review_token": "x"}).status_code == 401


def test_refuses_to_listen_beyond_loopback_without_a_token(site):
    with pytest.raises(ValueError, match="--token"):
        serve(site["processed"], site["raw"], host="0.0.0.0")
    result = CliRunner().invoke(cli, ["review", "--processed", str(site["processed"]), "--host", "192.168.1.10"])
    assert result.exit_code == 2 and "give --token" in result.output


def test_cross_site_writes_and_foreign_host_names_are_refused(fresh):
    client, doc = fresh["client"], fresh["doc"]
    change = {"table": "performance_criteria", "key": crit(doc, 1, 1), "action": "reject", "steward": "Mallory"}
    evil = client.post(f"/documents/{doc}/review", data=change, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403
    referred = client.post(f"/documents/{doc}/review", data=change,
                           headers={"Referer": "http://evil.example/page.html"})
    assert referred.status_code == 403
    no_token = TestClient(client.app, base_url="http://127.0.0.1:8765").post(f"/documents/{doc}/review", data=change)
    assert no_token.status_code == 403 and "reload the page" in no_token.text
    # DNS rebinding: a name the attacker's DNS points at 127.0.0.1 is not a name the app serves
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 400
    assert client.post(f"/documents/{doc}/review", data=change, headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/overrides.json").json() == []
    own = client.post(f"/documents/{doc}/review", data=change, headers={"Origin": "http://127.0.0.1:8765"},
                      follow_redirects=False)
    assert own.status_code == 303 and [o["steward"] for o in client.get("/overrides.json").json()] == ["Mallory"]


def test_a_file_in_a_form_and_a_huge_page_are_answered_without_a_server_error(fresh, tmp_path):
    client, doc = fresh["client"], fresh["doc"]
    upload = client.post(f"/documents/{doc}/review", data={"table": "performance_criteria", "key": crit(doc, 1, 1),
                                                          "action": "accept"},
                         files={"steward": ("name.txt", b"Ana", "text/plain")})
    assert upload.status_code == 400 and client.get("/overrides.json").json() == []

    from reportlab.pdfgen import canvas
    (tmp_path / "raw").mkdir()
    huge = canvas.Canvas(str(tmp_path / "raw" / "bookkeeping.pdf"), pagesize=(14400, 14400))  # 200 x 200 inches
    huge.drawString(100, 100, "a very large page")
    huge.save()
    image = StewardClient(create_app(fresh["processed"], tmp_path / "raw")).get(f"/documents/{doc}/pages/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    width_px, height_px = int.from_bytes(image.content[16:20], "big"), int.from_bytes(image.content[20:24], "big")
    assert width_px * height_px <= 6_000_000 and width_px > 1000


def test_exported_log_cells_never_run_as_formulas(fresh):
    client, doc = fresh["client"], fresh["doc"]
    client.post(f"/documents/{doc}/review", data={
        "table": "performance_criteria", "key": crit(doc, 1, 1), "action": "reject",
        "steward": '=HYPERLINK("http://evil.example","open")', "reason": "+1+2"})
    log = client.get("/overrides.csv").text
    assert "'=HYPERLINK(" in log and "'+1+2" in log
    assert not any(cell.startswith(("=", "+", "@")) for line in log.splitlines() for cell in line.split(","))
    assert client.get("/overrides.json").json()[0]["steward"].startswith("=HYPERLINK")  # the data itself is kept


def test_flagged_narrows_an_ocr_or_starred_document_and_critical_is_its_own_filter(tmp_path):
    def like_an_ocr_self_assessment_guide(criteria: pd.DataFrame) -> None:
        criteria["flags"], criteria["confidence"] = "ocr_layer;critical", 0.7  # every row, as in such documents
        criteria.loc[criteria["number"] == "1.3", ["flags", "confidence"]] = ["ocr_layer", 0.4]  # one bad read
        criteria.loc[criteria["number"] == "2.1", "flags"] = "ocr_layer;critical;number_repeated"

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    write_standard_pdf(raw / "bookkeeping.pdf")
    doc = extract_and_publish(raw, processed, like_an_ocr_self_assessment_guide)
    client = StewardClient(create_app(processed, raw))
    flagged = client.get(f"/documents/{doc}", params={"flagged": "true"}).text
    assert "2 of 5 rows" in flagged
    assert {crit(doc, 1, 3), crit(doc, 2, 1)} == set(re.findall(r'<tr data-key="([^"]+)"', flagged))
    critical = client.get(f"/documents/{doc}", params={"flag": "critical"}).text
    assert "4 of 5 rows" in critical and crit(doc, 1, 3) not in re.findall(r'<tr data-key="([^"]+)"', critical)
    assert re.search(r'<td>bookkeeping.pdf</td>|bookkeeping.pdf</a></td>', client.get("/").text)


def test_review_refuses_a_missing_processed_dir(tmp_path):
    missing = tmp_path / "missing" / "processed"
    result = CliRunner().invoke(cli, ["review", "--processed", str(missing), "--raw", str(tmp_path)])
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not (tmp_path / "missing").exists()


# --- in a real headless Chromium -------------------------------------------------------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (scripts/setup.sh --dev installs the Debian packages chromium "
                    "and chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def live(fresh):
    """The app served by uvicorn on a free loopback port, in a thread."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(fresh["processed"], fresh["raw"], token="tok"),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the review app did not start"
        time.sleep(0.05)
    yield {**fresh, "url": f"http://127.0.0.1:{port}"}
    server.should_exit = True
    thread.join(10)


def test_steward_edits_and_rejects_in_a_browser_and_both_survive_re_extraction(live, browser):
    doc = live["doc"]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{live['url']}/?token=tok")
    page.click("text=bookkeeping.pdf")
    page.wait_for_selector("#rows")

    page.click(f'tr[data-key="{crit(doc, 1, 2)}"] a')
    page.wait_for_selector("#page-image")
    assert page.eval_on_selector("#page-image", "img => img.complete && img.naturalWidth") > 800
    highlight = page.locator("#highlight").bounding_box()
    image = page.locator("#page-image").bounding_box()
    assert image["x"] < highlight["x"] < image["x"] + image["width"] and highlight["height"] > 5
    page.fill("#review-form textarea[name='field.text']", "Totals are checked against the ledger")
    page.fill("#review-form input[name='steward']", "Ana Cruz")
    page.fill("#review-form input[name='reason']", "extractor cut the sentence")
    page.click("#review-form button[value=edit]")
    page.wait_for_selector("#history")

    page.click(f'tr[data-key="{crit(doc, 2, 1)}"] a')
    page.wait_for_selector("#page-image")
    assert page.input_value("#review-form input[name='steward']") == "Ana Cruz"  # remembered
    page.fill("#review-form input[name='reason']", "heading, not a criterion")
    page.click("#review-form button[value=reject]")
    page.wait_for_selector("#history")

    # the pipeline runs again: the PDF is re-extracted and a new version is published
    before = current_version(live["processed"])
    write_standard_pdf(live["raw"] / "bookkeeping.pdf")
    extract_and_publish(live["raw"], live["processed"])
    assert current_version(live["processed"]) != before
    page.reload()
    page.wait_for_selector("#rows")
    edited = page.locator(f'tr[data-key="{crit(doc, 1, 2)}"]')
    rejected = page.locator(f'tr[data-key="{crit(doc, 2, 1)}"]')
    assert "Totals are checked against the ledger" in edited.inner_text()
    assert edited.locator(".status").inner_text() == "edited"
    assert rejected.locator(".status").inner_text() == "rejected"
    assert page.locator(f'tr[data-key="{crit(doc, 1, 1)}"] .status').inner_text() == "unreviewed"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review_after_re_extraction.png"), full_page=True)

    page.check("input[name=flagged]")
    page.click("#filters button")
    page.wait_for_selector("#rows")
    assert page.locator("#rows tr[data-key]").count() == 1  # only 2.2 is flagged
    page.close()


def test_rows_page_and_form_are_seen_at_once_on_a_1400_px_screen(live, browser):
    doc = live["doc"]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{live['url']}/?token=tok")
    page.goto(f"{live['url']}/documents/{doc}?table=performance_criteria&key={crit(doc, 2, 1)}")
    page.wait_for_selector("#page-image")
    page.wait_for_function("document.querySelector('#page-image').complete")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review_layout_1400.png"))

    def box(selector: str) -> dict:
        found = page.locator(selector).first.bounding_box()
        assert found, f"{selector} is not shown"
        return found

    def in_view(selector: str) -> bool:
        b = box(selector)
        return b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= 1400 and b["y"] + b["height"] <= 900

    rows, status_header = box("#rows-pane"), box("#rows th:last-child")
    assert page.locator("#rows th:last-child").inner_text() == "Status"
    assert status_header["x"] + status_header["width"] <= rows["x"] + rows["width"] + 1, "Status column clipped"
    assert status_header["width"] >= 40
    widths = dict(zip(page.eval_on_selector_all("#rows th", "ths => ths.map(t => t.innerText)"),
                      page.eval_on_selector_all("#rows th", "ths => ths.map(t => t.getBoundingClientRect().width)")))
    assert widths["text"] == max(widths.values()) and widths["text"] >= 200, f"the text column is narrow: {widths}"
    selected = page.locator("#rows tr.selected")
    assert selected.count() == 1 and in_view("#rows tr.selected")
    for part in ("#page-image", "#highlight", "#review-form textarea[name='field.text']",
                 "#review-form button[value=edit]", "#review-form button[value=reject]"):
        assert in_view(part), f"{part} is not visible without scrolling at 1400 x 900"
    image, form = box("#page-image"), box("#review-form")
    assert image["width"] >= 380 and form["x"] >= image["x"] + image["width"], "the form sits beside the page"
    page.close()
