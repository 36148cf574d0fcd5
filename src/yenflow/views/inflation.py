"""Inflation and ex-post real rates: Japan's headline, core and core-core CPI y/y across
the Statistics Bureau's bases, US CPI y/y, and real policy rates and 10-year yields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ParamError, ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

#: measure → Statistics Bureau item (series suffix)
JP_MEASURES = {"headline": "all_items", "core": "core", "core_core": "core_core", "goods": "goods",
               "services": "services"}
US_CPI = "cpi.us.all_items_sa"
RATE_IDS = ("rate.boj.policy_target", "rate.effr", "jgb.10y", "ust.par.10y", "ust.cmt.10y")
STALE_DAYS = 7
UNITS = {"month_end": "date", "jp_headline_yoy": "%", "jp_core_yoy": "%", "jp_core_core_yoy": "%",
         "jp_goods_yoy": "%", "jp_services_yoy": "%", "us_cpi_yoy": "%", "boj_target": "%", "effr": "%",
         "jgb_10y": "%", "ust_10y": "%", "real_boj_target": "pp", "real_effr": "pp", "real_jgb_10y": "pp",
         "real_ust_10y": "pp"}


@dataclass(frozen=True)
class InflationParams(ViewParams):
    month: str | None = opt(None, "The month whose real policy rate is shown with the figures behind it, YYYY-MM "
                                  "(default: the latest month with Japan's core CPI)")
    months: int = opt(24, "Months of history to show", minimum=1, maximum=700)

    def check(self) -> None:
        import re

        if self.month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", self.month):
            raise ParamError("--month", f"{self.month!r} is not a month YYYY-MM (e.g. 2025-12)")


def _ust_10y(market: "Market") -> "pd.Series | None":
    parts = [s for s in (market.get("ust.par.10y", "UST 10Y (Treasury par)"),
                         market.get("ust.cmt.10y", "UST 10Y (H.15 CMT, after the par file)")) if s is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else parts[0].combine_first(parts[1])


def inflation_frame(market: "Market") -> "dict[str, Any]":
    """The monthly table and the spliced y/y of each Japanese measure (with its sources)."""
    import pandas as pd

    from yenflow.analytics import inflation as inf
    from yenflow.analytics.conventions import asof_align

    cpi_ids = market.ids("cpi.jp.")
    market.load([*cpi_ids, US_CPI, *RATE_IDS])
    if not cpi_ids:
        raise MissingInputError("no Japan CPI in the store; run `yenflow update statbureau.cpi` "
                                "(or `--from DIR` with cpi/zmi2020aa.csv)")
    levels = {sid: market.series(sid, role="Japan CPI (Statistics Bureau)") for sid in cpi_ids}
    jp = {}
    for measure, item in JP_MEASURES.items():
        pieces = inf.cpi_pieces(levels, item)
        if pieces:
            jp[measure] = inf.splice_yoy(pieces)
    if "core" not in jp or jp["core"].empty:
        raise MissingInputError("the real policy rate needs Japan's core CPI (cpi.jp.base*.core); run `yenflow update`")
    us_level = market.get(US_CPI, role="US CPI-U SA (BLS via FRED)")
    us = inf.yoy(us_level) if us_level is not None else pd.Series(dtype="float64")
    last = max(df.index.max() for df in jp.values())
    if len(us):
        last = max(last, us.dropna().index.max())
    first = min(df.index.min() for df in jp.values())
    months = pd.date_range(first, last, freq="ME")
    rates: dict[str, pd.Series] = {}
    for name, series in (("boj_target", market.get("rate.boj.policy_target", "BOJ policy target")),
                         ("effr", market.get("rate.effr", "effective fed funds")),
                         ("jgb_10y", market.get("jgb.10y", "JGB 10Y (MOF)")),
                         ("ust_10y", _ust_10y(market))):
        if series is not None:
            stale = None if name == "boj_target" else STALE_DAYS  # a target stays in force until changed
            rates[name] = asof_align(series, months, max_stale_days=stale)
    table = inf.inflation_table(jp, us, rates, months)
    return {"table": table, "jp": jp, "levels": levels, "us_level": us_level}


def _focus(f: "dict[str, Any]", month: "pd.Timestamp", market: "Market") -> "pd.DataFrame":
    """The figures behind one month's real policy rates."""
    import pandas as pd

    t, jp = f["table"], f["jp"]
    row = t.loc[month]
    year_before = month - pd.offsets.MonthEnd(12)
    rows: list[tuple[str, float, str, str]] = []
    core_src = jp["core"].loc[month, "source"] if month in jp["core"].index else None
    if core_src:
        lv = f["levels"][core_src]
        rows += [("Japan core CPI (less fresh food), this month", lv.get(month), "index", core_src),
                 ("Japan core CPI, a year earlier", lv.get(year_before), "index", core_src)]
    rows += [("Japan core CPI y/y", row["jp_core_yoy"], "%", core_src or "")]
    for m in ("headline", "core_core"):
        src = jp[m].loc[month, "source"] if m in jp and month in jp[m].index else ""
        rows.append((f"Japan {m.replace('_', '-')} CPI y/y", row.get(f"jp_{m}_yoy"), "%", src))
    target = market.get("rate.boj.policy_target")
    since = ""
    if target is not None:
        eff = target[target.index <= month]
        since = f"rate.boj.policy_target, in force since {eff.index[-1]:%Y-%m-%d}" if len(eff) else ""
    rows += [("BOJ policy rate target at month end", row.get("boj_target"), "%", since),
             ("real BOJ policy rate = target − core y/y (ex-post)", row.get("real_boj_target"), "pp", "derived"),
             ("… against headline y/y", row.get("boj_target") - row.get("jp_headline_yoy"), "pp", "derived"),
             ("… against core-core y/y", row.get("boj_target") - row.get("jp_core_core_yoy"), "pp", "derived")]
    if f["us_level"] is not None:
        rows += [("US CPI-U y/y", row["us_cpi_yoy"], "%", US_CPI),
                 ("effective fed funds at month end", row.get("effr"), "%", "rate.effr"),
                 ("real fed funds = EFFR − US CPI y/y (ex-post)", row.get("real_effr"), "pp", "derived")]
    out = pd.DataFrame(rows, columns=["measure", "value", "unit", "source"])
    out["month"] = month
    return out


@view("inflation", InflationParams, "Inflation and ex-post real rates: Japan headline, core, core-core CPI y/y "
      "(across the Bureau's bases), US CPI y/y, real BOJ and Fed policy rates, real 10-year yields.",
      "yenflow inflation --month 2025-12")
def inflation(market: "Market", p: InflationParams) -> "ViewResult":
    import pandas as pd

    from yenflow.views.result import Chart, Table

    f = inflation_frame(market)
    t = f["table"]
    core = t["jp_core_yoy"].dropna()
    month = pd.Period(p.month, "M").to_timestamp(how="end").normalize() if p.month else core.index[-1]
    if month not in core.index:
        raise ParamError("--month", f"{p.month} has no Japan core CPI y/y in the store "
                                    f"({core.index[0]:%Y-%m} to {core.index[-1]:%Y-%m})")
    history = t[t.index <= max(month, core.index[-1])].tail(p.months).dropna(axis=1, how="all")
    warnings = []
    for col, what in (("us_cpi_yoy", "US CPI y/y"), ("real_ust_10y", "the real UST 10Y"),
                      ("real_jgb_10y", "the real JGB 10Y")):
        if col in t and pd.isna(t.loc[month, col]):
            warnings.append(f"{what} is missing for {month:%Y-%m} (no figure, or none within {STALE_DAYS} days "
                            "of the month end)")
    missing_us = t.index[t["us_cpi_yoy"].isna() & (t.index >= t["us_cpi_yoy"].first_valid_index())] \
        if t["us_cpi_yoy"].notna().any() else []
    if len(missing_us):
        warnings.append("US CPI y/y missing for " + ", ".join(f"{m:%Y-%m}" for m in missing_us[-3:])
                        + " (BLS did not publish October 2025, so that month and the October a year later have none)")
    sources = {m: ", ".join(f"{s} ({g.index.min():%Y-%m}→{g.index.max():%Y-%m})"
                            for s, g in df.groupby("source", sort=False)) for m, df in f["jp"].items()}
    conventions = [
        "y/y = 100·(P_t/P_{t−12} − 1), always within one base; across bases each month takes the newest base "
        "that has both months, and within a base the 3-decimal by-item file (zmi<base>aa, which reproduces the "
        "Bureau's published y/y) before the 1-decimal long-term series (zmi<base>s). Japan core y/y from: "
        + sources.get("core", "—"),
        "core = all items less fresh food (0161); core-core = less fresh food and energy (0178); headline = all "
        "items (0001); goods 0202, services 0220 (3-decimal file only)",
        "real rate (ex-post, pp) = nominal rate at the month end − realised y/y inflation of that month: BOJ "
        "target − Japan core y/y; effective fed funds − US CPI-U y/y; JGB 10Y − core y/y; UST 10Y − US y/y",
        "rates at the month end: the BOJ target in force that day (MPM table, effective dates); EFFR, JGB 10Y "
        f"(MOF) and UST 10Y (Treasury par, then H.15 CMT) as of the last fixing on or before it, within {STALE_DAYS} days",
        "US CPI: CPI-U all items, seasonally adjusted (CPIAUCSL); Japan CPI: not seasonally adjusted",
    ]
    hist_units = {c: UNITS.get(c, "%") for c in history.columns} | {"month_end": "date"}
    tables = [
        Table("focus", _focus(f, month, market), {"measure": "text", "value": "", "unit": "text", "source": "text",
                                                   "month": "date"},
              title=f"Real policy rates in {month:%B %Y}, with the figures behind them", date_column="month",
              decimals={"value": 3}),
        Table("history", history, hist_units, kind="series", date_column="month_end",
              title="Inflation y/y (%) and ex-post real rates (pp), month ends", decimals={c: 2 for c in history.columns},
              chart=Chart("line", y=tuple(c for c in ("jp_core_yoy", "us_cpi_yoy", "real_boj_target", "real_effr")
                                          if c in history), y_title="% / pp", zero_line=True)),
    ]
    return make_result(market, "inflation", "Inflation and real rates", p, tables, conventions, warnings)
