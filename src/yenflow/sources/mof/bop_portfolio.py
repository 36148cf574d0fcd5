"""MOF balance of payments: portfolio investment tables 6pi-1 … 6pi-5 (付表３).

BoP-basis (BPM6) monthly portfolio investment, compiled by MOF and the BOJ, in
**100 million yen** (億円, ``SeriesInfo.unit = "JPY 100m"``). Which table a
file holds is read from its title (``6pi-1`` …; for 6pi-2…5 the asset in
``投資家部門別対外証券投資（…）``), not from the file name.

* **6pi-1** 対外・対内証券投資総括表 → ``bop.pi.<assets|liabilities>.<instrument>.<measure>``:
  ``assets`` = residents' transactions in foreign securities, ``liabilities`` =
  non-residents' transactions in Japanese securities; instrument ``equity``
  (株式・投資ファンド持分), ``bonds`` (中長期債), ``bills`` (短期債) with
  ``acq``/``disp``/``net``, and ``total`` (net only). Monthly since 1996-01;
  acquisition/disposition only from 2014-01 (``--`` before, dropped).
* **6pi-2…5** 投資家部門別対外証券投資 (assets by type of investor; total, equity,
  long-term debt, short-term debt) →
  ``bop.investor.<total|equity|bonds|bills>.<investor>.<measure>``
  with the investor slugs of :mod:`securities_by_investor`. Monthly since 2014-01.

``net`` is the published BoP figure (= acquisition − disposition; positive =
net purchase, i.e. assets: residents' net buying of foreign securities, an
outflow; liabilities: non-residents' net buying of Japanese securities, an
inflow), checked against acq − disp (±1) and, in 6pi-1, total = equity +
bonds + bills (±3); a mismatch is a ValidationError naming the line.
``ref_date`` = month end, ``period_start`` = the 1st. Annual (C.Y.) rows are
not stored; where the file has all 12 months they must equal the months' sum
(``--`` counted as 0) within 1 per month. Months marked ``4月(P)``/``Apr(P)``
are preliminary (:func:`preliminary_months`); the newest month of a file must
be one of them (MOF's files end with the preliminary months), else the file
was cut and is refused.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source
from yenflow.sources.mof import its_common as its
from yenflow.sources.mof import its_table as table
from yenflow.sources.mof import securities_by_investor as by_investor

if TYPE_CHECKING:
    import pandas as pd

NAME = "mof.bop_portfolio"
SUMMARY_ASSETS = ("equity", "bonds", "bills", "total")
INVESTOR_ASSETS = {"合計": "total", "株式・投資ファンド持分": "equity", "中長期債": "bonds",
                   "短期債": "bills"}
REQUIRED = ("all", "central_bank", "deposit_taking", "banks", "trust_banks", "general_govt",
            "other_sectors", "other_financial", "securities_firms", "life_insurers",
            "nonlife_insurers", "investment_trusts", "others")
_SIDES = {"resident": "assets", "foreign": "liabilities"}
_TABLE = re.compile(r"^6pi-(\d)")
_FILES = {1: "portfolio_investment_summary", 2: "portfolio_assets_by_investor_total",
          3: "portfolio_assets_by_investor_equity",
          4: "portfolio_assets_by_investor_long-term_debt",
          5: "portfolio_assets_by_investor_short-term_debt"}
BOP_NOTES = (
    "Latest months are preliminary (P) and revised in later releases; MOF also revises past "
    "months at times (e.g. 2023-01…2025-09 on 2026-04-08). Figures before 2014 are BPM5 data "
    "rearranged to BPM6 by MOF; acquisition/disposition are published from 2014-01 only. "
    "net is the published BoP figure (checked against acquisition − disposition within ±1)."
)


def pi_id(side: str, asset: str, measure: str) -> str:
    """``side`` is 'assets' or 'liabilities'."""
    return f"bop.pi.{side}.{asset}.{measure}"


def investor_id(asset: str, investor: str, measure: str) -> str:
    return f"bop.investor.{asset}.{investor}.{measure}"


def _pi_info(side: str, asset: str, measure: str) -> SeriesInfo:
    short, who, what = its.flow_text(side, asset, measure)
    return SeriesInfo(
        id=pi_id(_SIDES[side], asset, measure),
        name=f"BoP portfolio investment {_SIDES[side]}: {short}",
        unit=its.UNIT,
        frequency="monthly",
        description=(
            f"MOF/BOJ balance of payments (BPM6), table 6pi-1, portfolio investment "
            f"{_SIDES[side]}; ref_date = month end, period_start = the 1st. "
            + its.measure_sentence(measure, who, what)
        ),
        notes=BOP_NOTES,
    )


def _investor_info(asset: str, investor: str, measure: str) -> SeriesInfo:
    who = by_investor.INVESTOR_TEXT[investor]
    what = f"foreign {its.asset_text(asset)}"
    return SeriesInfo(
        id=investor_id(asset, investor, measure),
        name=f"BoP portfolio investment assets by investor, {who.split(' (')[0]}: "
             f"{its.MEASURE_TEXT[measure]} {what}",
        unit=its.UNIT,
        frequency="monthly",
        description=(
            "MOF/BOJ balance of payments (BPM6), tables 6pi-2…5, portfolio investment assets "
            "by type of investor; ref_date = month end, period_start = the 1st. "
            + its.measure_sentence(measure, f"residents: {who}", what)
        ),
        notes=BOP_NOTES,
    )


def _table_number(rows: list[its.Row], ctx: its.Ctx) -> int:
    for line, cells in rows[:10]:
        for cell in cells:
            m = _TABLE.match(its.norm(cell))
            if m:
                if int(m.group(1)) not in _FILES:
                    raise ctx.error("table 6pi-1 … 6pi-5", cell, line)
                return int(m.group(1))
    raise ctx.error("a title naming table 6pi-1 … 6pi-5", row=1)


def _read_summary(rows: list[its.Row], ctx: its.Ctx) -> table.MonthTable:
    """6pi-1: assets and liabilities side by side, each with its own period label."""
    layout = its.locate_flows(rows, ctx, SUMMARY_ASSETS)
    keys = [(_SIDES[side], asset, measure) for side, asset, measure in layout.cols]
    cols = list(layout.cols.values())
    label_end = layout.first_value["resident"]
    right = slice(layout.side_cols["foreign"], layout.first_value["foreign"])
    months = table.MonthTable(
        ctx, label_end, layout.width, cols, keys, missing_ok=True,
        describe=lambda j: f"a number for {'.'.join(keys[j])} (column {cols[j] + 1})")
    for line, cells in rows[layout.data_start:]:
        label = its.parse_label(cells[:label_end], ctx, line)
        if label.kind != "other" and its.parse_label(cells[right], ctx, line) != label:
            raise ctx.error("the same period label on the liabilities side",
                            its.norm("".join(cells[right])), line)
        months.row(line, cells, label)
    months.finish()
    table.check_nets(months.figures, ctx, lambda p: " ".join(p), lambda p: its.NET_TOLERANCE)
    table.check_flow_sums(months.figures, ctx)
    return months


def _read(raw: bytes, filename: str) -> tuple[table.MonthTable, "pd.DataFrame", list[SeriesInfo]]:
    ctx = its.Ctx(NAME, filename)
    rows = its.read_rows(raw, ctx)
    its.check_unit(rows, ctx)
    if _table_number(rows, ctx) == 1:
        months = _read_summary(rows, ctx)
        sid = lambda k: pi_id(*k)  # noqa: E731
        series = [_pi_info(side, asset, m) for side in _SIDES for asset in SUMMARY_ASSETS
                  for m in (("net",) if asset == "total" else its.TRIPLE)]
    else:
        asset = its.title_asset(rows, ctx, INVESTOR_ASSETS)
        months, investors = by_investor.read_table(rows, ctx, REQUIRED, footer=False)
        sid = lambda k: investor_id(asset, *k)  # noqa: E731
        series = [_investor_info(asset, inv, m) for inv in investors for m in its.TRIPLE]
    months.check(rows[-1][0])  # after the row checks, which name the faulty month
    _check_newest_is_preliminary(months, ctx)
    obs = table.frame(months.figures, sid, *table.month_bounds(months.months))
    return months, obs, series


def _check_newest_is_preliminary(months: table.MonthTable, ctx: its.Ctx) -> None:
    """MOF's newest BoP month is always preliminary (``5月(P)``): a file whose last
    month is not marked was cut at a row boundary."""
    newest = max(range(len(months.months)), key=lambda i: months.months[i])
    if not months.prelim[newest]:
        y, m = months.months[newest]
        raise ctx.error("the newest month marked preliminary, e.g. '5月(P)' (the files end with "
                        "the preliminary months; rows cut off the end?)",
                        f"{y}-{m:02d} without (P)", int(months.figures.lines[newest]))


def preliminary_months(raw: bytes, filename: str) -> list[date]:
    """Month ends marked preliminary ``(P)`` in a 6pi file, oldest first."""
    months = _read(raw, filename)[0]
    return sorted(its.month_end(*ym) for ym, p in zip(months.months, months.prelim) if p)


class MofBopPortfolio(Source):
    """MOF BoP portfolio investment: summary and assets by investor (``bop.pi.*``,
    ``bop.investor.*``)."""

    name = NAME
    title = "MOF balance of payments: portfolio investment (tables 6pi-1…5, monthly)"
    publisher = "Ministry of Finance Japan / Bank of Japan"
    max_age_days = 75
    folder_only = ("MOF publishes tables 6pi-1…5 on its balance-of-payments pages without a download URL "
                   "that could be confirmed; read them from a folder or mirror (--from)")
    files = tuple(
        FileSpec(f"6pi-{n}", None, its.FOLDER + f"bop_6pi-{n}_{stem}.csv",
                 (its.FOLDER + f"bop_6pi-{n}*.csv",))
        for n, stem in _FILES.items()
    )

    def parse(self, raw: bytes, filename: str) -> Parsed:
        _, obs, series = _read(raw, filename)
        return Parsed(obs, series)
