"""Shared helpers for MOF securities-flow tables (ITS weekly/monthly/by investor, BoP 6pi).

Used by :mod:`securities_weekly`, :mod:`securities_monthly`,
:mod:`securities_by_investor` and :mod:`bop_portfolio`.

Conventions
-----------
* Text: cp932 (Shift-JIS) as MOF serves it, or UTF-8 (optional BOM). Rows are read
  with the csv module (``week.csv`` has an LF inside the quoted header cell
  ``"期間\\nPeriod"``), and errors name the 1-based *physical line* of the file.
  A file that does not end with a line break is taken as truncated.
* Labels are compared after :func:`norm`: NFKC (full-width digits, ``．``, ``～``,
  ``（）`` become ASCII) and every whitespace removed, so ``"   中 長 期 債 "``
  matches ``中長期債``.
* Numbers: integers in 億円 (100 million yen), ASCII digits and ``-`` sign,
  optional thousands commas, stray spaces. ``-``, ``--``, ``―``, ``－`` mean "no
  figure" (None, never zero). Anything else, full-width digits included (labels
  are NFKC-normalised, figures are not: :mod:`yenflow.sources.figures`), is a
  ParseError.
* Net: MOF's published net column, stored as printed (a positive net is a net
  purchase). ``acquisition − disposition`` from the rounded parts is only a
  check: it must agree within ±1 (the rounding of three figures; measured on
  every file since 2005: never more than 1), ±8 for investor aggregates
  (MOF prints their net as the sum of the members' rounded nets: up to 4 seen).
  Subtotals and totals are the published figures too, checked against the sum
  of the published parts. The net's sign convention is the same throughout
  the files (acquisition − disposition since 2005-01: every row passes the check).
"""

from __future__ import annotations

import calendar
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from yenflow.errors import ParseError, ValidationError

if TYPE_CHECKING:

    pass

Row = tuple[int, list[str]]  # (physical line number, cells)

UNIT = "JPY 100m"
BASE_URL = ("https://www.mof.go.jp/policy/international_policy/reference/"
            "itn_transactions_in_securities/")
FOLDER = "mof_securities_flows/"
FOOTER = "(備考)"  # normalised first cell of the footnotes that end ITS files
#: |published net − (acq − disp)|: three rounded figures differ by at most 1
#: (measured max 1 in week.csv, montha1.csv, monthb2-4 members and 6pi-1…5)
NET_TOLERANCE = 1.0
SUM_TOLERANCE = 3.0  # |subtotal or total − sum of parts|, rounding
#: an investor aggregate's published net is the sum of its members' rounded nets
#: (monthb: その他金融機関 is off acq − disp by up to 4), so allow 1 per member
AGGREGATE_NET_TOLERANCE = 8.0
#: CY/FY row vs the sum of its months: 1 per month summed (observed up to 7 in monthb3)
PER_MONTH_TOLERANCE = 1.0

FLOW_NOTES = (
    "net, subtotal and total are MOF's published figures (net = acquisition − disposition "
    "as MOF rounds it; the rounded parts may differ from it by 1). 2014-01: "
    "investment-trust reclassification (some contractual open-end investment-trust "
    "transactions moved from long-term debt to equity & investment fund shares; equity-only "
    "and bond-only series break there, subtotal/total do not). 2005-01: MOF changed the "
    "calculation method to match BoP; earlier data not comparable."
)

_ITS = ("mof.weekly.*", "mof.monthly.*", "mof.investor.*")
_RECLASS = ("Investment-trust reclassification: contractual open-end investment trusts moved "
            "from long-term debt into equity & investment fund shares (subtotal/total unaffected).")
#: (first date affected, series-id glob (fnmatch), what changed) for charts and tables
BREAKS: list[tuple[date, str, str]] = [
    *[(date(2005, 1, 1), glob, "MOF changed the ITS calculation method to match BoP; data "
       "before 2005-01 (not in the CSVs) are not comparable.") for glob in _ITS],
    (date(2007, 10, 1), "mof.investor.*.securities_firms.*", "Investor category 証券会社 "
     "(securities companies) became 金融商品取引業者 (financial instruments firms)."),
    (date(2007, 10, 1), "mof.investor.*.investment_trusts.*", "Investor category 投資信託委託業者 "
     "became 投資信託委託会社等 (investment trust management companies)."),
    *[(date(2014, 1, 1), glob, _RECLASS) for glob in (
        "mof.weekly.*.equity.*", "mof.monthly.*.equity.*", "mof.investor.equity.*",
        "mof.weekly.*.bonds.*", "mof.monthly.*.bonds.*", "mof.investor.bonds.*")],
    (date(2014, 1, 1), "bop.pi.*", "BoP: figures before 2014 are BPM5 data rearranged to "
     "BPM6; acquisition/disposition are published from 2014-01 only (net only before)."),
]

MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925}
_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"^\s*(-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+))\s*$")
_MISSING = frozenset({"-", "--", "―", "－", "—", "‐"})
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"^\d{4}$")
_JP_MONTH = re.compile(r"^(\d{1,2})月(\(P\))?$")
_EN_MONTH = re.compile(r"^([A-Z][a-z]{2})\.?(\(P\))?$")
_ERA = re.compile(r"^\(?(令和|平成|昭和)(元|\d{1,2})(?:\(平成\d{1,2}\))?年\)?$")
_ANNUAL = re.compile(r"(\d{4})(CY|FY|C\.Y\.|F\.Y\.)$")


def norm(cell: str) -> str:
    """NFKC-normalise and drop all whitespace (labels, month names, period labels)."""
    return _WS.sub("", unicodedata.normalize("NFKC", cell))


def breaks_for(series_id: str) -> list[tuple[date, str]]:
    """The (date, text) breaks from :data:`BREAKS` that apply to ``series_id``."""
    return [(d, text) for d, glob, text in BREAKS if fnmatchcase(series_id, glob)]


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Ctx:
    """Which source and file an error belongs to."""

    source: str
    filename: str

    def error(self, expected: str, found: object = None, row: int | None = None) -> ParseError:
        return ParseError(self.source, self.filename, expected, found, row)

    def invalid(self, expected: str, found: object = None,
                row: int | None = None) -> ValidationError:
        return ValidationError(self.source, self.filename, expected, found, row)


# ------------------------------------------------------------------ reading
def read_rows(raw: bytes, ctx: Ctx) -> list[Row]:
    """All CSV records with the physical line each ends on."""
    text = _decode(raw, ctx)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, cells) for cells in reader]
    except csv.Error as e:
        raise ctx.error("well-formed CSV", str(e), reader.line_num) from e
    if not rows:
        raise ctx.error("a CSV file with a title and header rows", "an empty file")
    if not text.endswith(("\n", "\r")):
        raise ctx.error("the file to end with a line break (truncated?)", row=rows[-1][0])
    return rows


def _decode(raw: bytes, ctx: Ctx) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp932")
    except UnicodeDecodeError as e:
        raise ctx.error("Shift-JIS (cp932) or UTF-8 text", f"undecodable byte at {e.start}") from e


def number(cell: str, ctx: Ctx, line: int, what: str) -> float | None:
    """A figure in 億円 (ASCII digits: see :mod:`yenflow.sources.figures`); None for a
    missing marker or an empty cell; else ParseError."""
    m = _NUMBER.match(cell)
    if m:
        return float(m.group(1).replace(",", ""))
    # any whitespace (full-width spaces too) and a full-width minus sign; no NFKC for digits
    s = _WS.sub("", cell).replace("－", "-")
    if not s or s in _MISSING or s == "-":
        return None
    m = _NUMBER.match(s)
    if not m:
        raise ctx.error(f"a number (100 million yen, ASCII digits) or '-' for {what}", cell, line)
    return float(m.group(1).replace(",", ""))


def has_digit(cells: list[str]) -> bool:
    return any(_DIGIT.search(c) for c in cells)


def check_width(cells: list[str], width: int, ctx: Ctx, line: int) -> None:
    if len(cells) != width:
        raise ctx.error(f"{width} fields like the header rows", f"{len(cells)} fields", line)


def check_unit(rows: list[Row], ctx: Ctx, scan: int = 30) -> None:
    """The unit 億円 (100 million yen) must be stated in the title block."""
    for _, cells in rows[:scan]:
        if any("億円" in c for c in cells):
            return
    raise ctx.error("the unit 億円 (100 million yen) in the title rows",
                    row=rows[min(scan, len(rows)) - 1][0])


_UPDATED = re.compile(r"最終更新日(令和|平成)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日")


def last_updated(rows: list[Row], scan: int = 8) -> date | None:
    """The date of ``最終更新日 令和8年9月17日`` in the title rows (the file's own
    publication date), or None when the file states none."""
    for _, cells in rows[:scan]:
        for cell in cells:
            m = _UPDATED.search(norm(cell))
            if m:
                year = _ERA_BASE[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))
                try:
                    return date(year, int(m.group(3)), int(m.group(4)))
                except ValueError:
                    return None
    return None


def title_asset(rows: list[Row], ctx: Ctx, allowed: dict[str, str], scan: int = 10) -> str:
    """Asset named in parentheses after 投資家部門別対外証券投資 in the title."""
    for line, cells in rows[:scan]:
        for cell in cells:
            m = re.search(r"投資家部門別対外証券投資\((.+?)\)", norm(cell))
            if m:
                if m.group(1) not in allowed:
                    raise ctx.error(f"a title naming one of {sorted(allowed)}", cell, line)
                return allowed[m.group(1)]
    raise ctx.error("a title '投資家部門別対外証券投資（…）' naming the asset", row=1)


# ------------------------------------------------------------------ period labels
@dataclass(frozen=True)
class Label:
    """A row's period label: kind 'month' | 'CY' | 'FY' | 'other' ('' = blank)."""

    kind: str
    year: int | None = None
    month: int | None = None
    era_year: int | None = None
    prelim: bool = False
    text: str = ""


def parse_label(cells: list[str], ctx: Ctx, line: int) -> Label:
    """Read '2005,１月,Jan' / '(平成17年),２月,Feb' / ',4月(P),,Apr(P)' / '2005CY' cells."""
    tokens = [t for t in (norm(c) for c in cells) if t]
    text = "".join(tokens)
    m = _ANNUAL.search(text)
    if m:
        return Label(m.group(2)[0] + "Y", int(m.group(1)), text=text)
    found: dict[str, object] = {}
    for tok in tokens:
        if not _label_token(tok, found):
            return Label("other", text=text)
    jp, en = found.get("jp"), found.get("en")
    if jp is None or en is None:
        return Label("other", text=text)
    if jp != en:
        raise ctx.error("the Japanese and English month labels to agree", text, line)
    return Label("month", found.get("year"), jp, found.get("era"), "prelim" in found, text)


def _label_token(tok: str, found: dict[str, object]) -> bool:
    """Record what ``tok`` is in ``found``; False if it is not a period-label token."""
    if _YEAR.match(tok):
        found["year"] = int(tok)
        return True
    if m := _ERA.match(tok):
        found["era"] = _ERA_BASE[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))
        return True
    if m := _JP_MONTH.match(tok):
        found["jp"] = int(m.group(1))
    elif (m := _EN_MONTH.match(tok)) and m.group(1) in MONTHS:
        found["en"] = MONTHS[m.group(1)]
    else:
        return False
    if m.group(2):
        found["prelim"] = True
    return True


class MonthClock:
    """Turns month labels into (year, month), requiring consecutive months."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.last: tuple[int, int] | None = None

    def next(self, label: Label, line: int) -> tuple[int, int]:
        year = label.year if label.year is not None else (self.last[0] if self.last else None)
        if year is None:
            raise self.ctx.error("a year on the first month row", label.text, line)
        ym = (year, label.month or 0)
        if self.last is not None:
            y, m = self.last
            expected = (y + 1, 1) if m == 12 else (y, m + 1)
            if ym != expected:
                raise self.ctx.error(f"the month after {y}-{m:02d}", label.text, line)
        if label.era_year is not None and label.era_year != year:
            raise self.ctx.error(f"an era year matching {year}", label.text, line)
        self.last = ym
        return ym


# ------------------------------------------------------------------ column location
ASSET_LABELS = {
    "株式・投資ファンド持分": "equity",
    "投資ファンド持分": "investment_funds",
    "中長期債": "bonds",
    "小計": "subtotal",
    "短期債": "bills",
    "合計": "total",
}
TRIPLE = ("acq", "disp", "net")
_MEASURES = {"acq": "取得", "disp": "処分", "net": "ネット"}
_NET_ONLY = frozenset({"subtotal", "total"})
_SIDES = (("対外証券投資", "resident"), ("対内証券投資", "foreign"))


@dataclass(frozen=True)
class FlowLayout:
    """Columns of a two-sided flows table: {(side, asset, measure): column}."""

    cols: dict[tuple[str, str, str], int]
    side_cols: dict[str, int]
    width: int
    data_start: int  # index into rows of the first row after the measure row
    first_value: dict[str, int]  # side -> first value column


def locate_flows(rows: list[Row], ctx: Ctx, required: tuple[str, ...]) -> FlowLayout:
    """Find the 対外/対内 blocks, their asset labels and 取得/処分/ネット columns."""
    side_idx, sides = _side_row(rows, ctx)
    asset_idx = _row_with(rows, side_idx + 1, "株式・投資ファンド持分", ctx)
    line, cells = rows[asset_idx]
    assets = _assets_by_side(cells, sides, ctx, line, required)
    first_col = min(c for per_side in assets.values() for c in per_side.values())
    measure_idx = _measure_row(rows, asset_idx + 1, first_col, ctx)
    mline, mcells = rows[measure_idx]
    cols: dict[tuple[str, str, str], int] = {}
    for side, per_side in assets.items():
        for asset, col in per_side.items():
            for measure, c in _measure_cols(mcells, col, asset, ctx, mline).items():
                cols[(side, asset, measure)] = c
    claimed = set(cols.values())
    for col, cell in enumerate(mcells):
        if norm(cell) in _MEASURES.values() and col not in claimed:
            raise ctx.error(f"an asset label above column {col + 1}", row=mline)
    first_value = {s: min(a.values()) for s, a in assets.items()}
    return FlowLayout(cols, sides, len(cells), measure_idx + 1, first_value)


def _side_row(rows: list[Row], ctx: Ctx, scan: int = 40) -> tuple[int, dict[str, int]]:
    for i, (line, cells) in enumerate(rows[:scan]):
        found: dict[str, int] = {}
        for col, cell in enumerate(cells):
            text = norm(cell)
            hits = [side for key, side in _SIDES if key in text]
            if len(hits) == 1:
                found.setdefault(hits[0], col)
        if len(found) == 2:
            if found["resident"] >= found["foreign"]:
                raise ctx.error("the 対外 (outward) block left of the 対内 (inward) block",
                                cells, line)
            return i, found
    raise ctx.error("a header row labelling the 対外証券投資 and 対内証券投資 blocks",
                    row=rows[min(scan, len(rows)) - 1][0])


def _row_with(rows: list[Row], start: int, label: str, ctx: Ctx, scan: int = 10) -> int:
    for i in range(start, min(start + scan, len(rows))):
        if any(norm(c) == label for c in rows[i][1]):
            return i
    raise ctx.error(f"a header row with the label {label}", row=rows[min(start, len(rows) - 1)][0])


def _assets_by_side(cells: list[str], sides: dict[str, int], ctx: Ctx, line: int,
                    required: tuple[str, ...]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {side: {} for side in sides}
    for col, cell in enumerate(cells):
        asset = ASSET_LABELS.get(norm(cell))
        side = _side_of(col, sides)
        if asset is None or side is None:
            continue
        if asset in out[side]:
            raise ctx.error(f"the label {cell.strip()} once per block", f"column {col + 1}", line)
        out[side][asset] = col
    for side, per_side in out.items():
        for asset in required:
            if asset not in per_side:
                label = next(k for k, v in ASSET_LABELS.items() if v == asset)
                raise ctx.error(f"the asset label {label} in the {side} block", row=line)
    return out


def _side_of(col: int, sides: dict[str, int]) -> str | None:
    if col >= sides["foreign"]:
        return "foreign"
    return "resident" if col >= sides["resident"] else None


def _measure_row(rows: list[Row], start: int, col: int, ctx: Ctx, scan: int = 6) -> int:
    for i in range(start, min(start + scan, len(rows))):
        cells = rows[i][1]
        if col < len(cells) and norm(cells[col]) == _MEASURES["acq"]:
            return i
    raise ctx.error(f"a header row with 取得 (acquisition) in column {col + 1}",
                    row=rows[min(start, len(rows) - 1)][0])


def _measure_cols(cells: list[str], col: int, asset: str, ctx: Ctx, line: int) -> dict[str, int]:
    """{measure: column} under an asset label; 取得/処分/ネット or ネット only for sums."""
    measures = ("net",) if asset in _NET_ONLY else TRIPLE
    got = [norm(cells[col + k]) if col + k < len(cells) else "" for k in range(len(measures))]
    want = [_MEASURES[m] for m in measures]
    if got != want:
        raise ctx.error(f"{'/'.join(want)} under the {asset} label (column {col + 1})",
                        "/".join(got), line)
    return {m: col + k for k, m in enumerate(measures)}


#: investor-type labels (as printed; compared after norm) -> slug
INVESTOR_LABELS = {norm(k): v for k, v in {
    "各部門計": "all",
    "公的部門": "public",
    "中央銀行": "central_bank",
    "一般政府": "general_govt",
    "預金取扱機関": "deposit_taking",
    "銀行等（銀行勘定）": "banks",
    "信託銀行（銀行勘定）": "trust_banks",
    "その他部門": "other_sectors",
    "その他金融機関": "other_financial",
    "銀行等及び信託銀行（信託勘定）": "trust_accounts",
    "銀行等（信託勘定）": "banks_trust_accounts",
    "信託銀行（信託勘定）": "trust_banks_trust_accounts",
    "金融商品取引業者": "securities_firms",
    "生命保険会社": "life_insurers",
    "損害保険会社": "nonlife_insurers",
    "投資信託委託会社等": "investment_trusts",
    "その他": "others",
}.items()}
INVESTOR_JP = {v: k for k, v in INVESTOR_LABELS.items()}
#: investor slugs that are sums of other sectors
AGGREGATES = frozenset({"all", "public", "deposit_taking", "other_sectors", "other_financial",
                        "trust_accounts"})


def net_tolerance(investor: str) -> float:
    return AGGREGATE_NET_TOLERANCE if investor in AGGREGATES else NET_TOLERANCE


@dataclass(frozen=True)
class InvestorLayout:
    """Columns of a by-investor table: {(investor, measure): column}."""

    cols: dict[tuple[str, str], int]
    width: int
    data_start: int
    first_value: int


def locate_investors(rows: list[Row], ctx: Ctx, required: tuple[str, ...]) -> InvestorLayout:
    """Find every investor label above a 取得/処分/ネット triplet.

    Each 取得/処分/ネット column must sit under a known label and each label
    once, so a new, moved or missing label is a ParseError, not a misread column.
    """
    measure_idx = _triplet_row(rows, ctx)
    mline, mcells = rows[measure_idx]
    found = _investor_labels(rows[:measure_idx], ctx)
    for slug in required:
        if slug not in found:
            raise ctx.error(f"the investor label {INVESTOR_JP[slug]} above the 取得/処分/ネット row",
                            row=mline)
    cols: dict[tuple[str, str], int] = {}
    for slug, col in found.items():
        for measure, c in _measure_cols(mcells, col, slug, ctx, mline).items():
            cols[(slug, measure)] = c
    claimed = set(cols.values())
    for col, cell in enumerate(mcells):
        if norm(cell) in _MEASURES.values() and col not in claimed:
            raise ctx.error(f"a known investor label above column {col + 1}", row=mline)
    return InvestorLayout(cols, len(mcells), measure_idx + 1, min(found.values()))


def _triplet_row(rows: list[Row], ctx: Ctx, scan: int = 40) -> int:
    for i, (_, cells) in enumerate(rows[:scan]):
        if sum(norm(c) == _MEASURES["acq"] for c in cells) >= 3:
            return i
    raise ctx.error("a header row of 取得/処分/ネット (acquisition/disposition/net) columns",
                    row=rows[min(scan, len(rows)) - 1][0])


def _investor_labels(rows: list[Row], ctx: Ctx) -> dict[str, int]:
    found: dict[str, int] = {}
    for line, cells in rows:
        for col, cell in enumerate(cells):
            slug = INVESTOR_LABELS.get(norm(cell))
            if slug is None:
                continue
            if slug in found or col in found.values():
                raise ctx.error(f"each investor label once, in its own column ({cell.strip()})",
                                f"column {col + 1}", line)
            found[slug] = col
    return found


# ------------------------------------------------------------------ periods
def period_months(kind: str, year: int) -> list[tuple[int, int]]:
    if kind == "CY":
        return [(year, m) for m in range(1, 13)]
    return [(year, m) for m in range(4, 13)] + [(year + 1, m) for m in range(1, 4)]


#: the derived asset yenflow adds to the two-sided flow tables (net only)
DERIVED_DEBT = "debt"
DEBT_NOTE = ("Derived by yenflow, not published by MOF: long-term debt (bonds) net + "
             "short-term debt (bills) net, both as published, for the same period.")


_ASSET_TEXT = {
    "equity": "equity & investment fund shares",
    "investment_funds": "investment fund shares",
    "bonds": "long-term debt securities (bonds and notes)",
    "bills": "short-term debt securities (bills)",
    "subtotal": "stocks and bonds (MOF subtotal 小計: equity + long-term debt)",
    "debt": "debt securities (long- plus short-term: bonds + bills)",
    "total": "securities (total: equity, long-term and short-term debt)",
}
_SIDE_TEXT = {
    "resident": ("residents (Japanese investors)", "Residents'", "foreign"),
    "foreign": ("non-residents (foreign investors)", "Non-residents'", "Japanese"),
}
MEASURE_TEXT = {"acq": "acquisition of", "disp": "disposition of", "net": "net purchases of"}


def asset_text(asset: str) -> str:
    return _ASSET_TEXT[asset]


def measure_sentence(measure: str, who: str, what: str) -> str:
    """The sign convention of one measure, spelled out."""
    if measure == "acq":
        return f"Acquisition (gross purchases) by {who} of {what}; always >= 0."
    if measure == "disp":
        return f"Disposition (gross sales and redemptions) by {who} of {what}; always >= 0."
    return (f"net = acquisition − disposition; positive = net purchase by {who} of {what}, "
            f"negative = net sale.")


#: (asset, measures) of the two-sided flow tables (weekly and monthly), catalog order
FLOW_SERIES = (("equity", TRIPLE), ("bonds", TRIPLE), ("subtotal", ("net",)),
               ("bills", TRIPLE), ("total", ("net",)), (DERIVED_DEBT, ("net",)))


def flow_description(side: str, asset: str, measure: str, period: str) -> str:
    """Catalog description of a two-sided flow series; says when yenflow derived it."""
    _, who, what = flow_text(side, asset, measure)
    text = ("MOF International Transactions in Securities (designated major investors), "
            f"{period}. {measure_sentence(measure, who, what)}")
    if asset == DERIVED_DEBT:
        return f"{DEBT_NOTE} {text}"
    return text + (" As published by MOF." if measure == "net" else "")


def flow_text(side: str, asset: str, measure: str) -> tuple[str, str, str]:
    """(short name, who, what) of a two-sided flows series, e.g.
    ("Residents' net purchases of foreign bills", "residents (Japanese investors)", "foreign …")."""
    who, owner, origin = _SIDE_TEXT[side]
    what = f"{origin} {_ASSET_TEXT[asset]}"
    return f"{owner} {MEASURE_TEXT[measure]} {what}", who, what
