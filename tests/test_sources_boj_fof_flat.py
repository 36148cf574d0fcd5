"""BOJ flow of funds flat file (fof2_en.zip): the external position, outward
investment and JGB holders, consistent with the sjlong.xlsx source.

Expected values: read from ff_dl_fof_quarterly_en.csv / ff_dl_fof_fiscal-year_en.csv
inside ../shared/data/boj/flow_of_funds/fof2_en.zip with the csv module (row =
series code, column = period label); cited at each assert."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.boj.flow_of_funds import BojFlowOfFunds
from yenflow.sources.boj.fof_flat import parse_fof_flat

STAT = '"Flow of Funds (2008 SNA)"'


@pytest.fixture(scope="module")
def fof(shared_data: Path) -> object:
    return parse_fof_flat((shared_data / "boj/flow_of_funds/fof2_en.zip").read_bytes(), "fof2_en.zip")


def _s(parsed: object) -> pd.Series:
    return parsed.observations.set_index(["series_id", "ref_date"])["value"]  # type: ignore[attr-defined]


def test_net_external_position(fof: object) -> None:
    s = _s(fof)
    # FOF_FFAS500L700 column 202404 = -5323703 (100 million yen): -¥532.37 tn at end-2024,
    # against MOF's end-2024 IIP net external assets of ¥533.05 tn (sources.md §6): 0.13% apart
    q4 = s["fof.sector.overseas.net_position", pd.Timestamp("2024-12-31")]
    assert q4 == -5323703
    assert abs(-q4 / 10_000 - 533.05) / 533.05 < 0.002
    # 199704 = -1245868; 202601 = -5464064
    assert s["fof.sector.overseas.net_position", pd.Timestamp("1997-12-31")] == -1245868
    assert s["fof.sector.overseas.net_position", pd.Timestamp("2026-03-31")] == -5464064
    # Japan's outward portfolio investment FOF_FFAS500L540 202601 = 9261718 (¥926.2 tn)
    assert s["fof.sector.overseas.outward_securities", pd.Timestamp("2026-03-31")] == 9261718


def test_boj_jgb_holdings(fof: object) -> None:
    s = _s(fof)
    # FOF_FFAS110A311: 199704 = 329827, 202404 = 5592998, 202601 = 4854280
    for day, v in (("1997-12-31", 329827), ("2024-12-31", 5592998), ("2026-03-31", 4854280)):
        assert s["fof.sector.boj.jgb_long", pd.Timestamp(day)] == v


def test_fiscal_years_end_in_march(fof: object) -> None:
    s = _s(fof)
    # FOF_FFYS500L700 column 1979 (FY1979 = April 1979 - March 1980) = -76998
    assert s["fof.sector.overseas.net_position.fy", pd.Timestamp("1980-03-31")] == -76998
    # FY2024 ends 2025-03-31 and equals the quarterly 202501 stock (-5168517 in both CSVs)
    end = pd.Timestamp("2025-03-31")
    assert s["fof.sector.overseas.net_position.fy", end] == s["fof.sector.overseas.net_position", end] == -5168517


def test_stocks_have_no_period_start_and_catalog(fof: object) -> None:
    obs = fof.observations  # type: ignore[attr-defined]
    assert obs["period_start"].isna().all()
    infos = {i.id: i for i in fof.series}  # type: ignore[attr-defined]
    net = infos["fof.sector.overseas.net_position"]
    assert net.unit == "JPY 100m" and net.frequency == "quarterly" and "minus" in net.name
    assert "sjlong.xlsx" in net.notes and "wins" in net.notes
    assert infos["fof.sector.overseas.net_position.fy"].frequency == "annual"


def test_agrees_with_sjlong_where_both_have_a_quarter(fof: object, shared_data: Path) -> None:
    sj = BojFlowOfFunds().parse((shared_data / "boj/flow_of_funds/sjlong.xlsx").read_bytes(), "sjlong.xlsx")
    a, b = _s(sj), _s(fof)
    pairs = {"fof.jgb_long.boj": "fof.sector.boj.jgb_long", "fof.jgb_long.overseas": "fof.sector.overseas.jgb_long",
             "fof.jgb_long.total": "fof.sector.total.jgb_long", "fof.tbill.overseas": "fof.sector.overseas.tbill"}
    compared = 0
    for sj_id, flat_id in pairs.items():
        for day in a[sj_id].index:
            assert a[sj_id, day] == b[flat_id, day], (sj_id, day)
            compared += 1
    assert compared >= 4 * 9  # sjlong's G-1 columns run 2023Q4 → 2026Q1


def _fof_zip(q_rows: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("ff_dl_fof_quarterly_en.csv", ",,,202404,202501\n" + q_rows)
    return buf.getvalue()


def test_overseas_balance_sheet_must_balance() -> None:
    rows = (f'FOF_FFAS500A900,{STAT},"Assets/Total/Overseas/Stock",100,200\n'
            f'FOF_FFAS500L900,{STAT},"Liabilities/Total/Overseas/Stock",100,205\n'
            f'FOF_FFAS500L700,{STAT},"Liabilities/Difference between financial assets and liabilities/Overseas/Stock",-5,-6\n')
    with pytest.raises(ValidationError) as e:
        parse_fof_flat(_fof_zip(rows), "fof2_en.zip")
    assert "202501" in str(e.value) and e.value.row == 3


def test_a_flow_row_under_a_stock_code_is_refused() -> None:
    rows = (f'FOF_FFAS500A900,{STAT},"Assets/Total/Overseas/Stock",1,2\n'
            f'FOF_FFAS500L900,{STAT},"Liabilities/Total/Overseas/Stock",1,2\n'
            f'FOF_FFAS500L700,{STAT},"Liabilities/Difference/Overseas/Flow",1,2\n')
    with pytest.raises(ParseError, match="stock series"):
        parse_fof_flat(_fof_zip(rows), "fof2_en.zip")


def test_a_bop_file_is_not_flow_of_funds(shared_data: Path) -> None:
    with pytest.raises(ParseError, match="Flow of Funds"):
        parse_fof_flat((shared_data / "boj/bop/regbp_q_en.zip").read_bytes(), "regbp_q_en.zip")
