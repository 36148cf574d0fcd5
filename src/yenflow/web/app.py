"""The FastAPI app: pages (a shell whose panels load as fragments), one
fragment per panel, the views' JSON and CSV at ``/api/views/{name}.json``,
figures at ``/api/figures/{name}.json``, static files (``plotly.min.js`` from
the installed plotly package) and ``/openapi.json``.

Every route parses its parameters, asks :class:`ViewService` for one view's
result and renders it; nothing here computes. Nothing is loaded from outside
the server: no CDN, no web fonts, no API docs UI (it would load from a CDN).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import Request

from yenflow.views.params import ParamError
from yenflow.web.service import NotInBuild, ViewService, error_body, error_status
from yenflow.web.storeaccess import StoreBusy

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.responses import Response

    from yenflow.render.pages import Page, Panel
    from yenflow.views.registry import ViewSpec

STATIC_DIR = Path(__file__).parent / "static"
#: query keys the data endpoints take besides the view's parameters
RESERVED = ("table",)


def static_files() -> dict[str, tuple[Path, str]]:
    """The only files ``/static/`` serves, by name: ours and plotly.js from the installed package."""
    import plotly

    files = {"plotly.min.js": (Path(plotly.__file__).parent / "package_data" / "plotly.min.js", "text/javascript")}
    types = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
    for p in STATIC_DIR.iterdir():
        if p.is_file() and p.suffix in types:
            files[p.name] = (p, types[p.suffix])
    return files


def query(request: "Request", allowed: "set[str] | None" = None) -> dict[str, str]:
    """Raw parameters from the query string: blank values dropped (an empty form field), repeated keys
    joined with commas; with ``allowed``, any other key is a ParamError naming it."""
    raw: dict[str, str] = {}
    for k in request.query_params.keys():
        if k in RESERVED:
            continue
        if allowed is not None and k not in allowed:
            raise ParamError(k, f"unknown parameter; this page takes {', '.join(sorted(allowed))}")
        vals = [v for v in request.query_params.getlist(k) if v.strip() != ""]
        if vals:
            raw[k] = ",".join(vals)
    return raw


def json_error(e: BaseException) -> "Response":
    from fastapi.responses import JSONResponse

    headers = {"Retry-After": "2"} if isinstance(e, StoreBusy) else None
    return JSONResponse(error_body(e), status_code=error_status(e), headers=headers)


def create_app(db_path: Path) -> "FastAPI":
    """The app serving the store at ``db_path`` (opened read-only, per computation)."""
    from fastapi import FastAPI

    from yenflow import __version__

    app = FastAPI(title="yenflow", version=__version__, docs_url=None, redoc_url=None,
                  description="Is Japanese money coming home? Every view of the yenflow store as JSON "
                              "(the shape of `yenflow … --format json`) and as dashboard pages.")
    service = ViewService(Path(db_path))
    app.state.service = service

    _add_api_routes(app, service)
    _add_page_routes(app, service)
    return app


# ---------------------------------------------------------------- the JSON API
def _openapi_parameters(spec: "ViewSpec") -> list[dict[str, Any]]:
    from yenflow.views.params import _unwrap_optional, choices, describe, fields_of

    out = []
    for f, tp, meta in fields_of(spec.params):
        inner, _ = _unwrap_optional(tp)
        allowed = choices(tp)
        schema: dict[str, Any] = {"type": {int: "integer", float: "number", bool: "boolean"}.get(inner, "string")}
        if allowed:
            schema["enum"] = [str(a) for a in allowed]
        if inner.__class__.__name__ == "type" and inner.__name__ in ("date", "datetime"):
            schema["format"] = "date" if inner.__name__ == "date" else "date-time"
        if meta.minimum is not None:
            schema["minimum"] = meta.minimum
        if meta.maximum is not None:
            schema["maximum"] = meta.maximum
        out.append({"name": f.name, "in": "query", "required": False, "schema": schema,
                    "description": describe(tp, meta, f.default)})
    return out


def _add_api_routes(app: "FastAPI", service: ViewService) -> None:
    from fastapi.responses import JSONResponse, Response

    from yenflow.views.registry import specs

    @app.get("/api/hello", summary="A minimal endpoint (the latency benchmark's reference)")
    def hello() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/api/views", summary="Every view in this build with its parameters")
    def list_views() -> dict[str, Any]:
        return {"views": [{"name": s.name, "summary": s.summary, "json": f"/api/views/{s.name}.json",
                           "parameters": [p["name"] for p in _openapi_parameters(s)]} for s in specs().values()]}

    def view_json(name: str, request: Request) -> Response:
        try:
            answer = service.result(name, query(request))
        except (ParamError, NotInBuild, StoreBusy) as e:
            return json_error(e)
        if isinstance(answer.value, BaseException):
            return json_error(answer.value)
        body = answer.entry.render("json", lambda r: json.dumps(r.to_dict(), separators=(",", ":"), allow_nan=False,
                                                                ensure_ascii=False).encode())
        return _send(request, answer, "json", body, "application/json", _stale_header(answer.stale))

    def answer_table(name: str, request: Request) -> tuple[Any, Any] | Response:
        """The view's answer and the table asked for by ``?table=``, or the error response to send instead."""
        from yenflow.errors import YenflowError

        try:
            answer = service.result(name, query(request))
            if isinstance(answer.value, BaseException):
                raise answer.value
            return answer, _table(answer.value, request.query_params.get("table"))
        except (ParamError, NotInBuild, StoreBusy, YenflowError) as e:  # incl. the view's own (missing data…)
            return json_error(e)

    def view_csv(name: str, request: Request) -> Response:
        found = answer_table(name, request)
        if not isinstance(found, tuple):
            return found
        answer, t = found
        body = answer.entry.render(("csv", t.name), lambda r: _csv(t).encode())
        filename = f"{name}-{t.name}.csv"
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"', **_stale_header(answer.stale)})

    def view_figure(name: str, request: Request) -> Response:
        from yenflow.render.figures import figure

        found = answer_table(name, request)
        if not isinstance(found, tuple):
            return found
        answer, t = found
        body = answer.entry.render(("figure", t.name), lambda r: json.dumps(
            figure(t, None, r) or {"data": [], "layout": {}}, separators=(",", ":"), allow_nan=False).encode())
        return _send(request, answer, f"figure-{t.name}", body, "application/json", _stale_header(answer.stale))

    for spec in specs().values():
        params = {"parameters": _openapi_parameters(spec)}
        for suffix, endpoint, what in ((".json", view_json, "result"), (".csv", view_csv, "table as CSV"),
                                       ("", view_figure, "figure")):
            path = f"/api/figures/{spec.name}.json" if what == "figure" else f"/api/views/{spec.name}{suffix}"
            app.add_api_route(path, _bound(endpoint, spec.name), methods=["GET"], openapi_extra=params,
                              summary=f"{spec.name}: {what}", description=spec.summary,
                              name=f"{spec.name}_{what.split()[0]}", response_class=Response)

    @app.get("/api/views/{name}.json", include_in_schema=False)
    def unknown_view(name: str) -> JSONResponse:
        return json_error(NotInBuild(f"view {name!r} is not available in this build; views: "
                                     f"{', '.join(sorted(specs()))}"))

    app.add_api_route("/api/views/{name}.csv", unknown_view, methods=["GET"], include_in_schema=False)
    app.add_api_route("/api/figures/{name}.json", unknown_view, methods=["GET"], include_in_schema=False)


def _bound(endpoint: Any, name: str) -> Any:
    def route(request: Request) -> Any:
        return endpoint(name, request)

    return route


#: bodies larger than this go out gzip-compressed to other machines (compressed once, kept with the cached result)
GZIP_FROM = 64 * 1024
#: clients on this machine get bodies as they are: over loopback, inflating a 400 KB answer costs the
#: client more time (~1 ms) than moving the uncompressed bytes
LOOPBACK = frozenset({"127.0.0.1", "::1"})


def _send(request: Request, answer: Any, what: str, body: bytes, media: str, headers: dict[str, str]) -> "Response":
    """The body, compressed once per cached result when it is large, the client takes gzip and is on
    another machine."""
    import gzip

    from fastapi.responses import Response

    headers = {**headers, "Vary": "Accept-Encoding"}
    remote = request.client is None or request.client.host not in LOOPBACK
    if remote and len(body) > GZIP_FROM and "gzip" in request.headers.get("accept-encoding", ""):
        packed = answer.entry.render((what, "gzip"), lambda r: gzip.compress(body, compresslevel=5))
        return Response(packed, media_type=media, headers={**headers, "Content-Encoding": "gzip"})
    return Response(body, media_type=media, headers=headers)


def _stale_header(stale: bool) -> dict[str, str]:
    return {"X-Yenflow-Stale": "store is being updated; showing the result from before the update"} if stale else {}


def _table(result: Any, name: str | None) -> Any:
    if not name:
        return result.main
    try:
        return result.table(name)
    except KeyError:
        raise ParamError("table", f"{name!r} is not a table of {result.view}; one of: "
                                  f"{', '.join(t.name for t in result.tables)}") from None


def _csv(table: Any) -> str:
    import io

    from yenflow.render.csv import write_csv

    buf = io.StringIO()
    write_csv(table, buf)
    return buf.getvalue()


# ------------------------------------------------------------------ the pages
def panel_params(page: "Page", panel: "Panel", raw: dict[str, str], spec: "ViewSpec") -> dict[str, Any]:
    """The panel's own parameters, overridden by the page's controls (and as_of) its view takes;
    a choice the view does not offer (asset=total for investors) leaves the panel's default."""
    import dataclasses

    from yenflow.views.params import choices, fields_of

    types = {f.name: tp for f, tp, _ in fields_of(spec.params)}
    out = dict(panel.params)
    for k, v in raw.items():
        if k not in types:
            continue
        allowed = choices(types[k])
        if allowed is not None and str(v).lower() not in {str(a).lower() for a in allowed} and k != "as_of":
            continue
        out[k] = v
    return {k: v for k, v in out.items() if k in {f.name for f in dataclasses.fields(spec.params)}}


def check_controls(page: "Page", raw: dict[str, str], service: ViewService) -> None:
    """A control value that no panel of the page accepts is a ParamError naming the control."""
    from yenflow.views.params import convert, fields_of

    for name, value in raw.items():
        if name == "as_of":
            continue
        accepted, error = False, None
        for panel in page.panels:
            try:
                spec = service.spec(panel.view)
            except NotInBuild:
                continue
            for f, tp, meta in fields_of(spec.params):
                if f.name == name:
                    try:
                        convert(value, tp, meta, name)
                        accepted = True
                    except ParamError as e:
                        error = e
        if not accepted and error is not None:
            raise error


def controls(page: "Page", raw: dict[str, str], service: ViewService) -> list[dict[str, Any]]:
    """Form widgets for the page's controls, from the first panel view that takes each."""
    from yenflow.views.params import _unwrap_optional, choices, fields_of

    out = []
    for name in page.controls:
        for panel in page.panels:
            try:
                spec = service.spec(panel.view)
            except NotInBuild:
                continue
            found = [(f, tp, meta) for f, tp, meta in fields_of(spec.params) if f.name == name]
            if not found:
                continue
            f, tp, meta = found[0]
            inner, _ = _unwrap_optional(tp)
            default = panel.params.get(name, f.default)
            w = {"name": name, "help": meta.help, "value": raw.get(name, "" if default is None else str(default)),
                 "options": [str(a) for a in (choices(tp) or ())], "min": meta.minimum, "max": meta.maximum,
                 "type": {int: "number", float: "number"}.get(inner, "date" if getattr(inner, "__name__", "") == "date"
                                                              else "text"),
                 "step": "1" if inner is int else "any"}
            out.append(w)
            break
    return out


def _add_page_routes(app: "FastAPI", service: ViewService) -> None:
    from fastapi.responses import HTMLResponse, RedirectResponse, Response

    from yenflow.render.pages import PAGES, page as find_page

    templates = _templates()
    files = static_files()

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        found = files.get(name)
        if found is None:
            return json_error(_NotFound(f"no static file {name!r}"))
        path, media = found
        return Response(path.read_bytes(), media_type=media, headers={"Cache-Control": "max-age=3600"})

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/overview")

    @app.get("/fragment/{slug}/{index}", include_in_schema=False)
    def fragment(slug: str, index: int, request: Request) -> HTMLResponse:
        try:
            page = find_page(slug)
            panel = page.panels[index]
        except (KeyError, IndexError):
            return HTMLResponse("<p class='notice error'>no such panel</p>", status_code=404)
        try:
            raw = query(request, {"as_of", *page.controls})
            check_controls(page, raw, service)
        except ParamError as e:
            return HTMLResponse(_error_panel(panel, e), status_code=422)
        html, status = _panel(service, page, panel, raw, f"{slug}-{index}")
        return HTMLResponse(html, status_code=status)

    @app.get("/{slug}", include_in_schema=False)
    def show_page(slug: str, request: Request) -> HTMLResponse:
        try:
            page = find_page(slug)
        except KeyError:
            return HTMLResponse(templates.get_template("notfound.html").render(pages=PAGES, slug=slug), status_code=404)
        try:
            raw = query(request, {"as_of", *page.controls})
            check_controls(page, raw, service)
        except ParamError as e:
            return HTMLResponse(templates.get_template("notfound.html").render(pages=PAGES, slug=slug, error=str(e)),
                                status_code=422)
        qs = urlencode(raw)
        slots = [{"id": f"{slug}-{i}", "src": f"/fragment/{slug}/{i}" + (f"?{qs}" if qs else ""),
                  "title": p.title or p.view.replace("_", " "), "wide": p.wide} for i, p in enumerate(page.panels)]
        events = "/api/figures/events.json" + (f"?as_of={raw['as_of']}" if "as_of" in raw else "")
        html = templates.get_template("page.html").render(
            pages=PAGES, page=page, slots=slots, as_of=raw.get("as_of", ""), controls=controls(page, raw, service),
            events_src=events)
        return HTMLResponse(html)


class _NotFound(NotInBuild):
    """Not found."""


def _error_panel(panel: "Panel", e: BaseException) -> str:
    from yenflow.render.html import panel_html

    return panel_html(panel, None, error=str(e))


def _panel(service: ViewService, page: "Page", panel: "Panel", raw: dict[str, str], panel_id: str) -> tuple[str, int]:
    """One panel's HTML and status: the view's result drawn, or why not."""
    from yenflow.render.html import first_same_run, panel_html

    try:
        spec = service.spec(panel.view)
    except NotInBuild:
        return panel_html(panel, None, unavailable=True, panel_id=panel_id), 200
    params = panel_params(page, panel, raw, spec)
    try:
        answer = service.result(spec.name, params)
    except (ParamError, StoreBusy) as e:
        return panel_html(panel, None, error=str(e), panel_id=panel_id), error_status(e)
    if isinstance(answer.value, BaseException):
        return panel_html(panel, None, error=str(answer.value), panel_id=panel_id), 200
    qs = urlencode({k: (",".join(v) if isinstance(v, (list, tuple)) else v) for k, v in params.items()})
    csv_qs = "&".join(x for x in (qs, f"table={panel.table}" if panel.table else "") if x)
    links = {"JSON": f"/api/views/{spec.name}.json" + (f"?{qs}" if qs else ""),
             "CSV": f"/api/views/{spec.name}.csv" + (f"?{csv_qs}" if csv_qs else "")}
    above = first_same_run(page, panel, lambda p: panel_params(page, p, raw, spec))
    warned_above = (above.title or above.view.replace("_", " ")) if above is not None else None
    html = answer.entry.render(("fragment", panel_id),
                               lambda r: panel_html(panel, r, links=links, panel_id=panel_id, warned_above=warned_above))
    if answer.stale:
        html = html.replace("<header class=\"panel-head\">", "<p class='warning'>The store is being updated: showing "
                                                             "the figures from before the update.</p><header class=\"panel-head\">", 1)
    return html, 200


def _templates() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("yenflow.web", "templates"),
                              autoescape=jinja2.select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Ask glibc for at most ``arenas`` heap arenas (as ``MALLOC_ARENA_MAX`` would): by default each of the
    server's worker threads may get its own, and a threaded server on a small machine then holds far more
    memory than it uses. Does nothing where the C library has no ``mallopt``."""
    import ctypes
    import ctypes.util

    m_arena_max = -8  # glibc's M_ARENA_MAX
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).mallopt(m_arena_max, arenas)
    except (OSError, AttributeError, TypeError):
        pass
