"""MOF balance of payments, portfolio investment tables 6pi-1 … 6pi-5.

Fixture tests use tests/fixtures/mof_flows/bop_6pi-*_quirks.csv (numbers invented
by make_fixtures.py); real-data tests read ../shared/data/mof_securities_flows by
path and assert figures read from the named lines of those files.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.mof.bop_portfolio import MofBopPortfolio, preliminary_months

FIX = Path(__file__).parent / "fixtures" / "mof_flows"
SUMMARY = "bop_6pi-1_quirks.csv"
INVESTOR = "bop_6pi-4_quirks.csv"
REAL = {
    1: "bop_6pi-1_portfolio_investment_summary.csv",
    2: "bop_6pi-2_portfolio_assets_by_investor_total.csv",
    3: "bop_6pi-3_portfolio_assets_by_investor_equity.csv",
    4: "bop_6pi-4_portfolio_assets_by_investor_long-term_debt.csv",
    5: "bop_6pi-5_portfolio_assets_by_investor_short-term_debt.csv",
}


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def rows_of(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("cp932"), newline="")))


def to_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("cp932")


def edited(name: str, row: int, col: int, text: str) -> bytes:
    """The fixture with one cell replaced (row/col 0-based CSV record/field)."""
    rows = rows_of(fixture(name))
    rows[row][col] = text
    return to_bytes(rows)


def parse(raw: bytes, name: str = "bop.csv") -> pd.DataFrame:
    return MofBopPortfolio().parse(raw, name).observations


def value(df: pd.DataFrame, sid: str, day: str) -> float:
    hit = df[(df["series_id"] == sid) & (df["ref_date"] == pd.Timestamp(day))]
    assert len(hit) == 1, f"{sid} {day}: {len(hit)} rows"
    return float(hit["value"].iloc[0])


def has(df: pd.DataFrame, sid: str, day: str) -> bool:
    return bool(((df["series_id"] == sid) & (df["ref_date"] == pd.Timestamp(day))).any())


def check_frame(df: pd.DataFrame) -> None:
    assert list(df.columns) == ["series_id", "ref_date", "value", "period_start"]
    assert str(df["ref_date"].dtype) == "datetime64[ns]"
    assert df["value"].dtype == "float64" and df["value"].notna().all()
    assert not df.duplicated(["series_id", "ref_date"]).any()


# ------------------------------------------------------------------ 6pi-1 fixture
def test_summary_fixture_quirks() -> None:
    parsed = MofBopPortfolio().parse(fixture(SUMMARY), SUMMARY)
    df = parsed.observations
    check_frame(df)
    assert {s.id.split(".")[2] for s in parsed.series} == {"assets", "liabilities"}
    assert {s.unit for s in parsed.series} == {"JPY 100m"}
    assert all("preliminary (P)" in s.notes for s in parsed.series)
    months = pd.DatetimeIndex(sorted(df["ref_date"].unique()))
    assert months[0] == pd.Timestamp("2013-01-31") and months[-1] == pd.Timestamp("2015-02-28")
    assert len(months) == 26  # annual C.Y. rows are not stored
    # before 2014 only nets ('--' acquisition/disposition are dropped, not zero)
    assert not has(df, "bop.pi.assets.equity.acq", "2013-06-30")
    assert value(df, "bop.pi.assets.equity.net", "2013-06-30") == 40269.0  # line 35
    assert value(df, "bop.pi.assets.total.net", "2013-06-30") == -206682.0
    # from 2014: acquisition/disposition; the published net is kept (line 42)
    assert value(df, "bop.pi.assets.equity.acq", "2014-01-31") == 113623.0
    assert value(df, "bop.pi.assets.equity.net", "2014-01-31") == -49324.0
    assert value(df, "bop.pi.assets.total.net", "2015-02-28") == -57101.0  # '2月(P)', line 55
    assert (df["period_start"] == df["ref_date"].dt.to_period("M").dt.start_time).all()


def test_summary_preliminary_months() -> None:
    assert preliminary_months(fixture(SUMMARY), SUMMARY) == [date(2015, 1, 31), date(2015, 2, 28)]
    assert preliminary_months(fixture(INVESTOR), INVESTOR) == [date(2015, 1, 31)]


def test_summary_checks() -> None:
    with pytest.raises(ValidationError, match="row 42: expected net assets equity"):
        parse(edited(SUMMARY, 41, 6, "-49,330"))  # 113,623 − 162,947 = −49,324
    with pytest.raises(ValidationError, match="row 35: expected liabilities total net"):
        parse(edited(SUMMARY, 34, 28, "1"))
    with pytest.raises(ValidationError, match=r"row 26: expected assets\.bonds\.disp for 2014CY"):
        parse(edited(SUMMARY, 25, 8, "4,662,600"))
    rows = rows_of(fixture(SUMMARY))
    rows[42][16], rows[42][18] = "3月", "Mar"  # liabilities side says March, assets February
    with pytest.raises(ParseError, match="row 43: expected the same period label on the liabil"):
        parse(to_bytes(rows))
    with pytest.raises(ParseError, match="row 21: expected 取得/処分/ネット under the bills label"):
        parse(edited(SUMMARY, 20, 10, "ネット"))


def test_summary_table_is_read_from_the_title() -> None:
    text = fixture(SUMMARY).decode("cp932")
    with pytest.raises(ParseError, match="row 3: expected table 6pi-1 … 6pi-5"):
        parse(text.replace("6pi-1\u3000", "6pi-7\u3000", 1).encode("cp932"))
    no_title = text.replace("6pi-1", "table").encode("cp932")
    with pytest.raises(ParseError, match="expected a title naming table 6pi-1"):
        parse(no_title)
    no_unit = text.replace("億円", "円").encode("cp932")
    with pytest.raises(ParseError, match="expected the unit 億円"):
        parse(no_unit)


# ------------------------------------------------------------------ 6pi-4 fixture
def test_investor_fixture_quirks() -> None:
    parsed = MofBopPortfolio().parse(fixture(INVESTOR), "bop_6pi-1_misnamed.csv")
    df = parsed.observations
    check_frame(df)
    # the asset comes from the title（中長期債）, not the (misleading) file name
    assert df["series_id"].str.startswith("bop.investor.bonds.").all()
    assert df["ref_date"].nunique() == 13
    investors = {s.id.split(".")[3] for s in parsed.series}
    assert {"public", "trust_accounts"}.isdisjoint(investors)  # not in the BoP tables
    assert {"banks_trust_accounts", "life_insurers", "others"} <= investors
    assert not df["series_id"].str.contains(".central_bank.", regex=False).any()  # all '--'
    # banks (trust a/c): acquisition '--' dropped, disposition and net 0 kept (line 35)
    assert not has(df, "bop.investor.bonds.banks_trust_accounts.acq", "2014-01-31")
    assert value(df, "bop.investor.bonds.banks_trust_accounts.net", "2014-01-31") == 0.0
    assert value(df, "bop.investor.bonds.life_insurers.net", "2014-05-31") == -34695.0  # line 39
    assert value(df, "bop.investor.bonds.life_insurers.acq", "2015-01-31") == 38254.0  # '1月(P)'


def test_investor_fixture_errors() -> None:
    with pytest.raises(ParseError, match="expected the investor label 生命保険会社"):
        parse(edited(INVESTOR, 24, 37, ""))
    with pytest.raises(ValidationError, match=r"row 31: expected life_insurers\.acq for 2014CY"):
        parse(edited(INVESTOR, 30, 37, "193,460"))
    with pytest.raises(ValidationError, match="row 39: expected net life_insurers"):
        parse(edited(INVESTOR, 38, 39, "-34,690"))
    text = fixture(INVESTOR).decode("cp932")
    total = text.replace("（中長期債）", "（合計）", 1).encode("cp932")
    assert parse(total)["series_id"].str.startswith("bop.investor.total.").all()


# ------------------------------------------------------------------ property: corruptions
CORRUPTIBLE = {SUMMARY: (29, 54), INVESTOR: (34, 46)}  # first, last data record


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(CORRUPTIBLE)),
       kind=st.sampled_from(["drop_cell", "drop_column", "shift_header", "text"]),
       pick=st.integers(0, 10_000), junk=st.text("abcxyzNA?*#", min_size=1, max_size=4))
def test_corruptions_raise_or_change_nothing(name: str, kind: str, pick: int, junk: str) -> None:
    first, last = CORRUPTIBLE[name]
    rows = rows_of(fixture(name))
    original = parse(to_bytes(rows), name)
    target = None
    if kind == "drop_cell":
        target = first + pick % (last - first + 1)
        del rows[target][pick % len(rows[target])]
    elif kind == "drop_column":
        col = pick % len(rows[0])
        rows = [r[:col] + r[col + 1:] for r in rows]
    elif kind == "shift_header":
        head = pick % first
        rows[head] = [""] + rows[head][:-1]
    else:
        cells = [(r, c) for r in range(first, last + 1) for c, cell in enumerate(rows[r])
                 if c > 3 and any(ch.isdigit() for ch in cell)]
        target, col = cells[pick % len(cells)]
        rows[target][col] = junk
    try:
        result = parse(to_bytes(rows), name)
    except ParseError as e:
        assert e.row is not None and f"{name}, row {e.row}" in str(e)
        if target is not None:
            assert e.row == target + 1
        return
    assert kind not in ("drop_cell", "text"), "a corrupted row was accepted"
    pd.testing.assert_frame_equal(result, original)


# ------------------------------------------------------------------ real files
def real(shared_data: Path, n: int) -> bytes:
    return (shared_data / "mof_securities_flows" / REAL[n]).read_bytes()


def test_real_summary_values(shared_data: Path) -> None:
    # parse() raises unless every CY row 1996…2025 equals its 12 months
    df = parse(real(shared_data, 1), REAL[1])
    check_frame(df)
    assert df["ref_date"].min() == pd.Timestamp("1996-01-31")
    assert df["ref_date"].max() == pd.Timestamp("2026-05-31")
    assert df["ref_date"].nunique() == 365
    # line 426, 2026-05 (P): the published net −25,741 is kept (191,232 − 216,974 = −25,742)
    assert value(df, "bop.pi.assets.equity.acq", "2026-05-31") == 191232.0
    assert value(df, "bop.pi.assets.equity.net", "2026-05-31") == -25741.0
    assert value(df, "bop.pi.assets.total.net", "2026-05-31") == 2198.0
    assert value(df, "bop.pi.liabilities.equity.net", "2026-05-31") == 21744.0
    assert value(df, "bop.pi.liabilities.total.net", "2026-05-31") == 22547.0
    # line 62, 1996-01: net only ('--' acquisition/disposition)
    assert value(df, "bop.pi.assets.equity.net", "1996-01-31") == -1668.0
    assert value(df, "bop.pi.assets.total.net", "1996-01-31") == 212.0
    assert value(df, "bop.pi.liabilities.total.net", "1996-01-31") == -3880.0
    assert not has(df, "bop.pi.assets.equity.acq", "2013-12-31")
    # line 278, 2014-01: first month with acquisition/disposition
    assert value(df, "bop.pi.assets.equity.acq", "2014-01-31") == 39117.0
    assert value(df, "bop.pi.liabilities.bills.net", "2014-01-31") == 44348.0
    assert preliminary_months(real(shared_data, 1), REAL[1]) == [date(2026, 4, 30),
                                                                 date(2026, 5, 31)]


def test_real_investor_tables(shared_data: Path) -> None:
    frames = {n: parse(real(shared_data, n), REAL[n]) for n in (2, 3, 4, 5)}
    for n, asset in ((2, "total"), (3, "equity"), (4, "bonds"), (5, "bills")):
        check_frame(frames[n])
        assert frames[n]["series_id"].str.startswith(f"bop.investor.{asset}.").all()
        assert frames[n]["ref_date"].nunique() == 149  # 2014-01 … 2026-05
    bonds = frames[4]
    # 6pi-4 line 194, 2026-05 (P): life insurers 10,256 − 10,621
    assert value(bonds, "bop.investor.bonds.life_insurers.acq", "2026-05-31") == 10256.0
    assert value(bonds, "bop.investor.bonds.life_insurers.net", "2026-05-31") == -365.0
    # line 46, 2014-01
    assert value(bonds, "bop.investor.bonds.life_insurers.net", "2014-01-31") == -3162.0
    # 6pi-5 line 46, 2014-01: trust banks acquisition 10, disposition '--', net 10
    bills = frames[5]
    assert value(bills, "bop.investor.bills.trust_banks.acq", "2014-01-31") == 10.0
    assert not has(bills, "bop.investor.bills.trust_banks.disp", "2014-01-31")
    assert value(bills, "bop.investor.bills.trust_banks.net", "2014-01-31") == 10.0
    # 6pi-2 line 186, 2025-09: banks (trust a/c) acquisition '--', disposition 0, net 0
    total = frames[2]
    assert not has(total, "bop.investor.total.banks_trust_accounts.acq", "2025-09-30")
    assert value(total, "bop.investor.total.banks_trust_accounts.net", "2025-09-30") == 0.0
    assert not total["series_id"].str.contains(".central_bank.", regex=False).any()


def test_real_investor_totals_equal_the_summary(shared_data: Path) -> None:
    summary = parse(real(shared_data, 1), REAL[1]).set_index(["series_id", "ref_date"])["value"]
    for n, asset, measures in ((2, "total", ("net",)), (3, "equity", ("acq", "disp", "net")),
                               (4, "bonds", ("acq", "disp", "net")),
                               (5, "bills", ("acq", "disp", "net"))):
        df = parse(real(shared_data, n), REAL[n])
        for measure in measures:
            inv = df[df["series_id"] == f"bop.investor.{asset}.all.{measure}"].set_index("ref_date")
            pi = summary.loc[f"bop.pi.assets.{asset}.{measure}"].reindex(inv.index)
            assert (inv["value"] == pi).all(), (n, measure)
