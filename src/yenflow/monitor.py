"""The monitor: one screen with the latest value of each key series and its
changes over a week, a month and a year. Yields change in bp, FX in %.

Rows whose series are not in the store are skipped, so the monitor grows as
sources are added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.store import Store


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    series: tuple[str, ...]  # one id, or two for a spread (a − b)
    change: str  # 'bp' (×100 of a % level), 'pct' (relative), 'level' (same unit)
    unit: str


ROWS: list[Row] = [
    Row("JGB (MOF, %)", "JGB 2Y", ("jgb.2y",), "bp", "%"),
    Row("JGB (MOF, %)", "JGB 5Y", ("jgb.5y",), "bp", "%"),
    Row("JGB (MOF, %)", "JGB 10Y", ("jgb.10y",), "bp", "%"),
    Row("JGB (MOF, %)", "JGB 30Y", ("jgb.30y",), "bp", "%"),
    Row("JGB (MOF, %)", "JGB 40Y", ("jgb.40y",), "bp", "%"),
    Row("UST (Treasury par, H.15 CMT after the last par file, %)", "UST 3M", ("ust.par.3m",), "bp", "%"),
    Row("UST (Treasury par, H.15 CMT after the last par file, %)", "UST 2Y", ("ust.par.2y",), "bp", "%"),
    Row("UST (Treasury par, H.15 CMT after the last par file, %)", "UST 5Y", ("ust.par.5y",), "bp", "%"),
    Row("UST (Treasury par, H.15 CMT after the last par file, %)", "UST 10Y", ("ust.par.10y",), "bp", "%"),
    Row("UST (Treasury par, H.15 CMT after the last par file, %)", "UST 30Y", ("ust.par.30y",), "bp", "%"),
    Row("Spreads", "UST−JGB 10Y", ("ust.par.10y", "jgb.10y"), "bp", "pp"),
    Row("Spreads", "UST−JGB 30Y", ("ust.par.30y", "jgb.30y"), "bp", "pp"),
    Row("FX and money", "USD/JPY (H.10 noon)", ("fx.usdjpy",), "pct", "JPY per USD"),
    Row("FX and money", "SOFR", ("rate.sofr",), "bp", "%"),
    Row("FX and money", "Fed funds effective", ("rate.effr",), "bp", "%"),
    Row("FX and money", "JPY 3M interbank (OECD, monthly)", ("rate.jpy.3m_interbank",), "bp", "%"),
    Row("FX and money", "JPY O/N call (TONA)", ("rate.jpy.tona",), "bp", "%"),
    Row("FX and money", "BOJ policy rate target (MPM)", ("rate.boj.policy_target",), "bp", "%"),
]

HORIZONS = {"1w": 7, "1m": 30, "1y": 365}


def _get(store: "Store", sid: str) -> "pd.Series | None":
    """A series; Treasury par yields extended by FRED's H.15 CMT copy of the same curve."""
    s = store.get(sid) if store.has_series(sid) else None
    if sid.startswith("ust.par."):
        cmt_id = sid.replace("ust.par.", "ust.cmt.")
        cmt = store.get(cmt_id) if store.has_series(cmt_id) else None
        if cmt is not None:
            s = cmt if s is None else s.combine_first(cmt)
    return None if s is None else s.dropna()


def _series(store: "Store", ids: tuple[str, ...]) -> "pd.Series | None":
    parts = [_get(store, i) for i in ids]
    if any(p is None for p in parts):
        return None
    if len(parts) == 1:
        return parts[0]
    return (parts[0] - parts[1]).dropna()


def _change(s: "pd.Series", days: int, kind: str) -> float | None:
    import pandas as pd

    last_date = s.index[-1]
    past = s[: last_date - pd.Timedelta(days=days)]
    if past.empty:
        return None
    then, now = past.iloc[-1], s.iloc[-1]
    if kind == "bp":
        return (now - then) * 100
    if kind == "pct":
        return (now / then - 1) * 100
    return now - then


def monitor_frame(store: "Store", rows: list[Row] | None = None) -> "pd.DataFrame":
    """Latest value, its date and changes for each monitor row present in the store."""
    import pandas as pd

    out = []
    for row in rows or ROWS + _extra_rows():
        s = _series(store, row.series)
        if s is None or s.empty:
            continue
        rec = {"section": row.section, "series": row.label, "date": s.index[-1], "value": s.iloc[-1], "unit": row.unit}
        change_unit = {"bp": "bp", "pct": "%", "level": row.unit}[row.change]
        for h, days in HORIZONS.items():
            rec[f"Δ{h}"] = _change(s, days, row.change)
        rec["Δ unit"] = change_unit
        out.append(rec)
    return pd.DataFrame(out)


#: other modules (flows, carry…) append callables returning more rows
EXTRA_ROWS: list[Callable[[], list[Row]]] = []


def _extra_rows() -> list[Row]:
    return [r for fn in EXTRA_ROWS for r in fn()]


FLOW_ROWS = (
    ("Foreigners → Japanese equity", "mof.weekly.foreign.equity.net"),
    ("Foreigners → Japanese bonds (long-term)", "mof.weekly.foreign.bonds.net"),
    ("Foreigners → all Japanese securities", "mof.weekly.foreign.total.net"),
    ("Japanese → foreign equity", "mof.weekly.resident.equity.net"),
    ("Japanese → foreign bonds (long-term)", "mof.weekly.resident.bonds.net"),
)


def flows_frame(store: "Store") -> "pd.DataFrame":
    """Latest MOF week per flow: net buying (+) in ¥bn, 4/13-week sums, percentile, largest since."""
    import pandas as pd

    from yenflow.analytics.flows import context_table

    rows = []
    for label, sid in FLOW_ROWS:
        if not store.has_series(sid):
            continue
        c = context_table(store.get(sid), last=1).iloc[-1]
        rows.append({"flow (net buying +)": label, "week to": c.name, "¥bn": c["value"] / 10,
                     "4w ¥bn": c["sum_4"] / 10, "13w ¥bn": c["sum_13"] / 10, "pctile": c["percentile"],
                     "largest since": c["largest_since"] if pd.notna(c["largest_since"]) else c["record"] or "—"})
    return pd.DataFrame(rows)


def risk_frame(store: "Store") -> "pd.DataFrame":
    """Carry and positioning in one panel: USD/JPY carry, realised vol,
    carry/vol, the carry index's drawdown from its peak, and CFTC leveraged
    funds' yen position. Missing inputs leave rows out."""
    import pandas as pd

    from yenflow.views.inputs import MissingInputError

    rows = []
    try:
        from yenflow.views.carry import carry_view

        latest = carry_view(store)["latest"]["value"]
        for label in ("carry r$ − r¥", "realised vol 63d", "carry / vol63", "index drawdown from peak"):
            rows.append({"measure": label, "value": latest[label]})
    except (MissingInputError, ValueError):
        pass
    try:
        from yenflow.views.carry import cot_view

        cot = cot_view(store, weeks=1)
        lev = cot[(cot["report"] == "tff") & (cot["group"] == "lev_funds")]
        if not lev.empty:
            r = lev.iloc[-1]
            rows.append({"measure": f"CFTC leveraged funds net yen, {r['ref_date']:%Y-%m-%d} (contracts)", "value": r["net_contracts"]})
            rows.append({"measure": "… as % of open interest / 3y percentile",
                         "value": f"{r['net_pct_oi']:.1f}% / {r['net_percentile']:.0f}"})
    except MissingInputError:
        pass
    return pd.DataFrame(rows)


def show_monitor(store: "Store") -> None:
    from rich.table import Table

    from yenflow.output import _cell

    df = monitor_frame(store)
    from yenflow.output import get_console

    console = get_console()
    if df.empty:
        console.print("The store is empty: run `yenflow update` (or `yenflow update --from DIR`).")
        return
    table = Table(title="yenflow monitor — latest official data", header_style="bold")
    for c in ["series", "date", "value", "unit", "Δ1w", "Δ1m", "Δ1y", "Δ unit"]:
        table.add_column(c, justify="left" if c in ("series", "unit", "Δ unit") else "right")
    for section, grp in df.groupby("section", sort=False):
        table.add_row(f"[bold]{section}[/bold]")
        for _, r in grp.iterrows():
            table.add_row(
                "  " + r["series"], _cell(r["date"], None), _cell(float(r["value"]), 3), r["unit"],
                *[_cell(r[f"Δ{h}"], 1) if r[f"Δ{h}"] is not None else "—" for h in HORIZONS],
                r["Δ unit"],
            )
    console.print(table)
    from yenflow.output import render

    flows = flows_frame(store)
    if not flows.empty:
        render(flows, "table", title="MOF weekly portfolio flows (designated major investors; ¥bn, + = net buying)", index=False)
    risk = risk_frame(store)
    if not risk.empty:
        render(risk, "table", title="Carry and positioning (carry in pp, vol and drawdown in %; `yenflow carry`, `yenflow cot`)",
               index=False)
