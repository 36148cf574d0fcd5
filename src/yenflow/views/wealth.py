"""Japan's overseas wealth: the net external position over time in ¥ and $,
its portfolio parts, who holds the foreign securities, the bilateral position
with the U.S., and the seed story's figures checked against the data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yenflow.views.market import make_result
from yenflow.views.params import ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import Table, ViewResult

OVERSEAS = "fof.sector.overseas."
NET, NET_FY = OVERSEAS + "net_position", OVERSEAS + "net_position.fy"
ASSETS_TOTAL, LIABILITIES_TOTAL = OVERSEAS + "assets_total", OVERSEAS + "liabilities_total"
PORTFOLIO_ASSETS = OVERSEAS + "outward_securities"
FOREIGN_HELD = {"equity": OVERSEAS + "equity", "debt": OVERSEAS + "debt_securities", "jgb": OVERSEAS + "jgb_long"}
JGB_TOTAL = "fof.sector.total.jgb_long"
#: who holds Japan's outward securities (Flow of Funds sectors that do not overlap: banks are shown as their
#: four parts, domestically licensed, foreign, agricultural and small-business institutions)
HOLDERS = {
    "life_insurance": "life insurers", "nonlife_insurance": "nonlife insurers", "pension_funds": "pension funds",
    "social_security_funds": "social security funds (GPIF etc.)", "domestic_banks": "domestically licensed banks",
    "foreign_banks": "foreign banks in Japan", "agri_fi": "agricultural financial institutions (Norinchukin etc.)",
    "small_business_fi": "financial institutions for small businesses (incl. JP Bank)",
    "investment_trusts": "investment trusts", "central_government": "central government (FX reserves)",
    "boj": "Bank of Japan", "households": "households", "nonfinancial_corporations": "nonfinancial corporations",
}
HOLDER_TOTAL = "fof.sector.total.outward_securities"
IMF_JP_IN_US, IMF_US_IN_JP = "imf.pip.assets.jpn.usa.total", "imf.pip.assets.usa.jpn.total"
ITS_FOREIGN_SUBTOTAL = "mof.monthly.foreign.subtotal.net"
BOP_US_LIABILITIES = "bop.country.liabilities.total.us.net"
FX = "fx.usdjpy"
ALL_IDS = (NET, NET_FY, ASSETS_TOTAL, LIABILITIES_TOTAL, PORTFOLIO_ASSETS, *FOREIGN_HELD.values(), JGB_TOTAL,
           HOLDER_TOTAL, *(f"fof.sector.{h}.outward_securities" for h in HOLDERS), IMF_JP_IN_US, IMF_US_IN_JP,
           ITS_FOREIGN_SUBTOTAL, BOP_US_LIABILITIES, FX)
TN = 10_000.0  # JPY 100m per JPY tn
RATE_NOTE = ("$ at the period-end USD/JPY: the last FRED DEXJPUS fixing (H.10, noon New York) on or before the "
             "date, shown as usdjpy/usdjpy_date; flows at the month's average rate")


@dataclass(frozen=True)
class WealthParams(ViewParams):
    last: int = opt(12, "Quarters of the external position to show", minimum=1, maximum=400)


@view("wealth", WealthParams, "Japan's overseas wealth: the net external position and its parts in ¥ and $ "
      "(period-end rate), changes and \"highest since\", who holds the foreign securities, the position with "
      "the U.S., and the seed's figures checked.", "yenflow wealth --last 8")
def wealth(market: "Market", p: WealthParams) -> "ViewResult":
    market.load(ALL_IDS)
    fx = market.need(FX, "dollar values", role="USD/JPY at each period end (DEXJPUS)")
    net = market.need(NET, "the external position", role="Overseas sector net position (= −Japan's NIIP)")
    warnings: list[str] = []
    tables = [_position(market, net, fx, p.last), _portfolio(market, fx, p.last)]
    holders = _holders(market)
    if holders is not None:
        tables.append(holders)
    bilateral = _bilateral(market, fx)
    if bilateral is None:
        warnings.append(f"no IMF bilateral positions in the store ({IMF_JP_IN_US}): run `yenflow update imf.pip "
                        "--from DIR`")
    else:
        tables.append(bilateral)
    tables.append(_seed_check(market, fx))
    latest = net.dropna().index.max()
    warnings.append(f"the latest quarter ({latest:%Y-%m-%d}) is preliminary in the BOJ flow of funds and is revised "
                    "with the next release")
    conventions = [
        "net_jpy_tn = Japan's net external position = −(the BOJ flow of funds Overseas sector's financial assets − "
        "liabilities, FOF_FFAS500L700); + = Japan is a net creditor; assets_jpy_tn = the Overseas sector's total "
        "liabilities − that difference (Japan's external assets), liabilities_jpy_tn = its total assets (Japan's "
        "external liabilities); JPY tn = ¥100m ÷ 10,000; amounts outstanding at quarter end, market value",
        "the flow of funds' external position tracks MOF's IIP closely (end-2024: ¥532.4 tn vs MOF's ¥533.05 tn); "
        "MOF's IIP file is not in the store, so this is the official stock used here",
        RATE_NOTE,
        "chg_1q/chg_4q: change in the ¥ level over 1/4 quarters (valuation and FX effects included, not flows); "
        "high_since/low_since: last earlier date with a level at least as high/low, over the quarters since 1997Q4 "
        "preceded by fiscal-year ends (March) since 1980; chg_1q_largest_since: last earlier quarter with a rise "
        "(fall) at least as large; blank = a record",
        "portfolio_assets = Japan's outward investments in securities (FOF_FFAS500L540; no equity/debt split in the "
        "flow of funds); foreign_held_* = non-residents' holdings of Japanese equity and investment fund shares "
        "(A334), debt securities (A300) and long-term JGBs incl. FILP bonds (A311)",
        "us_bilateral: IMF portfolio investment positions by counterpart (ex-CPIS), reported by the holder; "
        "stored in USD bn after checking the files' SCALE attribute (it says millions, the values are whole dollars)",
    ]
    return make_result(market, "wealth", "Japan's overseas wealth", p, tables, conventions, warnings)


def _position(market: "Market", net: "pd.Series", fx: "pd.Series", last: int) -> "Table":
    from yenflow.analytics import wealth as w
    from yenflow.views.result import Chart, Table

    pos = w.external_position(net, market.get(ASSETS_TOTAL, role="Overseas total assets (= Japan's liabilities)"),
                              market.get(LIABILITIES_TOTAL, role="Overseas total liabilities"))
    fy = market.get(NET_FY, role="fiscal-year-end net position, history before 1997Q4")
    history = None if fy is None or fy.dropna().empty else w.splice_history(pos["net_jpy_tn"], -w.jpy_tn(fy))
    t = w.position_table(pos["net_jpy_tn"], fx, history=history)
    out = t.rename(columns={"value_jpy_tn": "net_jpy_tn", "value_usd_bn": "net_usd_bn", "chg_1p_jpy_tn": "chg_1q_jpy_tn",
                            "chg_4p_jpy_tn": "chg_4q_jpy_tn", "chg_1p_largest_since": "chg_1q_largest_since"})
    for col in ("assets_jpy_tn", "liabilities_jpy_tn"):
        if col in pos:
            out[col] = pos[col]
    out = out[["net_jpy_tn", "net_usd_bn", "usdjpy", "usdjpy_date", "chg_1q_jpy_tn", "chg_4q_jpy_tn", "high_since",
               "low_since", "chg_1q_largest_since", *[c for c in ("assets_jpy_tn", "liabilities_jpy_tn") if c in out]]]
    out = out.tail(last)
    out.index.name = "quarter"
    units = {"quarter": "date", "usdjpy": "JPY per USD", "usdjpy_date": "date", "high_since": "date",
             "low_since": "date", "chg_1q_largest_since": "date", "net_usd_bn": "USD bn"}
    units.update({c: "JPY tn" for c in out.columns if c.endswith("_jpy_tn")})
    return Table("position", out, units, kind="series", date_column="quarter",
                 title="Japan's net external position (BOJ flow of funds; ¥tn, $bn at the quarter-end rate)",
                 decimals={c: 2 for c in out.columns if c.endswith(("_jpy_tn", "_usd_bn"))} | {"net_usd_bn": 1},
                 chart=Chart("line", y=("net_jpy_tn",), y_title="¥tn", secondary=("net_usd_bn",)))


def _portfolio(market: "Market", fx: "pd.Series", last: int) -> "Table":
    import pandas as pd

    from yenflow.analytics import wealth as w
    from yenflow.views.result import Chart, Table

    assets = market.need(PORTFOLIO_ASSETS, "the portfolio table", role="Japan's outward investment in securities")
    usd = w.in_usd(w.jpy_tn(assets), fx)
    out = pd.DataFrame({"portfolio_assets_jpy_tn": usd["value_jpy_tn"], "portfolio_assets_usd_bn": usd["value_usd_bn"]})
    for key, sid in FOREIGN_HELD.items():
        s = market.get(sid, role=f"non-residents' holdings of Japanese {key}")
        if s is not None:
            out[f"foreign_held_{key}_jpy_tn"] = w.jpy_tn(s).reindex(out.index)
    total = market.get(JGB_TOTAL, role="long-term JGBs outstanding")
    if total is not None and "foreign_held_jgb_jpy_tn" in out:
        out["foreign_share_of_jgb_pct"] = 100.0 * out["foreign_held_jgb_jpy_tn"] / w.jpy_tn(total).reindex(out.index)
    out = out.tail(last)
    out.index.name = "quarter"
    units = {c: ("USD bn" if c.endswith("usd_bn") else "%" if c.endswith("pct") else "JPY tn") for c in out.columns}
    return Table("portfolio", out, units | {"quarter": "date"}, kind="series", date_column="quarter",
                 title="Japan's portfolio assets and non-residents' holdings of Japanese securities (¥tn; $bn)",
                 decimals={c: 2 for c in out.columns},
                 chart=Chart("line", y=("portfolio_assets_jpy_tn", "foreign_held_equity_jpy_tn",
                                        "foreign_held_debt_jpy_tn"), y_title="¥tn"))


def _holders(market: "Market") -> "Table | None":
    import pandas as pd

    from yenflow.views.result import Chart, Table

    total = market.get(HOLDER_TOTAL, role="outward securities, all holders")
    if total is None or total.dropna().empty:
        return None
    latest = total.dropna().index.max()
    year_ago = latest - pd.offsets.QuarterEnd(4)
    rows = []
    for key, label in HOLDERS.items():
        s = market.get(f"fof.sector.{key}.outward_securities", role="outward securities by holder")
        if s is None or latest not in s.index:
            continue
        rows.append({"holder": label, "date": latest, "amount_jpy_tn": s[latest] / TN,
                     "share_pct": 100.0 * s[latest] / total[latest],
                     "chg_4q_jpy_tn": (s[latest] - s[year_ago]) / TN if year_ago in s.index else float("nan")})
    shown = sum(r["amount_jpy_tn"] for r in rows)
    rows.append({"holder": "other sectors (residual)", "date": latest, "amount_jpy_tn": total[latest] / TN - shown,
                 "share_pct": 100.0 * (1 - shown * TN / total[latest]), "chg_4q_jpy_tn": float("nan")})
    rows.append({"holder": "total", "date": latest, "amount_jpy_tn": total[latest] / TN, "share_pct": 100.0,
                 "chg_4q_jpy_tn": (total[latest] - total[year_ago]) / TN if year_ago in total.index else float("nan")})
    frame = pd.DataFrame(rows)
    return Table("holders", frame, {"holder": "text", "date": "date", "amount_jpy_tn": "JPY tn", "share_pct": "%",
                                    "chg_4q_jpy_tn": "JPY tn"}, date_column="date",
                 title=f"Who holds Japan's foreign securities, {latest:%Y-%m-%d} (BOJ flow of funds, ¥tn)",
                 decimals={"amount_jpy_tn": 2, "share_pct": 1, "chg_4q_jpy_tn": 2},
                 chart=Chart("bar", x="holder", y=("amount_jpy_tn",), y_title="¥tn"))


def _bilateral(market: "Market", fx: "pd.Series") -> "Table | None":
    import pandas as pd

    from yenflow.analytics import wealth as w
    from yenflow.views.result import Chart, Table

    jp = market.get(IMF_JP_IN_US, role="Japan's portfolio assets in the U.S. (IMF PIP)")
    if jp is None or jp.dropna().empty:
        return None
    a = w.usd_bn_in_jpy(jp, fx)
    out = pd.DataFrame({"japan_in_us_usd_bn": a["value_usd_bn"], "japan_in_us_jpy_tn": a["value_jpy_tn"]})
    us = market.get(IMF_US_IN_JP, role="U.S. portfolio assets in Japan (IMF PIP)")
    if us is not None:
        b = w.usd_bn_in_jpy(us, fx)
        out = out.join(pd.DataFrame({"us_in_japan_usd_bn": b["value_usd_bn"], "us_in_japan_jpy_tn": b["value_jpy_tn"]}),
                       how="outer")
    rate = w.period_end_rate(out.index, fx)
    out["usdjpy"], out["usdjpy_date"] = rate["usdjpy"], rate["usdjpy_date"]
    out.index.name = "period_end"
    units = {c: ("USD bn" if c.endswith("usd_bn") else "JPY tn") for c in out.columns if c.endswith(("_bn", "_tn"))}
    return Table("us_bilateral", out, units | {"period_end": "date", "usdjpy": "JPY per USD", "usdjpy_date": "date"},
                 kind="series", date_column="period_end",
                 title="Portfolio positions Japan ↔ U.S. (IMF PIP, end-June/December; $bn, ¥tn at the period-end rate)",
                 decimals={c: 1 for c in units}, chart=Chart("bar", y=("japan_in_us_usd_bn", "us_in_japan_usd_bn"),
                                                              y_title="$bn"))


# --------------------------------------------------------------- the seed's figures
def _seed_check(market: "Market", fx: "pd.Series") -> "Table":
    import pandas as pd

    from yenflow.views.result import Table

    rows = [_claim_us_holdings(market, fx), _claim_portfolio_assets(market, fx), _claim_creditor(market),
            _claim_us_investors(market, fx)]
    frame = pd.DataFrame(rows, columns=["claim", "as_told", "figure", "date", "source", "verdict"])
    return Table("seed_check", frame, {"claim": "text", "as_told": "text", "figure": "text", "date": "date",
                                       "source": "text", "verdict": "text"}, date_column="date",
                 title="The story's figures, checked against the official data")


def _row(claim: str, told: str, figure: str, when: Any, source: str, verdict: str) -> dict[str, Any]:
    return {"claim": claim, "as_told": told, "figure": figure, "date": when, "source": source, "verdict": verdict}


def _missing(claim: str, told: str, what: str) -> dict[str, Any]:
    return _row(claim, told, "", None, what, f"not checkable: {what} is not in the store (as of the date asked)")


def _claim_us_holdings(market: "Market", fx: "pd.Series") -> dict[str, Any]:
    import pandas as pd

    from yenflow.analytics import wealth as w

    claim, told, day = "Japan's holdings of US bonds and equities", "¥342 tn", pd.Timestamp("2024-12-31")
    jp = market.get(IMF_JP_IN_US)
    if jp is None or day not in jp.index:
        return _missing(claim, told, "the IMF end-2024 position (imf.pip)")
    row = w.usd_bn_in_jpy(jp.loc[[day]], fx).iloc[0]
    close = abs(row["value_jpy_tn"] / 342 - 1) < 0.01
    return _row(claim, told, f"${row['value_usd_bn']:,.1f} bn = ¥{row['value_jpy_tn']:,.1f} tn at {row['usdjpy']:.2f}",
                day, "IMF PIP (ex-CPIS), Japan's portfolio assets in the U.S., end-2024; USD/JPY DEXJPUS",
                "reproduced: the IMF bilateral position at end-2024 (within 1 %)" if close else
                "corrected: the IMF end-2024 position is the figure above")


def _claim_portfolio_assets(market: "Market", fx: "pd.Series") -> dict[str, Any]:
    import pandas as pd

    from yenflow.analytics import wealth as w

    claim, told, day = "Japan's foreign (portfolio) assets that could come home", "$4.5–5 tn", pd.Timestamp("2024-12-31")
    s = market.get(PORTFOLIO_ASSETS)
    if s is None or day not in s.index:
        return _missing(claim, told, "the flow of funds' outward securities at end-2024 (boj.fof_flat)")
    row = w.in_usd(w.jpy_tn(s.loc[[day]]), fx).iloc[0]
    usd_tn = row["value_usd_bn"] / 1000
    verdict = ("consistent" if 4.5 <= usd_tn <= 5.0 else
               f"{'higher' if usd_tn > 5 else 'lower'}: Japan's portfolio assets were ${usd_tn:.2f} tn at end-2024")
    return _row(claim, told, f"¥{row['value_jpy_tn']:,.1f} tn = ${usd_tn:,.2f} tn at {row['usdjpy']:.2f}", day,
                "BOJ flow of funds, outward investments in securities (FOF_FFAS500L540); USD/JPY DEXJPUS", verdict)


def _claim_creditor(market: "Market") -> dict[str, Any]:
    import pandas as pd

    claim, told, day = "Japan losing its largest-creditor title", "Japan no longer the largest net creditor", \
        pd.Timestamp("2024-12-31")
    s = market.get(NET)
    if s is None or day not in s.index:
        return _missing(claim, told, "the flow of funds' net position at end-2024 (boj.fof_flat)")
    return _row(claim, told, f"Japan's net external position ¥{-s[day] / TN:,.1f} tn (MOF's IIP: ¥533.05 tn)", day,
                "BOJ flow of funds, Overseas sector (FOF_FFAS500L700, sign flipped)",
                "Japan's side only: other countries' net positions are not in the store, so the ranking cannot be "
                "checked here")


def _claim_us_investors(market: "Market", fx: "pd.Series") -> dict[str, Any]:
    import pandas as pd

    from yenflow.analytics.flows import monthly_usd

    claim, told, month = "US investors' purchases of Japanese securities, April 2025", "$57 bn", \
        pd.Timestamp("2025-04-30")
    its, us = market.get(ITS_FOREIGN_SUBTOTAL), market.get(BOP_US_LIABILITIES)
    if its is None or us is None or month not in its.index or month not in us.index:
        return _missing(claim, told, "MOF ITS (montha1) and the BOJ BoP by country for April 2025")
    its_usd = monthly_usd(its.loc[[month]], fx).iloc[0]
    us_usd = monthly_usd(us.loc[[month]], fx).iloc[0]
    figure = (f"all foreigners ¥{its[month] / TN:,.2f} tn = ${its_usd:,.1f} bn; US-located transactors "
              f"¥{us[month] / 10:,.1f} bn = ${us_usd:,.1f} bn (April-2025 average USD/JPY)")
    return _row(claim, told, figure, month,
                "MOF ITS montha1 (non-residents, equity + long-term debt); BOJ BoP flat file BPPI6E1N9US",
                "corrected: $57 bn is every foreign investor (MOF), not the U.S.; the BoP puts US-located "
                "transactors at about a tenth of it, and BoP country = where the transactor sits, not the final investor")
