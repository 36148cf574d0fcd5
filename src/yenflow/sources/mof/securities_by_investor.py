"""MOF residents' purchases of foreign securities by type of investor (``monthb2/3/4.csv``).

投資家部門別対外証券投資: International Transactions in Securities (designated
major investors), outward only, monthly since 2005-01, in **100 million yen**
(億円, ``SeriesInfo.unit = "JPY 100m"``). One file per asset; which is which
is read from the title, not the file name: ``（株式・投資ファンド持分）`` →
``equity`` (monthb2), ``（中長期債）`` → ``bonds`` (monthb3, long-term debt),
``（短期債）`` → ``bills`` (monthb4, short-term debt).

Series ``mof.investor.<asset>.<investor>.<measure>``, measure ``acq``/``disp``/``net``;
investor slugs from the labels (:data:`its_common.INVESTOR_LABELS`): ``all``
(各部門計), ``public``, ``central_bank``, ``general_govt``, ``deposit_taking``,
``banks`` (銀行等（銀行勘定）), ``trust_banks`` (信託銀行（銀行勘定）),
``other_sectors``, ``other_financial``, ``trust_accounts`` (銀行等及び信託銀行
（信託勘定）, ≈ pension money), ``banks_trust_accounts``,
``trust_banks_trust_accounts``, ``securities_firms`` (金融商品取引業者),
``life_insurers``, ``nonlife_insurers``, ``investment_trusts``
(投資信託委託会社等), ``others``. Each label is located in the header rows; a
missing label, an unknown label over a 取得 column, or a label without
取得/処分/ネット beneath it is a ParseError.

``net`` is MOF's **published** net, stored as printed; acq − disp must agree
with it within ±1 (±8 for the aggregates 各部門計, 公的部門, 預金取扱機関,
その他部門, その他金融機関, 銀行等及び信託銀行（信託勘定）, whose published net is the sum
of their members' rounded nets), else ValidationError; positive = net purchase
of foreign securities. ``-`` (no data, e.g. the central bank in
early years) is dropped. ``ref_date`` = month end, ``period_start`` = the 1st.
Month labels drift (``1月`` up to 2022, ``１月`` from 2023); all-blank rows of
unpublished months are skipped; CY/FY rows are not stored but must equal the
sum of their months (``-`` counted as 0) within 1 per month summed.
"""

from __future__ import annotations

from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source
from yenflow.sources.mof import its_common as its
from yenflow.sources.mof import its_table as table

NAME = "mof.securities_by_investor"
ASSETS = {"株式・投資ファンド持分": "equity", "中長期債": "bonds", "短期債": "bills"}
REQUIRED = ("all", "central_bank", "general_govt", "deposit_taking", "banks", "trust_banks",
            "trust_accounts", "securities_firms", "life_insurers", "nonlife_insurers",
            "investment_trusts", "others")
INVESTOR_TEXT = {
    "all": "all investors (各部門計)",
    "public": "the public sector (公的部門)",
    "central_bank": "the central bank (中央銀行)",
    "general_govt": "general government (一般政府)",
    "deposit_taking": "deposit-taking corporations (預金取扱機関)",
    "banks": "banks, banking accounts (銀行等（銀行勘定）)",
    "trust_banks": "trust banks, banking accounts (信託銀行（銀行勘定）)",
    "other_sectors": "other sectors (その他部門)",
    "other_financial": "other financial corporations (その他金融機関)",
    "trust_accounts": "banks and trust banks, trust accounts (銀行等及び信託銀行（信託勘定）; "
                      "largely pension money)",
    "banks_trust_accounts": "banks, trust accounts (銀行等（信託勘定）)",
    "trust_banks_trust_accounts": "trust banks, trust accounts (信託銀行（信託勘定）)",
    "securities_firms": "financial instruments firms (金融商品取引業者)",
    "life_insurers": "life insurance companies (生命保険会社)",
    "nonlife_insurers": "non-life insurance companies (損害保険会社)",
    "investment_trusts": "investment trust management companies (投資信託委託会社等)",
    "others": "others (その他: non-financial corporations, households, NPISHs)",
}
_CATEGORY_NOTE = (" 2007-10: 証券会社 became 金融商品取引業者 and 投資信託委託業者 became "
                  "投資信託委託会社等; months through 2007-09 use the old categories.")


def series_id(asset: str, investor: str, measure: str) -> str:
    return f"mof.investor.{asset}.{investor}.{measure}"


def _info(asset: str, investor: str, measure: str) -> SeriesInfo:
    who, what = INVESTOR_TEXT[investor], f"foreign {its.asset_text(asset)}"
    notes = its.FLOW_NOTES
    if investor in ("securities_firms", "investment_trusts"):
        notes += _CATEGORY_NOTE
    return SeriesInfo(
        id=series_id(asset, investor, measure),
        name=f"MOF monthly by investor, {who.split(' (')[0]}: {its.MEASURE_TEXT[measure]} {what}",
        unit=its.UNIT,
        frequency="monthly",
        description=(
            "MOF International Transactions in Securities by type of investor (residents, "
            "designated major investors); ref_date = month end, period_start = the 1st. "
            + its.measure_sentence(measure, f"residents: {who}", what)
        ),
        notes=notes,
    )


def read_table(rows: list[its.Row], ctx: its.Ctx, required: tuple[str, ...],
               footer: bool) -> tuple[table.MonthTable, list[str]]:
    """Locate investors, read month and CY/FY rows and check the nets (then call
    ``table.check`` for the CY/FY rows)."""
    layout = its.locate_investors(rows, ctx, required)
    investors = sorted({inv for inv, _ in layout.cols})
    keys, cols = list(layout.cols), list(layout.cols.values())
    months = table.MonthTable(
        ctx, layout.first_value, layout.width, cols, keys, missing_ok=True,
        describe=lambda j: f"a number or '-' for {keys[j][0]} {keys[j][1]} (column {cols[j] + 1})")
    for line, cells in rows[layout.data_start:]:
        if footer and cells and its.norm(cells[0]).startswith(its.FOOTER):
            break
        months.row(line, cells)
    else:
        if footer:
            raise ctx.error("the footnotes (備考) after the CY/FY rows (truncated file?)",
                            row=rows[-1][0])
    months.finish()
    table.check_nets(months.figures, ctx, lambda p: p[0], lambda p: its.net_tolerance(p[0]))
    return months, investors


class MofSecuritiesByInvestor(Source):
    """MOF monthly outward portfolio flows by investor type (``mof.investor.*``)."""

    name = NAME
    title = "MOF International Transactions in Securities by type of investor (monthly)"
    publisher = "Ministry of Finance Japan"
    max_age_days = 45
    version = 2  # 2: nets as MOF prints them
    files = tuple(
        FileSpec(stem, its.BASE_URL + f"{stem}.csv", its.FOLDER + f"{stem}.csv",
                 (its.FOLDER + f"{stem}.csv",))
        for stem in ("monthb2", "monthb3", "monthb4")
    )

    def parse(self, raw: bytes, filename: str) -> Parsed:
        ctx = its.Ctx(NAME, filename)
        rows = its.read_rows(raw, ctx)
        its.check_unit(rows, ctx)
        asset = its.title_asset(rows, ctx, ASSETS)
        months, investors = read_table(rows, ctx, REQUIRED, footer=True)
        months.check(rows[-1][0])
        obs = table.frame(months.figures, lambda k: series_id(asset, *k),
                          *table.month_bounds(months.months))
        series = [_info(asset, inv, m) for inv in investors for m in its.TRIPLE]
        return Parsed(obs, series, published=its.last_updated(rows))
