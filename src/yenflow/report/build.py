"""Build the report: run each panel's view once (as of the date asked), write
the CSV of its table, its chart as PNG, its HTML; then the page and the summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yenflow.store import Store
    from yenflow.views.result import ViewResult


@dataclass
class ReportFiles:
    html: Path
    summary: Path
    charts: list[Path] = field(default_factory=list)
    data: list[Path] = field(default_factory=list)


class _Runner:
    """Each (view, parameters) run once on the store; errors kept as results."""

    def __init__(self, store: "Store", as_of: datetime | None) -> None:
        self.store, self.as_of, self.done = store, as_of, {}

    def __call__(self, view: str, params: dict[str, Any]) -> "ViewResult | Exception":
        from yenflow.errors import YenflowError
        from yenflow.views import registry

        full = {**params, **({"as_of": self.as_of} if self.as_of else {})}
        key = (view, tuple(sorted((k, str(v)) for k, v in full.items())))
        if key not in self.done:
            try:
                self.done[key] = registry.run(self.store, view, full)
            except YenflowError as e:
                self.done[key] = e
        return self.done[key]


def build_report(store: "Store", out: Path, as_of: datetime | None = None) -> ReportFiles:
    """Write the report into ``out`` (created) from ``store`` as of ``as_of`` (None: the latest data)."""
    from yenflow.render.figures import event_traces, figure, with_events
    from yenflow.render.html import panel_html
    from yenflow.render.pages import REPORT_SECTIONS, page
    from yenflow.report.png import draw_png
    from yenflow.report.summary import write_summary
    from yenflow.views.registry import specs

    out.mkdir(parents=True, exist_ok=True)
    (out / "charts").mkdir(exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    run = _Runner(store, as_of)
    events = run("events", {})
    overlay = [] if isinstance(events, Exception) else event_traces(events.main)
    files = ReportFiles(html=out / "report.html", summary=out / "summary.md")
    sections = []
    drawn: dict[tuple[str, str], str] = {}  # view run → title of the first panel that drew it (its warnings)
    for title, refs in REPORT_SECTIONS:
        panels = []
        for slug, index in refs:
            panel = page(slug).panels[index]
            name = f"{slug}-{index}"
            if panel.view not in specs():
                panels.append({"html": panel_html(panel, None, unavailable=True, panel_id=name), "wide": panel.wide})
                continue
            result = run(panel.view, dict(panel.params))
            if isinstance(result, Exception):
                panels.append({"html": panel_html(panel, None, error=str(result), panel_id=name), "wide": panel.wide})
                continue
            table = result.table(panel.table) if panel.table else result.main
            csv_path = out / "data" / f"{name}-{_slug(table.name)}.csv"
            _write_csv(table, csv_path)
            files.data.append(csv_path)
            links = {"CSV": f"data/{csv_path.name}"}
            if panel.kind in ("chart", "auto"):
                from yenflow.render.html import filtered

                fig = figure(filtered(table, dict(panel.where), dict(panel.drop)), panel.chart, result)
                if fig is not None:
                    png = out / "charts" / f"{name}.png"
                    draw_png(with_events(fig, overlay), png, panel.title or table.title or result.title)
                    files.charts.append(png)
                    links["PNG"] = f"charts/{png.name}"
            run_key = (panel.view, repr(sorted(panel.params.items())))
            panels.append({"html": panel_html(panel, result, links=links, panel_id=name, warned_above=drawn.get(run_key)),
                           "wide": panel.wide})
            drawn.setdefault(run_key, panel.title or table.title or result.title)
        sections.append({"title": title, "panels": panels})
    answer = run("answer", {})
    monitor = run("monitor", {})
    status = run("status", {})
    _write_html(files.html, sections, overlay, as_of, answer)
    write_summary(files.summary, answer, monitor, status, as_of, files)
    return files


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _write_csv(table: Any, path: Path) -> None:
    from yenflow.render.csv import write_csv

    with path.open("w", encoding="utf-8", newline="") as f:
        write_csv(table, f)


def _write_html(path: Path, sections: list[dict[str, Any]], overlay: list[dict[str, Any]], as_of: datetime | None,
                answer: Any) -> None:
    import importlib.resources

    import jinja2
    import plotly

    from yenflow import __version__
    from yenflow.render.html import script_json

    env = jinja2.Environment(loader=jinja2.PackageLoader("yenflow.report", "templates"),
                             autoescape=jinja2.select_autoescape(default=True))
    plotly_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
    css = importlib.resources.files("yenflow.web").joinpath("static/style.css").read_text(encoding="utf-8")
    data_to = None
    if not isinstance(answer, Exception):
        data_to = answer.table("answers").title.rsplit(" ", 1)[-1]
    html = env.get_template("report.html").render(
        sections=sections, overlay=script_json(overlay), plotly_js=plotly_js.replace("</script", "<\\/script"), css=css,
        as_of=as_of.strftime("%Y-%m-%d") if as_of else None, data_to=data_to, version=__version__,
        made=datetime.now().strftime("%Y-%m-%d %H:%M"))
    path.write_text(html, encoding="utf-8")
