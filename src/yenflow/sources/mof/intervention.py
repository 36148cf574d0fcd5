"""MOF foreign exchange intervention (外国為替平衡操作): daily detail and monthly totals.

Files
-----
* ``foreign_exchange_intervention_operations.csv`` (official daily detail since
  1991-04, disclosed quarterly; cp932). Nine columns located by the header row
  ``年,月,日,Year,Month,Day,金額…,売買通貨,Currency pairs``: era year (平成3年,
  令和元年), month (5月), day (13日), Gregorian year, English month (``Apr``), day,
  amount in **億円 (JPY 100m)** (``"59,185"``), Japanese pair text, English pair
  text. Year and month are printed only when they change and are carried
  down; the era and the Gregorian year must agree when both are given.
  Quarter subtotal rows (``…期計``) are not data: each is CHECKED against the
  sum of the days since the previous subtotal (and, when its label names the
  months, that those days fall in that quarter); a mismatch is a
  ValidationError. Day rows after the last subtotal mean a truncated file.
* Monthly-total pages (``…/feio/data/monthly/YYYYMMDD.html``): ``外国為替平衡操作額
  N兆M億円`` (or ``0円``) for a period that follows the settlement cut-off
  (e.g. 令和8年7月30日～令和8年8月26日); one observation, ref_date = period
  end, ``period_start`` = first day, ``released`` = the page date in the name.
  Dates without an era year take it from the page date.
* The third-party derived file ``interventions_daily_1991-2026_derived.csv``
  (JPY bn, direction column) is never read by the source; the importer calls
  :func:`parse_derived_daily`, which returns the same series.

Series (units JPY 100m, ref_date = JST trade date)
--------------------------------------------------
* ``intervention.usdjpy.amount`` — SIGNED: **positive = yen buying** (USD sold,
  e.g. 2024-04-29 +59,185), **negative = yen selling** (USD bought, e.g.
  2011-10-31 −80,722). Other yen pairs likewise (``intervention.eurjpy.amount``,
  ``intervention.demjpy.amount``).
* ``intervention.total.amount`` — GROSS (unsigned) amount of all operations
  that day, every pair including non-yen ones (USD/DEM 1991, USD/IDR 1997-98),
  the basis of MOF's quarterly and monthly totals.
* ``intervention.monthly_total`` — gross amount announced for the period.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import TYPE_CHECKING, Any

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.figures import ascii_float
from yenflow.sources.base import FileSpec, Parsed, RawFile, SeriesInfo, Source
from yenflow.sources.mof.auction_results_page import (
    decode_html,
    html_text,
    normalize,
    parse_yen_amount,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pandas as pd

    from yenflow.http import Response

NAME = "mof.intervention"
_BASE = "https://www.mof.go.jp/policy/international_policy/reference/feio/"
CSV_URL = _BASE + "foreign_exchange_intervention_operations.csv"
MONTHLY_INDEX_URL = _BASE + "data/monthly/index.html"
_DIR = "mof_intervention/"
_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
_CURRENCIES = {"米ドル": "usd", "日本円": "jpy", "ユーロ": "eur", "ドイツマルク": "dem",
               "インドネシアルピア": "idr", "英ポンド": "gbp"}
_PAIR = re.compile(r"^(.+?)売り\s*[・･/]\s*(.+?)買い$")
_HEADER = ("年", "月", "日", "year", "month", "day")
_TOLERANCE = 0.5  # 億円: subtotals are printed in whole 億円
YEN_BUYING, YEN_SELLING, OTHER = "yen_buying", "yen_selling", "other"


# --------------------------------------------------------------------- daily CSV
def _decode(raw: bytes, filename: str) -> str:
    for enc in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ParseError(NAME, filename, "Shift-JIS (cp932) or UTF-8 text")


def _header(rows: list[list[str]], filename: str) -> tuple[int, dict[str, int]]:
    """Index of the header row and column positions, found by label."""
    for i, cells in enumerate(rows[:30]):
        labels = [normalize(c).lower() for c in cells]
        if all(h in labels for h in _HEADER):
            cols = {k: labels.index(h) for k, h in zip(
                ("era_year", "jp_month", "jp_day", "year", "month", "day"), _HEADER)}
            cols["amount"] = _find(labels, "金額", filename, i)
            cols["pair"] = _find(labels, "売買通貨", filename, i)
            expected = [cols[k] for k in ("era_year", "jp_month", "jp_day", "year", "month",
                                          "day", "amount", "pair")]
            if expected != sorted(expected):
                raise ParseError(NAME, filename, "columns 年,月,日,Year,Month,Day,金額,売買通貨 "
                                 "in that order", cells, i + 1)
            return i, cols
    raise ParseError(NAME, filename, "a header row 年,月,日,Year,Month,Day,金額,売買通貨 "
                     "within the first 30 lines")


def _find(labels: list[str], label: str, filename: str, i: int) -> int:
    for col, text in enumerate(labels):
        if text.startswith(label):
            return col
    raise ParseError(NAME, filename, f"a column labelled {label!r} in the header row",
                     labels, i + 1)


def _cell(cells: list[str], col: int) -> str:
    return normalize(cells[col]) if col < len(cells) else ""


def _era_year(text: str) -> int | None:
    m = re.fullmatch(r"(令和|平成|昭和)(\d+|元)年?", text)
    if not m:
        return None
    return _ERAS[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))


def pair_direction(text: str) -> tuple[str, str]:
    """``米ドル売り・日本円買い`` -> ('usdjpy', 'yen_buying'); KeyError/ValueError if unknown."""
    m = _PAIR.match(normalize(text).replace(" ", ""))
    if not m:
        raise ValueError(text)
    sold, bought = _CURRENCIES[m.group(1)], _CURRENCIES[m.group(2)]
    if bought == "jpy":
        return f"{sold}jpy", YEN_BUYING
    if sold == "jpy":
        return f"{bought}jpy", YEN_SELLING
    return f"{sold}{bought}", OTHER


class _DailyReader:
    """Row-by-row state: carried year/month, open quarter, subtotal checks."""

    def __init__(self, filename: str, cols: dict[str, int]) -> None:
        self.filename, self.cols = filename, cols
        self.year: int | None = None
        self.month: int | None = None
        self.open: list[dict[str, Any]] = []  # days since the last subtotal
        self.ops: list[dict[str, Any]] = []

    def fail(self, expected: str, found: object, line: int) -> ParseError:
        return ParseError(NAME, self.filename, expected, found, line)

    def row(self, cells: list[str], line: int) -> None:
        text = [normalize(c) for c in cells]
        if not any(text):
            return
        if any("期計" in c for c in text[: self.cols["amount"]]):
            self.subtotal(cells, line)
        elif _cell(cells, self.cols["day"]) or _cell(cells, self.cols["jp_day"]):
            self.day(cells, line)
        elif _cell(cells, self.cols["amount"]):
            raise self.fail("a day or a 期計 label on a row with an amount",
                            cells, line)

    def _carry(self, cells: list[str], line: int) -> None:
        year_g, era = _cell(cells, self.cols["year"]), _cell(cells, self.cols["era_year"])
        years = set()
        if year_g:
            if not re.fullmatch(r"(19|20)\d\d", year_g):
                raise self.fail("a year like 2024 under 'Year'", year_g, line)
            years.add(int(year_g))
        if era:
            if _era_year(era) is None:
                raise self.fail("an era year like 令和6年 under '年'", era, line)
            years.add(_era_year(era))
        if len(years) > 1:
            raise self.fail("the era year and the Gregorian year to agree", (era, year_g), line)
        self.year = years.pop() if years else self.year
        month_en, month_jp = _cell(cells, self.cols["month"]), _cell(cells, self.cols["jp_month"])
        months = set()
        if month_en:
            if month_en[:3].title() not in _MONTHS:
                raise self.fail("an English month like Apr under 'Month'", month_en, line)
            months.add(_MONTHS[month_en[:3].title()])
        if month_jp:
            m = re.fullmatch(r"(\d{1,2})月?", month_jp)
            if not m:
                raise self.fail("a month like 4月 under '月'", month_jp, line)
            months.add(int(m.group(1)))
        if len(months) > 1:
            raise self.fail("the Japanese and English months to agree", (month_jp, month_en), line)
        self.month = months.pop() if months else self.month

    def day(self, cells: list[str], line: int) -> None:
        self._carry(cells, line)
        if self.year is None or self.month is None:
            raise self.fail("a year and a month before the first day row", cells, line)
        day_text = _cell(cells, self.cols["day"]) or _cell(cells, self.cols["jp_day"]).rstrip("日")
        try:
            date = dt.date(self.year, self.month, int(day_text))
        except ValueError:
            raise self.fail("a day of the month under 'Day'", day_text, line) from None
        amount = self.amount(cells, line)
        pair_text = _cell(cells, self.cols["pair"])
        try:
            pair, direction = pair_direction(pair_text)
        except (KeyError, ValueError):
            raise self.fail("a pair like 米ドル売り・日本円買い under '売買通貨' "
                            f"(known currencies {sorted(_CURRENCIES)})", pair_text, line) from None
        if self.ops and date < self.ops[-1]["date"]:
            raise self.fail(f"dates in ascending order (after {self.ops[-1]['date']})", date, line)
        op = {"date": date, "pair": pair, "direction": direction, "amount": amount, "row": line}
        self.ops.append(op)
        self.open.append(op)

    def amount(self, cells: list[str], line: int) -> float:
        text = _cell(cells, self.cols["amount"]).replace(",", "")
        try:
            value = ascii_float(text)
        except ValueError:
            raise self.fail("an amount in 億円 under '金額'", text, line) from None
        if not value >= 0 or value != value:
            raise self.fail("a non-negative amount in 億円", text, line)
        return value

    def subtotal(self, cells: list[str], line: int) -> None:
        total = self.amount(cells, line) if _cell(cells, self.cols["amount"]) else 0.0
        days = sum(op["amount"] for op in self.open)
        if abs(days - total) > _TOLERANCE:
            raise ValidationError(NAME, self.filename,
                                  f"the 期計 subtotal to equal its {len(self.open)} day rows "
                                  f"({days:g} 億円)", total, line)
        label = " ".join(normalize(c) for c in cells[: self.cols["amount"]] if c.strip())
        m = re.search(r"(\d{1,2})\s*[～〜~\-ー－]\s*(\d{1,2})\s*月期計", label)
        if m:
            first, last = int(m.group(1)), int(m.group(2))
            outside = [op["row"] for op in self.open if not first <= op["date"].month <= last]
            if outside:
                raise ValidationError(NAME, self.filename, f"days of {label} in months "
                                      f"{first}-{last}", f"day rows {outside}", line)
        self.open = []

    def finish(self, line: int) -> None:
        if self.open:
            raise ParseError(NAME, self.filename, "a 期計 subtotal row closing the last quarter "
                             "(truncated file?)", f"{len(self.open)} day rows after the last "
                             "subtotal", line)


def operations(raw: bytes, filename: str = "foreign_exchange_intervention_operations.csv"
               ) -> pd.DataFrame:
    """One row per operation: date, pair, direction, amount (JPY 100m, unsigned), row."""
    text = _decode(raw, filename)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    start, cols = _header(rows, filename)
    reader = _DailyReader(filename, cols)
    for i, cells in enumerate(rows[start + 1:], start=start + 2):
        reader.row(cells, i)
    reader.finish(len(rows))
    if not reader.ops:
        raise ParseError(NAME, filename, "at least one intervention day", "none", len(rows))
    return _ops_frame(reader.ops)


def _ops_frame(ops: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(ops, columns=["date", "pair", "direction", "amount", "row"])
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    df["amount"] = df["amount"].astype("float64")
    return df


# --------------------------------------------------------------------- series
def signed_amount(ops: pd.DataFrame) -> pd.Series:
    """+amount for yen buying, −amount for yen selling, 0 for non-yen pairs."""
    sign = ops["direction"].map({YEN_BUYING: 1.0, YEN_SELLING: -1.0, OTHER: 0.0})
    return ops["amount"] * sign


def operations_observations(ops: pd.DataFrame) -> pd.DataFrame:
    """Per-day series: signed per yen pair, gross total over all pairs."""
    import pandas as pd

    yen = ops[ops["direction"] != OTHER].assign(value=signed_amount(ops))
    pairs = yen.groupby(["pair", "date"], as_index=False)["value"].sum()
    pairs["series_id"] = "intervention." + pairs["pair"] + ".amount"
    total = ops.groupby("date", as_index=False)["amount"].sum().rename(columns={"amount": "value"})
    total["series_id"] = "intervention.total.amount"
    obs = pd.concat([pairs, total], ignore_index=True).rename(columns={"date": "ref_date"})
    obs = obs[["series_id", "ref_date", "value"]].astype(
        {"series_id": str, "ref_date": "datetime64[ns]", "value": "float64"})
    obs["value"] = obs["value"].round(6)
    return obs.sort_values(["series_id", "ref_date"], kind="stable").reset_index(drop=True)


def _pair_info(sid: str) -> SeriesInfo:
    pair = sid.split(".")[1]
    if pair == "total":
        return SeriesInfo(sid, "FX intervention, all pairs (gross)", "JPY 100m", "daily",
                          "MOF daily intervention amount, all currency pairs, unsigned.",
                          "Gross: yen buying + yen selling + non-yen pairs; JST trade date.")
    return SeriesInfo(sid, f"FX intervention in {pair.upper()[:3]}/JPY (signed)", "JPY 100m",
                      "daily", f"MOF daily intervention in {pair.upper()[:3]}/JPY.",
                      "Positive = yen buying (foreign currency sold); negative = yen selling; "
                      "JST trade date; published quarterly.")


MONTHLY_INFO = SeriesInfo(
    "intervention.monthly_total", "FX intervention, monthly announced total", "JPY 100m",
    "monthly", "MOF monthly total of intervention (外国為替平衡操作額), gross.",
    "ref_date = last day of the settlement-based period; period_start = its first day.")


def series_infos(obs: pd.DataFrame) -> list[SeriesInfo]:
    ids = sorted(set(obs["series_id"]))
    return [MONTHLY_INFO if sid == MONTHLY_INFO.id else _pair_info(sid) for sid in ids]


# --------------------------------------------------------------------- monthly page
_PERIOD = re.compile(
    r"(?:(令和|平成)\s*(\d+|元)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[～〜~\-－ー]\s*"
    r"(?:(令和|平成)\s*(\d+|元)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _period(text: str, published: dt.date | None, filename: str) -> tuple[dt.date, dt.date]:
    m = _PERIOD.search(text)
    if not m:
        raise ParseError(NAME, filename, "a period like 令和8年7月30日～令和8年8月26日")
    g = m.groups()

    def year(era: str | None, num: str | None) -> int | None:
        return _ERAS[era] + (1 if num == "元" else int(num)) if era and num else None

    end_year = year(g[4], g[5]) or year(g[0], g[1])
    if end_year is None:
        if published is None:
            raise ParseError(NAME, filename, "an era year in the period or a YYYYMMDD file name",
                             m.group(0))
        end_year = published.year - (int(g[6]) > published.month)
    start_year = year(g[0], g[1]) or end_year - (int(g[2]) > int(g[6]))
    try:
        return dt.date(start_year, int(g[2]), int(g[3])), dt.date(end_year, int(g[6]), int(g[7]))
    except ValueError:
        raise ParseError(NAME, filename, "valid period dates", m.group(0)) from None


def monthly_total(raw: bytes, filename: str) -> pd.DataFrame:
    """Observation of a monthly-total page: series_id, ref_date, value, period_start, released."""
    import pandas as pd

    text = " ".join(html_text(decode_html(raw, filename, NAME)).split("\n"))
    stamp = re.search(r"(20\d{6})", filename)
    published = dt.datetime.strptime(stamp.group(1), "%Y%m%d").date() if stamp else None
    m = re.search(r"外国為替平衡操作額[^\d円]{0,12}?([\d,兆億万\s]+円)", text)
    if not m:
        raise ParseError(NAME, filename, "'外国為替平衡操作額 N兆M億円' (or 0円)",
                         text[text.find("外国為替平衡操作額"):][:40] or None)
    try:
        amount = parse_yen_amount(m.group(1))
    except ValueError:
        raise ParseError(NAME, filename, "an amount like 15兆3,993億円", m.group(1)) from None
    start, end = _period(text[: m.start()] or text, published, filename)
    if end < start or (published and end > published):
        raise ValidationError(NAME, filename, "a period ending on/before the page date",
                              (start, end, published))
    obs = pd.DataFrame({
        "series_id": pd.Series([MONTHLY_INFO.id], dtype=str),
        "ref_date": pd.to_datetime([end]).astype("datetime64[ns]"),
        "value": [float(amount)],
        "period_start": pd.to_datetime([start]).astype("datetime64[ns]"),
    })
    if published is not None:  # the page date in the file name = release date
        obs["released"] = pd.to_datetime([published]).astype("datetime64[ns]")
    return obs


def monthly_page_links(index_html: str) -> list[str]:
    """``YYYYMMDD.html`` pages linked from the monthly index, newest first."""
    names = set(re.findall(r"href=\"(?:[^\"]*/)?(20\d{6})\.html\"", index_html))
    return [f"{n}.html" for n in sorted(names, reverse=True)]


# --------------------------------------------------------------------- derived file
_DERIVED_HEADER = ["date", "currency_pair", "direction", "amount_yen_billions", "source_url"]


def derived_operations(raw: bytes, filename: str = "interventions_daily_derived.csv"
                       ) -> pd.DataFrame:
    """Operations (as :func:`operations`) from the third-party derived CSV (JPY bn ×10)."""
    text = _decode(raw, filename)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or [c.strip() for c in rows[0]] != _DERIVED_HEADER:
        raise ParseError(NAME, filename, f"header {','.join(_DERIVED_HEADER)}",
                         rows[0] if rows else None, 1)
    ops = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        ops.append(_derived_op(cells, filename, line))
    if text and not text.endswith("\n"):
        raise ParseError(NAME, filename, "the file to end with a line break (truncated?)",
                         row=len(rows))
    return _ops_frame(ops)


def _derived_op(cells: list[str], filename: str, line: int) -> dict[str, Any]:
    if len(cells) != len(_DERIVED_HEADER):
        raise ParseError(NAME, filename, f"{len(_DERIVED_HEADER)} fields", len(cells), line)
    day, pair, direction, amount = (c.strip() for c in cells[:4])
    m = re.fullmatch(r"([A-Z]{3})/([A-Z]{3})", pair)
    d = re.fullmatch(r"sell_([A-Z]{3})_buy_([A-Z]{3})", direction)
    if not m or not d or set(d.groups()) != set(m.groups()):
        raise ParseError(NAME, filename, "a pair like USD/JPY and direction sell_X_buy_Y",
                         (pair, direction), line)
    try:
        date = dt.date.fromisoformat(day)
        value = round(float(amount) * 10, 6)
    except ValueError:
        raise ParseError(NAME, filename, "an ISO date and an amount in JPY bn",
                         (day, amount), line) from None
    if not value >= 0:
        raise ParseError(NAME, filename, "a non-negative amount", amount, line)
    sold, bought = (c.lower() for c in d.groups())
    kind = YEN_BUYING if bought == "jpy" else YEN_SELLING if sold == "jpy" else OTHER
    name = pair.replace("/", "").lower()
    name = f"{sold if bought == 'jpy' else bought}jpy" if kind != OTHER else name
    return {"date": date, "pair": name, "direction": kind, "amount": value, "row": line}


def parse_derived_daily(raw: bytes, filename: str = "interventions_daily_derived.csv"
                        ) -> pd.DataFrame:
    """The derived daily file as tidy observations (same series and units as the CSV)."""
    return operations_observations(derived_operations(raw, filename))


# --------------------------------------------------------------------- source
class MofIntervention(Source):
    """MOF intervention: daily detail CSV (quarterly) and monthly-total pages."""

    name = NAME
    title = "MOF foreign exchange intervention (daily detail, monthly totals)"
    publisher = "Ministry of Finance Japan"
    max_age_days = 100  # daily detail is disclosed once a quarter
    files = (
        FileSpec("daily", CSV_URL, _DIR + "foreign_exchange_intervention_operations.csv",
                 (_DIR + "foreign_exchange_intervention_operations.csv",)),
        FileSpec("monthly", None, _DIR + "monthly/YYYYMMDD.html",
                 (_DIR + "20[0-9][0-9][0-9][0-9][0-9][0-9].html",
                  _DIR + "monthly/20[0-9][0-9][0-9][0-9][0-9][0-9].html")),
    )
    #: how many of the newest monthly pages ``fetch`` downloads
    monthly_pages = 3

    def fetch(self, get: Callable[..., Response | None], today: dt.date | None = None) -> Iterator[RawFile]:
        """The daily CSV, then the newest monthly-total pages linked from the
        monthly index; a file that cannot be fetched does not stop the others."""
        from yenflow.errors import FetchError

        yield from super().fetch(get)
        try:
            index = get(MONTHLY_INDEX_URL)
        except FetchError:
            return  # recorded by the pipeline's get
        if index is None:
            return
        for name in monthly_page_links(decode_html(index.content, "index.html", NAME))[
                : self.monthly_pages]:
            try:
                resp = get(MONTHLY_INDEX_URL.rsplit("/", 1)[0] + "/" + name)
            except FetchError:
                continue
            if resp is not None:
                yield RawFile(name, resp.content, resp.url, resp.etag, resp.last_modified)

    def urls(self, today: dt.date | None = None) -> list[str]:
        return [CSV_URL, MONTHLY_INDEX_URL + " (and the newest monthly pages it links)"]

    def parse(self, raw: bytes, filename: str) -> Parsed:
        if filename.lower().endswith((".htm", ".html")):
            obs = monthly_total(raw, filename)
        else:
            obs = operations_observations(operations(raw, filename))
        return Parsed(obs, series_infos(obs))
