"""MOF securities-flow tables: value, rolling sums and context (issue: flows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from yenflow.views.inputs import need

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.store import Store

Freq = Literal["weekly", "monthly"]
SIDES = {"foreign": "non-residents' net purchases of Japanese securities (inward, BoP liabilities)",
         "resident": "residents' net purchases of foreign securities (outward, BoP assets)"}
ASSETS = {"equity": "equity & investment fund shares", "bonds": "long-term debt securities",
          "bills": "short-term debt securities", "total": "all securities", "subtotal": "equity + long-term debt"}


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
    table = flows.context_table(s, last=last, weekly=freq == "weekly", window=window)
    money = [c for c in table.columns if c == "value" or c.startswith("sum_") or c in ("ytd", "fytd")]
    divisor, suffix, label = UNITS[unit]
    out = table[money] / divisor
    out.columns = [f"{c}_{suffix}" for c in money]
    if freq == "monthly" and store.has_series("fx.usdjpy"):
        out.insert(1, "value_usd_bn", flows.to_usd_bn(table["value"], store.get("fx.usdjpy")))
    for c in ("percentile", "zscore", "largest_since", "streak", "record"):
        out[c] = table[c]
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
