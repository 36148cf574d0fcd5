"""BOJ balance-of-payments flat files, source ``boj.bop_flat``.

``bp_m_en.zip`` (monthly BoP, BPM6) and ``regbp_q_en.zip`` (regional BoP,
quarterly) from the BOJ Time-Series Data Search download page, read with
:mod:`yenflow.sources.boj.flat_file`. Values are **100 million yen**
(``JPY 100m``), unrounded, as published. Stored (2,000-odd of the files'
6,858 series; the rest — services detail, investor-type splits already read
from MOF's 6pi tables, seasonal factors — are left out):

=====================================================  ============================================
series id                                              what (BOJ codes)
=====================================================  ============================================
``bop.country.<side>.<asset>.<cc>.<measure>``          portfolio investment by **counterpart
                                                       economy** (``BPPI6D…9cc`` assets,
                                                       ``BPPI6E…9cc`` liabilities), monthly from
                                                       2014-01; ``cc`` = BOJ's 2-letter economy code
                                                       (``us``, ``gb``, ``ci`` Cayman, ``lx``
                                                       Luxembourg…, regions ``as``/``ep``…);
                                                       ``cc = all`` is the BoP total (``…5``/``…7``)
``bop.sovereign.<total|long_term>.<cc>.<measure>``     residents' purchases of foreign **sovereign**
                                                       debt by issuing country (``BPPI6D[13]…A cc``);
                                                       ``bop.sovereign.long_term.us.net`` = Japanese
                                                       net purchases of long-term US sovereign debt
``bop.currency.<asset>.<ccy>.<measure>``               portfolio investment assets by **currency**
                                                       (``BPPI6D…8cc``: ``usd``, ``eur``, ``jpy``…)
``bop.summary.<line>``                                 the BoP summary lines (:data:`SUMMARY`)
``bop.region.<item>.<cc>.<measure>``                   regional BoP, quarterly from 2014Q1: current
                                                       account lines (``measure`` = ``net``) and the
                                                       financial account by economy (``net``,
                                                       ``assets``, ``liabilities``)
=====================================================  ============================================

``side`` is ``assets`` (residents' transactions in foreign securities) or
``liabilities`` (non-residents' transactions in Japanese securities);
``asset`` is ``total``, ``equity`` (equity and investment fund shares),
``bonds`` (long-term debt securities) or ``bills`` (short-term debt
securities), as in the MOF series; ``measure`` is ``acq``, ``disp`` or
``net``, read from the series name, never from the code letter (BOJ's ``P``
is *acquisition* on the assets side and *disposition* on the liabilities
side). **Sign**: ``net`` = acquisition − disposition, + = net buying by the
side in the id (liabilities: non-residents buying Japanese securities, an
inflow).

**Country is the economy of the transactor** — the counterparty a resident
dealt with (a London broker, a Cayman fund), not the final investor nor the
issuer (BOJ FAQ Q10). Checks (ValidationError naming the row and month):
``net`` = ``acq`` − ``disp``; ``total`` = ``equity`` + ``bonds`` + ``bills``;
the regions (Asia, North America, Central and South America, Oceania,
Europe, Middle East, Africa) + rest of the world + international
organisations + unallocated = the BoP total; all within ¥0.5 × 100m.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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

SOURCE_NAME = "boj.bop_flat"
UNIT = "JPY 100m"
BASE = "https://www.stat-search.boj.or.jp/info/"
TOLERANCE = 0.5  # JPY 100m; the unrounded figures add up to ~1e-8
BOP_STATISTIC = "Balance of Payments"
REGIONAL_STATISTIC = "Regional Balance of Payments"

SIDES = {"D": "assets", "E": "liabilities"}
ASSETS = {"1": ("total", "Total"), "2": ("equity", "Equity and investment fund shares"),
          "3": ("bonds", "Long-term debt securities"), "4": ("bills", "Short-term debt securities")}
MEASURES = {"Acquisition": "acq", "Disposition": "disp", "Net": "net"}
#: the parts of the BoP total by counterpart: the regions plus the rest
REGIONS = ("AS", "NA", "CS", "OC", "EP", "ME", "AF")
RESIDUALS = ("OT", "II", "RW")  # rest of the world, international organisations, unallocated
GROUPS = ("OE", "AA", "EU", "EE")  # OECD, ASEAN, EU, Eastern Europe/Russia: overlapping groupings
CURRENCIES = {"US": "usd", "CA": "cad", "AU": "aud", "EU": "eur", "GB": "gbp", "DK": "dkk",
              "SE": "sek", "CH": "chf", "CN": "cny", "HK": "hkd", "JP": "jpy", "OT": "other"}

_COUNTRY = re.compile(r"^BPPI6([DE])([1-4])([NPR])9([A-Z]{2})$")
_WORLD = re.compile(r"^BPPI6([DE])([1-4])([NPR])(?:5A?|7)$")
_SOVEREIGN = re.compile(r"^BPPI6D([13])([NPR])A([A-Z]{2})$")
_CURRENCY = re.compile(r"^BPPI6D([1-4])([NPR])8([A-Z]{2})$")
_REGIONAL = re.compile(r"^BPBP6Q(CB|TB|SN|PIN|SIN|CAN|FB|FA|FL)([A-Z]{2})(\d*)$")

#: BoP summary: code → (line, words the series name must contain)
SUMMARY: dict[str, tuple[str, str]] = {
    "BPBP6JYNCB": ("current_account", "Current account/Net balance"),
    "BPBP6JYACBX12": ("current_account_sa", "Current account/Net balance (Seasonally-adjusted)"),
    "BPBP6JYNTS": ("goods_services", "Goods & services/Net balance"),
    "BPBP6JYNTB": ("goods", "Goods/Net balance"),
    "BPBP6JYNSN": ("services", "Services/Net balance"),
    "BPBP6JYNPIN": ("primary_income", "Primary income/Net balance"),
    "BPBP6JYNSIN": ("secondary_income", "Secondary income /Net balance"),
    "BPBP6JYNCAN": ("capital_account", "Capital account/Net balance"),
    "BPBP6JYNFB": ("financial_account", "Financial account/Net balance"),
    "BPBP6JYNFB1": ("direct_investment", "Direct investment/Net balance"),
    "BPBP6JYNFB2": ("portfolio_investment", "Portfolio investment/Net balance"),
    "BPBP6JYNFB5": ("derivatives", "Financial derivatives (other than reserves)/Net balance"),
    "BPBP6JYNFB3": ("other_investment", "Other investment/Net balance"),
    "BPBP6JYNFA4": ("reserve_assets", "Financial account/Reserve assets/Net(Assets)"),
    "BPBP6JYNER": ("errors_omissions", "Net errors and omissions"),
    "BPBP6JYNFA2": ("pi_assets", "Financial account/Portfolio investment/Net(Assets)"),
    "BPBP6JYNFA21": ("pi_assets_equity", "Portfolio investment/Equity and investment fund shares/Net(Assets)"),
    "BPBP6JYNFA22": ("pi_assets_debt", "Portfolio investment/Debt securities/Net(Assets)"),
    "BPBP6JYNFL2": ("pi_liabilities", "Financial account/Portfolio investment/Net(Liabilities)"),
    "BPBP6JYNFL21": ("pi_liabilities_equity",
                     "Portfolio investment/Equity and investment fund shares/Net(Liabilities)"),
    "BPBP6JYNFL22": ("pi_liabilities_debt", "Portfolio investment/Debt securities/Net(Liabilities)"),
}

#: regional BoP: (item code, suffix) → (item slug, words the name must contain)
REGIONAL_ITEMS: dict[tuple[str, str], tuple[str, str]] = {
    ("CB", ""): ("current_account", "Current Account/"),
    ("TB", ""): ("goods", "Goods/"),
    ("SN", ""): ("services", "Services/"),
    ("PIN", ""): ("primary_income", "Primary income/"),
    ("SIN", ""): ("secondary_income", "Secondary income/"),
    ("CAN", ""): ("capital_account", "Capital account/"),
    **{(c, ""): ("financial_account", "Financial account/") for c in ("FB", "FA", "FL")},
    **{(c, "1"): ("direct", "Financial account/Direct investment/") for c in ("FB", "FA", "FL")},
    **{(c, "2"): ("portfolio", "Financial account/Portfolio investment/") for c in ("FB", "FA", "FL")},
    **{(c, "21"): ("portfolio_equity", "Portfolio investment/Equity and investment fund shares/")
       for c in ("FA", "FL")},
    **{(c, "22"): ("portfolio_debt", "Portfolio investment/Debt securities/") for c in ("FA", "FL")},
    **{(c, "5"): ("derivatives", "Financial derivatives") for c in ("FB", "FA", "FL")},
    ("FB", "3"): ("other_investment", "Financial account/Other investment/"),
    **{(c, "9"): ("other_investment", "Financial account/Other investment/") for c in ("FA", "FL")},
}
_REGIONAL_MEASURES = {"Net balance": "net", "Net(Assets)": "assets", "Net(Liabilities)": "liabilities"}

COUNTRY_NOTE = (
    "Counterpart = the economy of the transactor (the party a resident dealt with: a London broker, a "
    "Cayman fund), not the final investor nor the issuer (BOJ FAQ Q10). Source: BOJ flat file "
    "bp_m_en.zip, unrounded 100 million yen; the BoP total (cc 'all') is the same figure as MOF table "
    "6pi-1 (mof.bop_portfolio, integer 億円) and BOJ API BP01: views use this file's own total for "
    "country shares so that they add up within one file. Latest months are preliminary and revised."
)
SUMMARY_NOTE = (
    "Source: BOJ flat file bp_m_en.zip (BPM6), unrounded 100 million yen; the same lines as BOJ API "
    "BP01 (boj.api: bop.current_account, bop.pi.*) and MOF 6s-1-4. Financial account sign: + = net "
    "lending abroad (assets − liabilities); liabilities net + = inflow. Latest months preliminary."
)
REGIONAL_NOTE = (
    "Source: BOJ flat file regbp_q_en.zip (Regional BoP, BPM6, quarterly), unrounded 100 million yen. "
    "Counterpart = economy of the transactor. financial_account/…/net = assets − liabilities (+ = net "
    "lending to that economy); MOF table 6a-20 (mof.bop_by_area) prints the same financial-account net by "
    "area as integers: this file wins (unrounded, with the portfolio split)."
)


@dataclass(frozen=True)
class _Named:
    pick: ff.Pick
    info: SeriesInfo


def _segments(name: str) -> list[str]:
    return [s.strip() for s in name.split("/")]


def _measure(table: ff.FlatTable, row: int, letter: str, where: str) -> str:
    last = _segments(table.names[row])[-1]
    measure = MEASURES.get(last)
    if measure is None or (letter == "N") != (measure == "net"):
        raise ParseError(SOURCE_NAME, where, f"a name ending in Acquisition, Disposition or Net for "
                         f"{table.codes[row]}", table.names[row], row=table.lines[row])
    return measure


def _check_asset(table: ff.FlatTable, row: int, digit: str, where: str, sovereign: bool = False) -> None:
    want = ("Sovereign(Total)" if digit == "1" else "Sovereign(Long-term)") if sovereign else ASSETS[digit][1]
    seg = _segments(table.names[row])
    if len(seg) < 3 or seg[1] != want:
        raise ParseError(SOURCE_NAME, where, f"{want!r} as the 2nd part of the name of {table.codes[row]}",
                         table.names[row], row=table.lines[row])


def _flow_text(side: str, asset: str, measure: str) -> str:
    what = {"total": "securities", "equity": "equity and investment fund shares",
            "bonds": "long-term debt securities", "bills": "short-term debt securities"}[asset]
    verb = {"acq": "purchases (acquisition)", "disp": "sales (disposition)",
            "net": "net purchases (acquisition − disposition, + = net buying)"}[measure]
    if side == "liabilities":
        return f"non-residents' {verb} of Japanese {what}"
    return f"residents' {verb} of foreign {what}"


def _country(table: ff.FlatTable, row: int, m: re.Match[str], where: str) -> _Named:
    side, digit, letter, cc = SIDES[m[1]], m[2], m[3], m[4]
    _check_asset(table, row, digit, where)
    measure, asset = _measure(table, row, letter, where), ASSETS[digit][0]
    economy = _segments(table.names[row])[-2]
    sid = f"bop.country.{side}.{asset}.{cc.lower()}.{measure}"
    text = _flow_text(side, asset, measure)
    info = SeriesInfo(sid, f"BoP portfolio investment {side}, {economy}: {text}", UNIT, "monthly",
                      f"BOJ {table.codes[row]} '{table.names[row]}': {text}, counterpart economy "
                      f"{economy} ({cc}); ref_date = month end, period_start = the 1st.", COUNTRY_NOTE)
    return _Named(ff.Pick(row, sid), info)


def _world(table: ff.FlatTable, row: int, m: re.Match[str], where: str) -> _Named:
    side, digit, letter = SIDES[m[1]], m[2], m[3]
    _check_asset(table, row, digit, where)
    measure, asset = _measure(table, row, letter, where), ASSETS[digit][0]
    sid = f"bop.country.{side}.{asset}.all.{measure}"
    text = _flow_text(side, asset, measure)
    info = SeriesInfo(sid, f"BoP portfolio investment {side}, all economies: {text}", UNIT, "monthly",
                      f"BOJ {table.codes[row]} '{table.names[row]}': {text}, all counterparts (the BoP "
                      "total); ref_date = month end, period_start = the 1st.", COUNTRY_NOTE)
    return _Named(ff.Pick(row, sid), info)


def _sovereign(table: ff.FlatTable, row: int, m: re.Match[str], where: str) -> _Named:
    digit, letter, cc = m[1], m[2], m[3]
    _check_asset(table, row, digit, where, sovereign=True)
    measure = _measure(table, row, letter, where)
    kind = "total" if digit == "1" else "long_term"
    issuer = _segments(table.names[row])[-2]
    sid = f"bop.sovereign.{kind}.{cc.lower()}.{measure}"
    text = _flow_text("assets", "total", measure).replace("foreign securities",
                                                          f"{issuer} sovereign debt ({kind.replace('_', '-')})")
    info = SeriesInfo(sid, f"BoP portfolio investment assets, sovereign debt of {issuer}: {text}", UNIT,
                      "monthly", f"BOJ {table.codes[row]} '{table.names[row]}': {text}; by issuing "
                      "country; ref_date = month end, period_start = the 1st.", COUNTRY_NOTE)
    return _Named(ff.Pick(row, sid), info)


def _currency(table: ff.FlatTable, row: int, m: re.Match[str], where: str) -> _Named:
    digit, letter, cur = m[1], m[2], m[3]
    _check_asset(table, row, digit, where)
    measure, asset = _measure(table, row, letter, where), ASSETS[digit][0]
    ccy = CURRENCIES.get(cur, cur.lower())
    label = _segments(table.names[row])[-2]
    sid = f"bop.currency.{asset}.{ccy}.{measure}"
    text = _flow_text("assets", asset, measure)
    info = SeriesInfo(sid, f"BoP portfolio investment assets in {label}: {text}", UNIT, "monthly",
                      f"BOJ {table.codes[row]} '{table.names[row]}': {text} denominated in {label}; "
                      "ref_date = month end, period_start = the 1st.", SUMMARY_NOTE)
    return _Named(ff.Pick(row, sid), info)


def _summary(table: ff.FlatTable, row: int, where: str) -> _Named:
    code = table.codes[row]
    line, words = SUMMARY[code]
    if words.lower() not in " ".join(table.names[row].split()).lower():
        raise ParseError(SOURCE_NAME, where, f"{words!r} in the name of {code}", table.names[row],
                         row=table.lines[row])
    sid = f"bop.summary.{line}"
    info = SeriesInfo(sid, f"Balance of payments: {table.names[row]}", UNIT, "monthly",
                      f"BOJ {code} '{table.names[row]}', BPM6; ref_date = month end, period_start = "
                      "the 1st.", SUMMARY_NOTE)
    return _Named(ff.Pick(row, sid), info)


def _regional(table: ff.FlatTable, row: int, m: re.Match[str], where: str) -> _Named | None:
    item = REGIONAL_ITEMS.get((m[1], m[3]))
    if item is None:
        return None
    slug, words = item
    name = table.names[row]
    seg = _segments(name)
    measure = _REGIONAL_MEASURES.get(seg[-1])
    if words not in name or measure is None or (m[1] == "FA") != (measure == "assets") \
            or (m[1] == "FL") != (measure == "liabilities"):
        raise ParseError(SOURCE_NAME, where, f"{words!r} and Net balance/Net(Assets)/Net(Liabilities) "
                         f"in the name of {table.codes[row]}", name, row=table.lines[row])
    economy = seg[-2]
    sid = f"bop.region.{slug}.{m[2].lower()}.{measure}"
    info = SeriesInfo(sid, f"Regional BoP, {economy}: {name.replace(f'/{economy}', '')}", UNIT, "quarterly",
                      f"BOJ {table.codes[row]} '{name}'; counterpart economy {economy} ({m[2]}); "
                      "ref_date = quarter end, period_start = its first day.", REGIONAL_NOTE)
    return _Named(ff.Pick(row, sid), info)


def _select_bop(table: ff.FlatTable, where: str) -> list[_Named]:
    out = []
    for row, code in enumerate(table.codes):
        if code in SUMMARY:
            out.append(_summary(table, row, where))
        elif m := _COUNTRY.match(code):
            out.append(_country(table, row, m, where))
        elif m := _WORLD.match(code):
            out.append(_world(table, row, m, where))
        elif m := _SOVEREIGN.match(code):
            out.append(_sovereign(table, row, m, where))
        elif m := _CURRENCY.match(code):
            out.append(_currency(table, row, m, where))
    return out


def _select_regional(table: ff.FlatTable, where: str) -> list[_Named]:
    out = []
    for row, code in enumerate(table.codes):
        m = _REGIONAL.match(code)
        if m and (named := _regional(table, row, m, where)) is not None:
            out.append(named)
    return out


# ------------------------------------------------------------------ checks
class _Check:
    """Identity checks on the selected series of one table."""

    def __init__(self, table: ff.FlatTable, named: list[_Named], where: str) -> None:
        self.table, self.where = table, where
        self.rows = {n.info.id: n.pick.row for n in named}

    def values(self, sid: str) -> "tuple[object, int] | None":
        row = self.rows.get(sid)
        return None if row is None else (self.table.values[row], row)

    def expect(self, sid: str, parts: list[tuple[str, float]], what: str) -> None:
        """``sid`` = Σ sign × part (parts absent from the file are skipped; NaN counts as 0
        where the target has a value)."""
        import numpy as np

        target = self.values(sid)
        found = [(self.values(p), sign) for p, sign in parts]
        if target is None or any(f is None for f, _ in found):
            return
        total = sum(sign * np.nan_to_num(f[0]) for f, sign in found)
        have = ~np.isnan(target[0]) & np.any([~np.isnan(f[0]) for f, _ in found], axis=0)
        bad = np.flatnonzero(have & (np.abs(total - np.nan_to_num(target[0])) > TOLERANCE))
        if len(bad):
            k = bad[0]
            raise ValidationError(SOURCE_NAME, self.where, f"{sid} = {what} for {self.table.labels[k]} "
                                  f"(±{TOLERANCE})", f"{target[0][k]} vs {total[k]}",
                                  row=self.table.lines[target[1]])


def _check_bop(table: ff.FlatTable, named: list[_Named], where: str) -> None:
    check = _Check(table, named, where)
    economies = sorted({n.info.id.split(".")[4] for n in named if n.info.id.startswith("bop.country.")})
    for side in SIDES.values():
        for cc in economies:
            for asset, _ in ASSETS.values():
                base = f"bop.country.{side}.{asset}.{cc}"
                check.expect(f"{base}.net", [(f"{base}.acq", 1.0), (f"{base}.disp", -1.0)],
                             "acquisition − disposition")
            for measure in MEASURES.values():
                parts = [(f"bop.country.{side}.{a}.{cc}.{measure}", 1.0) for a in ("equity", "bonds", "bills")]
                check.expect(f"bop.country.{side}.total.{cc}.{measure}", parts, "equity + bonds + bills")
        for asset, _ in ASSETS.values():
            for measure in MEASURES.values():
                parts = [(f"bop.country.{side}.{asset}.{r.lower()}.{measure}", 1.0) for r in REGIONS + RESIDUALS]
                check.expect(f"bop.country.{side}.{asset}.all.{measure}", parts,
                             "the sum of the regions, rest of the world, international organisations "
                             "and unallocated")


def _check_regional(table: ff.FlatTable, named: list[_Named], where: str) -> None:
    check = _Check(table, named, where)
    for sid in [n.info.id for n in named if n.info.id.endswith(".net")]:
        stem = sid[: -len(".net")]
        check.expect(sid, [(f"{stem}.assets", 1.0), (f"{stem}.liabilities", -1.0)], "assets − liabilities")


# ------------------------------------------------------------------ parsing
def parse_bop_flat(raw: bytes, filename: str) -> Parsed:
    """Parse ``bp_m_en.zip`` / ``regbp_q_en.zip`` (or their CSVs)."""
    frames: list[pd.DataFrame] = []
    infos: list[SeriesInfo] = []
    for table in ff.read_flat_file(raw, filename, SOURCE_NAME):
        where = filename if table.member == filename else f"{filename}!{table.member}"
        named = _table_series(table, where)
        frames.append(ff.observations(table, [n.pick for n in named]))
        infos += [n.info for n in named]
    return Parsed(_concat(frames), infos)


def _table_series(table: ff.FlatTable, where: str) -> list[_Named]:
    stat = table.statistic
    if stat.startswith(REGIONAL_STATISTIC):
        _require(table, "quarterly", where)
        named = _select_regional(table, where)
        _check_regional(table, named, where)
    elif stat.startswith(BOP_STATISTIC):
        _require(table, "monthly", where)
        named = _select_bop(table, where)
        _check_bop(table, named, where)
    else:
        raise ParseError(SOURCE_NAME, where, "a BOJ balance-of-payments flat file (statistic "
                         f"{BOP_STATISTIC!r} or {REGIONAL_STATISTIC!r}); other BOJ flat files belong "
                         "to boj.flat_files (folder boj/flat/) or boj.fof_flat", stat, row=2)
    if not named:
        raise ParseError(SOURCE_NAME, where, "the portfolio-investment and summary series codes "
                         "(BPPI6…, BPBP6J…, BPBP6Q…)", table.codes[:3], row=2)
    bad = [n.info.id for n in named if ff.catalog_unit(table.units[n.pick.row], UNIT) != UNIT]
    if bad:
        row = next(n.pick.row for n in named if n.info.id == bad[0])
        raise ParseError(SOURCE_NAME, where, f"unit '100 million Yen' for {table.codes[row]}",
                         table.units[row], row=table.lines[row])
    return named


def _require(table: ff.FlatTable, freq: str, where: str) -> None:
    if table.frequency != freq:
        raise ParseError(SOURCE_NAME, where, f"{freq} period columns for {table.statistic!r}",
                         table.frequency, row=1)


def _concat(frames: "list[pd.DataFrame]") -> "pd.DataFrame":
    import pandas as pd

    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


class BojBopFlat(Source):
    """BOJ balance-of-payments flat files: portfolio flows by counterpart economy,
    the BoP summary, the regional BoP (``bop.country.*``, ``bop.sovereign.*``,
    ``bop.currency.*``, ``bop.summary.*``, ``bop.region.*``)."""

    name: ClassVar[str] = SOURCE_NAME
    title: ClassVar[str] = "BOJ balance of payments flat files: portfolio flows by country, regional BoP"
    publisher: ClassVar[str] = "Bank of Japan (with MOF)"
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec("bp_m", BASE + "bp_m_en.zip", "boj/bop/bp_m_en.zip", ("boj/bop/bp_m_en*.zip",)),
        FileSpec("regbp_q", BASE + "regbp_q_en.zip", "boj/bop/regbp_q_en.zip", ("boj/bop/regbp_q_en*.zip",)),
    )
    #: monthly BoP is released about 40 days after the month (8th business day of month+2)
    #: the BOJ download page the file links are read from
    page_url: ClassVar[str] = PAGE_URL
    max_age_days: ClassVar[int] = 75

    def fetch(self, get: "Callable[..., Response | None]", today: "date | None" = None) -> "Iterator[RawFile]":
        wanted = [spec.url.rsplit("/", 1)[-1] for spec in self.files if spec.url]
        yield from fetch_linked(self.name, get, wanted, required=wanted, page_url=self.page_url)

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_bop_flat(raw, filename)
