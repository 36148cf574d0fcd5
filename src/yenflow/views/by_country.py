"""Who is buying Japan (and where Japanese money goes), by counterpart economy:
BoP portfolio flows ranked, each economy's share of the total, MOF's ITS total
beside it, and one economy's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ParamError, ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import Table, ViewResult

BOP_SIDES = {"foreign": "liabilities", "resident": "assets"}
SIDE_TEXT = {"foreign": "non-residents' net purchases of Japanese", "resident": "residents' net purchases of foreign"}
ASSET_TEXT = {"total": "securities", "equity": "equity and investment fund shares",
              "bonds": "long-term debt securities", "bills": "short-term debt securities"}
MEASURE_TEXT = {"net": "net purchases (acquisition − disposition; + = net buying)", "acq": "purchases (acquisition)",
                "disp": "sales (disposition)"}
#: ISO codes people type → BOJ's economy codes
ALIASES = {"UK": "GB", "KY": "CI", "LU": "LX", "RU": "SU", "VG": "VI"}
TRANSACTOR = ("BoP country is the economy of the transactor — the counterparty the Japanese resident dealt with "
              "(a London broker executing for a US fund counts as U.K.; a Cayman fund as Cayman) — not the final "
              "investor nor the issuer (BOJ FAQ Q10): read 'US' as 'US-located transactors'")


@dataclass(frozen=True)
class ByCountryParams(ViewParams):
    side: Literal["foreign", "resident"] = opt(
        "foreign", "foreign: non-residents buying Japanese securities (BoP liabilities); resident: residents buying "
                   "foreign securities (BoP assets)")
    asset: Literal["total", "equity", "bonds", "bills"] = opt(
        "total", "total, equity (incl. investment fund shares), bonds (long-term debt) or bills (short-term debt)")
    country: str | None = opt(None, "Counterpart economy to follow over time: BOJ/ISO code (US, GB, CN, SG, KY or CI "
                                    "Cayman, LU or LX Luxembourg…), a region (AS, EP…) or ALL")
    monthly: bool = opt(True, "Months (default) or calendar quarters (sums of the months)", cli="--monthly/--quarterly")
    measure: Literal["net", "acq", "disp"] = opt("net", "net (acquisition − disposition), acq or disp")
    at: date | None = opt(None, "Period to rank: any day in the month or quarter (default: the latest)", cli="--date")
    window: int = opt(1, "Rank the sum of the last N periods", minimum=1, maximum=120)
    top: int = opt(15, "Economies to list", minimum=1, maximum=60)
    last: int = opt(12, "Periods of history to show (totals and --country)", minimum=1, maximum=400)

    def check(self) -> None:
        if self.country is not None and not (self.country.isalpha() and 2 <= len(self.country) <= 3):
            raise ParamError("--country", f"{self.country!r} is not an economy code; use a 2-letter code such as "
                                          "US, GB, CN or ALL")


def economy_code(text: str) -> str:
    """BOJ's lower-case economy code for what a user typed (``UK`` → ``gb``)."""
    up = text.strip().upper()
    return ALIASES.get(up, up).lower()


def _flows(market: "Market", p: ByCountryParams) -> "tuple[pd.DataFrame, dict[str, str]]":
    """Period × economy frame of the chosen flows (JPY 100m) and economy names."""
    prefix = f"bop.country.{BOP_SIDES[p.side]}.{p.asset}."
    ids = market.ids(prefix, pattern=rf"\.{p.measure}$")
    if not ids:
        raise MissingInputError("the by-country table needs the BoP flat file (bop.country.*); run "
                                "`yenflow update boj.bop_flat` (or with --from DIR)")
    obs = market.observations(ids, role="BoP portfolio flows by counterpart economy")
    frame = obs.pivot(index="ref_date", columns="series_id", values="value")
    frame.columns = [c.split(".")[4] for c in frame.columns]
    names = {sid.split(".")[4]: _economy_name(market.info(sid)["name"]) for sid in ids}
    return frame.sort_index(), names


def _economy_name(catalog_name: str) -> str:
    # "BoP portfolio investment liabilities, U.S.A.: non-residents' …" → "U.S.A."
    head = catalog_name.split(":", 1)[0]
    return head.split(", ", 1)[1] if ", " in head else head


def _quarterly(frame: "pd.DataFrame") -> "pd.DataFrame":
    """Calendar-quarter sums of monthly flows; a quarter needs all three months."""
    return frame.resample("QE").sum(min_count=3).dropna(how="all")


def _usd(frame: "pd.DataFrame", fx: "pd.Series | None", monthly: bool) -> "pd.DataFrame | None":
    """The flows in USD bn at each month's average USD/JPY (quarters: the sum of their months)."""
    import pandas as pd

    from yenflow.analytics.flows import monthly_usd

    if fx is None:
        return None
    usd = pd.DataFrame({c: monthly_usd(frame[c].dropna(), fx) for c in frame.columns}).reindex(frame.index)
    return usd if monthly else usd.resample("QE").sum(min_count=3)


def _period(frame: "pd.DataFrame", at: date | None, monthly: bool) -> "pd.Timestamp":
    import pandas as pd

    total = frame["all"].dropna()
    if at is None:
        return total.index.max()
    end = (pd.Timestamp(at) + (pd.offsets.MonthEnd(0) if monthly else pd.offsets.QuarterEnd(0))).normalize()
    if end not in total.index:
        raise ParamError("--date", f"no BoP figures for the {'month' if monthly else 'quarter'} ending {end:%Y-%m-%d}; "
                                   f"the store has {total.index.min():%Y-%m} to {total.index.max():%Y-%m}")
    return end


@view("by_country", ByCountryParams, "Portfolio flows by counterpart economy (BOJ BoP): ranked, each economy's share "
      "of the total, MOF's ITS total beside it; --country follows one economy.",
      "yenflow by-country --side foreign --country US --date 2025-04-30")
def by_country(market: "Market", p: ByCountryParams) -> "ViewResult":
    from yenflow.analytics import by_country as bc

    market.load(["fx.usdjpy"])
    monthly_frame, names = _flows(market, p)
    frame = monthly_frame if p.monthly else _quarterly(monthly_frame)
    fx = market.get("fx.usdjpy", role="month-average USD/JPY for $bn")
    usd = _usd(monthly_frame, fx, p.monthly)
    when = _period(frame, p.at, p.monthly)
    code = None if p.country is None else economy_code(p.country)
    if code is not None and code not in frame.columns:
        known = ", ".join(sorted(c.upper() for c in frame.columns))
        raise ParamError("--country", f"{p.country!r} is not a BoP counterpart; one of: {known}")
    tables = [_ranking(bc.rank_economies(frame, when, p.window, names), usd, when, p, "ranking"),
              _ranking(bc.rank_economies(frame, when, p.window, names, kinds=("region", "residual", "group")),
                       usd, when, p, "regions"),
              _totals(market, frame.loc[:when], p)]
    if code is not None:
        tables.insert(1, _history(frame.loc[:when], usd, code, names, p))
    period = "month" if p.monthly else "quarter"
    title = (f"{SIDE_TEXT[p.side].capitalize()} {ASSET_TEXT[p.asset]} by counterpart economy, "
             f"{when:%Y-%m}" + (f" ({p.window} {period}s to then)" if p.window > 1 else ""))
    conventions = [
        TRANSACTOR,
        f"bop.country.{BOP_SIDES[p.side]}.{p.asset}.<economy>.{p.measure}: {SIDE_TEXT[p.side].replace('net purchases', MEASURE_TEXT[p.measure])} "
        f"{ASSET_TEXT[p.asset]}; BOJ balance-of-payments flat file (bp_m_en.zip), BPM6, monthly from 2014-01",
        "amounts in JPY bn (the file is in ¥100m, unrounded; ÷10); USD bn at each month's average USD/JPY "
        "(DEXJPUS, months with ≥ 10 fixings)" + ("" if p.monthly else "; quarters = sums of their three months "
                                                 "(the same as BOJ's regional BoP)"),
        "share_of_total_pct = 100 × the economy's flow ÷ the BoP total of every counterpart for the same period(s): "
        "a share of a net total can exceed 100 % or be negative when other economies sell; regions (Asia, North "
        "America, Central and South America, Oceania, Europe, Middle East, Africa) + rest of the world + "
        "international organisations + unallocated add up to the total; OECD/ASEAN/EU/Eastern Europe overlap them",
        "totals: MOF's International Transactions in Securities (montha1: designated major investors, contract "
        "basis) beside the BoP total (all residents, settlement basis, incl. items ITS leaves out); "
        "its_subtotal = equity + long-term debt, the figure press reports quote",
        f"{period}s ranked: the economies only (no regions or groupings); rank 1 = the largest "
        + ("net buyer" if p.measure == "net" else "amount") + f"; the {p.top} largest flows either way are listed; "
        "history tables end at the ranked period",
    ]
    if code is not None:
        conventions.append("largest_since: the last earlier period with a flow at least as large in the same "
                           "direction (blank = a record), over every period since 2014-01 "
                           "(yenflow.analytics.context rules)")
    warnings = ["the latest BoP months are preliminary and revised later (the flat file does not flag which)"]
    if usd is None:
        warnings.append("no USD/JPY in the store: $bn columns are left out (run `yenflow update fred`)")
    return make_result(market, "by_country", title, p, tables, conventions, warnings)


def _ranking(ranked: "pd.DataFrame", usd: "pd.DataFrame | None", when: "pd.Timestamp", p: ByCountryParams,
             name: str) -> "Table":
    from yenflow.views.result import Chart, Table

    # the `top` largest buyers and sellers (by absolute flow), still in rank order
    out = ranked.loc[ranked["flow_jpy_bn"].abs().nlargest(p.top).index].sort_values("rank") \
        if name == "ranking" else ranked.copy()
    if usd is not None:
        pos = usd.index.get_loc(when)
        sums = usd.iloc[max(0, pos + 1 - p.window): pos + 1].sum(min_count=p.window)
        out.insert(5, "flow_usd_bn", out["code"].map(sums).astype("float64").to_numpy())
    out["code"] = out["code"].str.upper()
    out.insert(1, "period_end", when)
    total = ranked.attrs["total_jpy_bn"]
    units = {"rank": "count", "period_end": "date", "code": "text", "economy": "text", "kind": "text",
             "flow_jpy_bn": "JPY bn", "flow_usd_bn": "USD bn", "share_of_total_pct": "%"}
    title = ("Economies ranked" if name == "ranking" else "Regions and groupings") + \
        f" — {p.measure} {ASSET_TEXT[p.asset]}, {when:%Y-%m}; BoP total ¥{total:,.1f} bn"
    return Table(name, out, units, date_column="period_end", title=title,
                 decimals={"flow_jpy_bn": 1, "flow_usd_bn": 2, "share_of_total_pct": 1},
                 chart=Chart("bar", x="economy", y=("flow_jpy_bn",), y_title="¥bn", zero_line=True))


def _history(frame: "pd.DataFrame", usd: "pd.DataFrame | None", code: str, names: dict[str, str],
             p: ByCountryParams) -> "Table":
    from yenflow.analytics import by_country as bc
    from yenflow.views.result import Chart, Table

    k = (3, 12) if p.monthly else (4,)
    h = bc.economy_history(frame, code, windows=k)
    if usd is not None:
        h.insert(1, "flow_usd_bn", usd[code].reindex(h.index))
    h = h.tail(p.last)
    h.index.name = "month" if p.monthly else "quarter"
    units = {c: "JPY bn" for c in h.columns if c.endswith("_jpy_bn")}
    units.update({h.index.name: "date", "flow_usd_bn": "USD bn", "share_of_total_pct": "%", "largest_since": "date"})
    return Table("country", h, units, kind="series", date_column=h.index.name,
                 title=f"{names.get(code, code.upper())} ({code.upper()}): {p.measure} {ASSET_TEXT[p.asset]}, "
                       f"{SIDE_TEXT[p.side].split(' net')[0]} side (¥bn)",
                 decimals={c: 1 for c in units if units[c] == "JPY bn"} | {"flow_usd_bn": 2, "share_of_total_pct": 1},
                 chart=Chart("bar", y=("flow_jpy_bn",), y_title="¥bn", zero_line=True))


def _totals(market: "Market", frame: "pd.DataFrame", p: ByCountryParams) -> "Table":

    from yenflow.analytics import by_country as bc
    from yenflow.views.result import Table

    out = (frame["all"].dropna() / 10.0).to_frame("bop_total_jpy_bn")
    its_id = f"mof.monthly.{p.side}.{p.asset}.{p.measure}"
    its = market.get(its_id, role="MOF ITS total for the same side and asset")
    if its is not None:
        its_m = its if p.monthly else its.resample("QE").sum(min_count=3)
        both = bc.beside_its(frame["all"].dropna(), its_m.dropna())
        out = out.join(both[["its_jpy_bn", "bop_minus_its_jpy_bn"]], how="left")
    if p.asset == "total" and p.measure == "net":
        sub = market.get(f"mof.monthly.{p.side}.subtotal.net", role="MOF ITS equity + long-term debt")
        if sub is not None:
            sub_m = sub if p.monthly else sub.resample("QE").sum(min_count=3)
            out["its_subtotal_jpy_bn"] = (sub_m / 10.0).reindex(out.index)
    out = out.tail(p.last)
    out.index.name = "month" if p.monthly else "quarter"
    units = {c: "JPY bn" for c in out.columns} | {out.index.name: "date"}
    return Table("totals", out, units, kind="series", date_column=out.index.name,
                 title=f"BoP total (all counterparts) and MOF's ITS total, {p.side} {p.asset} {p.measure} (¥bn)",
                 decimals={c: 1 for c in out.columns})

