"""Value against growth in Japanese equities: TOPIX Value relative to TOPIX Growth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ParamError, ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

VALUE, GROWTH = "user.equity.topix_value.close", "user.equity.topix_growth.close"
IMPORT_HINT = ("the TOPIX Value and Growth closes ({sid} is missing): load them with `yenflow import` as the "
               "README shows (Third-party history files)")


@dataclass(frozen=True)
class ValueGrowthParams(ViewParams):
    base: date | None = opt(None, "Date the ratio is rebased to 100 (default: the first date both indices have)")
    last: int = opt(20, "Trading days to show", minimum=1, maximum=10000)


@view("value_growth", ValueGrowthParams, "TOPIX Value vs TOPIX Growth: the value/growth ratio (rebased to 100) and "
      "1-month, 3-month and 1-year relative returns, with where the ratio stands in its history.",
      "yenflow value-growth --last 10")
def value_growth(market: "Market", p: ValueGrowthParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics.context import TIE_RULE, percentile, since
    from yenflow.analytics.style import WINDOWS, value_vs_growth
    from yenflow.views.result import Chart, Table

    market.load([VALUE, GROWTH])
    for sid in (VALUE, GROWTH):
        if not market.has(sid):
            raise MissingInputError("the value-growth view needs " + IMPORT_HINT.format(sid=sid))
    v = market.need(VALUE, "the value-growth view", role="TOPIX Value close (third-party re-export)")
    g = market.need(GROWTH, "the value-growth view", role="TOPIX Growth close (third-party re-export)")
    try:
        vg = value_vs_growth(v, g, base=p.base)
    except ValueError as e:
        if p.base is not None and "base" in str(e):
            raise ParamError("--base", f"{p.base} is not a trading day both indices have") from None
        raise MissingInputError(f"value-growth: {e}") from None
    cols = ["value", "growth", "ratio"] + [f"rel_ret_{n}d_pct" for n in WINDOWS] + \
        [f"{x}_ret_{WINDOWS[-1]}d_pct" for x in ("value", "growth")]
    out = vg[cols].tail(p.last)
    units = {"date": "date", "value": "index points", "growth": "index points", "ratio": "index (base = 100)"}
    units.update({c: "%" for c in cols if c.endswith("_pct")})
    last = vg.index[-1]
    ratio = vg["ratio"]
    summary = pd.DataFrame([{
        "date": last, "ratio": ratio.iloc[-1],
        "percentile": percentile(ratio, at=last).iloc[-1],
        "high_since": since(ratio, "high", at=last).iloc[-1],
        "low_since": since(ratio, "low", at=last).iloc[-1],
        **{f"rel_ret_{n}d_pct": vg[f"rel_ret_{n}d_pct"].iloc[-1] for n in WINDOWS},
    }])
    sunits = {"date": "date", "ratio": "index (base = 100)", "percentile": "percentile", "high_since": "date",
              "low_since": "date"} | {f"rel_ret_{n}d_pct": "%" for n in WINDOWS}
    base = vg.attrs["base"]
    tables = [
        Table("summary", summary, sunits, date_column="date",
              title=f"TOPIX Value / Growth on {last:%Y-%m-%d} (ratio = 100 on {base:%Y-%m-%d})",
              decimals={"ratio": 2, "percentile": 1} | {f"rel_ret_{n}d_pct": 2 for n in WINDOWS}),
        Table("relative", out.rename_axis("date"), units, kind="series", date_column="date",
              title="TOPIX Value vs Growth: ratio and relative returns (%)",
              decimals={"ratio": 2, "value": 2, "growth": 2} | {c: 2 for c in cols if c.endswith("_pct")},
              chart=Chart("line", y=("ratio",), y_title="Value/Growth, base 100")),
    ]
    conventions = [
        f"ratio = 100 × (Value/Growth) ÷ (Value/Growth on {base:%Y-%m-%d}); rising = value outperforming",
        "rel_ret_<n>d = 100 × (ratio_t / ratio_t−n − 1), n trading days of the dates both indices have "
        "(21 ≈ 1 month, 63 ≈ 3 months, 252 ≈ 1 year); value/growth_ret = each index's own price return",
        "price indices (no dividends): the value index's higher dividend yield is not in these returns",
        f"percentile of the ratio among every day since {vg.index[0]:%Y-%m-%d}; {TIE_RULE}; high_since/low_since: "
        "last earlier day with a ratio at least as high/low (blank = a record)",
        "TOPIX Value (TOPIXバリュー) and TOPIX Growth (TOPIXグロース) are JPX indices; the closes here are a "
        "third-party re-export loaded with `yenflow import`, not an official JPX file",
    ]
    warnings = ["third-party data: TOPIX Value and Growth come from a re-export of unknown origin (not a JPX file)"]
    dropped = [*vg.attrs["only_value"], *vg.attrs["only_growth"]]
    if dropped:
        warnings.append("dates only one index has were dropped: "
                        + ", ".join(f"{d:%Y-%m-%d} ({'Value' if d in vg.attrs['only_value'] else 'Growth'} only)"
                                    for d in dropped[:6]))
    title = "TOPIX Value vs Growth"
    return make_result(market, "value_growth", title, p, tables, conventions, warnings)
