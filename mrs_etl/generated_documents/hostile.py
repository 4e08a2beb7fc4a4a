"""A suite of hostile and broken inputs for the pipeline, generated (never downloaded).

Each case is a file plus what the pipeline must make of it: read it ("ok", with the rows of the good
document it was derived from), or quarantine it with one of the named reasons. Used by
tests/test_hostile.py and bench/hostile.py.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from mrs_etl.generated_documents.sample import SAMPLES, render

TR_SAMPLE, SKKNI_SAMPLE, _ = SAMPLES
GOOD = (TR_SAMPLE, SKKNI_SAMPLE)  # good documents mixed into the suite


@dataclass(frozen=True)
class Case:
    name: str  # file name in raw/
    expect: frozenset[str]  # acceptable outcomes: "ok" or "quarantined:<reason>"
    rows_like: str | None = None  # when ok: must give the same criteria as this good document
    what: str = ""


def _pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A minimal PDF from numbered object bodies (object n = objects[n-1]) with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % off for off in offsets)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, root, trailer_extra, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _broken_xref(good: bytes) -> bytes:
    """Every xref offset shifted and startxref pointing nowhere: readers must rebuild the table."""
    body = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m.group(1)) + 7), good)
    return re.sub(rb"startxref\s+\d+", b"startxref\n999999", body)


def _with_javascript_and_attachment(good: bytes) -> bytes:
    """An incremental update adding an OpenAction script and an embedded executable to a good document."""
    catalog_num, catalog_body = next((int(m.group(1)), m.group(2).strip())
                                     for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", good, re.S)
                                     if b"/Type /Catalog" in m.group(2))
    size = int(re.findall(rb"/Size (\d+)", good)[-1])
    prev = int(re.findall(rb"startxref\s+(\d+)", good)[-1])
    js, payload, spec = size, size + 1, size + 2
    new = {
        js: b"<< /Type /Action /S /JavaScript /JS (app.alert\\('hello'\\); this.exportDataObject\\({cName: 'x'}\\);) >>",
        payload: _stream(b"MZ\x90\x00 not really an executable", b"/Type /EmbeddedFile "),
        spec: b"<< /Type /Filespec /F (run me.exe) /EF << /F %d 0 R >> >>" % payload,
        catalog_num: catalog_body[:-2] + b" /OpenAction %d 0 R /Names << /EmbeddedFiles << /Names [(run me.exe) %d 0 R] "
                                           b">> /JavaScript << /Names [(hello) %d 0 R] >> >> >>" % (js, spec, js),
    }
    out = io.BytesIO(good)
    out.seek(0, io.SEEK_END)
    out.write(b"\n")
    offsets = {}
    for num, body in new.items():
        offsets[num] = out.tell()
        out.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for num in sorted(offsets):
        out.write(b"%d 1\n%010d 00000 n \n" % (num, offsets[num]))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
              % (spec + 1, catalog_num, prev, xref))
    return out.getvalue()


def _nested(depth: int = 50_000) -> bytes:
    """An array nested `depth` deep in the page resources and a page tree `depth // 50` levels deep."""
    levels = depth // 50
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    # page tree: 2 -> 3 -> ... -> levels+1, each an intermediate Pages node, then the page
    for n in range(2, levels + 2):
        parent = b"/Parent %d 0 R " % (n - 1) if n > 2 else b""
        objects.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, n + 1))
    page = levels + 2
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                   b"/Resources << /Font << /F1 %d 0 R >> /Deep %s >> >>"
                   % (page - 1, page + 1, page + 2, b"[" * depth + b"]" * depth))
    # text that makes it look like a Training Regulation, so that the full parser meets the nesting too
    objects.append(_stream(b"BT /F1 12 Tf 72 720 Td (TRAINING REGULATIONS TESDA UNIT OF COMPETENCY "
                           b"PERFORMANCE CRITERIA EVIDENCE GUIDE) Tj ET"))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf(objects)


def _bomb(inflated_mb: int) -> bytes:
    """A one-page PDF whose content stream inflates from ~1/1000 of its size to `inflated_mb` MB."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    compressed = b"".join(packer.compress(chunk) for _ in range(inflated_mb)) + packer.flush()
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        _stream(compressed, b"/Filter /FlateDecode "),
    ])


def _many_pages(pages: int) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 11)
        c.drawString(72, 760, f"Appendix page {n} of {pages}: inventory of workshop equipment.")
        c.showPage()
    c.save()
    return buffer.getvalue()


def _image_only() -> bytes:
    """A page that shows text only as pixels (a scan without a text layer)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (850, 300), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(("UNIT OF COMPETENCY : INSTALL FLOOR TILES", "UNIT CODE : CON712402",
                              "ELEMENT    PERFORMANCE CRITERIA")):
        draw.text((20, 20 + 40 * i), line, fill=0)
    png = io.BytesIO()
    image.save(png, format="PNG")
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    from reportlab.lib.utils import ImageReader

    c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 40, 500, width=510, height=180)
    c.showPage()
    c.save()
    return buffer.getvalue()


ODD_NAMES = ("spaced  name (copy 2).pdf", "ünïcødé-標準-สมรรถนะ.pdf", "$(touch pwned); `id` 'q' \"dq\" &|;.pdf",
             "-rf --no-preserve-root.pdf", "line\nbreak.pdf")


def build_suite(raw: str | Path, bomb_mb: int = 2048, pages: int = 2000) -> list[Case]:
    """Write the hostile suite (and the good documents it is mixed with) into `raw`; return what to expect."""
    raw = Path(raw)
    raw.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    for name in GOOD:
        render(name, raw / name)
        cases.append(Case(name, frozenset({"ok"}), name, "good document"))
    tr = (raw / TR_SAMPLE).read_bytes()
    skkni = (raw / SKKNI_SAMPLE).read_bytes()

    def add(name: str, data: bytes, expect: set[str], rows_like: str | None = None, what: str = "") -> None:
        (raw / name).write_bytes(data)
        cases.append(Case(name, frozenset(expect), rows_like, what))

    add("zero-byte.pdf", b"", {"quarantined:empty_file"}, what="zero-byte file")
    add("saved-web-page.pdf", b"<!DOCTYPE html>\n<html><body>Moved</body></html>\n", {"quarantined:not_a_pdf"},
        what="HTML renamed .pdf")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("standard.pdf", tr)
    add("archive.pdf", zipped.getvalue(), {"quarantined:not_a_pdf"}, what="ZIP renamed .pdf")
    add("truncated.pdf", tr[: len(tr) * 2 // 5],
        {"quarantined:unreadable_pdf", "quarantined:unknown_family", "quarantined:pdfium_error",
         "quarantined:extraction_failed", "ok"}, what="first 40% of a PDF")
    add("broken-xref.pdf", _broken_xref(tr), {"ok"}, TR_SAMPLE, "xref offsets and startxref wrong (repairable)")
    locked = raw / "password.pdf"
    render(TR_SAMPLE, locked, encrypt=StandardEncryption("secret", ownerPassword="owner", strength=128))
    cases.append(Case(locked.name, frozenset({"quarantined:encrypted"}), None, "needs a user password"))
    open_enc = raw / "empty-user-password.pdf"
    render(SKKNI_SAMPLE, open_enc, encrypt=StandardEncryption("", ownerPassword="owner", strength=128))
    cases.append(Case(open_enc.name, frozenset({"ok"}), SKKNI_SAMPLE, "encrypted, empty user password"))
    add("scan-without-text.pdf", _image_only(), {"quarantined:no_text_layer", "ok"}, what="image-only page")
    add("two-thousand-pages.pdf", _many_pages(pages), {"quarantined:unknown_family", "quarantined:timeout"},
        what=f"{pages} pages")
    add("deeply-nested.pdf", _nested(), {"quarantined:unreadable_pdf", "quarantined:extraction_failed"},
        what="50,000-deep array, 1,000-deep page tree")
    add("decompression-bomb.pdf", _bomb(bomb_mb), {"quarantined:memory_limit", "quarantined:no_text_layer",
                                                   "quarantined:unknown_family", "quarantined:timeout"},
        what=f"content stream inflating to {bomb_mb} MB")
    add("javascript-and-attachment.pdf", _with_javascript_and_attachment(tr), {"ok"}, TR_SAMPLE,
        "OpenAction JavaScript and an embedded .exe")
    for n, name in enumerate(ODD_NAMES):
        # distinct bytes (a comment after %%EOF) so that each is extracted, not reported as a duplicate
        add(name, skkni + b"\n%% copy %d\n" % n, {"ok"}, SKKNI_SAMPLE, "odd file name")
    return cases


def outcome(document_status: str, reason: str | None) -> str:
    return "ok" if document_status == "ok" else f"quarantined:{reason}"
