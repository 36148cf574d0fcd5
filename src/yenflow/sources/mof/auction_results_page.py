"""MOF same-day JGB auction result pages (``resulYYYYMMDD.htm``, 入札結果).

One page = one auction, published at about 12:35 JST on the auction day, weeks
before the all-auctions workbook (:mod:`yenflow.sources.mof.auctions`) is
refreshed. The parser returns the same per-auction record shape as the
workbook (``TABLE_COLUMNS``) and the same series ids, so a page and the
workbook row for the same auction write the same observations.

Reading
-------
* Encoding from ``<meta charset>`` (Shift_JIS is read as cp932); without
  one, UTF-8 then cp932. The text is taken with the stdlib ``html.parser``,
  NFKC-normalised (full-width digits, brackets and ``％`` become ASCII) and
  whitespace-collapsed, then fields are found by their Japanese labels.
* Price-competitive pages (2-30Y): the ``価格競争入札について`` section gives
  ``(1)応募額`` (bids), ``(2)募入決定額`` (accepted), ``募入最低価格`` with
  ``(募入最高利回り)``, ``募入平均価格`` with ``(募入平均利回り)``.
* Yield-competitive pages (40Y, GX): ``応募額``, ``募入決定額`` and the single
  accepted yield ``応募者利回り`` (or ``募入最高利回り``) plus the issue price
  ``発行価格``; stored as ``max_yield`` / ``min_price`` like the workbook.
* Amounts ``7兆31億円`` / ``2億3,700万円`` -> JPY 100m (1兆 = 10,000億,
  1万円 = 1e-4 億円); prices ``98円01銭`` / ``99円99銭4厘5毛`` -> JPY per 100;
  yields ``2.656%`` (``△``/``▲`` = minus). Dates are era dates (令和8年6月3日).
* The auction date is the page's first era date (the release line) and must
  match ``YYYYMMDD`` in the file name when the name has one.
* Non-price-competitive result pages (``第Ⅱ非価格競争入札結果``, often the
  ``…a.htm`` page) carry no competitive auction: they yield no rows.
* ``offered`` is not on the result page (it is on the offer notice): NaN.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.base import FileSpec, Parsed, Source
from yenflow.sources.mof.auctions import (
    EXPECTED_TYPE,
    check_unique_dates,
    records_table,
    series_infos,
    table_observations,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pandas as pd

    from yenflow.http import Response
    from yenflow.sources.base import RawFile

NAME = "mof.jgb_auction_pages"
GLOB = "mof_auctions/resul*.htm"
PAGE_URL = "https://www.mof.go.jp/jgbs/auction/calendar/nyusatsu/resul{date:%Y%m%d}.htm"

_ERA = {"令和": 2018, "平成": 1988, "昭和": 1925}
_WAREKI = re.compile(r"(令和|平成|昭和)\s*(\d+|元)\s*年\s*(\d+)\s*月\s*(\d+)\s*日")
_AMOUNT = re.compile(r"(?:(\d+)兆)?(?:(\d+)億)?(?:(\d+)万)?(\d+)?円")
_PRICE = re.compile(r"(\d+)円(?:(\d+)銭)?(?:(\d+)厘)?(?:(\d+)毛)?")
_NUM = r"([△▲\-−]?\s*\d+(?:\.\d+)?)"
_TITLES = (  # (regex on the page title / name, tenor template)
    (re.compile(r"クライメート・トランジション利付国債\s*\((\d+)年\)\s*\(第(\d+)回\)"), "gx{}y"),
    (re.compile(r"物価連動国債\s*\((\d+)年\)\s*\(第(\d+)回\)"), "jgbi{}y"),
    (re.compile(r"(\d+)年利付国債\s*\(第(\d+)回\)"), "{}y"),
)
_BLOCK_TAGS = {"p", "br", "tr", "div", "li", "table", "h1", "h2", "h3", "h4", "title", "dt", "dd"}


# --------------------------------------------------------------------- text helpers
def normalize(text: str) -> str:
    """NFKC and single spaces (full-width ２.６５６％ -> 2.656%)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def parse_wareki(text: str) -> dt.date:
    """First era date in ``text`` (令和8年6月3日 -> 2026-06-03); ValueError if none."""
    m = _WAREKI.search(normalize(text))
    if not m:
        raise ValueError(f"no era date in {text!r}")
    year = 1 if m.group(2) == "元" else int(m.group(2))
    return dt.date(_ERA[m.group(1)] + year, int(m.group(3)), int(m.group(4)))


def parse_yen_amount(text: str) -> float:
    """``1兆9,839億円`` -> 19839.0 (JPY 100m); ``0円`` -> 0.0; ValueError otherwise."""
    compact = normalize(text).replace(",", "").replace(" ", "")
    m = _AMOUNT.fullmatch(compact)
    if not m or not any(m.groups()) or (m.group(4) and any(m.groups()[:3])):
        raise ValueError(f"not a yen amount: {text!r}")
    cho, oku, man, yen = (int(g) if g else 0 for g in m.groups())
    return cho * 10_000 + oku + man / 10_000 + yen / 1e8


def parse_price(text: str) -> float:
    """``98円01銭`` -> 98.01; ``99円99銭4厘5毛`` -> 99.9945 (JPY per 100)."""
    m = _PRICE.fullmatch(normalize(text).replace(" ", ""))
    if not m:
        raise ValueError(f"not a price: {text!r}")
    yen, sen, rin, mo = (int(g) if g else 0 for g in m.groups())
    return round(yen + sen / 100 + rin / 1000 + mo / 10_000, 6)


def _signed(text: str) -> float:
    t = text.replace(" ", "")
    return -float(t[1:]) if t[0] in "△▲-−" else float(t)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts.append("\n" if tag in _BLOCK_TAGS else " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        self.parts.append("\n" if tag in _BLOCK_TAGS else " ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def decode_html(raw: bytes, filename: str, source: str = NAME) -> str:
    """Decode by the page's meta charset (Shift_JIS read as cp932)."""
    m = re.search(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", raw[:4096], re.I)
    declared = m.group(1).decode("ascii").lower() if m else None
    if declared in ("shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j", "cp932"):
        declared = "cp932"
    for enc in [declared] if declared else ["utf-8", "cp932"]:
        try:
            return raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ParseError(source, filename,
                     f"HTML in its declared charset ({declared or 'UTF-8/cp932'})")


def html_text(html: str) -> str:
    """Visible text, one NFKC-normalised line per block element."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (normalize(line) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------- page parsing
class _Page:
    """Field look-up on one page; every failure names the file and source line."""

    def __init__(self, html: str, filename: str) -> None:
        self.html = html
        self.filename = filename
        self.text = " ".join(html_text(html).split("\n"))

    def line_of(self, label: str) -> int | None:
        pos = self.html.find(label)
        return self.html.count("\n", 0, pos) + 1 if pos >= 0 else None

    def fail(self, expected: str, found: object = None, label: str = "") -> ParseError:
        line = self.line_of(label) if label else None
        return ParseError(NAME, self.filename, expected, found, line)

    def grab(self, pattern: str, label: str, what: str, text: str | None = None) -> str:
        m = re.search(pattern, self.text if text is None else text)
        if not m:
            near = self._near(label, text)
            raise self.fail(f"{what} after the label {label!r}", near, label)
        return m.group(1)

    def _near(self, label: str, text: str | None) -> str | None:
        hay = self.text if text is None else text
        pos = hay.find(label)
        return hay[pos:pos + 40] if pos >= 0 else "label not found"

    def convert(self, func: Any, value: str, label: str, what: str) -> Any:
        try:
            return func(value)
        except (ValueError, KeyError):
            raise self.fail(f"{what} after {label!r}", value, label) from None


def _title(page: _Page) -> tuple[str, int]:
    for regex, template in _TITLES:
        m = regex.search(page.text)
        if m:
            return template.format(int(m.group(1))), int(m.group(2))
    raise page.fail("a title like '10年利付国債（第382回）の入札結果'", page.text[:60])


def _auction_date(page: _Page) -> dt.date:
    day = page.convert(parse_wareki, page.text, "日", "an era date (令和8年6月2日)")
    stamp = re.search(r"resul(\d{8})", page.filename)
    if stamp and stamp.group(1) != f"{day:%Y%m%d}":
        raise page.fail(f"the auction date {stamp.group(1)} of the file name", str(day))
    return day


def _section(page: _Page) -> str:
    """Text of the competitive-auction part (before the non-competitive sections)."""
    start = re.search(r"(?<!非)価格競争入札について", page.text)
    begin = start.end() if start else 0
    end = re.search(r"非競争入札について|非価格競争入札について", page.text[begin:])
    return page.text[begin:begin + end.start()] if end else page.text[begin:]


def _amount(page: _Page, section: str, label_re: str, label: str) -> float:
    raw = page.grab(label_re + r"\s*([\d,兆億万\s]+円)", label, "an amount like 1兆9,839億円",
                    section)
    return page.convert(parse_yen_amount, raw, label, "an amount in 兆/億/万円")


def _price(page: _Page, section: str, label: str) -> float:
    raw = page.grab(label + r"\s*(?:\(\s*額面金額100円につき\s*\)|額面金額100円につき)?\s*"
                    r"(\d+\s*円(?:\s*\d+\s*銭)?(?:\s*\d+\s*厘)?(?:\s*\d+\s*毛)?)",
                    label, "a price like 98円01銭", section)
    return page.convert(parse_price, raw, label, "a price in 円/銭")


def _yield(page: _Page, section: str, label_re: str, label: str) -> float:
    raw = page.grab(label_re + r"\)?\s*\(?\s*" + _NUM + r"\s*%", label,
                    "a yield like (2.656%)", section)
    return page.convert(_signed, raw, label, "a yield in %")


def _optional_amount(page: _Page, pattern: str) -> float:
    m = re.search(pattern + r"\s*([\d,兆億万\s]+円)", page.text)
    try:
        return parse_yen_amount(m.group(1)) if m else float("nan")
    except ValueError:
        return float("nan")


def _competitive(page: _Page, tenor: str) -> dict[str, Any]:
    sec = _section(page)
    kind = "price" if "募入平均価格" in sec else "yield"
    if EXPECTED_TYPE.get(tenor, kind) != kind:
        raise page.fail(f"the fields of a {EXPECTED_TYPE[tenor]}-competitive {tenor} auction "
                        "(募入平均価格 for price auctions)", f"{kind} layout", "入札結果")
    rec: dict[str, Any] = {
        "auction_type": kind,
        "bids": _amount(page, sec, r"(?:\(1\)\s*)?応募額", "応募額"),
        "accepted": _amount(page, sec, r"(?:\(2\)\s*)?募入決定額", "募入決定額"),
    }
    if kind == "price":
        rec["min_price"] = _price(page, sec, "募入最低価格")
        rec["max_yield"] = _yield(page, sec, r"募入最高利回り", "募入最高利回り")
        rec["avg_price"] = _price(page, sec, "募入平均価格")
        rec["avg_yield"] = _yield(page, sec, r"募入平均利回り", "募入平均利回り")
    else:
        rec["max_yield"] = _yield(page, sec, r"(?:応募者利回り|募入最高利回り)",
                                  "応募者利回り")
        rec["min_price"] = _price(page, page.text, "発行価格")
    return rec


def _check(page: _Page, rec: dict[str, Any]) -> None:
    ok = rec["bids"] >= rec["accepted"] > 0
    if rec["auction_type"] == "price":
        ok = ok and rec["avg_price"] >= rec["min_price"] and rec["max_yield"] >= rec["avg_yield"]
    if not ok:
        keys = ("bids", "accepted", "avg_price", "min_price", "avg_yield", "max_yield")
        raise ValidationError(NAME, page.filename,
                              "bids ≥ accepted > 0, average price ≥ lowest, "
                              "highest yield ≥ average",
                              {k: rec.get(k) for k in keys})


def page_record(raw: bytes, filename: str) -> dict[str, Any] | None:
    """The auction on one result page as a workbook-shaped record (None: no auction)."""
    page = _Page(decode_html(raw, filename), filename)
    if "非価格競争入札結果" in page.text[:300]:
        return None
    tenor, number = _title(page)
    rec: dict[str, Any] = {"tenor": tenor, "sheet": "page", "row": None,
                           "issue_number": number, "auction_date": _auction_date(page)}
    coupon = page.grab(r"表面利率\s*年?\s*" + _NUM + r"\s*(?:パーセント|%)", "表面利率",
                       "a coupon like 年2.4パーセント")
    rec["coupon"] = page.convert(_signed, coupon, "表面利率", "a coupon in %")
    for key, label in (("issue_date", "発行日"), ("maturity_date", "償還期限")):
        raw_date = page.grab(label + r"\s*((?:令和|平成)\s*(?:\d+|元)\s*年[\d\s]+月[\d\s]+日)",
                             label, "an era date")
        rec[key] = page.convert(parse_wareki, raw_date, label, "an era date")
    rec.update(_competitive(page, tenor))
    rec["noncompetitive"] = _optional_amount(page, r"非競争入札について.*?募入決定額")
    rec["nonprice1"] = _optional_amount(page, r"第I非価格競争入札について.*?募入決定額")
    _check(page, rec)
    return rec


def page_table(raw: bytes, filename: str) -> pd.DataFrame:
    """Per-auction table (``TABLE_COLUMNS``; zero or one row) of one result page."""
    rec = page_record(raw, filename)
    if rec is None:
        return records_table([])
    table = records_table([rec])
    check_unique_dates(table, filename)
    return table


CALENDAR_URL = "https://www.mof.go.jp/jgbs/auction/calendar/{yymm}.htm"
#: a coupon-auction result page linked from a calendar page (T-bill pages live under tbill/)
_RESULT_LINK = re.compile(r"""href\s*=\s*["']?((?:[^"'\s>]*/)?nyusatsu/resul(\d{8})[a-z]?\.htm)""", re.I)


def calendar_urls(today: dt.date) -> list[str]:
    """The auction calendar pages of last month and this month."""
    last = (today.replace(day=1) - dt.timedelta(days=1))
    return [CALENDAR_URL.format(yymm=f"{d:%y%m}") for d in (last, today)]


def result_links(calendar_html: bytes, calendar_url: str, today: dt.date) -> list[str]:
    """Result pages linked from one calendar page, for auctions up to ``today``
    (absolute URLs, oldest first; ``…a.htm`` pages of the same day included)."""
    from urllib.parse import urljoin

    text = calendar_html.decode("latin-1")  # the links are ASCII whatever the page's encoding
    found = {}
    for href, ymd in _RESULT_LINK.findall(text):
        if "tbill" in href.lower():
            continue
        try:
            day = dt.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
        except ValueError:
            continue
        if day <= today:
            found[urljoin(calendar_url, href)] = day
    return sorted(found, key=lambda u: (found[u], u))


class MofAuctionResultPages(Source):
    """Same-day MOF auction result pages; series as :class:`MofJgbAuctions`.

    Result-page URLs depend on the auction calendar (some days carry a second
    ``…a.htm`` page): ``fetch`` reads the calendar pages of last month and
    this month and downloads, once each, the result pages they link that the
    raw archive does not hold yet.
    """

    name = NAME
    title = "MOF JGB auction result pages (same day)"
    publisher = "Ministry of Finance Japan"
    max_age_days = 14
    files = (FileSpec("result_pages", None, GLOB, (GLOB,)),)

    def fetch(self, get: Callable[..., Response | None], today: dt.date | None = None) -> Iterator[RawFile]:
        from yenflow.errors import FetchError
        from yenflow.sources.base import RawFile

        today = today or dt.date.today()
        archived = getattr(get, "archived", None)
        for cal_url in calendar_urls(today):
            try:
                cal = get(cal_url)
            except FetchError:
                continue  # recorded by the pipeline's get
            if cal is None:  # unchanged since the last run: its pages were fetched then
                continue
            for url in result_links(cal.content, cal_url, today):
                if archived is not None and archived(url):
                    continue
                try:
                    resp = get(url)
                except FetchError:
                    continue
                if resp is not None:
                    yield RawFile(url.rsplit("/", 1)[-1], resp.content, resp.url, resp.etag, resp.last_modified)

    def urls(self, today: dt.date | None = None) -> list[str]:
        return [CALENDAR_URL.replace("{yymm}", "{YYMM}") + " (last and this month)",
                PAGE_URL.replace("{date:%Y%m%d}", "{YYYYMMDD}") + " (each result page it links, once)"]

    def parse(self, raw: bytes, filename: str) -> Parsed:
        table = page_table(raw, filename)
        obs = table_observations(table)
        return Parsed(obs, series_infos(obs, "from MOF's same-day result page"))
