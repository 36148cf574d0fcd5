"""HTML for one panel of a page — cards, charts, tables, conventions and
warnings — drawn from a view result. Shared by the web app (a fragment per
panel) and the report (every panel in one file)."""

from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from yenflow.render.figures import figure
from yenflow.render.format import console_cell, decimals_for
from yenflow.views.answer import WORDS

if TYPE_CHECKING:
    import jinja2

    from collections.abc import Callable

    from yenflow.render.pages import Page, Panel
    from yenflow.views.result import Table, ViewResult


@lru_cache(maxsize=1)
def environment() -> "jinja2.Environment":
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("yenflow.render", "templates"),
                             autoescape=jinja2.select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["cell"] = cell
    env.filters["script_json"] = script_json
    return env


def cell(value: Any, unit: str = "", decimals: int | None = None) -> str:
    """A table cell as the console prints it (separators, precision by unit, ISO dates, — for missing)."""
    return console_cell(value, decimals_for(unit, decimals))


def script_json(obj: Any) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False, ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def filtered(table: "Table", where: dict[str, Any], drop: dict[str, Any] | None = None) -> "Table":
    """The rows to draw (a selection, not a computation): those where each ``where`` column equals its
    value (or is in its tuple), less those where a ``drop`` column is in its tuple (a total bar)."""
    if not where and not drop:
        return table
    import numpy as np

    flat = table.flat()
    mask = np.ones(len(flat), dtype=bool)
    for col, value in where.items():
        mask &= (flat[col].isin(value) if isinstance(value, (tuple, list)) else flat[col] == value).to_numpy()
    for col, values in (drop or {}).items():
        mask &= ~flat[col].isin(values).to_numpy()
    return dataclasses.replace(table, frame=table.frame[mask])


#: longer cell texts are cut (the CSV and JSON have them whole)
CELL_CHARS = 160


def _short(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1].rstrip() + "…"


def table_rows(table: "Table", max_rows: int, latest: bool = False) -> dict[str, Any]:
    """Columns with units and the rows to list: a time series' (or, with ``latest``, any table's) last rows
    newest first, else a snapshot's first rows."""
    flat = table.flat()
    newest_first = table.kind == "series" or latest
    shown = flat.tail(max_rows).iloc[::-1] if newest_first else flat.head(max_rows)
    cols = [str(c) for c in flat.columns]
    units = {c: table.units.get(c, "") for c in cols}
    rows = [[_short(cell(v, units[c], table.decimals.get(c))) for c, v in zip(cols, rec)]
            for rec in shown.itertuples(index=False, name=None)]
    return {"columns": cols, "units": units, "rows": rows, "total": len(flat), "shown": len(shown),
            "numeric": {c: flat[c].dtype.kind in "iuf" for c in cols}}


def evidence_decimals(unit: str) -> int:
    """Decimals for an answer figure: contracts whole, ratios 2, everything else 1."""
    return {"ratio": 2, "contracts": 0}.get(unit, 1)


def cards(result: "ViewResult") -> list[dict[str, Any]]:
    """The answer's cards: question, direction, statement, evidence rows and stale inputs."""
    answers = result.table("answers").flat()
    evidence = result.table("evidence")
    ev = evidence.flat()
    out = []
    for _, a in answers.iterrows():
        rows = []
        for _, e in ev[ev["question"] == a["question"]].iterrows():
            rows.append({"figure": e["figure"], "value": cell(e["value"], e["unit"], evidence_decimals(e["unit"])),
                         "unit": e["unit"], "date": cell(e["date"]), "percentile": cell(e["percentile"], "percentile"),
                         "vote": {1: "yes", -1: "no", 0: "neutral"}.get(e["vote"], "context")
                         if e["vote"] == e["vote"] and e["vote"] is not None else "context",
                         "rule": e["rule"]})
        answer = str(a["answer"])
        tone = {**{w[0]: "yes" for w in WORDS.values()}, **{w[1]: "no" for w in WORDS.values()}}.get(answer, "mixed")
        out.append({"question": a["question"], "answer": answer, "tone": tone, "statement": a["statement"],
                    "votes_yes": a["votes_yes"], "votes_no": a["votes_no"], "figures": a["figures"],
                    "stale": [s for s in str(a["stale_inputs"] or "").split("; ") if s], "evidence": rows})
    return out


def first_same_run(page: "Page", panel: "Panel", params_of: "Callable[[Panel], dict[str, Any]]") -> "Panel | None":
    """The first panel above ``panel`` on ``page`` that draws the same view with the same parameters (its result,
    warnings included, is the same run), or None."""
    for other in page.panels:
        if other is panel:
            return None
        if other.view == panel.view and params_of(other) == params_of(panel):
            return other
    return None


def panel_html(panel: "Panel", result: "ViewResult | None", *, error: str | None = None, unavailable: bool = False,
               links: dict[str, str] | None = None, panel_id: str = "", warned_above: str | None = None) -> str:
    """One panel's HTML. ``error``: the view's one-line error instead of a result;
    ``unavailable``: the view is not registered in this build; ``links``: where
    the panel's data can be downloaded (json, csv); ``warned_above``: the title of
    a panel above that drew the same view run, whose warnings (two or more) are then
    folded into one line here instead of repeated; a single warning is shown as is."""
    blocks: list[dict[str, Any]] = []
    if result is not None:
        tables = result.tables if panel.kind == "auto" and panel.table is None else \
            [result.table(panel.table) if panel.table else result.main]
        for t in tables:
            t = filtered(t, dict(panel.where), dict(panel.drop))
            if panel.kind == "cards":
                blocks.append({"type": "cards", "cards": cards(result), "title": result.table("answers").title})
                break
            fig = None
            if panel.kind in ("chart", "auto"):
                fig = figure(t, panel.chart if len(tables) == 1 else None, result)
            if fig is not None:  # several tables in one panel: each chart is named by its table's title
                blocks.append({"type": "chart", "figure": fig, "table": t.name,
                               "title": (t.title or t.name) if len(tables) > 1 else None})
            if fig is None or panel.with_table:
                blocks.append({"type": "table", "title": None if fig is not None else (t.title or t.name),
                               "name": t.name, **table_rows(t, panel.max_rows, panel.latest_first)})
    if panel.title:
        title = panel.title
    elif result is not None and panel.table:
        title = result.table(panel.table).title or result.title
    else:
        title = result.title if result is not None else panel.view.replace("_", " ")
    return environment().get_template("panel.html").render(
        panel=panel, result=result, blocks=blocks, error=error, unavailable=unavailable, links=links or {},
        panel_id=panel_id, title=title, warned_above=warned_above)
