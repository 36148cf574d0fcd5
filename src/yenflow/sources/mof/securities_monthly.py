"""MOF International Transactions in Securities, monthly (``montha1.csv``).

対外及び対内証券売買契約等の状況（月別推移）: the monthly version of the weekly
table (designated major investors), since 2005-01, in **100 million yen**
(億円, ``SeriesInfo.unit = "JPY 100m"``).

Series ``mof.monthly.<side>.<asset>.<measure>`` with the same sides, assets and
measures as :mod:`securities_weekly`: ``net``, ``subtotal`` and ``total`` are
MOF's **published** figures (checked: acq − disp within ±1 of the net,
subtotal/total the sum of the parts within ±3, else ValidationError);
positive = net purchase; ``debt`` = bonds + bills net is **derived by
yenflow**. ``ref_date`` = month end, ``period_start`` = the 1st.

File quirks handled: the year is printed only on January rows (the February
row carries the era, ``(平成17年)　``, checked against it); month labels are
full-width (``８月``) next to the English abbreviation, and must agree; months
must follow each other. Pre-printed all-blank rows for unpublished months are
skipped, not zero. CY rows (``2005年(1月～12月）  2005CY``) and FY rows
(April–March) are not stored but each must equal the sum of its months within
1 per month summed (rounding), else ValidationError naming the line. The two
trailing MOF columns (A−B, C−D) are ignored. The file must end with its
footnotes (備考).
"""

from __future__ import annotations

from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source
from yenflow.sources.mof import its_common as its
from yenflow.sources.mof import its_table as table

NAME = "mof.securities_monthly"
ASSETS = ("equity", "bonds", "subtotal", "bills", "total")


def series_id(side: str, asset: str, measure: str) -> str:
    return f"mof.monthly.{side}.{asset}.{measure}"


def _info(side: str, asset: str, measure: str) -> SeriesInfo:
    short = its.flow_text(side, asset, measure)[0]
    derived = " (derived)" if asset == its.DERIVED_DEBT else ""
    return SeriesInfo(
        id=series_id(side, asset, measure),
        name=f"MOF monthly: {short}{derived}",
        unit=its.UNIT,
        frequency="monthly",
        description=its.flow_description(
            side, asset, measure, "calendar month; ref_date = month end, period_start = the 1st"),
        notes=its.FLOW_NOTES,
    )


def all_series() -> list[SeriesInfo]:
    return [_info(side, asset, measure)
            for side in ("resident", "foreign") for asset, measures in its.FLOW_SERIES
            for measure in measures]


class MofSecuritiesMonthly(Source):
    """MOF monthly portfolio flows, outward and inward (``mof.monthly.*``)."""

    name = NAME
    title = "MOF International Transactions in Securities (monthly)"
    publisher = "Ministry of Finance Japan"
    max_age_days = 45
    version = 2  # 2: nets as MOF prints them; derived debt (bonds + bills) net
    files = (FileSpec("montha1", its.BASE_URL + "montha1.csv", its.FOLDER + "montha1.csv",
                      (its.FOLDER + "montha1.csv",)),)

    def parse(self, raw: bytes, filename: str) -> Parsed:
        ctx = its.Ctx(NAME, filename)
        rows = its.read_rows(raw, ctx)
        its.check_unit(rows, ctx)
        layout = its.locate_flows(rows, ctx, ASSETS)
        keys, cols = list(layout.cols), list(layout.cols.values())
        months = table.MonthTable(
            ctx, min(layout.first_value.values()), layout.width, cols, keys, missing_ok=False,
            describe=lambda j: f"a number for {'.'.join(keys[j])} (column {cols[j] + 1})")
        for line, cells in rows[layout.data_start:]:
            if cells and its.norm(cells[0]).startswith(its.FOOTER):
                break
            months.row(line, cells)
        else:
            raise ctx.error("the footnotes (備考) after the CY/FY rows (truncated file?)",
                            row=rows[-1][0])
        months.finish()
        fig = months.figures
        table.check_nets(fig, ctx, lambda p: " ".join(p), lambda p: its.NET_TOLERANCE)
        table.check_flow_sums(fig, ctx)  # row checks first: they name the faulty month
        months.check(rows[-1][0])
        table.add_derived_debt(fig)
        obs = table.frame(fig, lambda k: series_id(*k), *table.month_bounds(months.months))
        return Parsed(obs, all_series(), published=its.last_updated(rows))
