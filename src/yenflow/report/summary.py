"""The report's Markdown summary: the three answers with their evidence,
what moved this week, records, and stale sources — short enough for an email."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yenflow.render.html import cell, evidence_decimals

if TYPE_CHECKING:
    from yenflow.report.build import ReportFiles

#: how many market moves to list
MOVES = 6


def _answers(answer: Any) -> list[str]:
    if isinstance(answer, Exception):
        return [f"_The answer could not be computed: {answer}_"]
    lines = []
    ev = answer.table("evidence").flat()
    for _, a in answer.table("answers").flat().iterrows():
        lines.append(f"### {a['question']} **{a['answer']}**")
        lines.append(f"{a['statement']} ({a['votes_yes']} of {a['figures']} voting figures say yes, {a['votes_no']} no.)")
        lines.append("")
        for _, e in ev[ev["question"] == a["question"]].iterrows():
            vote = {1: "yes", -1: "no", 0: "neutral"}.get(e["vote"], "context") if e["vote"] == e["vote"] else "context"
            pct = "" if e["percentile"] != e["percentile"] or e["percentile"] is None else \
                f", percentile {cell(e['percentile'], 'percentile')}"
            lines.append(f"- {e['figure']}: {cell(e['value'], e['unit'], evidence_decimals(e['unit']))} {e['unit']} "
                         f"({cell(e['date'])}{pct}) → {vote}. Rule: {e['rule']}")
        if a["stale_inputs"]:
            lines.append(f"- Stale: {a['stale_inputs']}")
        lines.append("")
    return lines


def _moves(monitor: Any) -> list[str]:
    if isinstance(monitor, Exception):
        return [f"_The monitor could not be computed: {monitor}_"]
    levels = monitor.table("levels").flat()
    moved = levels.dropna(subset=["chg_1w"]).copy()
    moved["size"] = moved["chg_1w"].abs() / moved["change_unit"].map({"bp": 10.0, "%": 1.0}).fillna(1.0)
    lines = [f"- {r['series']}: {cell(r['value'], r['unit'])} {r['unit']} on {cell(r['date'])}, "
             f"{float(r['chg_1w']):+.1f} {r['change_unit']} on the week" for _, r in
             moved.sort_values("size", ascending=False).head(MOVES).iterrows()]
    flows = monitor.table("flows").flat()
    for _, r in flows.iterrows():
        lines.append(f"- {r['flow']}: ¥{float(r['value']):+,.0f}bn in the week to {cell(r['week_to'])} "
                     f"(13 weeks ¥{float(r['sum_13w']):+,.0f}bn, percentile {cell(r['percentile'], 'percentile')})")
    return lines or ["- nothing moved"]


def _records(monitor: Any) -> list[str]:
    if isinstance(monitor, Exception):
        return []
    flows = monitor.table("flows").flat()
    lines = []
    for _, r in flows.iterrows():
        if isinstance(r.get("record"), str) and r["record"]:
            lines.append(f"- {r['flow']}: {r['record']} (week to {cell(r['week_to'])})")
        pct = r.get("percentile")
        if pct == pct and pct is not None and (pct >= 95 or pct <= 5):
            since = cell(r.get("largest_since"))
            what = "net purchase" if pct >= 95 else "net sale"
            lines.append(f"- {r['flow']}: ¥{float(r['value']):+,.0f}bn in the week to {cell(r['week_to'])}, percentile "
                         f"{cell(pct, 'percentile')} of the weeks since 2014-01"
                         + (f", the largest {what} since {since}" if since != "—" else f", the largest {what} on record"))
    return lines or ["- no record this week"]


def _stale(status: Any, answer: Any) -> list[str]:
    lines = []
    if not isinstance(status, Exception):
        for _, r in status.main.flat().iterrows():
            if r["stale"] == "STALE" and r["last_observation"] is not None and r["last_observation"] == r["last_observation"]:
                lines.append(f"- {r['source']}: last observation {cell(r['last_observation'])}, next release was due "
                             f"{cell(r['next_release_due'])}")
            elif r["stale"] == "STALE":
                lines.append(f"- {r['source']}: no data in the store")
    if not isinstance(answer, Exception):
        lines += [f"- {w}" for w in answer.warnings]
    return lines or ["- every source is fresh"]


def write_summary(path: Path, answer: Any, monitor: Any, status: Any, as_of: datetime | None,
                  files: "ReportFiles") -> None:
    when = f"as the store knew it on {as_of:%Y-%m-%d}" if as_of else "latest data"
    title = answer.table("answers").title if not isinstance(answer, Exception) else "yenflow report"
    lines = [f"# yenflow report: {title.lower()[0]}{title[1:]} ({when})", "", "## The three answers", "",
             *_answers(answer), "## What moved this week", "", *_moves(monitor), "", "## Records", "", *_records(monitor),
             "", "## Stale sources and inputs", "", *_stale(status, answer), "",
             f"Charts: {len(files.charts)} PNG files in `charts/`; data: {len(files.data)} CSV files in `data/`; "
             f"everything with its conventions in `{files.html.name}` (opens offline).", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
