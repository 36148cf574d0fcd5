"""Markets around an episode: every market the store has, over a window and over the same
length of time just before it; what the store lacks for the window is listed, not skipped.

Conventions
-----------
* The window is ``[start, end]`` in calendar days, both included; its length is
  ``L = end − start + 1`` days and the **prior window** is ``[start − L, start − 1]``.
* **Levels** (FX, yields, equity indices, VIX, CFTC net positions): the change from
  the last observation *before* the window (the close the window starts from) to the
  last observation *on or before* its end. The window must hold an observation of
  its own and the base must be at most ``stale_days`` before the window starts;
  otherwise the market is listed as lacking for that window. Units: USD/JPY and
  equity indices in %, yields in bp, VIX in index points, CFTC in contracts (+ =
  towards net long yen).
* **Flows** (MOF weekly flows, JPX net buying, intervention): the sum, in ¥bn, of the
  periods that overlap the window (a weekly figure counts when its week — the seven
  days ending on its date — overlaps the window; a daily figure when its day is inside).
  Intervention is a ledger of operation days: a window inside the ledger's span with
  no operation sums to 0.
* A market with several candidate series uses the first the store has and fills the
  dates it lacks from the next (e.g. the Treasury par curve, then H.15 CMT; the
  Nikkei's own file, then FRED's copy).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

STALE_DAYS = 10
TO_JPY_BN = {"JPY 100m": 0.1, "JPY thousand": 1e-6, "JPY bn": 1.0, "JPY tn": 1e3}


@dataclass(frozen=True)
class Market:
    name: str
    candidates: tuple[str, ...]
    kind: str  # "pct" | "bp" | "points" | "contracts" | "flow"
    period_days: int = 1  # flows: days each observation covers (7 = a week ending on its date)


MARKETS = (
    Market("USD/JPY", ("fx.usdjpy",), "pct"),
    Market("JGB 10Y", ("jgb.10y",), "bp"),
    Market("JGB 30Y", ("jgb.30y",), "bp"),
    Market("UST 10Y", ("ust.par.10y", "ust.cmt.10y"), "bp"),
    Market("Nikkei 225", ("equity.nikkei225.close", "equity.nikkei225.close_fred"), "pct"),
    Market("TOPIX", ("equity.topix.close", "user.equity.topix.close"), "pct"),
    Market("S&P 500", ("equity.sp500.close",), "pct"),
    Market("VIX", ("equity.vix.close",), "points"),
    Market("CFTC leveraged funds, net yen futures", ("cot.jpy.tff.lev_funds.net",), "contracts"),
    Market("CFTC non-commercials, net yen futures", ("cot.jpy.legacy.noncomm.net",), "contracts"),
    Market("MOF weekly: foreigners' net buying of Japanese equity", ("mof.weekly.foreign.equity.net",), "flow", 7),
    Market("MOF weekly: foreigners' net buying of Japanese bonds", ("mof.weekly.foreign.bonds.net",), "flow", 7),
    Market("MOF weekly: Japanese net buying of foreign bonds", ("mof.weekly.resident.bonds.net",), "flow", 7),
    Market("JPX TSE Prime: foreigners' net buying", ("jpx.investor.prime.foreigners.net",), "flow", 7),
    Market("JPX TSE Prime: individuals' net buying", ("jpx.investor.prime.individuals.net",), "flow", 7),
    Market("MOF FX intervention, USD/JPY (+ = yen bought)",
           ("intervention.usdjpy.amount", "user.intervention.usdjpy.amount"), "flow"),
)
CHANGE_UNITS = {"pct": "%", "bp": "bp", "points": "index points", "contracts": "contracts", "flow": "JPY bn (sum)"}
LEVEL_UNITS = {"bp": "%", "contracts": "contracts", "flow": ""}  # else the series' own unit


@dataclass(frozen=True)
class Preset:
    start: str
    end: str
    title: str


PRESETS = {
    "aug-2024": Preset("2024-08-01", "2024-08-05",
                       "August-2024 carry unwind: the three sessions after the BOJ's hike to 0.25% (31 July), "
                       "to the 5 August crash"),
    "liberation-day": Preset("2025-04-03", "2025-04-08",
                             "'Liberation Day' tariffs: announced 2 April 2025 after the US close; the four US "
                             "sessions to the eve of the 9 April pause"),
    "jun-2026": Preset("2026-06-01", "2026-06-30",
                       "June 2026: the BOJ's hike to 1.0% (effective 17 June), USD/JPY above 160, the Nikkei's "
                       "record close of 72,366 (25 June)"),
}


def window(start: Any, end: Any) -> "tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp, pd.Timestamp]":
    """(start, end, prior start, prior end) of a window and the same length before it."""
    import pandas as pd

    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if e < s:
        raise ValueError(f"the window ends ({e:%Y-%m-%d}) before it starts ({s:%Y-%m-%d})")
    length = e - s + pd.Timedelta(days=1)
    return s, e, s - length, s - pd.Timedelta(days=1)


def combined(series: "dict[str, pd.Series]", candidates: Sequence[str]) -> "tuple[pd.Series | None, list[str]]":
    """The first candidate the store has, filled on missing dates by the later ones."""
    used = [c for c in candidates if c in series]
    if not used:
        return None, []
    out = series[used[0]].dropna()
    for c in used[1:]:
        out = out.combine_first(series[c].dropna())
    return out.sort_index(), used


def _level_change(s: "pd.Series", start: "pd.Timestamp", end: "pd.Timestamp", kind: str,
                  stale_days: int) -> "tuple[dict[str, Any] | None, str]":
    before, upto = s[s.index < start], s[s.index <= end]
    if len(upto) == 0 or upto.index[-1] < start:
        nxt = s[s.index > end]
        hint = f"; next observation {nxt.index[0]:%Y-%m-%d}" if len(nxt) else ""
        span = f"{s.index[0]:%Y-%m-%d} → {s.index[-1]:%Y-%m-%d}" if len(s) else "empty"
        return None, f"no observation inside {start:%Y-%m-%d} → {end:%Y-%m-%d} (series {span}{hint})"
    if len(before) == 0 or (start - before.index[-1]).days > stale_days:
        return None, f"no observation in the {stale_days} days before {start:%Y-%m-%d}"
    b, e = float(before.iloc[-1]), float(upto.iloc[-1])
    change = {"pct": 100.0 * (e / b - 1.0), "bp": 100.0 * (e - b)}.get(kind, e - b)
    return {"start_date": before.index[-1], "start_value": b, "end_date": upto.index[-1], "end_value": e,
            "change": change}, ""


def _flow_sum(s: "pd.Series", start: "pd.Timestamp", end: "pd.Timestamp", period_days: int, scale: float,
              ledger: bool) -> "tuple[dict[str, Any] | None, str]":
    import pandas as pd

    first_day = s.index[0] - pd.Timedelta(days=period_days - 1) if len(s) else None
    if not len(s) or end < first_day or start > s.index[-1]:
        span = f"{first_day:%Y-%m-%d} → {s.index[-1]:%Y-%m-%d}" if len(s) else "empty"
        return None, f"no data covering {start:%Y-%m-%d} → {end:%Y-%m-%d} (series {span})"
    inside = s[(s.index >= start) & (s.index - pd.Timedelta(days=period_days - 1) <= end)]
    if inside.empty and not ledger:
        return None, f"no period overlapping {start:%Y-%m-%d} → {end:%Y-%m-%d}"
    periods = ", ".join(f"{d:%Y-%m-%d}" for d in inside.index) or "no operations"
    return {"start_date": inside.index[0] if len(inside) else pd.NaT,
            "end_date": inside.index[-1] if len(inside) else pd.NaT,
            "change": float(inside.sum()) * scale, "periods": periods}, ""


def market_change(s: "pd.Series", m: Market, start: "pd.Timestamp", end: "pd.Timestamp", unit: str | None,
                  stale_days: int = STALE_DAYS) -> "tuple[dict[str, Any] | None, str]":
    """One market over one window: a dict of dates, values and the change, or (None, why)."""
    if m.kind == "flow":
        scale = TO_JPY_BN.get(unit or "")
        if scale is None:
            return None, f"unit {unit!r} cannot be summed in JPY bn"
        return _flow_sum(s, start, end, m.period_days, scale, ledger=m.period_days == 1)
    return _level_change(s, start, end, m.kind, stale_days)


def episode_table(series: "dict[str, pd.Series]", start: Any, end: Any, markets: Sequence[Market] = MARKETS,
                  stale_days: int = STALE_DAYS) -> "tuple[pd.DataFrame, list[tuple[str, str]]]":
    """Change over the window and over the same length before it, per market.

    ``series``: catalog id → values for whatever the store has (``attrs['unit']`` is
    read for flows). Returns (table, lacking): the table has one row per market with
    data for the window (columns market, series, level_unit, change_unit, start_date, start_value,
    end_date, end_value, change, prior_change, note); ``lacking`` lists (market, why)
    for the rest — not in the store at all, or no data for the window.
    """
    import pandas as pd

    s0, e0, ps, pe = window(start, end)
    rows, lacking = [], []
    for m in markets:
        s, used = combined(series, m.candidates)
        if s is None:
            lacking.append((m.name, f"not in the store ({' or '.join(m.candidates)})"))
            continue
        unit = series[used[0]].attrs.get("unit")
        cur, why = market_change(s, m, s0, e0, unit, stale_days)
        if cur is None:
            lacking.append((m.name, f"{'+'.join(used)}: {why}"))
            continue
        prior, why_prior = market_change(s, m, ps, pe, unit, stale_days)
        notes = [f"periods: {cur.pop('periods')}"] if "periods" in cur else []
        if prior is None:
            notes.append(f"prior window: {why_prior}")
        rows.append({"market": m.name, "series": "+".join(used),
                     "level_unit": LEVEL_UNITS.get(m.kind, unit or ""), "change_unit": CHANGE_UNITS[m.kind],
                     "start_date": cur.get("start_date"), "start_value": cur.get("start_value", float("nan")),
                     "end_date": cur.get("end_date"), "end_value": cur.get("end_value", float("nan")),
                     "change": cur["change"], "prior_change": prior["change"] if prior else float("nan"),
                     "note": "; ".join(notes)})
    cols = ["market", "series", "level_unit", "change_unit", "start_date", "start_value", "end_date", "end_value", "change",
            "prior_change", "note"]
    table = pd.DataFrame(rows, columns=cols)
    table.attrs.update({"start": s0, "end": e0, "prior_start": ps, "prior_end": pe})
    return table, lacking
