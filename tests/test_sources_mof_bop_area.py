"""MOF table 6a-20, financial account by area (cp932, era labels that change inside 2019).

Expected values: ../shared/data/mof_bop/6a-20.csv decoded as cp932 and read with the
csv module (row = quarter label, column = the area under the 4 header rows)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.mof.bop_by_area import parse_6a20


@pytest.fixture(scope="module")
def area(shared_data: Path) -> pd.Series:
    p = parse_6a20((shared_data / "mof_bop/6a-20.csv").read_bytes(), "6a-20.csv")
    return p.observations.set_index(["series_id", "ref_date"])["value"]


def test_real_values(area: pd.Series) -> None:
    # last row ",10～12月,,4th quarter,,"54,819",…": Total 2025 Q4 = 54,819; U.S.A. = 4,350
    # (BOJ regbp BPBP6QFBUS 2025 Q4 = 4349.97753411, the same figure unrounded)
    q4 = pd.Timestamp("2025-12-31")
    assert area["mof.bop_area.financial_account.all", q4] == 54819
    assert area["mof.bop_area.financial_account.us", q4] == 4350
    # first quarter row "平成26年,1～3月,2014,1st quarter,,"-11,731",…"
    assert area["mof.bop_area.financial_account.all", pd.Timestamp("2014-03-31")] == -11731
    # 48 quarters 2014 Q1 … 2025 Q4 per area, 47 areas and economies
    assert len(area) == 48 * 47


def test_2019_era_change(area: pd.Series) -> None:
    # "平成31年,1～3月,2019,1st quarter,,"90,501"" then "令和元年,4～6月,,2nd quarter,,"60,850"":
    # both are 2019 (the year cell is empty on Q2)
    assert area["mof.bop_area.financial_account.all", pd.Timestamp("2019-03-31")] == 90501
    assert area["mof.bop_area.financial_account.all", pd.Timestamp("2019-06-30")] == 60850


_HEAD = ("（単位　億円）\n"
         ",,,,,合計,アジア\n"
         ",,,,,Total,Asia\n"
         ",,,,,,\n"
         ",,,,,,\n")


def _csv(body: str) -> bytes:
    return (_HEAD + body).replace("\n", "\r\n").encode("cp932")


def test_era_must_name_the_same_year() -> None:
    bad = "令和2年,1～3月,2019,1st quarter,,1,1\n"
    with pytest.raises(ParseError, match="era label naming 2019") as e:
        parse_6a20(_csv(bad), "6a-20.csv")
    assert e.value.row == 6


def test_quarters_must_follow_each_other() -> None:
    body = "平成31年,1～3月,2019,1st quarter,,1,1\n,7～9月,,3rd quarter,,2,2\n"
    with pytest.raises(ParseError, match="quarter after 2019 Q1"):
        parse_6a20(_csv(body), "6a-20.csv")


def test_calendar_year_must_add_up() -> None:
    body = ("令和元(平成31)年,,2019C.Y.,,,100,4\n"
            "平成31年,1～3月,2019,1st quarter,,25,1\n令和元年,4～6月,,2nd quarter,,25,1\n"
            ",7～9月,,3rd quarter,,25,1\n,10～12月,,4th quarter,,20,1\n")
    with pytest.raises(ValidationError, match="2019 C.Y. figure for Total") as e:
        parse_6a20(_csv(body), "6a-20.csv")
    assert e.value.row == 6
    ok = parse_6a20(_csv(body.replace(",,,100,4", ",,,95,4")), "6a-20.csv")
    assert len(ok.observations) == 8


def test_unit_is_required() -> None:
    with pytest.raises(ParseError, match="億円"):
        parse_6a20(_csv("").replace("（単位　億円）".encode("cp932"), b"x"), "6a-20.csv")
