"""The stewards' review app: published rows beside their PDF page, and forms that write overrides.

Server-rendered (FastAPI + Jinja2), no JavaScript. It reads the current published version from
processed/ (`mrs_etl.pipeline.publish.read_published`), the PDFs from the raw directory, and shows every row
with the overrides store applied live, so a change is visible at once and after any re-publish.
"""
from __future__ import annotations

import hmac
import io
import ipaddress
import math
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pandas as pd
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile
from starlette.middleware.trustedhost import TrustedHostMiddleware

from mrs_etl.review.overrides import (Conflict, InvalidOverride, OverrideStore, apply_overrides,
                                      default_store_path)
from mrs_etl.review.reviewable import REVIEWABLE, needs_attention

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# the order a steward walks a document in; qualifications and listed units last
TABLE_ORDER = ("units", "elements", "performance_criteria", "knowledge_skills", "range_variables", "range_items",
               "evidence_guide", "qa_policies", "qualifications", "listed_units")
PAGE_SCALE = 1.5  # PNG pixels per PDF point (108 dpi): readable text, small files
MAX_PAGE_PIXELS = 6_000_000  # a page with a huge MediaBox is rendered smaller, never into gigabytes
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
TOKEN_COOKIE = "mrs_review_token"
STEWARD_COOKIE = "mrs_review_steward"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Reviewed:
    """Published tables with the overrides applied, and the overrides that did not apply."""
    tables: dict[str, pd.DataFrame]
    conflicts: list[Conflict]


def served_hosts(host: str) -> list[str]:
    """The Host header values the app answers: the address it listens on (and its loopback names).

    Anything else is refused, so that a page on another site cannot reach the app through a DNS name it
    points at 127.0.0.1 (DNS rebinding). Listening on every address (0.0.0.0) needs --token anyway.
    """
    if is_loopback(host):
        return list(LOOPBACK_NAMES)
    return ["*"] if host in ("0.0.0.0", "::", "") else [host]


def page_scale(width: float, height: float) -> float:
    """PAGE_SCALE, or less for a page so large that it would exceed MAX_PAGE_PIXELS."""
    area = max(width, 1.0) * max(height, 1.0) * PAGE_SCALE ** 2
    # 0.99: the renderer rounds each side up
    return PAGE_SCALE if area <= MAX_PAGE_PIXELS else 0.99 * PAGE_SCALE * math.sqrt(MAX_PAGE_PIXELS / area)


@dataclass
class ReviewState:
    processed: Path
    raw: Path
    store: OverrideStore
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))  # in every form the app renders
    _cache: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)  # pdfium is not thread-safe

    def reviewed(self) -> Reviewed:
        """The current version's tables with the store applied (recomputed when either changes)."""
        from mrs_etl.pipeline.publish import current_version, read_published

        version = current_version(self.processed)
        if version is None:
            raise HTTPException(404, f"nothing published in {self.processed} yet: run the pipeline first")
        key = (version, self.store.revision())
        if self._cache.get("key") != key:
            if self._cache.get("version") != version:
                self._cache.update(version=version, published=read_published(self.processed))
            tables, conflicts = apply_overrides(self._cache["published"], self.store)
            self._cache.update(key=key, reviewed=Reviewed(tables, conflicts))
        return self._cache["reviewed"]

    def pdf_path(self, document: dict) -> Path:
        return self.raw / document["path"]

    def page_size(self, document: dict, page: int) -> tuple[float, float] | None:
        """(width, height) of a page in PDF points, or None when the PDF or page is not there."""
        key = ("size", document["document_id"], page)
        if key not in self._cache:
            self._cache[key] = self._with_page(document, page, lambda p: p.get_size())
        return self._cache[key]

    def page_png(self, document: dict, page: int) -> bytes | None:
        size = self.page_size(document, page)
        if size is None:
            return None
        scale = page_scale(*size)
        cache = self.store.path.parent / "page-cache" / document["document_id"] / f"{page}@{scale:.4g}.png"
        if cache.is_file():
            return cache.read_bytes()

        def render(p) -> bytes:
            buffer = io.BytesIO()
            p.render(scale=scale).to_pil().save(buffer, "PNG", optimize=True)
            return buffer.getvalue()

        png = self._with_page(document, page, render)
        if png is not None:
            from mrs_etl.storage import write_bytes_atomic
            write_bytes_atomic(cache, png)
        return png

    def _with_page(self, document: dict, page: int, use):
        import pypdfium2

        path = self.pdf_path(document)
        if not path.is_file():
            return None
        with self._lock:
            pdf = pypdfium2.PdfDocument(path)
            try:
                if not 1 <= page <= len(pdf):
                    return None
                pdf_page = pdf[page - 1]
                try:
                    return use(pdf_page)
                finally:
                    pdf_page.close()
            finally:
                pdf.close()


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: (None if v is pd.NA or (isinstance(v, float) and v != v) else v) for k, v in r.items()}
            for r in df.astype(object).to_dict("records")]


def _short(key: str | None, document_id: str) -> str:
    """A key without its document prefix, for display (u001/e01/c02)."""
    return key[len(document_id) + 1:] if key and key.startswith(document_id + "/") else (key or "")


def _label(spec_table: str, row: dict) -> str:
    if spec_table == "documents":
        return row.get("file_name") or ""
    return " ".join(str(row[f]) for f in REVIEWABLE[spec_table].label if row.get(f) not in (None, ""))


class TokenGuard:
    """ASGI middleware: every request needs the token (header, bearer, cookie, or ?token= once)."""

    def __init__(self, app, token: str):
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        offered = (request.headers.get("x-review-token") or request.cookies.get(TOKEN_COOKIE)
                   or request.headers.get("authorization", "").removeprefix("Bearer ").strip())
        query_token = request.query_params.get("token")
        if query_token and hmac.compare_digest(query_token.encode(), self.token.encode()):
            # keep the token out of the address bar and history: move it into a cookie
            rest = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
            response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), status_code=303)
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            return await response(scope, receive, send)
        if not (offered and hmac.compare_digest(offered.encode(), self.token.encode())):
            response = PlainTextResponse("a review token is required: open the address printed by "
                                         "`mrs-etl review` (it ends in ?token=...)", status_code=401)
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)


def create_app(processed: str | Path, raw: str | Path, overrides: str | Path | None = None,
               token: str | None = None, hosts: list[str] | None = None) -> FastAPI:
    """The review app over `processed` (published versions) and `raw` (the PDFs), answering the Host names
    `hosts` (default: the loopback names; see `served_hosts`)."""
    processed = Path(processed)
    state = ReviewState(processed, Path(raw), OverrideStore(overrides or default_store_path(processed)), token)
    app = FastAPI(title="mrs-etl review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.review = state
    if token:
        app.add_middleware(TokenGuard, token=token)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts or LOOPBACK_NAMES))  # outermost

    def documents() -> dict[str, dict]:
        reviewed = state.reviewed()
        return {d["document_id"]: d for d in _records(reviewed.tables["documents"])}

    def document_or_404(document_id: str) -> dict:
        document = documents().get(document_id)
        if document is None:
            raise HTTPException(404, f"no document {document_id}")
        return document

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request):
        reviewed = state.reviewed()
        docs = []
        for document in documents().values():
            counts = {"rows": 0, "flagged": 0, "reviewed": 0}
            for name in TABLE_ORDER:
                if name not in reviewed.tables:
                    continue
                df = reviewed.tables[name]
                df = df[df["document_id"] == document["document_id"]]
                counts["rows"] += len(df)
                counts["flagged"] += int(needs_attention(df).sum())
                counts["reviewed"] += int(df["review_status"].ne("unreviewed").sum())
            docs.append({**document, **counts,
                         "conflicts": sum(c.override.document_id == document["document_id"]
                                          for c in reviewed.conflicts)})
        return TEMPLATES.TemplateResponse(request, "index.html", {
            "documents": docs, "conflicts": reviewed.conflicts, "processed": processed,
            "steward": request.cookies.get(STEWARD_COOKIE, ""), "csrf": state.csrf})

    def document_page(request: Request, document_id: str, table: str | None, key: str | None, flagged: bool,
                      status: str | None, error: str | None = None, status_code: int = 200, flag: str | None = None):
        document = document_or_404(document_id)
        reviewed = state.reviewed()
        tables = {name: reviewed.tables[name][reviewed.tables[name]["document_id"] == document_id]
                  for name in TABLE_ORDER if name in reviewed.tables}
        present = [name for name in TABLE_ORDER if name in tables and len(tables[name])]
        if table not in tables:
            table = next((n for n in ("performance_criteria", "qa_policies") if n in present),
                         present[0] if present else "units")
        spec = REVIEWABLE[table]
        all_rows = _records(tables[table]) if table in tables else []
        attention = set(tables[table][needs_attention(tables[table])][spec.key]) if table in tables else set()
        flags_present = sorted({f for r in all_rows for f in (r.get("flags") or "").split(";") if f})
        rows = [r for r in all_rows if (not flagged or r[spec.key] in attention)
                and (not flag or flag in (r.get("flags") or "").split(";"))
                and (not status or r["review_status"] == status)]
        parents = ({document_id: document} if spec.parent_table == "documents" else
                   {r[REVIEWABLE[spec.parent_table].key]: r for r in _records(tables[spec.parent_table])}
                   if spec.parent_table in tables else {})
        parent_options = [(k, f"{_short(k, document_id)}  {_label(spec.parent_table, r)}")
                          for k, r in parents.items()]
        selected = next((r for r in all_rows if r[spec.key] == key), None)
        page = None
        if selected is not None and selected.get("page"):
            size = state.page_size(document, int(selected["page"]))
            page = {"number": int(selected["page"]), "found": size is not None}
            if size and selected.get("x0") is not None:
                width, height = size
                page["box"] = {"left": 100 * selected["x0"] / width, "top": 100 * selected["top"] / height,
                               "width": 100 * (selected["x1"] - selected["x0"]) / width,
                               "height": 100 * (selected["bottom"] - selected["top"]) / height}
        history = [o for o in state.store.overrides(include_withdrawn=True)
                   if key and o.table == table and o.row_key == key]
        return TEMPLATES.TemplateResponse(request, "document.html", {
            "document": document, "table": table, "spec": spec, "present": present,
            "counts": {n: len(tables[n]) for n in present}, "rows": rows, "total": len(all_rows),
            "flagged": flagged, "status": status or "", "selected": selected, "key": key, "page": page,
            "parents": {k: _label(spec.parent_table, r) for k, r in parents.items()},
            "parent_options": parent_options, "history": history, "error": error,
            "conflicts": [c for c in reviewed.conflicts if c.override.document_id == document_id],
            "steward": request.cookies.get(STEWARD_COOKIE, ""), "short": lambda k: _short(k, document_id),
            "columns": [c for c in dict.fromkeys((*spec.label, *spec.editable)) if c != spec.parent_column],
            "row_link": lambda k: "?" + urlencode({"table": table, "key": k, **({"flagged": "true"} if flagged else {}),
                                                   **({"flag": flag} if flag else {}),
                                                   **({"status": status} if status else {})}) + "#sel",
            "statuses": ("unreviewed", "accepted", "edited", "rejected", "added"),
            "attention": attention, "flags_present": flags_present, "flag": flag or "", "csrf": state.csrf,
        }, status_code=status_code)

    @app.get("/documents/{document_id}", response_class=HTMLResponse)
    def document_view(request: Request, document_id: str, table: str | None = None, key: str | None = None,
                      flagged: bool = False, status: str | None = None, flag: str | None = None):
        return document_page(request, document_id, table, key, flagged, status, flag=flag)

    async def steward_form(request: Request) -> dict[str, str]:
        """The fields of a POST from one of the app's own pages; anything else is refused with a 4xx.

        Same origin (Origin, else Referer, when the browser sends one) and the app's form token: a page on
        another site can neither read the token nor make the browser send a matching Origin.
        """
        claimed = request.headers.get("origin") or request.headers.get("referer")
        if claimed is not None and urlsplit(claimed).netloc != request.headers.get("host"):
            raise HTTPException(403, "this change comes from another site's page: open the review app itself")
        try:
            form = await request.form()
        except Exception:  # a malformed body: the parser's own message is no use to a steward
            raise HTTPException(400, "the form could not be read") from None
        if any(isinstance(v, UploadFile) or not isinstance(v, str) for _, v in form.multi_items()):
            raise HTTPException(400, "the review forms take no files")
        fields = {k: v for k, v in form.items()}
        if not hmac.compare_digest(fields.get("csrf", "").encode(), state.csrf.encode()):
            raise HTTPException(403, "the form is out of date or not from this app: reload the page and try again")
        return fields

    def back_to(document_id: str, table: str, key: str | None, form) -> RedirectResponse:
        query = {"table": table, **({"key": key} if key else {})}
        if form.get("flagged"):
            query["flagged"] = "1"
        response = RedirectResponse(f"/documents/{document_id}?{urlencode(query)}", status_code=303)
        if form.get("steward"):
            response.set_cookie(STEWARD_COOKIE, form["steward"].strip(), samesite="strict")
        return response

    @app.post("/documents/{document_id}/review", response_class=HTMLResponse)
    async def review_row(request: Request, document_id: str):
        form = await steward_form(request)
        table, key, action = form.get("table", ""), form.get("key", ""), form.get("action", "")
        if table not in REVIEWABLE:
            raise HTTPException(400, f"{table!r} is not a reviewed table")
        document_or_404(document_id)
        spec = REVIEWABLE[table]
        df = state.reviewed().tables[table]
        current = _records(df[df[spec.key] == key])
        if not current:
            raise HTTPException(404, f"no {table} row {key}")
        changes = ({name: form.get(f"field.{name}", "") for name in spec.editable if f"field.{name}" in form}
                   if action == "edit" else None)
        try:
            state.store.record(form.get("steward", ""), table, key, action, reason=form.get("reason", ""),
                               changes=changes, row=current[0])
        except InvalidOverride as exc:
            return document_page(request, document_id, table, key, bool(form.get("flagged")), None, str(exc), 400)
        return back_to(document_id, table, key, form)

    @app.post("/documents/{document_id}/add", response_class=HTMLResponse)
    async def add_row(request: Request, document_id: str):
        form = await steward_form(request)
        table = form.get("table", "")
        if table not in REVIEWABLE:
            raise HTTPException(400, f"{table!r} is not a reviewed table")
        document_or_404(document_id)
        spec = REVIEWABLE[table]
        fields = {name: form[f"field.{name}"] for name in (*spec.editable, "page")
                  if name != spec.parent_column and f"field.{name}" in form}
        try:
            added = state.store.add(form.get("steward", ""), table, form.get("parent", ""), fields,
                                    reason=form.get("reason", ""), document_id=document_id)
        except InvalidOverride as exc:
            return document_page(request, document_id, table, None, False, None, str(exc), 400)
        return back_to(document_id, table, added.row_key, form)

    @app.post("/overrides/{override_id}/withdraw")
    async def withdraw(request: Request, override_id: int):
        form = await steward_form(request)
        try:
            state.store.withdraw(override_id, form.get("steward", ""), form.get("reason", ""))
        except InvalidOverride as exc:
            raise HTTPException(400, str(exc)) from None
        target = form.get("back", "/")
        return RedirectResponse(target if target.startswith("/") and not target.startswith("//") else "/",
                                status_code=303)

    @app.get("/documents/{document_id}/pages/{page}.png")
    def page_image(document_id: str, page: int):
        try:
            png = state.page_png(document_or_404(document_id), page)
        except MemoryError:  # the cap should prevent it; an odd page must still not be a server error
            raise HTTPException(413, f"page {page} is too large to show") from None
        if png is None:
            raise HTTPException(404, f"page {page} of {document_id} is not available (is the PDF in {state.raw}?)")
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    @app.get("/overrides.csv")
    def export_csv():
        return Response(state.store.export_csv(), media_type="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="overrides.csv"'})

    @app.get("/overrides.json")
    def export_json():
        return Response(state.store.export_json(), media_type="application/json")

    @app.get("/conflicts.json")
    def conflicts():
        return [c.as_dict() for c in state.reviewed().conflicts]

    return app


def serve(processed: str | Path, raw: str | Path, host: str = "127.0.0.1", port: int = 8765,
          token: str | None = None, overrides: str | Path | None = None) -> None:
    """Run the app with uvicorn. Anywhere but loopback it refuses to start without a token."""
    import uvicorn

    if not is_loopback(host) and not token:
        raise ValueError(f"binding to {host} exposes the review app beyond this machine: give --token")
    if not Path(processed).is_dir():
        raise ValueError(f"processed directory {processed} does not exist: run `mrs-etl run` first, or give "
                         "--processed")
    app = create_app(processed, raw, overrides, token, hosts=served_hosts(host))
    suffix = f"/?token={token}" if token else "/"
    print(f"review app: http://{host if ':' not in host else f'[{host}]'}:{port}{suffix}  "
          f"(overrides in {app.state.review.store.path})", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
