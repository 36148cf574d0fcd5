"""IMF Portfolio Investment Positions by counterpart economy (PIP, formerly
CPIS), SDMX 2.1 *StructureSpecificData* XML, source ``imf.pip``.

Dataflow ``IMF.STA:PIP``: end-June and end-December holdings of portfolio
securities reported by the holder economy (``COUNTRY``) on the issuer
economy (``COUNTERPART_COUNTRY``). One ``<Series>`` per key, one ``<Obs
TIME_PERIOD="2024-S2" OBS_VALUE="…"/>`` per half-year.

Stored as ``imf.pip.<assets|liabilities>.<country>.<counterpart>.<instrument>``
(ISO3 codes lower case; ``instrument`` = ``total`` for ``TOTINV``, else the
``INSTR_ASSET`` code lower case; a sector other than ``S1`` adds
``.<sector>``), in **USD bn** at the period end (``2024-S2`` → 2024-12-31,
``-S1`` → 06-30, a bare year → 31 Dec).

**The SCALE quirk**: the IMF files carry ``SCALE="6"`` (millions) while
``OBS_VALUE`` is in whole US dollars (``2184748057186.862`` is Japan's
$2.18 tn of US securities at end-2024, not $2.2 quintillion). yenflow applies
``SCALE`` only when the result is plausible: if scaled values would exceed
:data:`MAX_POSITION_USD` (more than all the world's portfolio securities)
while the bare values do not, the values are taken as whole USD and the
catalog notes say so. Values are then divided by 1e9 (USD bn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from yenflow.errors import ParseError
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

SOURCE_NAME = "imf.pip"
UNIT = "USD bn"
#: no bilateral portfolio position comes near $100 tn (world portfolio securities are ~$70 tn)
MAX_POSITION_USD = 1e14
COUNTRIES = {"JPN": "Japan", "USA": "the United States", "GBR": "the United Kingdom", "CHN": "China",
             "DEU": "Germany", "FRA": "France", "LUX": "Luxembourg", "CYM": "the Cayman Islands",
             "W00": "the world"}
INSTRUMENTS = {"TOTINV": "total", "EQINV": "equity", "DEBT": "debt", "LTDEBT": "long_term_debt",
               "STDEBT": "short_term_debt"}
_PERIOD = re.compile(r"^(\d{4})(?:-S([12]))?$")
NOTE = (
    "IMF Portfolio Investment Positions by Counterpart Economy (dataflow IMF.STA:PIP, formerly CPIS), "
    "reported by the holder economy; end-June and end-December positions in USD bn at market value. "
    "{scale}"
)


@dataclass
class _Series:
    attrs: dict[str, str]
    obs: list[tuple[str, str]]  # (TIME_PERIOD, OBS_VALUE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _root(raw: bytes, filename: str) -> "Element":
    from xml.etree import ElementTree

    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw:
        raise ParseError(SOURCE_NAME, filename, "SDMX XML without a DOCTYPE or entities", "a DOCTYPE")
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError as e:
        raise ParseError(SOURCE_NAME, filename, "well-formed SDMX XML", str(e), row=e.position[0]) from None


def _read(raw: bytes, filename: str) -> tuple[dict[str, str], list[_Series]]:
    root = _root(raw, filename)
    if _local(root.tag) != "StructureSpecificData":
        raise ParseError(SOURCE_NAME, filename, "an SDMX StructureSpecificData message", _local(root.tag))
    units: dict[str, str] = {}
    series: list[_Series] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "Group" and "INDICATOR" in el.attrib and "UNIT" in el.attrib:
            units[el.attrib["INDICATOR"]] = el.attrib["UNIT"]
        elif name == "Series":
            obs = [(o.attrib.get("TIME_PERIOD", ""), o.attrib.get("OBS_VALUE", ""))
                   for o in el if _local(o.tag) == "Obs"]
            series.append(_Series(dict(el.attrib), obs))
    if not series:
        raise ParseError(SOURCE_NAME, filename, "at least one <Series> with <Obs> elements", None)
    return units, series


def _period_end(text: str, filename: str, key: str) -> date:
    m = _PERIOD.match(text)
    if not m:
        raise ParseError(SOURCE_NAME, filename, f"TIME_PERIOD YYYY or YYYY-S1/S2 in series {key}", text)
    year = int(m[1])
    return date(year, 6, 30) if m[2] == "1" else date(year, 12, 31)


def _multiplier(values: list[float], scale: int) -> tuple[float, str]:
    """Factor to whole USD, and a sentence saying how SCALE was used."""
    biggest = max((abs(v) for v in values), default=0.0)
    if biggest * 10.0**scale <= MAX_POSITION_USD:
        return 10.0**scale, f"SCALE={scale} applied (values × 10^{scale} = USD)."
    if biggest <= MAX_POSITION_USD:
        return 1.0, (f"The file says SCALE={scale}, yet its OBS_VALUEs are whole US dollars (scaled they "
                     f"would exceed ${MAX_POSITION_USD:.0e}): stored as OBS_VALUE / 1e9.")
    raise ValueError(biggest)


def _key(attrs: dict[str, str], filename: str) -> tuple[str, str, str, str, str]:
    need = ("COUNTRY", "ACCOUNTING_ENTRY", "INDICATOR", "COUNTERPART_COUNTRY")
    missing = [k for k in need if not attrs.get(k)]
    if missing:
        raise ParseError(SOURCE_NAME, filename, f"Series attributes {', '.join(need)}", attrs)
    entry = {"A": "assets", "L": "liabilities"}.get(attrs["ACCOUNTING_ENTRY"])
    if entry is None:
        raise ParseError(SOURCE_NAME, filename, "ACCOUNTING_ENTRY A or L", attrs["ACCOUNTING_ENTRY"])
    m = re.match(r"^P_([A-Z]+)_P_([A-Z]{3})$", attrs["INDICATOR"])
    if not m:
        raise ParseError(SOURCE_NAME, filename, "an INDICATOR like P_TOTINV_P_USD (portfolio positions)",
                         attrs["INDICATOR"])
    return entry, attrs["COUNTRY"], attrs["COUNTERPART_COUNTRY"], m[1], m[2]


def _series_id(attrs: dict[str, str], key: tuple[str, str, str, str, str]) -> str:
    entry, country, counterpart, instrument, _ = key
    sid = f"imf.pip.{entry}.{country.lower()}.{counterpart.lower()}.{INSTRUMENTS.get(instrument, instrument.lower())}"
    sector = attrs.get("SECTOR", "S1")
    return sid if sector == "S1" else f"{sid}.{sector.lower()}"


def _info(sid: str, key: tuple[str, str, str, str, str], scale_note: str) -> SeriesInfo:
    entry, country, counterpart, instrument, _ = key
    who, where = COUNTRIES.get(country, country), COUNTRIES.get(counterpart, counterpart)
    what = INSTRUMENTS.get(instrument, instrument.lower()).replace("_", " ")
    holding = (f"portfolio investment assets of {who} in {where}" if entry == "assets"
               else f"portfolio investment liabilities of {who} to {where}")
    return SeriesInfo(
        id=sid, name=f"IMF PIP: {holding} ({what})", unit=UNIT, frequency="semiannual",
        description=(f"{holding[0].upper()}{holding[1:]}, {what} (equity and debt securities, all holding sectors), position at "
                     f"the end of June / December, USD bn; reported by {who} ({country}); counterpart "
                     f"{counterpart} = the issuer's economy."),
        notes=NOTE.format(scale=scale_note),
    )


def parse_pip(raw: bytes, filename: str) -> Parsed:
    """Parse one PIP SDMX StructureSpecificData response."""
    import pandas as pd

    units, series = _read(raw, filename)
    rows, infos = [], {}
    for s in series:
        key = _key(s.attrs, filename)
        unit = units.get(s.attrs["INDICATOR"], key[4])
        if unit != "USD":
            raise ParseError(SOURCE_NAME, filename, f"UNIT USD for {s.attrs['INDICATOR']}", unit)
        sid = _series_id(s.attrs, key)
        if sid in infos:
            raise ParseError(SOURCE_NAME, filename, f"one <Series> for {sid}", sid)
        values = []
        for period, text in s.obs:
            try:
                values.append((_period_end(period, filename, sid), float(text)))
            except ValueError:
                raise ParseError(SOURCE_NAME, filename, f"a number in OBS_VALUE of {sid} {period}", text) from None
        try:
            factor, note = _multiplier([v for _, v in values], int(s.attrs.get("SCALE", "0") or 0))
        except ValueError as e:
            raise ParseError(SOURCE_NAME, filename, f"positions below ${MAX_POSITION_USD:.0e} in {sid}",
                             str(e)) from None
        if len({d for d, _ in values}) != len(values):
            raise ParseError(SOURCE_NAME, filename, f"each TIME_PERIOD once in {sid}", [p for p, _ in s.obs])
        rows += [(sid, d, v * factor / 1e9) for d, v in values]
        infos[sid] = _info(sid, key, note)
    obs = pd.DataFrame(rows, columns=["series_id", "ref_date", "value"])
    obs["ref_date"] = pd.to_datetime(obs["ref_date"]).astype("datetime64[ns]")
    obs["value"] = obs["value"].astype("float64")
    return Parsed(obs, list(infos.values()))


class ImfPip(Source):
    """IMF Portfolio Investment Positions by counterpart economy (``imf.pip.*``, USD bn)."""

    name: ClassVar[str] = SOURCE_NAME
    title: ClassVar[str] = "IMF portfolio investment positions by counterpart economy (ex-CPIS), Japan ↔ U.S."
    publisher: ClassVar[str] = "International Monetary Fund"
    # The exact SDMX query URLs are not recorded (MANIFEST §14.4): folder or mirror only. The
    # folder glob (on the first spec) takes every PIP response saved under imf_pip/.
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec("jpn_in_usa", None, "imf_pip/pip_JPN_assets_in_USA_total_semiannual.xml", ("imf_pip/*.xml",)),
        FileSpec("usa_in_jpn", None, "imf_pip/pip_USA_assets_in_JPN_total_semiannual.xml", ()),
    )
    #: half-yearly, published about 9 months after the reference date
    max_age_days: ClassVar[int] = 460
    folder_only: ClassVar[str] = ("the IMF SDMX query behind these responses is not recorded (MANIFEST §14.4); "
                                  "save the PIP responses under imf_pip/ in a folder or mirror")

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_pip(raw, filename)
