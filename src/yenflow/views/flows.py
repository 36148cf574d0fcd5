"""MOF securities-flow tables: value, rolling sums and context (issue: flows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from yenflow.views.inputs import MissingInputError, need

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.store import Store

Freq = Literal["weekly", "monthly"]
SIDES = {"foreign": "non-residents' net purchases of Japanese securities (inward, BoP liabilities)",
         "resident": "residents' net purchases of foreign securities (outward, BoP assets)"}
ASSETS = {"equity": "equity & investment fund shares", "bonds": "long-term debt securities",
          "bills": "short-term debt securities", "total": "all securities", "subtotal": "equity + long-term debt"}


def _context(s: "pd.Series", last: int, window: int | None, unit: str, weekly: bool) -> "pd.DataFrame":
    """context_table with its money columns converted from ¥100m to the display unit."""
    from yenflow.analytics import flows

    table = flows.context_table(s, last=last, weekly=weekly, window=window)
    money = [c for c in table.columns if c == "value" or c.startswith("sum_") or c in ("ytd", "fytd")]
    divisor, suffix, _ = UNITS[unit]
    out = table[money] / divisor
    out.columns = [f"{c}_{suffix}" for c in money]
    for c in ("percentile", "zscore", "largest_since", "streak", "record"):
        out[c] = table[c]
    return out


def flow_series_id(freq: Freq, side: str, asset: str) -> str:
    return f"mof.{freq}.{side}.{asset}.net"


#: display units: divisor from the stored JPY 100m, column suffix, label
UNITS = {"bn": (10.0, "jpy_bn", "¥bn"), "tn": (1000.0, "jpy_tn", "¥tn")}


def flows_view(store: "Store", freq: Freq = "weekly", side: str = "foreign", asset: str = "total",
               last: int = 12, window: int | None = None, unit: str = "bn") -> "pd.DataFrame":
    """The last ``last`` weeks/months of a MOF net flow in ¥bn with rolling sums,
    YTD/FYTD, percentile, z-score, 'largest since', streak and records; monthly
    tables add $bn at the month's average USD/JPY."""
    import pandas as pd

    from yenflow.analytics import flows
    from yenflow.sources.mof.its_common import breaks_for

    sid = flow_series_id(freq, side, asset)
    s = need(store, sid, "the flows table")
    out = _context(s, last, window, unit, weekly=freq == "weekly")
    divisor, suffix, label = UNITS[unit]
    if freq == "monthly" and store.has_series("fx.usdjpy"):
        out.insert(1, "value_usd_bn", flows.monthly_usd(s, store.get("fx.usdjpy")).reindex(out.index))
    if freq == "weekly":
        spans = store.observations([sid]).set_index("ref_date")["period_start"]
        out.insert(0, "week_from", pd.to_datetime(out.index.map(spans)))
    out.index.name = "week_to" if freq == "weekly" else "month"
    start = out.index.min()
    found = [(pd.Timestamp(d), text) for d, text in breaks_for(sid) if pd.Timestamp(d) >= s.index.min()]
    breaks = [f"series break {d:%Y-%m}: {text}" for d, text in found]
    crossing = [b for (d, _), b in zip(found, breaks) if d >= start]
    earlier = sorted({f"{d:%Y-%m}" for d, _ in found if d < start})
    out.attrs["conventions"] = [
        f"{sid}: {SIDES[side]}, {ASSETS[asset]}; net = acquisition − disposition (+ = net buying), recomputed by yenflow",
        f"amounts in {label} (MOF publishes ¥100m; ÷{divisor:g})" + ("; $bn at the month's average DEXJPUS" if freq == "monthly" else ""),
        ("sum_4/13/52: trailing 4/13/52 weeks" if freq == "weekly" else "sum_3/12: trailing 3/12 months")
        + "; ytd: calendar year; fytd: fiscal year from April",
        "percentile/zscore/largest_since/streak/record use only data up to each row; largest_since = last earlier "
        "date with a larger purchase (or sale); blank with a record flag = largest ever",
        ("weekly: designated major investors, contract basis, Sunday–Saturday weeks; MOF revises recent weeks"
         if freq == "weekly" else "monthly: designated major investors; figures revised in later releases"),
        *["⚠ " + b for b in crossing],
        *([f"series breaks before this window (see `yenflow series {sid}`): {', '.join(earlier)}"] if earlier else []),
    ]
    return out


def reconcile_view(store: "Store", side: str = "foreign", asset: str = "total", last: int = 12,
                   unit: str = "bn") -> "pd.DataFrame":
    """Weekly vs monthly MOF flows per month, with the gap and why."""
    from yenflow.analytics import flows

    w = need(store, flow_series_id("weekly", side, asset), "the reconciliation")
    m = need(store, flow_series_id("monthly", side, asset), "the reconciliation")
    out = flows.reconcile_weekly_monthly(w, m, detail=True).tail(last)
    divisor, suffix, label = UNITS[unit]
    money = ["weeks_ending_in_month", "weeks_pro_rata", "monthly", "gap", "gap_ending"]
    out[money] = out[money] / divisor
    out = out.rename(columns={c: f"{c}_{suffix}" for c in money})
    out.index.name = "month"
    out.attrs["conventions"] = [
        f"amounts in {label}; weeks_ending_in_month: weeks whose Saturday falls in the month; weeks_pro_rata: each "
        "Sunday–Saturday week split by its days in each month; gap = monthly − pro rata; gap_ending = monthly − "
        "weeks ending in the month",
        "both files come from the same designated major investors on a contract basis: in months of whole weeks "
        "(e.g. 2015-02, 2026-02) they agree to rounding; elsewhere the gap is the timing of flows in the weeks "
        "that straddle month ends (boundary_weekdays), plus revisions the weekly file has not yet taken",
    ]
    return out


INVESTOR_ASSETS = {"equity": "equity & investment fund shares", "bonds": "long-term debt securities",
                   "bills": "short-term debt securities"}


def investors_view(store: "Store", asset: str = "bonds", unit: str = "bn") -> "pd.DataFrame":
    """Residents' net purchases of foreign securities by investor type (MOF
    monthb2/3/4): latest month, 3- and 12-month sums, fiscal YTD, percentile and
    'largest since' — who is bringing money home."""
    import pandas as pd

    from yenflow.analytics import flows

    if asset not in INVESTOR_ASSETS:
        raise MissingInputError(f"by-investor tables exist for {', '.join(INVESTOR_ASSETS)}, not {asset!r}")
    ids = list(store.sql("SELECT id FROM series WHERE id LIKE ? ORDER BY id", [f"mof.investor.{asset}.%.net"])["id"])
    if not ids:
        raise MissingInputError("no by-investor series; run `yenflow update mof.securities_by_investor`")
    divisor, suffix, label = UNITS[unit]
    rows = []
    for sid in ids:
        s = store.get(sid).dropna()
        if s.empty:
            continue
        c = flows.context_table(s, last=1, weekly=False).iloc[-1]
        rows.append({"investor": sid.split(".")[3], "month": c.name, f"net_{suffix}": c["value"] / divisor,
                     f"sum_3m_{suffix}": c["sum_3"] / divisor, f"sum_12m_{suffix}": c["sum_12"] / divisor,
                     f"fytd_{suffix}": c["fytd"] / divisor, "percentile": c["percentile"],
                     "largest_since": c["largest_since"], "streak": c["streak"], "record": c["record"]})
    out = pd.DataFrame(rows).sort_values(f"sum_12m_{suffix}")
    out.attrs["conventions"] = [
        f"residents' net purchases of foreign {INVESTOR_ASSETS[asset]} by investor type (MOF monthb2/3/4), {label}; "
        "+ = net buying abroad, − = net selling (money coming home); net = acquisition − disposition",
        "sorted by the 12-month sum; percentile/largest_since over each series' full history (since 2005-01)",
        "trust_accounts ≈ pension money managed by trust banks; 2014-01 reclassification and 2007-10 category "
        "changes break the equity/bond series (see `yenflow series mof.investor`)",
    ]
    return out


JSDA_INVESTORS = ("foreigners", "insurers", "city_banks", "regional_banks", "trust_banks", "investment_trusts")
JSDA_BUCKETS = ("super_long", "long", "medium", "tbill")


def jgb_buyers_view(store: "Store", last: int = 6, unit: str = "bn") -> "pd.DataFrame":
    """Who buys JGBs (JSDA OTC trading by investor type): monthly net buying by
    maturity bucket for foreigners, insurers and banks (+ = net buying)."""
    import pandas as pd

    divisor, suffix, label = UNITS[unit]
    frames = {}
    for inv in JSDA_INVESTORS:
        for b in JSDA_BUCKETS:
            sid = f"jsda.net_buying.{inv}.{b}"
            if store.has_series(sid):
                frames[(inv, b)] = store.get(sid) / divisor
    if not frames:
        raise MissingInputError("no JSDA series; run `yenflow update jsda.bond_trading`")
    months = sorted({d for s in frames.values() for d in s.index})[-last:]
    rows = []
    for month in months:
        for inv in JSDA_INVESTORS:
            rec = {"month": month, "investor": inv}
            for b in JSDA_BUCKETS:
                if (inv, b) in frames:
                    rec[f"{b}_{suffix}"] = frames[(inv, b)].get(month)
            if len(rec) > 2:
                rows.append(rec)
    long = pd.DataFrame(rows)
    long.attrs["conventions"] = [
        f"JSDA OTC bond trading by investor type, {label} face value; yenflow flips JSDA's sign (sales − purchases) "
        "so + = net buying",
        "super_long: over 10 years; long: about 10 years; medium: 2–6 years; tbill: treasury discount bills",
        "OTC trading only (excludes auctions and BOJ operations); insurers = life & non-life",
    ]
    return long


def series_flow_view(store: "Store", series_id: str, last: int = 12, window: int | None = None,
                     unit: str = "bn") -> "pd.DataFrame":
    """The flows table for any stored flow series in JPY 100m (MOF, BoP, JSDA…):
    value, rolling sums, YTD/FYTD and the context columns."""

    s = need(store, series_id, "the flows table")
    if s.attrs.get("unit") != "JPY 100m":
        raise MissingInputError(f"{series_id} is in {s.attrs.get('unit')!r}; the flows table takes flows in JPY 100m")
    out = _context(s, last, window, unit, weekly=s.attrs.get("frequency") == "weekly")
    label = UNITS[unit][2]
    out.index.name = "date"
    out.attrs["label"] = label
    out.attrs["conventions"] = [
        f"{series_id}: {s.attrs.get('name')}; {label} (stored in ¥100m)",
        (s.attrs.get("description") or "").strip(),
        "percentile/zscore/largest_since/streak/record use only data up to each row",
    ]
    return out
