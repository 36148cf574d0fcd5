"""MOF regional balance of payments, table 6a-20 "Financial account, by Area"
(金融収支の地域別推移), source ``mof.bop_by_area``.

The **financial account** (total, not split by instrument) with each area and
major economy, calendar years and quarters from 2014, **100 million yen**
(``JPY 100m``). Sign: net acquisition of financial assets − net incurrence
of liabilities, **+ = net lending to that area** (Japanese money going out).

Layout (cp932, CRLF): a Japanese then an English title block (``（単位　億円）``
is required), notes, then four header rows — Japanese area, English area,
Japanese country, English country — with the data from the 6th column. An
area's own total sits in the column that carries its name in the area row;
the economies under it carry theirs in the country row. Rows::

    平成26年,,2014C.Y.,,,"62,782",…                 calendar year
    平成26年,1～3月,2014,1st quarter,,"-11,731",…   quarter; era and year on Q1 only
    ,4～6月,,2nd quarter,,"20,454",…
    平成31年,1～3月,2019,1st quarter,…              2019: Q1 says 平成31年,
    令和元年,4～6月,,2nd quarter,…                  Q2 令和元年 (the era changed on 1 May 2019)

The year comes from the Gregorian cell, carried over Q2–Q4; an era label,
where present, must name the same year (平成31 = 令和元 = 2019). Quarters
must follow each other. Stored: the quarters, as
``mof.bop_area.financial_account.<cc>`` (``cc`` = the BOJ economy codes of
:mod:`yenflow.sources.boj.bop_flat`: ``all``, ``us``, ``gb``, ``ci``…; an
economy MOF adds later gets a slug of its English name). The calendar-year
rows are checked against the sum of their quarters (±3, MOF rounds each
figure) and not stored. BOJ's ``regbp_q_en.zip`` (``boj.bop_flat``,
``bop.region.financial_account.<cc>.net``) carries the same figures
unrounded and wins where both have a quarter.
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from yenflow.errors import ValidationError
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source
from yenflow.sources.mof import its_common as its

NAME = "mof.bop_by_area"
URL = ("https://www.mof.go.jp/policy/international_policy/reference/balance_of_payments/bp_trend/"
       "bparea/rbp/a-1/6a-20.csv")
ANNUAL_TOLERANCE = 3.0
FIRST_COL = 5
#: English area/economy label (normalised) → BOJ economy code
ECONOMIES = {
    "Total": "all", "Asia": "as", "P.R.China": "cn", "HongKong": "hk", "Taiwan": "tw", "R.Korea": "kr",
    "Singapore": "sg", "Thailand": "th", "Indonesia": "id", "Malaysia": "my", "Philippines": "ph",
    "VietNam": "vn", "India": "in", "NorthAmerica": "na", "U.S.A.": "us", "Canada": "ca",
    "CentralandSouthAmerica": "cs", "Mexico": "mx", "Brazil": "br", "CaymanIslands": "ci",
    "Oceania": "oc", "Australia": "au", "NewZealand": "nz", "Europe": "ep", "Germany": "de",
    "U.K.": "gb", "France": "fr", "Netherlands": "nl", "Italy": "it", "Belgium": "be",
    "Luxembourg": "lx", "Switzerland": "ch", "Sweden": "se", "Spain": "es", "Russia": "su",
    "MiddleEast": "me", "SaudiArabia": "sa", "U.A.E.": "ae", "Iran": "ir", "Africa": "af",
    "R.SouthAfrica": "za", "Int'lOrganization": "ii", "Unallocated": "rw", "OECDcountries": "oe",
    "ASEAN": "aa", "EU": "eu", "EasternEurope,Russia,etc.": "ee",
}
_QUARTERS = {its.norm(k): v for k, v in {"1～3月": 1, "4～6月": 2, "7～9月": 3, "10～12月": 4}.items()}
_QUARTERS_EN = {"1stquarter": 1, "2ndquarter": 2, "3rdquarter": 3, "4thquarter": 4}
_ERA = re.compile(r"^(令和|平成)(元|\d{1,2})(?:\((?:平成)?(\d{1,2})\))?年$")
_ERA_BASE = {"令和": 2018, "平成": 1988}
_ANNUAL = re.compile(r"^(\d{4})C\.Y\.$")
NOTE = (
    "MOF 6a-20 (Regional Balance of Payments), financial account by area, integer 100 million yen; "
    "+ = net lending to the area (assets − liabilities). Area = economy of the transactor. The same "
    "figures, unrounded and split by instrument, are in BOJ regbp_q_en.zip (boj.bop_flat, "
    "bop.region.financial_account.<cc>.net), which wins. MOF revised 2023-01…2025-09 on 2026-05-13."
)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def _era_year(text: str) -> int | None:
    m = _ERA.match(its.norm(text))
    if not m:
        return None
    return _ERA_BASE[m[1]] + (1 if m[2] == "元" else int(m[2]))


def _header(rows: list[its.Row], ctx: its.Ctx) -> tuple[int, dict[int, tuple[str, str]]]:
    """Index of the English-area row and column → (code, English label)."""
    for i, (line, cells) in enumerate(rows[:40]):
        if len(cells) > FIRST_COL and its.norm(cells[FIRST_COL]) == "Total" and i + 2 < len(rows):
            countries = rows[i + 2][1]
            cols = {}
            for c in range(FIRST_COL, len(cells)):
                label = (countries[c] if c < len(countries) else "").strip() or cells[c].strip()
                if not label:
                    raise ctx.error("an area or economy name over every data column", cells[c], line)
                key = its.norm(label)
                cols[c] = (ECONOMIES.get(key, _slug(label)), label)
            codes = [code for code, _ in cols.values()]
            if len(set(codes)) != len(codes):
                raise ctx.error("each area or economy once in the header", codes, line)
            return i, cols
    raise ctx.error("a header row with 'Total' in the 6th column (English area names)", row=1)


def _rows(rows: list[its.Row], start: int, cols: dict[int, tuple[str, str]], ctx: its.Ctx
          ) -> tuple[dict[tuple[int, int], tuple[int, list[float | None]]], dict[int, tuple[int, list[float | None]]]]:
    quarters: dict[tuple[int, int], tuple[int, list[float | None]]] = {}
    annuals: dict[int, tuple[int, list[float | None]]] = {}
    year: int | None = None
    last: tuple[int, int] | None = None
    for line, cells in rows[start:]:
        if len(cells) <= FIRST_COL or not any(c.strip() for c in cells[FIRST_COL:]):
            continue
        its.check_width(cells, max(cols) + 1, ctx, line)
        values = [its.number(cells[c], ctx, line, label) for c, (_, label) in cols.items()]
        era = _era_year(cells[0]) if cells[0].strip() else None
        if cells[0].strip() and era is None:
            raise ctx.error("an era year like 平成26年, 令和元年 or 令和元(平成31)年", cells[0], line)
        if m := _ANNUAL.match(its.norm(cells[2])):
            y = int(m[1])
            if era is not None and era != y:
                raise ctx.error(f"an era label naming {y}", cells[0], line)
            annuals[y] = (line, values)
            continue
        q, q_en = _QUARTERS.get(its.norm(cells[1])), _QUARTERS_EN.get(its.norm(cells[3]))
        if q is None or q != q_en:
            raise ctx.error("a quarter label like '1～3月' and '1st quarter' that agree", cells[1:4], line)
        if cells[2].strip():
            year = int(cells[2]) if cells[2].strip().isdigit() else None
        if year is None or (cells[2].strip() == "" and q == 1):
            raise ctx.error("the year in the 3rd column on every first quarter", cells[2], line)
        if era is not None and era != year:
            raise ctx.error(f"an era label naming {year}", cells[0], line)
        if last is not None and (year, q) != ((last[0], last[1] + 1) if last[1] < 4 else (last[0] + 1, 1)):
            raise ctx.error(f"the quarter after {last[0]} Q{last[1]}", cells[1:4], line)
        last = (year, q)
        quarters[(year, q)] = (line, values)
    if not quarters:
        raise ctx.error("quarterly rows like '平成26年,1～3月,2014,1st quarter'", row=rows[-1][0])
    return quarters, annuals


def _check_annuals(quarters: dict, annuals: dict, cols: dict, ctx: its.Ctx) -> None:
    for y, (line, values) in annuals.items():
        parts = [quarters.get((y, q)) for q in range(1, 5)]
        if any(p is None for p in parts):
            continue
        for j, v in enumerate(values):
            total = sum(p[1][j] or 0.0 for p in parts)  # type: ignore[index]
            if v is not None and abs(total - v) > ANNUAL_TOLERANCE:
                label = list(cols.values())[j][1]
                raise ValidationError(NAME, ctx.filename, f"the {y} C.Y. figure for {label} = the sum of "
                                      f"its quarters (±{ANNUAL_TOLERANCE:g})", f"{v:g} vs {total:g}", line)


def _quarter_dates(year: int, q: int) -> tuple[date, date]:
    return its.month_end(year, 3 * q), date(year, 3 * q - 2, 1)


def parse_6a20(raw: bytes, filename: str) -> Parsed:
    import pandas as pd

    ctx = its.Ctx(NAME, filename)
    rows = its.read_rows(raw, ctx)
    its.check_unit(rows, ctx)
    head, cols = _header(rows, ctx)
    quarters, annuals = _rows(rows, head + 3, cols, ctx)
    _check_annuals(quarters, annuals, cols, ctx)
    recs = []
    for (year, q), (_, values) in quarters.items():
        end, start = _quarter_dates(year, q)
        recs += [(f"mof.bop_area.financial_account.{code}", end, v, start)
                 for (code, _), v in zip(cols.values(), values) if v is not None]
    obs = pd.DataFrame(recs, columns=["series_id", "ref_date", "value", "period_start"])
    for c in ("ref_date", "period_start"):
        obs[c] = pd.to_datetime(obs[c]).astype("datetime64[ns]")
    obs["value"] = obs["value"].astype("float64")
    infos = [SeriesInfo(f"mof.bop_area.financial_account.{code}", f"Financial account by area, {label}: net "
                        "(+ = net lending to the area)", its.UNIT, "quarterly",
                        f"MOF 6a-20, financial account (total of all instruments) vis-à-vis {label}, net "
                        "acquisition of assets − net incurrence of liabilities; ref_date = quarter end, "
                        "period_start = its first day.", NOTE)
             for code, label in cols.values()]
    return Parsed(obs, infos)


class MofBopByArea(Source):
    """MOF table 6a-20: financial account by area, quarterly (``mof.bop_area.*``)."""

    name: ClassVar[str] = NAME
    title: ClassVar[str] = "MOF regional balance of payments: financial account by area (6a-20, quarterly)"
    publisher: ClassVar[str] = "Ministry of Finance Japan"
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec("6a-20", URL, "mof_bop/6a-20.csv", ("mof_bop/6a-20*.csv",)),
    )
    #: quarterly regional BoP, released about 4½ months after the quarter
    max_age_days: ClassVar[int] = 230

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_6a20(raw, filename)
