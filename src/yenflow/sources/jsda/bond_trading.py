"""JSDA OTC bond trading by investor type (公社債店頭売買高), source ``jsda.bond_trading``.

Files: ``koushasai.xlsx`` (current fiscal year) and ``koushasai<FY>[r].xlsx``.

Each fiscal-year workbook has 24 data sheets; this parser reads the two
all-member **net** sheets:

* ``(Ｊ)合計差引`` — total (outright + repo, excl. JGB baskets) →
  ``jsda.net_buying.<investor>.<bond_type>``
* ``(Ｋ)一般差引`` — outright transactions only →
  ``jsda.net_buying_outright.<investor>.<bond_type>``

**Sign.** The sheets publish net = sales − purchases ("差引（売付額 - 買付額）",
so a negative number is net buying). yenflow **flips the sign**: every value
stored here is purchases − sales, **positive = net buying**. The parser
checks the sheet's sign label before flipping.

Units: 100 million yen, face value, per calendar month (``ref_date`` month
end, ``period_start`` the 1st). Investors are :data:`INVESTORS` (17 rows,
incl. ``total``); bond types are :data:`BOND_TYPES` (``jgb`` = all JGBs
**including T-bills**, JSDA's 国債 column: for foreigners it is mostly T-bills,
so it is no measure of their appetite for coupon JGBs; ``super_long`` /
``long`` / ``medium`` interest-bearing JGBs, ``tbill`` (T-bills etc.),
``total`` = all bonds) and one **derived** type, ``coupon`` = super_long +
long + medium (coupon JGBs excluding T-bills and the near-zero zero-coupon
column), stored when all three are published. Headers are located by their
bilingual labels (cells may contain ``_x000D_`` escapes and newlines); the
"Change from the previous month" rows are skipped. Investor rows must add up
to the Total row and JGB sub-columns to the JGB column, else
ValidationError. Revised FY editions (``koushasai2021r.xlsx``) parse like any
other file; the store keeps each edition as a vintage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.figures import ascii_float
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pandas as pd

    from yenflow.http import Response
    from yenflow.sources.base import RawFile

SOURCE_NAME = "jsda.bond_trading"
SUM_TOLERANCE = 12.0  # 100m yen: 17 rounded rows
NET_LABEL = "差引(売付額 - 買付額) net(sell - purchase)"  # after _norm

#: sheet prefix (NFKC) → (series prefix, trading-type label expected in row 2, description)
SHEETS: dict[str, tuple[str, str, str]] = {
    "(J)": ("jsda.net_buying", "合計(一般売買+現先売買",
            "total OTC trading (outright + repo, excl. JGB baskets)"),
    "(K)": ("jsda.net_buying_outright", "一般売買 outright transactions",
            "outright OTC trading (excl. repo)"),
}

#: EN investor label (normalised, lower case) → (key, display name)
INVESTORS: dict[str, tuple[str, str]] = {
    "city banks & long-term credit banks": ("city_banks", "City banks & long-term credit banks"),
    "regional banks": ("regional_banks", "Regional banks"),
    "trust banks": ("trust_banks", "Trust banks"),
    "fin.insts. for agr. & forestry": ("agri_forestry", "Financial institutions for agriculture "
                                       "& forestry"),
    "2nd regional": ("regional_banks_2", "Second-tier regional banks"),
    "shinkin banks": ("shinkin_banks", "Shinkin banks"),
    "other fin.insts.": ("other_financial", "Other financial institutions"),
    "life & non-life insurance companies": ("insurers", "Life & non-life insurance companies"),
    "investment trusts": ("investment_trusts", "Investment trusts"),
    "mutual aid association of govt.offices": ("govt_mutual_aid",
                                               "Mutual aid associations of government offices"),
    "business corporations": ("business_corporations", "Business corporations"),
    "other corporations": ("other_corporations", "Other corporations"),
    "foreigners": ("foreigners", "Foreigners"),
    "individuals": ("individuals", "Individuals"),
    "others": ("others", "Others (incl. dealers' auction allotments)"),
    "bond dealers": ("bond_dealers", "Bond dealers"),
    "total": ("total", "All investors"),
}

#: bond type key → (header row offset, exact normalised label, display name)
BOND_TYPES: dict[str, tuple[int, str, str]] = {
    "jgb": (0, "国債 government bonds", "all JGBs including T-bills (国債)"),
    "super_long": (1, "超長期 interest-bearing long-term (over 10-year)",
                   "super-long JGBs (over 10-year)"),
    "long": (1, "利付長期 interest-bearing long-term", "long-term JGBs (10-year)"),
    "medium": (1, "利付中期 interest-bearing medium-term", "medium-term JGBs (2-5-year)"),
    "tbill": (1, "国庫短期証券等 treasury discount bills", "T-bills"),
    "total": (0, "合計 total", "all bonds"),
}
_JGB_PARTS = ("super_long", "long", "medium", "zero", "tbill")
#: derived bond type → (the published columns it adds up, display name)
DERIVED: dict[str, tuple[tuple[str, ...], str]] = {
    "coupon": (("super_long", "long", "medium"),
               "coupon JGBs excluding T-bills (super-long + long + medium)"),
}
_NOTES = ("Source: Japan Securities Dealers Association, Trends in Bond Transactions (by "
          "investor type). Investor 'Others' includes auction allotments to dealers on the "
          "sales side.")
_ZERO_LABEL = "割引 zero-coupon"
_CHANGE_ROW = "change from the previous month"
_MISSING = ("", "-", "－", "―", "--", "…")
_YM = re.compile(r"^(\d{4})/(\d{1,2})$", re.ASCII)


def _norm(cell: Any) -> str:
    """NFKC, ``_x000D_``/newlines to spaces, collapsed, lower case."""
    if not isinstance(cell, str):
        return ""
    text = unicodedata.normalize("NFKC", cell.replace("_x000D_", " "))
    return " ".join(text.split()).lower()


class _Sheet:
    def __init__(self, filename: str, name: str, rows: list[list[Any]]) -> None:
        self.filename, self.name, self.rows = filename, name, rows

    def error(self, expected: str, found: object = None, row: int | None = None) -> ParseError:
        where = f"{self.filename}, sheet {self.name!r}"
        return ParseError(SOURCE_NAME, where, expected, found, row)

    def invalid(self, expected: str, found: object, row: int | None) -> ValidationError:
        return ValidationError(SOURCE_NAME, f"{self.filename}, sheet {self.name!r}",
                               expected, found, row)


@dataclass
class _Layout:
    header_row: int  # 0-based row holding '国債 Government Bonds'
    cols: dict[str, int]  # bond type (+ 'zero') → column


def _open(raw: bytes, filename: str) -> Any:
    import io

    from python_calamine import CalamineWorkbook

    from yenflow.sources import zipsafe

    zipsafe.check(raw, filename, source=SOURCE_NAME)  # before calamine inflates anything
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except Exception as e:  # calamine's own error types for broken zips/xml
        raise ParseError(SOURCE_NAME, filename, "a readable .xlsx workbook",
                         f"{type(e).__name__}: {e}") from None


def _sheet(wb: Any, filename: str, prefix: str) -> _Sheet:
    names = [n for n in wb.sheet_names if unicodedata.normalize("NFKC", n).startswith(prefix)]
    if len(names) != 1:
        raise ParseError(SOURCE_NAME, filename, f"one sheet named '{prefix}…'", wb.sheet_names)
    try:
        rows = wb.get_sheet_by_name(names[0]).to_python()
    except Exception as e:
        raise ParseError(SOURCE_NAME, filename, f"a readable sheet {names[0]!r}",
                         f"{type(e).__name__}: {e}") from None
    return _Sheet(filename, names[0], rows)


def _check_banner(sheet: _Sheet, trading_label: str) -> None:
    """Rows 1-2 must state the unit, the net sign convention and the trading type."""
    first = [_norm(c) for c in sheet.rows[0]] if sheet.rows else []
    second = [_norm(c) for c in sheet.rows[1]] if len(sheet.rows) > 1 else []
    if not any("100 million yen" in c for c in first):
        raise sheet.error("the unit label '(100 million yen)'", first[0] if first else None, row=1)
    if NET_LABEL not in first:
        raise sheet.error(f"the sign label '{NET_LABEL}' (net = sales - purchases)",
                          " | ".join(c for c in first if c) or None, row=1)
    if not any(c.startswith(trading_label) for c in second):
        raise sheet.error(f"the trading type '{trading_label}…'",
                          " | ".join(c for c in second if c) or None, row=2)


def _layout(sheet: _Sheet) -> _Layout:
    for r, row in enumerate(sheet.rows[:12]):
        if BOND_TYPES["jgb"][1] in (_norm(c) for c in row):
            return _Layout(r, _columns(sheet, r))
    raise sheet.error(f"a header cell {BOND_TYPES['jgb'][1]!r} in the first 12 rows")


def _columns(sheet: _Sheet, r: int) -> dict[str, int]:
    rows = (sheet.rows[r], sheet.rows[r + 1] if r + 1 < len(sheet.rows) else [])
    labels = dict(BOND_TYPES) | {"zero": (1, _ZERO_LABEL, "")}
    cols: dict[str, int] = {}
    for key, (offset, label, _) in labels.items():
        hits = [c for c, cell in enumerate(rows[offset]) if _norm(cell) == label]
        if not hits:
            raise sheet.error(f"a header cell {label!r}", None, row=r + offset + 1)
        cols[key] = hits[0]  # first '合計 Total' is all bonds; later ones are baskets/CP
    if cols["jgb"] >= min(cols[k] for k in _JGB_PARTS) or _norm(rows[1][cols["jgb"]]):
        raise sheet.error("the JGB total column left of (and above nothing in) the JGB "
                          "sub-columns", None, row=r + 2)
    return cols


def _month(sheet: _Sheet, cell: Any, r: int) -> date:
    if isinstance(cell, (datetime, date)):
        return date(cell.year, cell.month, 1)
    m = _YM.match(str(cell).strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise sheet.error("a year/month like '2026/04'", cell, row=r + 1)
    return date(int(m[1]), int(m[2]), 1)


def _number(sheet: _Sheet, cell: Any, r: int, what: str) -> float | None:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip()
    if text in _MISSING:
        return None
    try:
        return ascii_float(text.replace(",", ""))
    except ValueError:
        raise sheet.error(f"a number (ASCII digits) for {what}", cell, row=r + 1) from None


_Key = tuple[date, str]  # (month, investor)


def _data(sheet: _Sheet, layout: _Layout) -> dict[_Key, tuple[int, dict[str, float | None]]]:
    """(month, investor) → (1-based row, bond type (+ 'zero') → raw net value)."""
    out: dict[_Key, tuple[int, dict[str, float | None]]] = {}
    for r in range(layout.header_row + 2, len(sheet.rows)):
        row = sheet.rows[r]
        if not any(str(c).strip() for c in row[:3]):
            continue
        label = _norm(row[2]) if len(row) > 2 else ""
        if label.startswith(_CHANGE_ROW):
            continue
        if label not in INVESTORS:
            raise sheet.error("an investor label (" + ", ".join(INVESTORS) + ")",
                              row[2] if len(row) > 2 else None, row=r + 1)
        key = (_month(sheet, row[0], r), INVESTORS[label][0])
        if key in out:
            raise sheet.error(f"one row per month and investor ({key[0]:%Y/%m}, {label})",
                              label, row=r + 1)
        if len(row) <= max(layout.cols.values()):
            raise sheet.error(f"{max(layout.cols.values()) + 1} cells", len(row), row=r + 1)
        cells = {k: _number(sheet, row[c], r, f"{label} / {k}") for k, c in layout.cols.items()}
        out[key] = (r + 1, cells)
    return out


def _complete(values: list[float | None]) -> list[float] | None:
    """The values if none is missing, else None (sums are only checked when complete)."""
    known = [v for v in values if v is not None]
    return known if len(known) == len(values) else None


def _validate(sheet: _Sheet, data: dict[_Key, tuple[int, dict[str, float | None]]]) -> None:
    """Investors add up to the Total row; JGB sub-columns add up to the JGB column."""
    for month in sorted({m for m, _ in data}):
        if (month, "total") not in data:
            raise sheet.error(f"a Total row for {month:%Y/%m}")
        row, total = data[(month, "total")]
        for bond in BOND_TYPES:
            parts = _complete([v[bond] for (m, inv), (_, v) in data.items()
                               if m == month and inv != "total"])
            want = total[bond]
            if want is not None and parts is not None and abs(sum(parts) - want) > SUM_TOLERANCE:
                raise sheet.invalid(f"investor rows adding up to Total {want:,.0f} "
                                    f"({month:%Y/%m}, {bond})", f"{sum(parts):,.0f}", row)
    for (month, inv), (row, cells) in data.items():
        parts = _complete([cells[k] for k in _JGB_PARTS])
        want = cells["jgb"]
        if want is not None and parts is not None and abs(sum(parts) - want) > 3:
            raise sheet.invalid(f"JGB sub-columns adding up to the JGB column {want:,.0f} "
                                f"({month:%Y/%m}, {inv})", f"{sum(parts):,.0f}", row)


def _month_end(d: date) -> date:
    import calendar

    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def _records(prefix: str, data: dict[_Key, tuple[int, dict[str, float | None]]]) -> list[tuple]:
    recs = []
    for (month, inv), (_, cells) in data.items():
        nets = dict(cells)
        for bond, (parts, _) in DERIVED.items():
            known = _complete([cells[p] for p in parts])
            nets[bond] = None if known is None else sum(known)
        for bond in (*BOND_TYPES, *DERIVED):
            raw_net = nets[bond]  # sales − purchases, as published (or their sum)
            if raw_net is not None:
                recs.append((f"{prefix}.{inv}.{bond}", _month_end(month), month,
                             0.0 - raw_net))  # flip: purchases − sales; 0.0 - 0.0 avoids -0.0
    return recs


def _infos(prefix: str, what: str) -> list[SeriesInfo]:
    out = []
    names = {bond: name for bond, (_, _, name) in BOND_TYPES.items()}
    names |= {bond: name for bond, (_, name) in DERIVED.items()}
    for inv, display in INVESTORS.values():
        for bond, bond_name in names.items():
            derived = " (derived)" if bond in DERIVED else ""
            description = (f"JSDA {what}: purchases − sales of {bond_name} by {display.lower()}"
                           ", face value, 100 million yen. Positive = net buying. JSDA "
                           "publishes sales − purchases; yenflow flips the sign.")
            if bond in DERIVED:
                description = ("Derived by yenflow, not a JSDA column: the sum of the published "
                               f"{' + '.join(DERIVED[bond][0])} columns. " + description)
            elif bond == "jgb":
                description += (" Includes T-bills (国庫短期証券), which dominate foreigners' "
                                "figure: for coupon JGBs use the .coupon series.")
            out.append(SeriesInfo(
                id=f"{prefix}.{inv}.{bond}",
                name=f"{display}: net buying of {bond_name}{derived} (JSDA, {what.split(' (')[0]})",
                unit="JPY 100m",
                frequency="monthly",
                description=description,
                notes=_NOTES,
            ))
    return out


def _frame(recs: list[tuple]) -> "pd.DataFrame":
    import pandas as pd

    df = pd.DataFrame(recs, columns=["series_id", "ref_date", "period_start", "value"])
    df["series_id"] = df["series_id"].astype(str)
    for col in ("ref_date", "period_start"):
        df[col] = pd.to_datetime(df[col]).astype("datetime64[ns]")
    df["value"] = df["value"].astype("float64")
    return df.sort_values(["series_id", "ref_date"], ignore_index=True)


def parse_koushasai(raw: bytes, filename: str) -> Parsed:
    """Parse the (J) and (K) net sheets of one ``koushasai*.xlsx`` edition."""
    wb = _open(raw, filename)
    recs: list[tuple] = []
    infos: list[SeriesInfo] = []
    for sheet_prefix, (prefix, trading_label, what) in SHEETS.items():
        sheet = _sheet(wb, filename, sheet_prefix)
        _check_banner(sheet, _norm(trading_label))
        data = _data(sheet, _layout(sheet))
        if not data:
            raise sheet.error("at least one data row", None, row=len(sheet.rows))
        _validate(sheet, data)
        recs += _records(prefix, data)
        infos += _infos(prefix, what)
    return Parsed(_frame(recs), infos)


CURRENT_URL = "https://www.jsda.or.jp/shiryoshitsu/toukei/tentoubaibai/koushasai.xlsx"
YEAR_URL = "https://www.jsda.or.jp/shiryoshitsu/toukei/tentoubaibai/koushasai{fy}.xlsx"


class JsdaBondTrading(Source):
    """JSDA Trends in Bond Transactions (by investor type), net buying."""

    name: ClassVar[str] = SOURCE_NAME
    title: ClassVar[str] = "JSDA OTC bond trading by investor type (net buying)"
    publisher: ClassVar[str] = "Japan Securities Dealers Association"
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec(
            "koushasai",
            CURRENT_URL,
            "jsda_bond_trading/koushasai.xlsx",
            ("jsda_bond_trading/koushasai*.xlsx",),
        ),
    )
    #: monthly, published around the 20th of the following month
    max_age_days: ClassVar[int] = 60
    version: ClassVar[int] = 2  # 2: derived coupon-JGB series

    def fetch(self, get: "Callable[..., Response | None]", today: date | None = None) -> "Iterator[RawFile]":
        """The current fiscal year's ``koushasai.xlsx`` and, until the raw archive
        holds it, the previous fiscal year's edition ``koushasai{YYYY}.xlsx``:
        once the fiscal year rolls over in April, the current file no longer
        holds January–March, so the yearly file is fetched once to capture them."""
        from yenflow.errors import FetchError
        from yenflow.sources.base import RawFile  # noqa: F811 (runtime import; the annotation's is type-only)

        today = today or date.today()
        urls = [CURRENT_URL]
        archived = getattr(get, "archived", None)
        previous = previous_year_url(today)
        if archived is not None and not archived(previous):
            urls.append(previous)
        for url in urls:
            try:
                resp = get(url)
            except FetchError:
                continue  # recorded by the pipeline's get (or not yet published)
            if resp is not None:
                yield RawFile(url.rsplit("/", 1)[-1], resp.content, resp.url, resp.etag, resp.last_modified)

    def urls(self, today: date | None = None) -> list[str]:
        return [CURRENT_URL, previous_year_url(today or date.today()) + " (once, after the fiscal year ends)"]

    def pending(self, url: str, today: date) -> str | None:
        if url == previous_year_url(today):
            return f"JSDA's yearly file for fiscal {fiscal_year(today) - 1}"
        return None

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_koushasai(raw, filename)


def fiscal_year(day: date) -> int:
    """Japan's fiscal year (April–March) that ``day`` falls in, named by its first calendar year."""
    return day.year if day.month >= 4 else day.year - 1


def previous_year_url(today: date) -> str:
    """The yearly edition of the fiscal year before ``today``'s."""
    return YEAR_URL.format(fy=fiscal_year(today) - 1)
