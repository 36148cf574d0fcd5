"""BOJ Flow of Funds (sjlong.xlsx, table G-1): JGB holdings by holder."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures.jsda.xlsx_builder import build_xlsx
from yenflow.analytics.holdings import boj_jgb_share, foreign_jgb_share, jgb_shares
from yenflow.errors import ParseError, ValidationError
from yenflow.sources.boj import BojFlowOfFunds
from yenflow.sources.boj.flow_of_funds import HOLDERS

UNIT = "(100 million yen)"
QUARTERS = ["2025/4Q", "2026/1Q(P)"]
# hand-made holdings (100 million yen) per quarter: long-term and short-term blocks,
# each adding up to its amount outstanding like the real table does
LONG = {"total": (1000, 1100), "financial_institutions": (700, 760), "boj": (500, 520),
        "nonfinancial_corporations": (10, 10), "central_government": (5, 5),
        "local_governments": (5, 5), "social_security_funds": (80, 90), "households": (50, 60),
        "npish": (10, 10), "overseas": (140, 160)}
SHORT = {"total": (200, 210), "financial_institutions": (50, 40), "boj": (5, 0),
         "nonfinancial_corporations": (0, 0), "central_government": (20, 30),
         "local_governments": (0, 0), "social_security_funds": (0, 0), "households": (0, 0),
         "npish": (0, 0), "overseas": (130, 140)}
_LABELS = {v[0]: k for k, v in HOLDERS.items()}
_CODES = {"total": "", "financial_institutions": 1.0, "boj": 11.0,
          "nonfinancial_corporations": 2.0, "central_government": 31.0,
          "local_governments": 32.0, "social_security_funds": 33.0, "households": 4.0,
          "npish": 5.0, "overseas": 6.0}
_TITLE = "Issued by Central government and Fiscal Loan Fund "


def _label(holder: str) -> str:
    text = {"total": "Amount outstanding", "boj": "of which: held by Central bank"}.get(holder)
    return text or "held by " + _LABELS[holder][len("held by "):].capitalize()


def _block(title: str, values: dict[str, tuple[int, int]]) -> list[list[Any]]:
    rows: list[list[Any]] = [[title, "", "", "", "", "", UNIT], ["", "", "", "", "", *QUARTERS]]
    for holder, vals in values.items():
        col = 1 if holder == "total" else 3 if holder == "boj" else 2
        row: list[Any] = [_CODES[holder], "", "", "", ""]
        row[col] = _label(holder)
        rows.append([*row, *vals])
    return rows + [[""] * 7]


def _rows() -> list[list[Any]]:
    both = {h: (LONG[h][0] + SHORT[h][0], LONG[h][1] + SHORT[h][1]) for h in LONG}
    return (_block(_TITLE + "(short-term and long-term)", both)
            + _block(_TITLE + "(short-term)", SHORT) + _block(_TITLE + "(long-term)", LONG)
            + _block("Issued by Local governments", SHORT))


def _wb(rows: list[list[Any]], name: str = "70") -> bytes:
    # the G-1 sheet is found by its titles, whatever its number; a decoy sheet comes first
    return build_xlsx({"63": [["G-1.  Amount outstanding"]], name: rows})


def _parse(raw: bytes) -> pd.Series:
    p = BojFlowOfFunds().parse(raw, "sjlong.xlsx")
    return p.observations.set_index(["series_id", "ref_date"])["value"]


Q4, Q1 = pd.Timestamp("2025-12-31"), pd.Timestamp("2026-03-31")


# --------------------------------------------------------------------------- real file


def test_real_sjlong_values(shared_data: Path) -> None:
    raw = (shared_data / "boj" / "flow_of_funds" / "sjlong.xlsx").read_bytes()
    p = BojFlowOfFunds().parse(raw, "sjlong.xlsx")
    v = p.observations.set_index(["series_id", "ref_date"])["value"]
    # sheet '64', rows 3-12 (block "(short-term and long-term)"), columns 2023/4Q … 2026/1Q(P)
    assert v[("fof.jgb.boj", pd.Timestamp("2023-12-31"))] == 5_851_648  # row 5
    assert v[("fof.jgb.boj", Q1)] == 4_854_280  # row 5, 2026/1Q(P)
    assert v[("fof.jgb.total", pd.Timestamp("2023-12-31"))] == 12_216_187  # row 3
    assert v[("fof.jgb.total", Q1)] == 11_500_550
    assert v[("fof.jgb.overseas", Q1)] == 1_577_703  # row 12
    assert v[("fof.jgb.households", pd.Timestamp("2025-06-30"))] == 169_610  # row 10
    assert v[("fof.jgb.social_security_funds", Q4)] == 725_929  # row 9
    # block "(short-term)": T-bills held by overseas, row 25; by the BOJ, row 18
    assert v[("fof.tbill.overseas", Q1)] == 757_574
    assert v[("fof.tbill.boj", pd.Timestamp("2024-03-31"))] == 40_461
    # block "(long-term)": central government securities and FILP bonds, row 31, 38
    assert v[("fof.jgb_long.boj", Q4)] == 5_030_062
    assert v[("fof.jgb_long.overseas", Q1)] == 820_129
    obs = p.observations
    assert obs["ref_date"].min() == pd.Timestamp("2023-12-31") and obs["ref_date"].max() == Q1
    assert obs["series_id"].nunique() == 30 and len(obs) == 300
    assert obs["value"].dtype == "float64" and obs["ref_date"].dtype == "datetime64[ns]"
    info = {s.id: s for s in p.series}
    assert info["fof.jgb.boj"].unit == "JPY 100m" and info["fof.jgb.boj"].frequency == "quarterly"
    assert "Preliminary (P) in this edition: 2026-03-31" in info["fof.jgb.boj"].notes


def test_real_shares(shared_data: Path) -> None:
    raw = (shared_data / "boj" / "flow_of_funds" / "sjlong.xlsx").read_bytes()
    obs = BojFlowOfFunds().parse(raw, "sjlong.xlsx").observations
    boj = boj_jgb_share(obs)
    # 5,851,648 / 12,216,187 = 47.9008% (2023/4Q); 4,854,280 / 11,500,550 = 42.2091% (2026/1Q(P))
    assert boj[pd.Timestamp("2023-12-31")] == pytest.approx(47.9008, abs=1e-4)
    assert boj[Q1] == pytest.approx(42.2091, abs=1e-4)
    assert foreign_jgb_share(obs)[Q1] == pytest.approx(100 * 1_577_703 / 11_500_550)
    shares = jgb_shares(obs)
    assert set(shares.series_id) == {f"fof.jgb.{h}.share" for h, _ in HOLDERS.values()} - {
        "fof.jgb.total.share"}
    # the eight sectors (boj is inside financial institutions) add up to 100%
    sectors = shares[shares.series_id.isin(
        [f"fof.jgb.{h}.share" for h in ("financial_institutions", "nonfinancial_corporations",
                                        "central_government", "local_governments",
                                        "social_security_funds", "households", "npish",
                                        "overseas")])]
    assert sectors.groupby("ref_date")["value"].sum().sub(100).abs().max() < 1e-9


def test_other_sheets_of_the_real_editions_are_not_required(shared_data: Path) -> None:
    # sjfy/sjpre carry no G-1 table: a clear ParseError, not an empty result
    raw = (shared_data / "boj" / "flow_of_funds" / "sjpre.xlsx").read_bytes()
    with pytest.raises(ParseError, match="G-1"):
        BojFlowOfFunds().parse(raw, "sjpre.xlsx")


# --------------------------------------------------------------------------- fixture


def test_fixture_blocks_and_dates() -> None:
    v = _parse(_wb(_rows()))
    assert v[("fof.jgb.total", Q4)] == 1200 and v[("fof.jgb.total", Q1)] == 1310
    assert v[("fof.jgb.boj", Q1)] == 520 and v[("fof.jgb.overseas", Q1)] == 300
    assert v[("fof.tbill.central_government", Q1)] == 30
    assert v[("fof.jgb_long.social_security_funds", Q4)] == 80
    assert "fof.jgb.local_governments" in v.index.get_level_values(0)
    assert not any(s.startswith("fof.local") for s in v.index.get_level_values(0))


def test_missing_marker_dropped() -> None:
    rows = _rows()
    rows[4][5] = "-"  # central bank, 2025/4Q, first block
    v = _parse(_wb(rows))
    assert ("fof.jgb.boj", Q4) not in v.index and v[("fof.jgb.boj", Q1)] == 520


def _expect_parse_error(rows: list[list[Any]], match: str, row: int | None) -> ParseError:
    with pytest.raises(ParseError, match=match) as e:
        _parse(_wb(rows))
    assert "sjlong.xlsx" in str(e.value) and "sheet '70'" in str(e.value)
    assert e.value.row == row
    return e.value


def test_non_number_names_sheet_and_row() -> None:
    rows = _rows()
    rows[11][6] = "1,2x"  # overseas, 2026/1Q(P), first block = sheet row 12
    _expect_parse_error(rows, r"a number \(ASCII digits\) for 'held by overseas'", 12)


def test_missing_holder_row() -> None:
    rows = _rows()
    del rows[9]  # households of the first block
    _expect_parse_error(rows, "holder rows", 1)


def test_unknown_holder_label() -> None:
    rows = _rows()
    rows[9][2] = "held by Hedge funds"
    _expect_parse_error(rows, "holder label", 10)


def test_moved_unit_label_and_bad_quarter() -> None:
    rows = _rows()
    rows[0][6] = "(billion yen)"
    _expect_parse_error(rows, "unit label", 1)
    rows = _rows()
    rows[1][6] = "2026/1Q(R)"
    _expect_parse_error(rows, "quarter labels", 2)


def test_value_in_wrong_column_fails_the_sum_check() -> None:
    rows = _rows()
    rows[11][5], rows[11][6] = rows[11][6], rows[11][5]  # overseas quarters swapped
    with pytest.raises(ValidationError) as e:
        _parse(_wb(rows))
    assert e.value.row == 3 and "adding up" in str(e.value)


def test_missing_block_title() -> None:
    rows = _rows()
    rows[13][0] = "Issued by Central government (short term)"
    with pytest.raises(ParseError, match="G-1 blocks"):
        _parse(_wb(rows))


def test_not_a_workbook() -> None:
    with pytest.raises(ParseError, match="readable .xlsx"):
        BojFlowOfFunds().parse(b"<html>moved</html>", "sjlong.xlsx")


_RAW = _wb(_rows())


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(_RAW) - 1))
def test_truncated_workbook_is_parse_error(cut: int) -> None:
    with pytest.raises(ParseError):
        BojFlowOfFunds().parse(_RAW[:cut], "sjlong.xlsx")


@settings(max_examples=40, deadline=None)
@given(r=st.integers(min_value=2, max_value=11), c=st.integers(min_value=5, max_value=6),
       junk=st.sampled_from(["n/a", "1O0", "x", "12%", "1.2.3"]))
def test_random_junk_never_a_number(r: int, c: int, junk: str) -> None:
    rows = copy.deepcopy(_rows())
    rows[r][c] = junk
    with pytest.raises(ParseError):
        _parse(_wb(rows))
