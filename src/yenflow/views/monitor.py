"""The monitor: one screen with the latest value of each key series, its
changes over a week, a month and a year ending at the monitor's date, the
latest MOF week of flows, and carry and positioning. Stale rows are marked and
get no change (a change over a window in which the series published nothing
would be invented)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    series: tuple[str, ...]  # one id, or two for a spread (a − b)
    change: str  # 'bp' (×100 of a % level), 'pct' (relative), 'level' (same unit)
    unit: str
    frequency: str = "daily"


UST = "UST (Treasury par, H.15 CMT after the last par file)"
ROWS: tuple[Row, ...] = (
    Row("JGB (MOF)", "JGB 2Y", ("jgb.2y",), "bp", "%"),
    Row("JGB (MOF)", "JGB 5Y", ("jgb.5y",), "bp", "%"),
    Row("JGB (MOF)", "JGB 10Y", ("jgb.10y",), "bp", "%"),
    Row("JGB (MOF)", "JGB 30Y", ("jgb.30y",), "bp", "%"),
    Row("JGB (MOF)", "JGB 40Y", ("jgb.40y",), "bp", "%"),
    Row(UST, "UST 3M", ("ust.par.3m",), "bp", "%"),
    Row(UST, "UST 2Y", ("ust.par.2y",), "bp", "%"),
    Row(UST, "UST 5Y", ("ust.par.5y",), "bp", "%"),
    Row(UST, "UST 10Y", ("ust.par.10y",), "bp", "%"),
    Row(UST, "UST 30Y", ("ust.par.30y",), "bp", "%"),
    Row("Spreads", "UST−JGB 10Y", ("ust.par.10y", "jgb.10y"), "bp", "pp"),
    Row("Spreads", "UST−JGB 30Y", ("ust.par.30y", "jgb.30y"), "bp", "pp"),
    Row("FX and money", "USD/JPY (H.10 noon)", ("fx.usdjpy",), "pct", "JPY per USD"),
    Row("FX and money", "SOFR", ("rate.sofr",), "bp", "%"),
    Row("FX and money", "Fed funds effective", ("rate.effr",), "bp", "%"),
    Row("FX and money", "JPY 3M interbank (OECD, monthly)", ("rate.jpy.3m_interbank",), "bp", "%", "monthly"),
    Row("FX and money", "JPY O/N call (TONA)", ("rate.jpy.tona",), "bp", "%"),
    Row("FX and money", "BOJ policy rate target (MPM)", ("rate.boj.policy_target",), "bp", "%", "step"),
)
HORIZONS = {"1w": 7, "1m": 30, "1y": 365}
#: a row is stale when its last value is older than this (calendar days) at the monitor's date
STALE_DAYS = {"daily": 7, "weekly": 14, "monthly": 62, "quarterly": 130, "step": 10**6}
FLOW_ROWS = (
    ("Foreigners → Japanese equity", "mof.weekly.foreign.equity.net"),
    ("Foreigners → Japanese bonds (long-term)", "mof.weekly.foreign.bonds.net"),
    ("Foreigners → all Japanese securities", "mof.weekly.foreign.total.net"),
    ("Japanese → foreign equity", "mof.weekly.resident.equity.net"),
    ("Japanese → foreign bonds (long-term)", "mof.weekly.resident.bonds.net"),
)


@dataclass(frozen=True)
class MonitorParams(ViewParams):
    pass


def _series(market: "Market", ids: tuple[str, ...]) -> "pd.Series | None":
    """A series (Treasury par extended by FRED's H.15 copy), or a spread of two."""
    parts = []
    for sid in ids:
        if sid.startswith("ust.par."):
            s = market.spliced(sid, sid.replace("ust.par.", "ust.cmt."), role="monitor")
        else:
            s = market.get(sid, role="monitor")
        if s is None or s.dropna().empty:
            return None
        parts.append(s.dropna())
    if len(parts) == 1:
        return parts[0]
    return (parts[0] - parts[1]).dropna()


def _value_on(s: "pd.Series", day: "pd.Timestamp") -> float | None:
    """The last value published on or before ``day`` (``s`` sorted by date, no NaN)."""
    i = int(s.index.searchsorted(day, side="right"))
    return None if i == 0 else float(s.iloc[i - 1])


def monitor_date(market: "Market") -> "pd.Timestamp":
    """The monitor's date: the as-of date, else the latest daily market date in the store."""
    import pandas as pd

    if market.as_of is not None:
        return pd.Timestamp(market.as_of.date())
    lasts = [s.index.max() for sid in ("fx.usdjpy", "jgb.10y", "ust.cmt.10y", "ust.par.10y")
             if (s := market.get(sid)) is not None and not s.dropna().empty]
    if not lasts:
        raise MissingInputError("The store is empty: run `yenflow update` (or `yenflow update --from DIR`).")
    return max(lasts)


def levels_frame(market: "Market", ref: "pd.Timestamp") -> "tuple[pd.DataFrame, list[str]]":
    import pandas as pd

    market.load([sid for r in ROWS for sid in r.series] + [s.replace("ust.par.", "ust.cmt.") for r in ROWS
                                                             for s in r.series if s.startswith("ust.par.")])
    rows, stale = [], []
    for r in ROWS:
        s = _series(market, r.series)
        if s is None:
            continue
        s = s.loc[:ref]
        if s.empty:
            continue
        last = s.index[-1]
        age = (ref - last).days
        is_stale = age > STALE_DAYS[r.frequency]
        rec = {"section": r.section, "series": r.label, "date": last, "value": float(s.iloc[-1]), "unit": r.unit}
        for h, days in HORIZONS.items():
            then = _value_on(s, ref - pd.Timedelta(days=days))
            now = float(s.iloc[-1])
            if is_stale or then is None:
                rec[f"chg_{h}"] = None
            elif r.change == "bp":
                rec[f"chg_{h}"] = (now - then) * 100
            elif r.change == "pct":
                rec[f"chg_{h}"] = (now / then - 1) * 100
            else:
                rec[f"chg_{h}"] = now - then
        rec["change_unit"] = {"bp": "bp", "pct": "%", "level": r.unit}[r.change]
        rec["status"] = f"STALE: {age} days old" if is_stale else ""
        if is_stale:
            stale.append(f"{r.label} ({'/'.join(r.series)}): last value {last:%Y-%m-%d}, {age} days before {ref:%Y-%m-%d}")
        rows.append(rec)
    return pd.DataFrame(rows), stale


def flows_frame(market: "Market") -> "pd.DataFrame":
    """Latest MOF week per flow: net buying (+) in ¥bn, 4/13-week sums, percentile, largest since."""
    import pandas as pd

    from yenflow.analytics.flows import latest_context
    from yenflow.views.flows import RECLASSIFICATION

    market.load([sid for _, sid in FLOW_ROWS])
    rows = []
    for label, sid in FLOW_ROWS:
        s = market.get(sid, role="monitor: weekly flows")
        if s is None or s.dropna().empty:
            continue
        c = latest_context(s, weekly=True, rank_start=RECLASSIFICATION)
        rows.append({"flow": label, "week_to": c["date"], "value": c["value"] / 10, "sum_4w": c["sum_4"] / 10,
                     "sum_13w": c["sum_13"] / 10, "percentile": c["percentile"], "largest_since": c["largest_since"],
                     "streak": c["streak"], "record": c["record"]})
    return pd.DataFrame(rows)


def risk_frame(market: "Market") -> "tuple[pd.DataFrame, list[str]]":
    """Carry and positioning: carry, realised vol, carry/vol, the carry index's
    drawdown from its peak, CFTC leveraged funds' yen position."""
    import pandas as pd

    from yenflow.views.carry import carry_frame, cot_frame

    rows, warnings = [], []
    try:
        f = carry_frame(market)
        hist = f["history"].dropna(subset=["carry_pp", "vol63_pct"])
        if not hist.empty:
            last, when = hist.iloc[-1], hist.index[-1]
            rows += [{"measure": "carry r$ − r¥", "value": last["carry_pp"], "unit": "pp p.a.", "date": when},
                     {"measure": "realised vol 63d", "value": last["vol63_pct"], "unit": "% p.a.", "date": when},
                     {"measure": "carry / vol63", "value": last["carry_to_vol63"], "unit": "ratio", "date": when},
                     {"measure": "carry index drawdown from peak", "value": float(f["history"]["drawdown_pct"].dropna().iloc[-1]),
                      "unit": "%", "date": f["history"]["drawdown_pct"].dropna().index[-1]}]
            warnings += f["jpy"].warnings
    except MissingInputError:
        pass
    try:
        cot = cot_frame(market, 1, group=("tff", "lev_funds"))
        lev = cot[(cot["report"] == "tff") & (cot["group"] == "lev_funds")]
        if not lev.empty:
            r = lev.iloc[-1]
            rows += [{"measure": "CFTC leveraged funds net yen", "value": r["net_contracts"], "unit": "contracts",
                      "date": r["ref_date"]},
                     {"measure": "… as % of open interest", "value": r["net_pct_oi"], "unit": "%", "date": r["ref_date"]},
                     {"measure": "… 3-year percentile", "value": r["net_percentile"], "unit": "percentile",
                      "date": r["ref_date"]}]
    except MissingInputError:
        pass
    return pd.DataFrame(rows), warnings


@view("monitor", MonitorParams, "The latest rates, FX, flows, carry and positioning in one screen, with changes "
      "over a week, a month and a year.", "yenflow monitor")
def monitor(market: "Market", p: MonitorParams) -> "ViewResult":
    import pandas as pd

    from yenflow.views.result import Table

    market.load([sid for r in ROWS for sid in r.series] + [sid.replace("ust.par.", "ust.cmt.") for r in ROWS
                                                             for sid in r.series if sid.startswith("ust.par.")]
                + [sid for _, sid in FLOW_ROWS] + market.ids("cot.jpy.tff.")
                + ["rate.jpy.tona", "user.rate.jpy.tona"])  # one query for the whole screen
    ref = monitor_date(market)
    levels, stale = levels_frame(market, ref)
    flows = flows_frame(market)
    risk, risk_warnings = risk_frame(market)
    warnings = list(stale) + risk_warnings
    today = pd.Timestamp.today().normalize()
    if market.as_of is None and (today - ref).days > 7:
        warnings.insert(0, f"the store's latest market data are from {ref:%Y-%m-%d}, {(today - ref).days} days ago: "
                           "run `yenflow update`")
    tables = [
        Table("levels", levels, {"section": "text", "series": "text", "date": "date", "value": "", "unit": "text",
                                 "chg_1w": "", "chg_1m": "", "chg_1y": "", "change_unit": "text", "status": "text"},
              title=f"yenflow monitor — changes over windows ending {ref:%Y-%m-%d}", date_column="date",
              decimals={"value": 3, "chg_1w": 1, "chg_1m": 1, "chg_1y": 1}),
    ]
    if not flows.empty:
        tables.append(Table("flows", flows, {"flow": "text", "week_to": "date", "value": "JPY bn", "sum_4w": "JPY bn",
                                             "sum_13w": "JPY bn", "percentile": "percentile", "largest_since": "date",
                                             "streak": "count", "record": "text"},
                            title="MOF weekly portfolio flows (designated major investors; ¥bn, + = net buying)",
                            date_column="week_to"))
    if not risk.empty:
        tables.append(Table("carry_positioning", risk, {"measure": "text", "value": "", "unit": "text", "date": "date"},
                            title="Carry and positioning (`yenflow carry`, `yenflow cot`)", date_column="date",
                            decimals={"value": 2}))
    conventions = [
        f"changes: value on {ref:%Y-%m-%d} (the monitor's date) minus the value on the date 7, 30 and 365 days before "
        "(last published on or before each); yields and spreads in bp, USD/JPY in %; stale rows get no change",
        f"stale: no value for more than {STALE_DAYS['daily']} days (daily), {STALE_DAYS['monthly']} (monthly) before "
        "the monitor's date; the BOJ target is a step series (unchanged until the next decision)",
        "flows: percentile and largest_since rank the latest week among every week since the 2014-01 reclassification",
    ]
    return make_result(market, "monitor", "yenflow monitor", p, tables, conventions, warnings)
