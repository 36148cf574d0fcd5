"""BOJ Time-Series Statistics Search Site API (``getDataCode``), source ``boj.api``.

Endpoint ``https://www.stat-search.boj.or.jp/api/v1/getDataCode`` (manual
"時系列統計データ検索サイト API 機能利用マニュアル", 2026-02-18). No key.
One request holds at most 250 series codes, all of the same frequency, and at most 60,000
data points; when a limit is hit the body carries ``NEXTPOSITION`` (a 1-based
index into the requested codes) to pass back as ``startPosition``.

Envelope: ``STATUS`` (200 ok; 400 parameter error; 500; 503), ``MESSAGEID``
(``M181000I`` ok, ``M181030I`` ok but no data, ``M1810xxE`` errors),
``MESSAGE``, ``PARAMETER``, ``NEXTPOSITION`` (null when done) and
``RESULTSET[]`` with ``SERIES_CODE``, ``NAME_OF_TIME_SERIES``, ``UNIT``,
``FREQUENCY``, ``VALUES{SURVEY_DATES[], VALUES[]}``. The CSV variant has one
``TAG,value`` line per envelope field, ``PARAMETER,NAME,value`` lines, then a
``SERIES_CODE,…,SURVEY_DATES,VALUES`` header and one line per observation.

Conventions of :meth:`BojApi.parse`:

* dates: ``SURVEY_DATES`` ``YYYYMMDD`` (daily, weekly) → that day;
  ``YYYYMM`` (monthly) → month end, ``period_start`` the 1st; ``YYYYQQ``
  (quarterly) → quarter end; ``YYYY`` → 31 Dec (calendar year) or 31 Mar of
  the next year (fiscal year, ``ANNUAL(MAR)``); ``YYYYHH`` → half-year end;
* ``null`` (JSON) or an empty cell (CSV) is a missing value and is dropped;
* values are kept in the publisher's unit (``%``, ``JPY 100m``, ``JPY bn``,
  ``JPY per USD``); codes outside :data:`CORE_SERIES` become
  ``boj.<db>.<code>`` (lower case) with the unit the response states.

Every catalog row carries :data:`BOJ_CREDIT`, the credit line the BOJ requires
of services built on the API (``api_notice.pdf`` §2).
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from yenflow.errors import FetchError, ParseError
from yenflow.sources.figures import ascii_float
from yenflow.sources.base import FileSpec, Parsed, RawFile, SeriesInfo, Source

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    import pandas as pd

    from yenflow.http import Response

BASE_URL = "https://www.stat-search.boj.or.jp/api/v1"
MAX_CODES_PER_REQUEST = 250
MAX_PAGES_PER_REQUEST = 200  # guard against a NEXTPOSITION that never ends
SOURCE_NAME = "boj.api"

#: Credit line required by the BOJ (api_notice.pdf §2 「クレジット表示」), with an
#: English rendering (ours; the Japanese text is the one the BOJ prescribes).
BOJ_CREDIT_JA = (
    "このサービスは、日本銀行時系列統計データ検索サイトの API 機能を使用しています。"
    "サービスの内容は日本銀行によって保証されたものではありません。"
)
BOJ_CREDIT_EN = (
    "This service uses the API function of the Bank of Japan Time-Series Data Search "
    "site. The contents of this service are not guaranteed by the Bank of Japan."
)
BOJ_CREDIT = f"{BOJ_CREDIT_JA} / {BOJ_CREDIT_EN}"

MSG_OK = "M181000I"
MSG_NO_DATA = "M181030I"


@dataclass(frozen=True)
class BojSeries:
    """One API series yenflow names. ``freq`` is the request frequency
    letter (``D``, ``W``, ``M``, ``Q``, ``CY``, ``FY``, ``CH``, ``FH``)."""

    db: str
    code: str
    freq: str
    id: str
    name: str
    unit: str
    description: str = ""


_BP = "BPM6 basis; net = net acquisition of assets (+) / net incurrence of liabilities (+)."
CORE_SERIES: tuple[BojSeries, ...] = (
    BojSeries("FM01", "STRDCLUCON", "D", "rate.jpy.tona",
              "TONA: uncollateralised overnight call rate, average", "%",
              "Daily average of the uncollateralised O/N call rate (TONA), % p.a., ACT/365F."),
    BojSeries("FM02", "STRACLUC3M", "M", "rate.jpy.call_3m_monthly",
              "Uncollateralised 3-month call rate, monthly average", "%",
              "Monthly average, % p.a. (the BOJ has no daily 3M series)."),
    BojSeries("IR01", "MADR1Z@D", "D", "rate.boj.basic_loan",
              "Basic discount rate and basic loan rate", "%",
              "Rate of the complementary lending facility, % p.a.; not the policy target."),
    BojSeries("FM08", "FXERD04", "D", "fx.usdjpy.tokyo_17",
              "USD/JPY spot rate at 17:00 JST, Tokyo market", "JPY per USD"),
    BojSeries("FM08", "FXERM07", "M", "fx.usdjpy.monthly_avg",
              "USD/JPY spot rate at 17:00 JST, monthly average", "JPY per USD"),
    BojSeries("BP01", "BPBP6JYNCB", "M", "bop.current_account",
              "Current account balance", "JPY 100m", "BPM6 basis, not seasonally adjusted."),
    BojSeries("BP01", "BPBP6JYNFA2", "M", "bop.pi.assets.net",
              "Portfolio investment assets, net", "JPY 100m", _BP),
    BojSeries("BP01", "BPBP6JYNFA21", "M", "bop.pi.assets.equity",
              "Portfolio investment assets, equity and investment fund shares, net",
              "JPY 100m", _BP),
    BojSeries("BP01", "BPBP6JYNFA22", "M", "bop.pi.assets.debt",
              "Portfolio investment assets, debt securities, net", "JPY 100m", _BP),
    BojSeries("BP01", "BPBP6JYNFL2", "M", "bop.pi.liabilities.net",
              "Portfolio investment liabilities, net", "JPY 100m", _BP),
    BojSeries("BP01", "BPBP6JYNFL21", "M", "bop.pi.liabilities.equity",
              "Portfolio investment liabilities, equity and investment fund shares, net",
              "JPY 100m", _BP),
    BojSeries("BP01", "BPBP6JYNFL22", "M", "bop.pi.liabilities.debt",
              "Portfolio investment liabilities, debt securities, net", "JPY 100m", _BP),
    BojSeries("BP01", "BPBP6JYNFA4", "M", "bop.reserve_assets.net",
              "Reserve assets, net", "JPY 100m", _BP),
    BojSeries("BP01", "BPPI6D3NAUS", "M", "bop.pi.assets.us_lt_sovereign.net",
              "Portfolio investment assets, long-term sovereign debt, U.S.A., net", "JPY 100m",
              "Residents' net purchases (+) of long-term US sovereign debt (≈ USTs). " + _BP),
    BojSeries("BP01", "BPPI6D1NAUS", "M", "bop.pi.assets.us_sovereign.net",
              "Portfolio investment assets, sovereign debt, U.S.A., net", "JPY 100m", _BP),
    BojSeries("BP01", "BPBP6KA", "CY", "iip.assets",
              "International investment position, total assets (end of year)", "JPY bn"),
    BojSeries("BP01", "BPBP6KA2", "CY", "iip.pi.assets",
              "International investment position, portfolio investment assets (end of year)",
              "JPY bn"),
    BojSeries("BP01", "BPBP6KN", "CY", "iip.net",
              "Net international investment position (end of year)", "JPY bn"),
    BojSeries("BP01", "BPBP6PN9", "Q", "iip.net.quarterly",
              "Net international investment position (end of quarter)", "JPY bn"),
    BojSeries("BP01", "BPBP6PA47", "Q", "iip.reserve_assets.quarterly",
              "International investment position, reserve assets (end of quarter)", "JPY bn"),
    BojSeries("FF", "FOF_FFAS500A311", "Q", "fof.jgb_fil.overseas",
              "Central government securities and FILP bonds held by overseas", "JPY 100m",
              "Flow of Funds amount outstanding at quarter end (foreign holdings of JGBs)."),
    BojSeries("FF", "FOF_FFAS500A310", "Q", "fof.tbill.overseas",
              "Treasury discount bills held by overseas", "JPY 100m",
              "Flow of Funds amount outstanding at quarter end."),
    BojSeries("FF", "FOF_FFAS132A540", "Q", "fof.outward_securities.life_insurance",
              "Outward investments in securities held by life insurance", "JPY 100m",
              "Flow of Funds amount outstanding at quarter end."),
)
_BY_CODE = {s.code: s for s in CORE_SERIES}

# ---------------------------------------------------------------------------
# BOJ policy target (hand-maintained; the API has no policy-rate series).
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MpmDecision:
    """A change of the BOJ's short-term policy rate at a Monetary Policy
    Meeting. ``target`` is in % p.a. (the midpoint when a range was set);
    ``effective`` is the first business day the new guideline applied."""

    decided: date
    effective: date
    target: float
    low: float
    high: float
    guideline: str


#: Changes of the BOJ short-term policy rate since negative rates, from the
#: BOJ "Statement on Monetary Policy" of each date. Effective dates agree with
#: BIS CBPOL ``D.JP`` (../shared/data/boj/boj-policy-rate_BIS-CBPOL-D.JP_derived.csv,
#: which dates a change one business day after the decision) and with the
#: jumps in TONA (…/japan-overnight-call-rate_STRDCLUCON_derived.csv).
#: The 2016-09-21 YCC decision kept −0.1% and is therefore not a row.
MPM_DECISIONS: tuple[MpmDecision, ...] = (
    # 2016-01-29 "QQE with a Negative Interest Rate": −0.1% on policy-rate
    # balances from the reserve maintenance period starting 2016-02-16
    # (TONA 0.001 on 02-16, −0.002 on 02-17).
    MpmDecision(date(2016, 1, 29), date(2016, 2, 16), -0.10, -0.10, -0.10,
                "-0.1% applied to policy-rate balances in current accounts"),
    # 2024-03-19: end of negative rates; BIS 0.05 from 2024-03-21.
    MpmDecision(date(2024, 3, 19), date(2024, 3, 21), 0.05, 0.0, 0.10,
                "uncollateralized O/N call rate at around 0 to 0.1%"),
    # 2024-07-31: BIS 0.25 from 2024-08-01; TONA 0.227 on 2024-08-01.
    MpmDecision(date(2024, 7, 31), date(2024, 8, 1), 0.25, 0.25, 0.25,
                "uncollateralized O/N call rate at around 0.25%"),
    # 2025-01-24: BIS 0.50 from 2025-01-27.
    MpmDecision(date(2025, 1, 24), date(2025, 1, 27), 0.50, 0.50, 0.50,
                "uncollateralized O/N call rate at around 0.5%"),
    # 2025-12-19: BIS 0.75 from 2025-12-22; TONA 0.727 on 2025-12-22.
    MpmDecision(date(2025, 12, 19), date(2025, 12, 22), 0.75, 0.75, 0.75,
                "uncollateralized O/N call rate at around 0.75%"),
    # 2026-06-16 (decision date inferred, unconfirmed: check against the BOJ
    # statement): BIS 1.00 from 2026-06-17; TONA 0.727 → 0.978 on 2026-06-17.
    MpmDecision(date(2026, 6, 16), date(2026, 6, 17), 1.00, 1.00, 1.00,
                "uncollateralized O/N call rate at around 1.0%"),
)

POLICY_TARGET = SeriesInfo(
    id="rate.boj.policy_target",
    name="BOJ short-term policy rate target",
    unit="%",
    frequency="irregular",
    description=(
        "Step series from the hand-maintained MPM decision table (MPM_DECISIONS): one "
        "observation per change, ref_date = first day the guideline applied, released = "
        "decision date; a range (0-0.1% in 2024) is stored as its midpoint. Starts with "
        "negative rates (2016); before 2013 use BIS CBPOL via `yenflow import`."
    ),
    notes="Not an API series (the BOJ publishes no policy-rate series). " + BOJ_CREDIT,
)


def policy_target_parsed() -> Parsed:
    """The MPM decision table as a :class:`Parsed` (``rate.boj.policy_target``)."""
    import pandas as pd

    obs = pd.DataFrame(
        {
            "series_id": POLICY_TARGET.id,
            "ref_date": pd.to_datetime([d.effective for d in MPM_DECISIONS]),
            "value": [float(d.target) for d in MPM_DECISIONS],
            "released": pd.to_datetime([d.decided for d in MPM_DECISIONS]),
        }
    )
    return Parsed(obs, [POLICY_TARGET])


def policy_target_on(day: date) -> float | None:
    """The policy target (% p.a.) in force on ``day``; None before the table starts."""
    current = None
    for d in MPM_DECISIONS:
        if d.effective <= day:
            current = d.target
    return current


# ---------------------------------------------------------------------------
# Frequencies and dates
# ---------------------------------------------------------------------------

#: response FREQUENCY (prefix) → (request letter, catalog frequency)
_FREQ_NAMES = (
    ("SEMIANNUAL(SEP)", "FH", "semiannual"),
    ("SEMIANNUAL", "CH", "semiannual"),
    ("ANNUAL(MAR)", "FY", "annual"),
    ("ANNUAL", "CY", "annual"),
    ("QUARTERLY", "Q", "quarterly"),
    ("MONTHLY", "M", "monthly"),
    ("WEEKLY", "W", "weekly"),
    ("DAILY", "D", "daily"),
)


def _freq_letter(name: str) -> tuple[str, str] | None:
    up = name.strip().upper()
    for prefix, letter, catalog in _FREQ_NAMES:
        if up.startswith(prefix):
            return letter, catalog
    return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _period(letter: str, survey: str) -> tuple[date, date | None]:
    """(ref_date, period_start) of one SURVEY_DATES entry; ValueError if malformed."""
    if not survey.isdigit():
        raise ValueError(survey)
    y = int(survey[:4])
    if letter in ("D", "W") and len(survey) == 8:
        return date(y, int(survey[4:6]), int(survey[6:8])), None
    if letter == "M" and len(survey) == 6:
        m = int(survey[4:6])
        return _month_end(y, m), date(y, m, 1)
    if letter == "Q" and len(survey) == 6 and 1 <= int(survey[4:6]) <= 4:
        q = int(survey[4:6])
        return _month_end(y, 3 * q), date(y, 3 * q - 2, 1)
    if letter == "CY" and len(survey) == 4:
        return date(y, 12, 31), date(y, 1, 1)
    if letter == "FY" and len(survey) == 4:
        return date(y + 1, 3, 31), date(y, 4, 1)
    if letter in ("CH", "FH") and len(survey) == 6 and survey[4:6] in ("01", "02"):
        first = (1 if letter == "CH" else 4) + (6 if survey[4:6] == "02" else 0)
        y0, m0 = (y, first) if first <= 12 else (y + 1, first - 12)
        y1, m1 = (y0, m0 + 5) if m0 + 5 <= 12 else (y0 + 1, m0 - 7)
        return _month_end(y1, m1), date(y0, m0, 1)
    raise ValueError(survey)


def _date_param(letter: str, day: date) -> str:
    """``startDate``/``endDate`` for a request (manual II.3: D/W/M use YYYYMM)."""
    if letter in ("D", "W", "M"):
        return f"{day.year}{day.month:02d}"
    if letter == "Q":
        return f"{day.year}{(day.month - 1) // 3 + 1:02d}"
    if letter in ("CH", "FH"):
        return f"{day.year}{1 if day.month <= 6 else 2:02d}"
    return str(day.year)


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------

#: reported-unit fragments (lower case) → catalog unit; first match wins
_UNIT_FAMILIES = (
    ("%", "%"), ("％", "%"), ("percent", "%"),
    ("billion yen", "JPY bn"), ("10億円", "JPY bn"),
    ("100 million yen", "JPY 100m"), ("億円", "JPY 100m"),
    ("million u.s. dollars", "USD m"), ("million us dollars", "USD m"),
    ("yen", "JPY per USD"), ("円", "JPY per USD"),
)


def _unit_family(reported: str) -> str | None:
    low = reported.lower()
    for fragment, family in _UNIT_FAMILIES:
        if fragment in low:
            return family
    return None


# ---------------------------------------------------------------------------
# Envelope and result blocks (JSON and CSV)
# ---------------------------------------------------------------------------


@dataclass
class Envelope:
    status: int
    message_id: str
    message: str
    db: str
    next_position: int | None


@dataclass
class Block:
    """One series of a response page."""

    code: str
    name: str
    unit: str
    frequency: str
    dates: list[Any]
    values: list[Any]
    rows: list[int]  # 1-based position of each value (JSON item / CSV line)


def _is_json(raw: bytes) -> bool:
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _decode(raw: bytes, filename: str) -> str:
    for enc in ("utf-8-sig", "cp932"):  # lang=en is UTF-8, lang=jp Shift-JIS
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ParseError(SOURCE_NAME, filename, "UTF-8 or Shift-JIS text")


def _int_or_none(x: Any, filename: str, field: str) -> int | None:
    if x is None or (isinstance(x, str) and x.strip() in ("", "null")):
        return None
    try:
        return int(x)
    except (TypeError, ValueError):
        raise ParseError(SOURCE_NAME, filename, f"an integer or null in {field}", x) from None


def _json_page(raw: bytes, filename: str) -> tuple[Envelope, list[Block]]:
    import json

    try:
        doc = json.loads(_decode(raw, filename))
    except json.JSONDecodeError as e:
        raise ParseError(SOURCE_NAME, filename, "a JSON document", str(e), row=e.lineno) from None
    if not isinstance(doc, dict) or "STATUS" not in doc:
        raise ParseError(SOURCE_NAME, filename, "a JSON object with STATUS", type(doc).__name__)
    param = doc.get("PARAMETER") or {}
    env = Envelope(
        status=_int_or_none(doc.get("STATUS"), filename, "STATUS") or 0,
        message_id=str(doc.get("MESSAGEID", "")),
        message=str(doc.get("MESSAGE", "")),
        db=str(param.get("DB", "")) if isinstance(param, dict) else "",
        next_position=_int_or_none(doc.get("NEXTPOSITION"), filename, "NEXTPOSITION"),
    )
    blocks = [_json_block(i, item, filename) for i, item in enumerate(doc.get("RESULTSET") or [])]
    return env, blocks


def _json_block(i: int, item: Any, filename: str) -> Block:
    where = f"RESULTSET[{i}]"
    if not isinstance(item, dict) or not isinstance(item.get("VALUES"), dict):
        raise ParseError(SOURCE_NAME, filename, f"{where} with SERIES_CODE and VALUES{{}}", item)
    if not str(item.get("SERIES_CODE") or "").strip():
        raise ParseError(SOURCE_NAME, filename, f"{where} with a SERIES_CODE",
                         item.get("SERIES_CODE"))
    vals = item["VALUES"]
    dates, values = vals.get("SURVEY_DATES"), vals.get("VALUES")
    if not isinstance(dates, list) or not isinstance(values, list) or len(dates) != len(values):
        raise ParseError(
            SOURCE_NAME, filename, f"{where}: SURVEY_DATES and VALUES lists of equal length",
            (None if not isinstance(dates, list) else len(dates),
             None if not isinstance(values, list) else len(values)),
        )
    return Block(
        code=str(item.get("SERIES_CODE", "")),
        name=str(item.get("NAME_OF_TIME_SERIES") or item.get("NAME_OF_TIME_SERIES_J") or ""),
        unit=str(item.get("UNIT") or item.get("UNIT_J") or ""),
        frequency=str(item.get("FREQUENCY", "")),
        dates=dates,
        values=values,
        rows=list(range(1, len(values) + 1)),
    )


_CSV_NEEDED = ("SERIES_CODE", "FREQUENCY", "SURVEY_DATES", "VALUES")


def _csv_page(raw: bytes, filename: str) -> tuple[Envelope, list[Block]]:
    import csv
    import io

    lines = list(csv.reader(io.StringIO(_decode(raw, filename))))
    head: dict[str, str] = {}
    db = ""
    for n, row in enumerate(lines, start=1):
        tag = row[0].strip() if row else ""
        if tag == "SERIES_CODE":
            env = _csv_envelope(head, db, filename)
            return env, _csv_blocks(row, lines[n:], n + 1, filename)
        if tag == "PARAMETER" and len(row) >= 3 and row[1].strip().upper() == "DB":
            db = row[2].strip()
        elif tag:
            head[tag] = row[1].strip() if len(row) > 1 else ""
    head_env = _csv_envelope(head, db, filename)
    if head_env.status != 200 or head_env.message_id == MSG_NO_DATA:
        return head_env, []
    raise ParseError(SOURCE_NAME, filename, "a SERIES_CODE header line", None, row=len(lines))


def _csv_envelope(head: dict[str, str], db: str, filename: str) -> Envelope:
    if "STATUS" not in head:
        raise ParseError(SOURCE_NAME, filename, "a STATUS line at the top", None, row=1)
    return Envelope(
        status=_int_or_none(head.get("STATUS"), filename, "STATUS") or 0,
        message_id=head.get("MESSAGEID", ""),
        message=head.get("MESSAGE", ""),
        db=db,
        next_position=_int_or_none(head.get("NEXTPOSITION"), filename, "NEXTPOSITION"),
    )


def _csv_blocks(
    header: list[str], body: list[list[str]], first: int, filename: str
) -> list[Block]:
    cols = {h.strip(): i for i, h in enumerate(header)}
    missing = [h for h in _CSV_NEEDED if h not in cols]
    if missing:
        raise ParseError(SOURCE_NAME, filename, f"columns {', '.join(_CSV_NEEDED)}",
                         header, row=first - 1)
    name_col = cols.get("NAME_OF_TIME_SERIES", cols.get("NAME_OF_TIME_SERIES_J"))
    unit_col = cols.get("UNIT", cols.get("UNIT_J"))
    blocks: dict[str, Block] = {}
    for n, row in enumerate(body, start=first):
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            raise ParseError(SOURCE_NAME, filename, f"{len(header)} fields", len(row), row=n)
        code = row[cols["SERIES_CODE"]].strip()
        b = blocks.get(code)
        if b is None:
            b = blocks[code] = Block(
                code, row[name_col] if name_col is not None else "",
                row[unit_col] if unit_col is not None else "",
                row[cols["FREQUENCY"]], [], [], [],
            )
        b.dates.append(row[cols["SURVEY_DATES"]].strip())
        b.values.append(row[cols["VALUES"]].strip())
        b.rows.append(n)
    return list(blocks.values())


def read_page(raw: bytes, filename: str) -> tuple[Envelope, list[Block]]:
    """Split one API response page (JSON or CSV) into envelope and series blocks."""
    if _is_json(raw):
        return _json_page(raw, filename)
    return _csv_page(raw, filename)


# ---------------------------------------------------------------------------
# Blocks → observations
# ---------------------------------------------------------------------------


def _value(x: Any, filename: str, code: str, row: int) -> float | None:
    """A float, None for a missing value; ParseError for anything else."""
    import math

    if x is None:
        return None
    s = str(x).strip()
    if not isinstance(x, (int, float, str)) or isinstance(x, bool):
        s = "?"
    if s in ("", "null", "NA", "ND"):
        return None
    try:
        v = float(x) if isinstance(x, (int, float)) else ascii_float(s)
    except ValueError:
        raise ParseError(SOURCE_NAME, filename, f"a number (ASCII digits) or null for {code}", x,
                         row=row) from None
    if not math.isfinite(v):
        raise ParseError(SOURCE_NAME, filename, f"a finite number for {code}", x, row=row)
    return v


def _series_info(block: Block, db: str, catalog_freq: str, filename: str) -> SeriesInfo:
    known = _BY_CODE.get(block.code)
    if known is None:
        return SeriesInfo(
            id=f"boj.{db.lower()}.{block.code.lower()}",
            name=block.name or block.code,
            unit=block.unit.strip() or "unknown",
            frequency=catalog_freq,
            description=f"BOJ API series {db}'{block.code} ({block.frequency}).",
            notes=BOJ_CREDIT,
        )
    family = _unit_family(block.unit)
    if family is not None and family != known.unit:
        raise ParseError(SOURCE_NAME, filename, f"unit {known.unit} for {block.code}", block.unit)
    return _known_info(known)


def _known_info(s: BojSeries) -> SeriesInfo:
    freq = next(c for _, letter, c in _FREQ_NAMES if letter == s.freq)
    desc = (s.description + " " if s.description else "") + f"BOJ API {s.db}'{s.code}."
    return SeriesInfo(s.id, s.name, s.unit, freq, desc, BOJ_CREDIT)


def _block_rows(block: Block, db: str, filename: str) -> tuple[SeriesInfo, list[tuple]]:
    freq = _freq_letter(block.frequency)
    if freq is None:
        raise ParseError(SOURCE_NAME, filename, f"a known FREQUENCY for {block.code}",
                         block.frequency, row=block.rows[0] if block.rows else None)
    letter, catalog_freq = freq
    known = _BY_CODE.get(block.code)
    if known is not None and known.freq != letter:
        raise ParseError(SOURCE_NAME, filename, f"frequency {known.freq} for {block.code}",
                         block.frequency)
    info = _series_info(block, db, catalog_freq, filename)
    out = []
    seen: set[date] = set()
    for survey, raw_value, row in zip(block.dates, block.values, block.rows, strict=True):
        value = _value(raw_value, filename, block.code, row)
        try:
            ref, start = _period(letter, str(survey).strip())
        except ValueError:
            raise ParseError(SOURCE_NAME, filename, f"a {letter} SURVEY_DATES entry for "
                             f"{block.code}", survey, row=row) from None
        if ref in seen:
            raise ParseError(SOURCE_NAME, filename, f"each SURVEY_DATES entry once for "
                             f"{block.code}", survey, row=row)
        seen.add(ref)
        if value is not None:
            out.append((info.id, ref, value, start))
    return info, out


def _frame(rows: Iterable[tuple]) -> "pd.DataFrame":
    import pandas as pd

    df = pd.DataFrame(list(rows), columns=["series_id", "ref_date", "value", "period_start"])
    df["series_id"] = df["series_id"].astype(str)
    df["ref_date"] = pd.to_datetime(df["ref_date"]).astype("datetime64[ns]")
    df["period_start"] = pd.to_datetime(df["period_start"]).astype("datetime64[ns]")
    df["value"] = df["value"].astype("float64")
    return df


def parse_page(raw: bytes, filename: str) -> Parsed:
    """Parse one ``getDataCode`` page (JSON or CSV) into observations."""
    env, blocks = read_page(raw, filename)
    if env.status != 200:
        raise ParseError(SOURCE_NAME, filename, "STATUS 200 (this is an error response)",
                         f"{env.status} {env.message_id}: {env.message}")
    if blocks and not env.db:
        raise ParseError(SOURCE_NAME, filename, "PARAMETER.DB in the response", None)
    infos: dict[str, SeriesInfo] = {}
    rows: list[tuple] = []
    for block in blocks:
        info, block_rows = _block_rows(block, env.db, filename)
        if info.id in infos:
            raise ParseError(SOURCE_NAME, filename, f"{block.code} once per page", block.code)
        infos[info.id] = info
        rows.extend(block_rows)
    no_data = f"{env.message_id}: {env.message}" if env.message_id == MSG_NO_DATA else None
    return Parsed(_frame(rows), list(infos.values()), no_data=no_data)


# ---------------------------------------------------------------------------
# The source
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """Codes of one DB and one frequency (split into ≤250-code requests)."""

    db: str
    freq: str
    codes: tuple[str, ...]


def group_requests(series: Iterable[BojSeries]) -> list[Request]:
    """Group series by (DB, frequency), keeping first-seen order."""
    groups: dict[tuple[str, str], list[str]] = {}
    for s in series:
        codes = groups.setdefault((s.db, s.freq), [])
        if s.code not in codes:
            codes.append(s.code)
    return [Request(db, freq, tuple(codes)) for (db, freq), codes in groups.items()]


def _chunks(codes: Sequence[str], size: int = MAX_CODES_PER_REQUEST) -> list[tuple[str, ...]]:
    return [tuple(codes[i : i + size]) for i in range(0, len(codes), size)]


class BojApi(Source):
    """BOJ Time-Series Statistics Search Site API (``getDataCode``).

    ``series``: what to request (default :data:`CORE_SERIES`); extra codes may
    be given as :class:`BojSeries` with any id (unmapped codes are named
    ``boj.<db>.<code>`` by :meth:`parse`). ``start``: first period wanted
    (None = whole history). ``pause``: seconds between requests (the BOJ asks
    for spaced requests; keep ≥ 1 in production). ``fmt``: ``json`` or ``csv``.
    """

    name: ClassVar[str] = SOURCE_NAME
    title: ClassVar[str] = "BOJ Time-Series Statistics Search Site API"
    publisher: ClassVar[str] = "Bank of Japan"
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec("api", None, "boj/api", ("boj/api/*.json", "boj/api/*.csv")),
    )
    max_age_days: ClassVar[int] = 5
    credit: ClassVar[str] = BOJ_CREDIT

    def __init__(
        self,
        series: Sequence[BojSeries] = CORE_SERIES,
        *,
        start: date | None = None,
        pause: float = 1.0,
        fmt: str = "json",
        lang: str = "en",
        base_url: str = BASE_URL,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if fmt not in ("json", "csv"):
            raise ValueError(f"`fmt` must be 'json' or 'csv', not {fmt!r}")
        self.series = tuple(series)
        self.start = start
        self.pause = pause
        self.fmt = fmt
        self.lang = lang
        self.base_url = base_url.rstrip("/")
        self._sleep = sleep
        self._requests_made = 0

    def catalog(self) -> list[SeriesInfo]:
        """Catalog rows of the named series, plus ``rate.boj.policy_target``."""
        return [_known_info(s) for s in self.series if s.code in _BY_CODE] + [POLICY_TARGET]

    def fetch(self, get: Callable[..., Response | None], today: date | None = None) -> Iterator[RawFile]:
        """Every page of every request; a request that fails does not stop the
        others (the first failure is raised once the rest are fetched)."""
        self._requests_made = 0
        first_error: FetchError | None = None
        for req in group_requests(self.series):
            page = 0
            for chunk in _chunks(req.codes):
                try:
                    for resp in self._pages(get, req, chunk):
                        page += 1
                        name = f"{req.db}_{req.freq}_p{page}.{self.fmt}"
                        yield RawFile(name, resp.content, resp.url, resp.etag, resp.last_modified)
                except FetchError as e:
                    first_error = first_error or e
        if first_error is not None:
            raise first_error

    def urls(self, today: date | None = None) -> list[str]:
        return [f"{self.base_url}/getDataCode?db=…&code=… ({len(group_requests(self.series))} requests, paged)"]

    def _params(self, req: Request, chunk: tuple[str, ...], position: int | None) -> dict[str, str]:
        params = {"db": req.db, "code": ",".join(chunk), "format": self.fmt, "lang": self.lang}
        if self.start is not None:
            params["startDate"] = _date_param(req.freq, self.start)
        if position is not None:
            params["startPosition"] = str(position)
        return params

    def _pages(self, get: Callable[..., Response | None], req: Request,
               chunk: tuple[str, ...]) -> Iterator[Response]:
        position: int | None = None
        for _ in range(MAX_PAGES_PER_REQUEST):
            resp = self._request(get, self._params(req, chunk, position))
            if resp is None:  # 304: unchanged since the last fetch
                return
            env = self._check(resp)
            yield resp
            if env.next_position is None:
                return
            if position is not None and env.next_position <= position:
                raise FetchError(self.name, resp.url, f"NEXTPOSITION {env.next_position} does "
                                 f"not advance past startPosition {position}")
            position = env.next_position
        raise FetchError(self.name, f"{self.base_url}/getDataCode",
                         f"more than {MAX_PAGES_PER_REQUEST} pages for one request")

    def _request(
        self, get: Callable[..., Response | None], params: dict[str, str]
    ) -> Response | None:
        if self._requests_made and self.pause > 0:
            self._sleep(self.pause)
        self._requests_made += 1
        url = f"{self.base_url}/getDataCode"
        try:
            return get(url, params=params)
        except FetchError as e:
            if "HTTP 400" in e.cause:
                raise FetchError(self.name, e.url, f"{e.cause}: the BOJ API rejected a parameter "
                                 "(M1810xxE: DB name, series code or mixed frequencies); "
                                 "check the configured series") from e
            raise

    def _check(self, resp: Response) -> Envelope:
        try:
            env, _ = read_page(resp.content, resp.url)
        except ParseError as e:
            raise FetchError(self.name, resp.url, f"unreadable response: {e}") from e
        if env.status != 200:
            raise FetchError(self.name, resp.url,
                             f"BOJ API error STATUS {env.status} {env.message_id}: {env.message}")
        return env

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_page(raw, filename)
