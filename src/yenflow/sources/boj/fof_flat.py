"""BOJ Flow of Funds flat file ``fof2_en.zip``, source ``boj.fof_flat``.

The zip holds two CSVs in the BOJ flat-file layout with **3 leading columns**
(no unit column; the unit is **100 million yen**, ``JPY 100m``):
``ff_dl_fof_quarterly_en.csv`` (periods ``YYYYQQ``, 1997Q4 →) and
``ff_dl_fof_fiscal-year_en.csv`` (bare fiscal years ``YYYY`` = April–March,
FY1979 →; the FY-end stock equals the Q1 quarter-end stock of the next
calendar year). Codes are ``FOF_FF`` + table + sector + ``A``/``L`` + item:
``FOF_FFAS500L700`` = quarterly **stock** (``AS``), sector ``500`` Overseas,
liabilities, item ``700`` (difference between financial assets and
liabilities); the FY twin is ``FOF_FFYS500L700``.

Stored: the amounts outstanding in :data:`SERIES` (the external position,
Japan's outward investment by holder, non-residents' holdings of Japanese
securities, JGBs held by the BOJ and in total), quarter-end as
``fof.sector.<sector>.<item>`` and fiscal-year-end (end-March) as
``….fy``. The file's other ~17,500 series (flows, reconciliations, every
sector × instrument) are not stored: all of them are 1.26 million
observations and +11 MB, more than the rest of the store together (~0.77
million), and took 2.0–4.1× a bare DuckDB read of the CSVs against 0.5–0.6×
for the 4,633 observations of the selection (``benchmarks/flat_files.py``;
the range is machine load), for series no view reads. The raw zip is
archived either way, so widening :data:`SERIES` and ``yenflow rebuild``
brings any of them in.

**Signs and meaning** (the Overseas sector is the rest of the world seen
from Japan): ``overseas.net_position`` (``500L700``) is the Overseas sector's
financial assets minus liabilities vis-à-vis Japan, i.e. **minus Japan's net
external position** (2024Q4: −¥532.4 tn vs MOF's end-2024 IIP net assets of
¥533.05 tn); Japan's external assets ≈ ``overseas.liabilities_total`` −
``overseas.net_position``, its external liabilities ≈
``overseas.assets_total`` (:mod:`yenflow.analytics.wealth`).

**Overlap with ``boj.flow_of_funds`` (``sjlong.xlsx`` table G-1)**: the JGB
holdings ``fof.sector.boj.jgb_long``, ``fof.sector.overseas.jgb_long``,
``fof.sector.total.jgb_long`` (and ``tbill``) are the same BOJ figures as
``fof.jgb_long.boj`` / ``.overseas`` / ``.total`` (and ``fof.tbill.*``) of
``sjlong.xlsx`` for 2023Q4 →; they agree in the sample editions (tested).
This file wins for history (1997Q4 →); ``sjlong.xlsx`` wins for the holder
breakdown of the G-1 table (every holder, adding up to the total).
Check: the Overseas sector's total assets equal its total liabilities
(balance-sheet identity, ±1) in every period.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source
from yenflow.sources.boj import flat_file as ff
from yenflow.sources.boj.flat_links import PAGE_URL, fetch_linked

if TYPE_CHECKING:
    from datetime import date
    from collections.abc import Callable, Iterator

    import pandas as pd

    from yenflow.http import Response
    from yenflow.sources.base import RawFile

SOURCE_NAME = "boj.fof_flat"
UNIT = "JPY 100m"
STATISTIC = "Flow of Funds"
URL = "https://www.stat-search.boj.or.jp/info/fof2_en.zip"
TOLERANCE = 1.0

#: sector code → (slug, display name)
SECTORS = {
    "500": ("overseas", "Overseas"), "700": ("total", "all sectors"), "110": ("boj", "Bank of Japan"),
    "121": ("banks", "banks (122 + 123 + 124 + 125)"), "122": ("domestic_banks", "domestically licensed banks"),
    "123": ("foreign_banks", "foreign banks in Japan"),
    "125": ("small_business_fi", "financial institutions for small businesses"),
    "124": ("agri_fi", "agricultural financial institutions (Norinchukin etc.)"),
    "160": ("investment_trusts", "securities investment trusts"), "132": ("life_insurance", "life insurance"),
    "134": ("nonlife_insurance", "nonlife insurance"), "140": ("pension_funds", "pension funds"),
    "423": ("social_security_funds", "social security funds (GPIF etc.)"),
    "421": ("central_government", "central government (incl. the FX reserves account)"),
    "410": ("nonfinancial_corporations", "nonfinancial corporations"), "430": ("households", "households"),
}
#: (sector, A/L + item) → (item slug, what, meaning)
SERIES: dict[tuple[str, str], tuple[str, str]] = {
    ("500", "L700"): ("net_position", "Overseas sector: financial assets minus liabilities (= minus "
                      "Japan's net external position; negative = Japan is a net creditor)"),
    ("500", "A900"): ("assets_total", "Overseas sector: total financial assets (≈ Japan's external "
                      "liabilities)"),
    ("500", "L900"): ("liabilities_total", "Overseas sector: total liabilities incl. the difference "
                      "line (liabilities_total − net_position ≈ Japan's external assets)"),
    ("500", "L540"): ("outward_securities", "Outward investments in securities: Japan's portfolio "
                      "investment assets (a liability of the Overseas sector)"),
    ("500", "L530"): ("outward_direct", "Outward direct investment: Japan's direct investment assets"),
    ("500", "L551"): ("fx_reserves", "Foreign exchange reserves (Japan's reserve assets)"),
    ("500", "A300"): ("debt_securities", "Debt securities held by non-residents (Japanese bonds, "
                      "bills, external securities issued by residents)"),
    ("500", "A334"): ("equity", "Equity and investment fund shares held by non-residents"),
    ("500", "A311"): ("jgb_long", "Central government securities and FILP bonds (long-term JGBs) "
                      "held by non-residents"),
    ("500", "A310"): ("tbill", "Treasury discount bills held by non-residents"),
    ("110", "A311"): ("jgb_long", "Central government securities and FILP bonds held by the Bank of "
                      "Japan"),
    ("110", "A310"): ("tbill", "Treasury discount bills held by the Bank of Japan"),
    ("700", "A311"): ("jgb_long", "Central government securities and FILP bonds, amount outstanding "
                      "(all holders)"),
    ("700", "A310"): ("tbill", "Treasury discount bills, amount outstanding (all holders)"),
    **{(sec, "A540"): ("outward_securities", "Outward investments in securities held by this sector")
       for sec in ("700", "110", "121", "122", "123", "124", "125", "160", "132", "134", "140", "423", "421",
                   "410", "430")},
}
_CODE = re.compile(r"^FOF_FF([AY])S(\d{3})([AL]\d{3})$")

NOTE = (
    "Source: BOJ Flow of Funds flat file fof2_en.zip (2008 SNA), amounts outstanding in 100 million "
    "yen; the latest quarter is preliminary and revised with the next release. Where "
    "boj.flow_of_funds (sjlong.xlsx, table G-1) has the same JGB holdings (2023Q4 →) the figures "
    "agree; this file wins for history (1997Q4 →, fiscal-year ends from March 1980), sjlong.xlsx for "
    "the G-1 holder breakdown."
)


def _info(sid: str, sector: str, item: str, what: str, code: str, name: str, fiscal: bool) -> SeriesInfo:
    when = ("end of fiscal year (31 March of YYYY+1 for FY YYYY)" if fiscal else "end of quarter")
    return SeriesInfo(
        id=sid,
        name=f"Flow of Funds, {SECTORS[sector][1]}: {what}" + (" (fiscal-year end)" if fiscal else ""),
        unit=UNIT,
        frequency="annual" if fiscal else "quarterly",
        description=f"BOJ {code} '{name}': amount outstanding at the {when}, 100 million yen.",
        notes=NOTE,
    )


def _select(table: ff.FlatTable, where: str) -> tuple[list[ff.Pick], list[SeriesInfo]]:
    fiscal = table.frequency == "annual"
    picks, infos = [], []
    for row, code in enumerate(table.codes):
        m = _CODE.match(code)
        if not m or (m[1] == "Y") != fiscal or (m[2], m[3]) not in SERIES:
            continue
        item, what = SERIES[(m[2], m[3])]
        name = table.names[row]
        if not name.endswith("/Stock"):
            raise ParseError(SOURCE_NAME, where, f"a stock series ('…/Stock') for {code}", name,
                             row=table.lines[row])
        sid = f"fof.sector.{SECTORS[m[2]][0]}.{item}" + (".fy" if fiscal else "")
        picks.append(ff.Pick(row, sid, stock=True))
        infos.append(_info(sid, m[2], item, what, code, name, fiscal))
    if not picks:
        raise ParseError(SOURCE_NAME, where, "Flow of Funds stock codes FOF_FFAS…/FOF_FFYS… such as "
                         "FOF_FFAS500L700", table.codes[:3], row=2)
    return picks, infos


def _check_overseas(table: ff.FlatTable, where: str) -> None:
    import numpy as np

    prefix = "FOF_FFYS500" if table.frequency == "annual" else "FOF_FFAS500"
    a, b = table.row(prefix + "A900"), table.row(prefix + "L900")
    if a is None or b is None:
        raise ParseError(SOURCE_NAME, where, f"the Overseas totals {prefix}A900 and {prefix}L900", None)
    va, vb = table.values[a], table.values[b]
    bad = np.flatnonzero(np.abs(va - vb) > TOLERANCE)
    if len(bad):
        k = bad[0]
        raise ValidationError(SOURCE_NAME, where, f"Overseas total assets = total liabilities for "
                              f"{table.labels[k]} (±{TOLERANCE})", f"{va[k]} vs {vb[k]}", row=table.lines[b])


def parse_fof_flat(raw: bytes, filename: str) -> Parsed:
    """Parse ``fof2_en.zip`` (or one of its CSVs)."""
    import pandas as pd

    frames: list[pd.DataFrame] = []
    infos: list[SeriesInfo] = []
    for table in ff.read_flat_file(raw, filename, SOURCE_NAME):
        where = filename if table.member == filename else f"{filename}!{table.member}"
        if not table.statistic.startswith(STATISTIC):
            raise ParseError(SOURCE_NAME, where, f"the BOJ flat file of statistic {STATISTIC!r} "
                             "(fof2_en.zip)", table.statistic, row=2)
        if table.frequency not in ("quarterly", "annual"):
            raise ParseError(SOURCE_NAME, where, "quarterly (YYYYQQ) or fiscal-year (YYYY) periods",
                             table.frequency, row=1)
        if table.frequency == "annual" and not table.fiscal:
            raise ParseError(SOURCE_NAME, where, "'fiscal-year' in the CSV name for bare-year periods",
                             table.member, row=1)
        _check_overseas(table, where)
        picks, found = _select(table, where)
        frames.append(ff.observations(table, picks))
        infos += found
    return Parsed(pd.concat(frames, ignore_index=True), infos)


class BojFofFlat(Source):
    """BOJ Flow of Funds flat file: Japan's external position and who holds what
    (``fof.sector.*``)."""

    name: ClassVar[str] = SOURCE_NAME
    title: ClassVar[str] = "BOJ Flow of Funds flat file: external position, outward investment, JGB holders"
    publisher: ClassVar[str] = "Bank of Japan"
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec("fof2", URL, "boj/flow_of_funds/fof2_en.zip", ("boj/flow_of_funds/fof2_en*.zip",)),
    )
    #: quarterly, released about 11 weeks after the quarter
    #: the BOJ download page the file links are read from
    page_url: ClassVar[str] = PAGE_URL
    max_age_days: ClassVar[int] = 190

    def fetch(self, get: "Callable[..., Response | None]", today: "date | None" = None) -> "Iterator[RawFile]":
        yield from fetch_linked(self.name, get, ["fof2_en.zip"], required=["fof2_en.zip"], page_url=self.page_url)

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_fof_flat(raw, filename)
