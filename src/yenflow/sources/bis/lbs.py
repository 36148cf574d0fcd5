"""BIS locational banking statistics (LBS), source ``bis.lbs``.

Reads BIS Data Portal SDMX REST v2 responses with ``format=csv`` for dataflow
``WS_LBS_D_PUB``: one row per series and quarter, dimension codes only (no
labels). The header (no DATAFLOW column, so not SDMX-CSV 1.0)::

    FREQ,L_MEASURE,L_POSITION,L_INSTR,L_DENOM,L_CURR_TYPE,L_PARENT_CTY,L_REP_BANK_TYPE,
    L_REP_CTY,L_CP_SECTOR,L_CP_COUNTRY,L_POS_TYPE,DECIMALS,UNIT_MEASURE,UNIT_MULT,
    AVAILABILITY,TITLE_GRP,TIME_FORMAT,COLLECTION,ORG_VISIBILITY,TIME_PERIOD,OBS_VALUE,
    OBS_STATUS,OBS_CONF,OBS_PRE_BREAK

Scope: amounts outstanding (``L_MEASURE=S``) of all instruments, cross-border
(``L_POS_TYPE=N``), reported by all banks of all nationalities
(``L_PARENT_CTY=5J``, ``L_REP_BANK_TYPE=A``) located in one reporting country,
quarterly, in USD millions (``UNIT_MEASURE=USD``, ``UNIT_MULT=6``). A row outside
that scope is a ParseError naming the column and the values allowed.

Output ids: ``bis.lbs.<reporter>.<claims|liabilities>.<denomination>.<counterparty>``,
e.g. ``bis.lbs.jp.claims.all_ccy.ky`` (banks in Japan's cross-border claims on
Cayman Islands residents, all currencies); counterparty codes are BIS/ISO codes
lower-cased, ``5J`` → ``all`` (all countries), ``1C`` → ``intl_orgs``; a
counterparty sector other than all sectors (``A``) adds a suffix. Unit ``USD m``,
``ref_date`` = quarter end, ``period_start`` = quarter start.

Missing values are the literal ``NaN``. With ``OBS_STATUS=B`` (break in the
series) the BIS puts the value on the old basis in ``OBS_PRE_BREAK``; where that
is a number it is kept as ``….pre_break`` (the break quarter on the pre-break
basis), never merged into the main series. Dissolved economies (``YU``, ``SU``,
``CS``, ``DD``…) keep the last quarters the BIS still shows.
"""

from __future__ import annotations

import csv
import io
import re
from typing import ClassVar

from yenflow.errors import ParseError
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source

NAME = "bis.lbs"
API = "https://stats.bis.org/api/v2/data/dataflow/BIS/WS_LBS_D_PUB/1.0/{key}?format=csv&lastNObservations={n}"
KEYS = {"claims": "Q.S.C.A.TO1.A.5J.A.JP.A..N", "liabilities": "Q.S.L.A.TO1.A.5J.A.JP.A..N"}
#: the columns the parser reads; others (TITLE_GRP, COLLECTION…) are ignored
NEEDED = ("FREQ", "L_MEASURE", "L_POSITION", "L_INSTR", "L_DENOM", "L_CURR_TYPE", "L_PARENT_CTY",
          "L_REP_BANK_TYPE", "L_REP_CTY", "L_CP_SECTOR", "L_CP_COUNTRY", "L_POS_TYPE", "UNIT_MEASURE",
          "UNIT_MULT", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "OBS_PRE_BREAK")
#: dimension -> the values this source understands
FIXED = {"FREQ": ("Q",), "L_MEASURE": ("S",), "L_INSTR": ("A",), "L_CURR_TYPE": ("A",),
         "L_PARENT_CTY": ("5J",), "L_REP_BANK_TYPE": ("A",), "L_POS_TYPE": ("N",),
         "UNIT_MEASURE": ("USD",), "UNIT_MULT": ("6",), "L_POSITION": ("C", "L")}
POSITIONS = {"C": "claims", "L": "liabilities"}
DENOMS = {"TO1": "all_ccy"}  # other codes (JPY, USD, EUR…) are used lower-cased
SECTORS = {"A": "", "B": ".banks", "N": ".nonbanks", "P": ".nonbank_private", "F": ".nonbank_financial"}
COUNTERPARTIES = {"5J": ("all", "all countries"), "1C": ("intl_orgs", "international organisations")}
#: names for the counterparties yenflow's views single out; others show their code
NAMES = {"US": "United States", "GB": "United Kingdom", "KY": "Cayman Islands", "LU": "Luxembourg",
         "SG": "Singapore", "HK": "Hong Kong SAR", "FR": "France", "DE": "Germany", "AU": "Australia",
         "CN": "China", "IE": "Ireland", "NL": "Netherlands", "CA": "Canada", "BM": "Bermuda",
         "PA": "Panama", "JE": "Jersey", "YU": "Yugoslavia (dissolved)", "SU": "USSR (dissolved)",
         "CS": "Serbia and Montenegro (dissolved)", "DD": "East Germany (dissolved)",
         "AN": "Netherlands Antilles (dissolved)"}
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_CODE = re.compile(r"[A-Z0-9]{1,3}")


def series_id(reporter: str, position: str, denom: str, counterparty: str, sector: str = "A") -> str:
    cp = COUNTERPARTIES.get(counterparty, (counterparty.lower(), ""))[0]
    return (f"bis.lbs.{reporter.lower()}.{POSITIONS[position]}.{DENOMS.get(denom, denom.lower())}.{cp}"
            f"{SECTORS[sector]}")


def _error(filename: str, expected: str, found: object = None, row: int | None = None) -> ParseError:
    return ParseError(NAME, filename, expected, found, row)


def _number(cell: str, what: str, filename: str, row: int) -> float | None:
    text = cell.strip()
    if text in ("", "NaN"):
        return None
    if not _NUMBER.fullmatch(text):
        raise _error(filename, f"a number or NaN in {what}", cell, row)
    return float(text)


def _info(key: tuple[str, str, str, str, str], pre_break: bool) -> SeriesInfo:
    reporter, position, denom, cp, sector = key
    sid = series_id(*key) + (".pre_break" if pre_break else "")
    cp_name = COUNTERPARTIES.get(cp, ("", ""))[1] or NAMES.get(cp, cp)
    ccy = "all currencies" if denom == "TO1" else denom
    what = f"cross-border {POSITIONS[position]} of banks located in {reporter} on {cp_name} ({cp}), {ccy}"
    if sector != "A":
        what += f", counterparty sector {sector}"
    return SeriesInfo(
        id=sid,
        name=f"BIS LBS: {what}" + (" — pre-break basis" if pre_break else ""),
        unit="USD m",
        frequency="quarterly",
        description=f"BIS locational banking statistics, amounts outstanding at quarter end: {what}; "
                    "all instruments, all reporting-bank nationalities.",
        notes=("OBS_PRE_BREAK: the value on the basis before a break in the series, for the break quarter only."
               if pre_break else "BIS WS_LBS_D_PUB; USD millions; NaN (missing) quarters dropped."),
    )


def _check_row(rec: dict[str, str], filename: str, row: int) -> None:
    for col, allowed in FIXED.items():
        if rec[col].strip() not in allowed:
            raise _error(filename, f"{col} in {{{', '.join(allowed)}}} (banks' cross-border positions, USD m)",
                         rec[col], row)
    if rec["L_CP_SECTOR"].strip() not in SECTORS:
        raise _error(filename, f"L_CP_SECTOR in {{{', '.join(SECTORS)}}}", rec["L_CP_SECTOR"], row)
    for col in ("L_REP_CTY", "L_CP_COUNTRY", "L_DENOM"):
        if not _CODE.fullmatch(rec[col].strip()):
            raise _error(filename, f"a BIS code in {col}", rec[col], row)


def parse_lbs(raw: bytes, filename: str) -> Parsed:
    """One series per (position, denomination, reporter, counterparty, sector)."""
    import pandas as pd

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _error(filename, "ASCII/UTF-8 text", f"byte {e.start}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in NEEDED if c not in header]
    if missing:
        raise _error(filename, f"a BIS SDMX CSV header with {', '.join(missing)}", ",".join(header)[:120], 1)
    recs: list[tuple[str, pd.Timestamp, float]] = []
    infos: dict[str, SeriesInfo] = {}
    for n, rec in enumerate(reader, start=2):
        if None in rec or any(rec[c] is None for c in NEEDED):
            raise _error(filename, f"{len(header)} comma-separated fields, as in the header", "a different number", n)
        _check_row(rec, filename, n)
        m = _QUARTER.fullmatch(rec["TIME_PERIOD"].strip())
        if not m:
            raise _error(filename, "TIME_PERIOD as YYYY-Qn", rec["TIME_PERIOD"], n)
        end = pd.Period(year=int(m[1]), quarter=int(m[2]), freq="Q").end_time.normalize()
        key = (rec["L_REP_CTY"].strip(), rec["L_POSITION"].strip(), rec["L_DENOM"].strip(),
               rec["L_CP_COUNTRY"].strip(), rec["L_CP_SECTOR"].strip())
        value = _number(rec["OBS_VALUE"], "OBS_VALUE", filename, n)
        pre = _number(rec["OBS_PRE_BREAK"], "OBS_PRE_BREAK", filename, n)
        for v, is_pre in ((value, False), (pre, True)):
            if v is None:
                continue
            info = infos.setdefault(series_id(*key) + (".pre_break" if is_pre else ""), _info(key, is_pre))
            recs.append((info.id, end, v))
    if not recs:
        raise _error(filename, "at least one observation")
    obs = pd.DataFrame(recs, columns=["series_id", "ref_date", "value"])
    obs["ref_date"] = obs["ref_date"].astype("datetime64[ns]")
    obs["period_start"] = (obs["ref_date"] - pd.offsets.QuarterBegin(1, startingMonth=1)).astype("datetime64[ns]")
    return Parsed(obs.sort_values(["series_id", "ref_date"], ignore_index=True), list(infos.values()))


class BisLbs(Source):
    """BIS locational banking statistics: cross-border claims and liabilities of banks in Japan by counterparty."""

    name: ClassVar[str] = NAME
    title: ClassVar[str] = "BIS locational banking statistics: banks in Japan, cross-border claims/liabilities by counterparty"
    publisher: ClassVar[str] = "Bank for International Settlements (BIS Data Portal, SDMX API)"
    files: ClassVar[tuple[FileSpec, ...]] = tuple(
        FileSpec(pos, API.format(key=key, n=8), f"bis/lbs/bis-lbs-{pos}-jp.csv",
                 ("bis/lbs/*.csv",) if k == 0 else ())
        for k, (pos, key) in enumerate(KEYS.items())
    )
    max_age_days: ClassVar[int] = 200  # quarterly, published about four months after the quarter

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_lbs(raw, filename)
