"""IMF portfolio investment positions (SDMX XML): Japan ↔ U.S., and the SCALE quirk.

Expected values: the OBS_VALUE attributes of ../shared/data/imf_pip/*.xml read by
eye (e.g. ``<Obs TIME_PERIOD="2024-S2" OBS_VALUE="2184748057186.862" …/>``),
divided by 1e9 for USD bn."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yenflow.errors import ParseError
from yenflow.sources.imf.pip import parse_pip

JPN_USA = "imf_pip/pip_JPN_assets_in_USA_total_semiannual.xml"
USA_JPN = "imf_pip/pip_USA_assets_in_JPN_total_semiannual.xml"


def _values(raw: bytes, name: str = "x.xml") -> pd.Series:
    return parse_pip(raw, name).observations.set_index(["series_id", "ref_date"])["value"]


def test_japan_holdings_of_us_securities(shared_data: Path) -> None:
    p = parse_pip((shared_data / JPN_USA).read_bytes(), "pip.xml")
    s = p.observations.set_index(["series_id", "ref_date"])["value"]
    sid = "imf.pip.assets.jpn.usa.total"
    # 2024-S2 OBS_VALUE="2184748057186.862" (whole USD although SCALE="6") = $2,184.7 bn
    assert s[sid, pd.Timestamp("2024-12-31")] == pytest.approx(2184.748057186862, rel=1e-12)
    # 2025-S1 = 2342597257026.434; first 2020-S1 = 1908564703848.236 (end-June)
    assert s[sid, pd.Timestamp("2025-06-30")] == pytest.approx(2342.597257026434, rel=1e-12)
    assert s[sid, pd.Timestamp("2020-06-30")] == pytest.approx(1908.564703848236, rel=1e-12)
    assert len(s) == 11
    info = p.series[0]
    assert info.unit == "USD bn" and info.frequency == "semiannual"
    assert "SCALE=6" in info.notes and "whole US dollars" in info.notes and "Japan" in info.name


def test_us_holdings_of_japanese_securities(shared_data: Path) -> None:
    s = _values((shared_data / USA_JPN).read_bytes())
    # 2024-S2 OBS_VALUE="1189665000000"; 2025-S1 "1344145000000"
    assert s["imf.pip.assets.usa.jpn.total", pd.Timestamp("2024-12-31")] == pytest.approx(1189.665)
    assert s["imf.pip.assets.usa.jpn.total", pd.Timestamp("2025-06-30")] == pytest.approx(1344.145)


_XML = ('<?xml version="1.0"?><message:StructureSpecificData xmlns:message="urn:m"><message:DataSet>'
        '<Group INDICATOR="P_TOTINV_P_USD" UNIT="USD"/>'
        '<Series COUNTRY="JPN" ACCOUNTING_ENTRY="A" INDICATOR="P_TOTINV_P_USD" SECTOR="S1" '
        'COUNTERPART_COUNTRY="USA" FREQUENCY="S" SCALE="6">{obs}</Series>'
        "</message:DataSet></message:StructureSpecificData>")


def test_scale_is_applied_when_the_values_are_in_millions() -> None:
    # hand-made: the same end-2024 position as the IMF file, written in USD millions as SCALE says
    raw = _XML.format(obs='<Obs TIME_PERIOD="2024-S2" OBS_VALUE="2184748.057"/>').encode()
    p = parse_pip(raw, "x.xml")
    assert p.observations["value"].iloc[0] == pytest.approx(2184.748057)
    assert "SCALE=6 applied" in p.series[0].notes


@pytest.mark.parametrize("obs, expected", [
    ('<Obs TIME_PERIOD="2024-Q4" OBS_VALUE="1"/>', "TIME_PERIOD"),
    ('<Obs TIME_PERIOD="2024-S2" OBS_VALUE="n/a"/>', "a number in OBS_VALUE"),
    ('<Obs TIME_PERIOD="2024-S2" OBS_VALUE="1e30"/>', "positions below"),
])
def test_bad_observations(obs: str, expected: str) -> None:
    with pytest.raises(ParseError, match=expected):
        parse_pip(_XML.format(obs=obs).encode(), "x.xml")


def test_not_sdmx_or_with_entities() -> None:
    with pytest.raises(ParseError, match="StructureSpecificData"):
        parse_pip(b"<html/>", "x.xml")
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse_pip(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', "x.xml")
    with pytest.raises(ParseError, match="well-formed"):
        parse_pip(b"<x", "x.xml")
