"""yenflow.analytics.flows (issue 3): flow statistics on MOF weekly/monthly series.

Real-data tests parse ../shared/data/mof_securities_flows/{week,montha1}.csv with
the yenflow parsers and compare with values computed here by plain loops over
the raw CSV cells (read with the csv module, independently of the parsers).
Physical line numbers are those of the files as a text editor counts them.
Synthetic tests cover the edges: ties, zeros, records, NaN, empty, gaps.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yenflow.analytics import flows
from yenflow.sources.mof.securities_monthly import MofSecuritiesMonthly
from yenflow.sources.mof.securities_weekly import MofSecuritiesWeekly

# week.csv / montha1.csv blocks: outward (resident) and inward (foreign) start columns,
# each [eq_acq, eq_disp, eq_net, lt_acq, lt_disp, lt_net, subtotal, st_acq, st_disp, st_net, total]
WEEK_BLOCK = {"resident": 1, "foreign": 12}
MONTH_BLOCK = {"resident": 3, "foreign": 14}
TRIPLE = {"equity": 0, "bonds": 3, "bills": 7}
_LABEL = re.compile(r"^(\d{4})\.(\d+)\.(\d+)~(?:(\d{4})\.)?(\d+)\.(\d+)$")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


# ------------------------------------------------------------------ raw readers (no parser)
def _num(cell: str) -> float:
    return float(cell.strip().replace(",", ""))


def _csv_lines(path: Path) -> list[tuple[int, list[str]]]:
    """(physical line where the record ends, cells) for every CSV record."""
    reader = csv.reader(io.StringIO(path.read_bytes().decode("cp932"), newline=""))
    return [(reader.line_num, row) for row in reader]


def raw_weeks(shared: Path) -> list[tuple[int, date, list[str]]]:
    """(line, Saturday, cells) of every week row of week.csv."""
    out = []
    for line, row in _csv_lines(shared / "mof_securities_flows" / "week.csv"):
        label = (row[0] if row else "").replace("．", ".").replace("～", "~").replace(" ", "")
        m = _LABEL.match(label)
        if m:
            y1, _, _, y2, m2, d2 = m.groups()
            out.append((line, date(int(y2 or y1), int(m2), int(d2)), row))
    return out


def raw_months(shared: Path) -> dict[tuple[int, int], tuple[int, list[str]]]:
    """(year, month) → (line, cells) for every published month of montha1.csv."""
    out, year = {}, 0
    for line, row in _csv_lines(shared / "mof_securities_flows" / "montha1.csv"):
        if len(row) > 14 and row[2].strip() in _MONTHS:
            year = int(row[0]) if row[0].strip().isdigit() else year
            if row[3].strip():
                out[(year, _MONTHS.index(row[2].strip()) + 1)] = (line, row)
    return out


def raw_net(row: list[str], block: int, asset: str) -> float:
    """MOF's printed net of one asset, read from the raw cells (the net column after
    acquisition and disposition: the figure yenflow stores)."""
    i = block + TRIPLE[asset]
    return _num(row[i + 2])


@pytest.fixture(scope="module")
def weekly(shared_data: Path) -> pd.DataFrame:
    raw = (shared_data / "mof_securities_flows" / "week.csv").read_bytes()
    return MofSecuritiesWeekly().parse(raw, "week.csv").observations


@pytest.fixture(scope="module")
def monthly(shared_data: Path) -> pd.DataFrame:
    raw = (shared_data / "mof_securities_flows" / "montha1.csv").read_bytes()
    return MofSecuritiesMonthly().parse(raw, "montha1.csv").observations


def series(obs: pd.DataFrame, sid: str) -> pd.Series:
    s = obs[obs["series_id"] == sid].set_index("ref_date")["value"].sort_index()
    s.attrs["unit"] = "JPY 100m"
    return s


# ------------------------------------------------------------------ real data: context of the latest week
@pytest.mark.parametrize(
    ("side", "asset", "latest", "since"),
    [
        # line 1147 (week 2026-09-06～09-12): inward equity 381,075 − 396,303 = −15,228 (net selling);
        # the last week selling at least as much: line 1136 (2026-06-21～06-27) 466,803 − 484,978 = −18,175
        ("foreign", "equity", -15228.0, date(2026, 6, 27)),
        # line 1147: outward long-term debt 117,497 − 106,668 = 10,829 (net buying); the last week buying
        # at least as much: line 1143 (2026-08-09～08-15) 89,836 − 78,465 = 11,371 (MOF prints 11,372)
        ("resident", "bonds", 10829.0, date(2026, 8, 15)),
    ],
)
def test_largest_since_latest_week(weekly: pd.DataFrame, shared_data: Path, side: str, asset: str,
                                   latest: float, since: date) -> None:
    weeks = raw_weeks(shared_data)
    nets = [raw_net(row, WEEK_BLOCK[side], asset) for _, _, row in weeks]
    assert nets[-1] == latest
    hand = None
    for i in range(len(nets) - 2, -1, -1):  # scan back from the week before the latest
        if (nets[i] >= nets[-1]) if nets[-1] > 0 else (nets[i] <= nets[-1]):
            hand = weeks[i][1]
            break
    assert hand == since
    s = series(weekly, f"mof.weekly.{side}.{asset}.net")
    assert flows.largest_since(s).iloc[-1] == pd.Timestamp(since)
    assert flows.is_record(s) is None


def test_percentile_of_latest_week_by_hand_count(weekly: pd.DataFrame, shared_data: Path) -> None:
    weeks = raw_weeks(shared_data)
    s = series(weekly, "mof.weekly.foreign.equity.net")
    for window in (None, 52, 156):
        nets = [raw_net(row, WEEK_BLOCK["foreign"], "equity") for _, _, row in weeks]
        nets = nets if window is None else nets[-window:]
        below = sum(1 for v in nets if v < nets[-1]) + 0.5 * sum(1 for v in nets if v == nets[-1])
        assert flows.percentile_rank(s, window).iloc[-1] == pytest.approx(100 * below / len(nets))
    # −15,228 is the 16th lowest of 1,132 weeks: 15 below + ½ for itself → 15.5 / 1132
    assert flows.percentile_rank(s).iloc[-1] == pytest.approx(100 * 15.5 / 1132)


def test_streak_of_latest_week_by_hand(weekly: pd.DataFrame, shared_data: Path) -> None:
    weeks = raw_weeks(shared_data)
    for side, asset, expected in (("resident", "bonds", (1, 2)), ("foreign", "equity", (-1, 1))):
        nets = [raw_net(row, WEEK_BLOCK[side], asset) for _, _, row in weeks]
        k = 0
        while k < len(nets) and np.sign(nets[-1 - k]) == np.sign(nets[-1]):
            k += 1
        s = series(weekly, f"mof.weekly.{side}.{asset}.net")
        assert flows.streak(s) == (int(np.sign(nets[-1])), k, pd.Timestamp(weeks[-k][1]))
        assert (int(np.sign(nets[-1])), k) == expected
    # resident bonds: line 1146 (2026-08-30～09-05) 126,512 − 125,399 = +1,113 and line 1147 +10,829,
    # after line 1145 (2026-08-23～08-29) 94,769 − 103,009 = −8,240
    assert flows.streak(series(weekly, "mof.weekly.resident.bonds.net"))[2] == pd.Timestamp("2026-09-05")


def test_rolling_sums_of_last_raw_rows(weekly: pd.DataFrame, shared_data: Path) -> None:
    weeks = raw_weeks(shared_data)
    nets = [raw_net(row, WEEK_BLOCK["foreign"], "equity") for _, _, row in weeks]
    got = flows.rolling_sums(series(weekly, "mof.weekly.foreign.equity.net")).iloc[-1]
    # lines 1144–1147: −7,634 + 359 + 6,896 − 15,228 = −15,607
    assert got["sum_4"] == sum(nets[-4:]) == -15607.0
    assert got["sum_13"] == sum(nets[-13:]) and got["sum_52"] == sum(nets[-52:])


def test_ytd_and_fytd_sums(weekly: pd.DataFrame, shared_data: Path) -> None:
    weeks = raw_weeks(shared_data)
    s = series(weekly, "mof.weekly.foreign.equity.net")
    fy = cy = 0.0
    for _, saturday, row in weeks:
        if saturday >= date(2026, 4, 1):  # FY2026 opens with line 1124, week 2026-03-29～04-04
            fy += raw_net(row, WEEK_BLOCK["foreign"], "equity")
        if saturday.year == 2026:  # the week 2025-12-28～2026-01-03 counts in 2026
            cy += raw_net(row, WEEK_BLOCK["foreign"], "equity")
    assert flows.cumulative_fytd(s).iloc[-1] == fy
    assert flows.cumulative_ytd(s).iloc[-1] == cy
    # line 1124: 342,148 − 312,630 = 29,518 opens FY2026 on its own
    assert flows.cumulative_fytd(s).loc["2026-04-04"] == 29518.0
    # line 485, week 2013-12-29～2014-01-04: inward equity 15,424 − 14,742 = 682 opens 2014
    assert flows.cumulative_ytd(s).loc["2014-01-04"] == 682.0


def test_sign_convention_holds_across_2014(weekly: pd.DataFrame, monthly: pd.DataFrame,
                                          shared_data: Path) -> None:
    """net = acquisition − disposition (+ = net buying) in the raw file and the parsed
    series, in 2013 (when MOF's press releases printed residents' net purchases
    with a minus) and in 2014: the file's own net column has the same sign rule
    in both years, and yenflow stores it as printed."""
    checked = 0
    for _, saturday, row in raw_weeks(shared_data):
        if saturday.year not in (2013, 2014):
            continue
        for side, block in WEEK_BLOCK.items():
            for asset, off in TRIPLE.items():
                printed = raw_net(row, block, asset)
                acq_minus_disp = _num(row[block + off]) - _num(row[block + off + 1])
                assert abs(printed - acq_minus_disp) <= 1  # rounding only: no sign flip
                got = series(weekly, f"mof.weekly.{side}.{asset}.net").loc[pd.Timestamp(saturday)]
                assert got == printed
                checked += 1
    assert checked == 104 * 6  # 52 weeks end in 2013 (from 2013-01-05), 52 in 2014
    # line 434 (2013-01-06～01-12): residents' equity 4,441 − 5,995 = −1,554; MOF prints −1,553
    assert series(weekly, "mof.weekly.resident.equity.net").loc["2013-01-12"] == -1553.0
    months = raw_months(shared_data)
    for key in ((2013, 12), (2014, 1)):
        _, row = months[key]
        end = pd.Timestamp(*key, 1) + pd.offsets.MonthEnd(0)
        for side, block in MONTH_BLOCK.items():
            assert series(monthly, f"mof.monthly.{side}.bonds.net").loc[end] == raw_net(row, block, "bonds")


# ------------------------------------------------------------------ real data: weekly vs monthly
def _hand_split(weeks: list[tuple[int, date, list[str]]], side: str, asset: str,
                year: int, month: int) -> tuple[float, float]:
    """(sum of weeks whose Saturday is in the month, weeks split by calendar days)."""
    ending = pro_rata = 0.0
    for _, saturday, row in weeks:
        v = raw_net(row, WEEK_BLOCK[side], asset)
        ending += v if (saturday.year, saturday.month) == (year, month) else 0.0
        for back in range(7):
            day = saturday - timedelta(days=back)
            pro_rata += v / 7 if (day.year, day.month) == (year, month) else 0.0
    return ending, pro_rata


@pytest.mark.parametrize(
    ("side", "asset", "year", "month", "monthly_value", "boundary"),
    [
        # montha1.csv line 265 (2026 Feb): inward equity 1,368,669 − 1,334,738 = 33,931; week.csv lines
        # 1116–1119 are exactly Sun 02-01 … Sat 02-28: 5,914 + 14,279 + 3,997 + 9,739 = 33,929
        ("foreign", "equity", 2026, 2, 33931.0, 0),
        # montha1.csv line 265: outward long-term debt 333,176 − 367,392 = −34,216 (printed the
        # same); weeks' printed nets (lines 1116–1119) −3,596 − 4,881 − 19,008 − 6,731 = −34,216
        ("resident", "bonds", 2026, 2, -34216.0, 0),
        # montha1.csv line 271 (2026 Aug): inward equity 1,599,653 − 1,601,393 = −1,740; weeks
        # ending 08-01 … 08-29 (lines 1141–1145) sum to −8,660, split by days −3,325.4
        ("foreign", "equity", 2026, 8, -1740.0, 6),
        # montha1.csv line 271: outward long-term debt 392,691 − 394,122 = −1,431, printed −1,430
        ("resident", "bonds", 2026, 8, -1430.0, 6),
        # montha1.csv line 270 (2026 Jul): inward equity 1,902,421 − 1,889,438 = 12,983
        ("foreign", "equity", 2026, 7, 12983.0, 7),
    ],
)
def test_reconcile_named_months(weekly: pd.DataFrame, monthly: pd.DataFrame, shared_data: Path, side: str,
                                asset: str, year: int, month: int, monthly_value: float, boundary: int) -> None:
    line, row = raw_months(shared_data)[(year, month)]
    assert raw_net(row, MONTH_BLOCK[side], asset) == monthly_value
    ending, pro_rata = _hand_split(raw_weeks(shared_data), side, asset, year, month)
    w = series(weekly, f"mof.weekly.{side}.{asset}.net")
    m = series(monthly, f"mof.monthly.{side}.{asset}.net")
    r = flows.reconcile_weekly_monthly(w, m, detail=True, split="days").loc[
        pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)]
    assert r["monthly"] == monthly_value
    assert r["weeks_ending_in_month"] == ending
    assert r["weeks_pro_rata"] == pytest.approx(pro_rata)
    assert r["gap"] == pytest.approx(monthly_value - pro_rata, abs=1e-9)
    assert r["gap_ending"] == monthly_value - ending
    assert r["gap_pct_of_monthly"] == pytest.approx(100 * (monthly_value - pro_rata) / abs(monthly_value))
    assert r["boundary_weekdays"] == boundary
    if boundary == 0:  # weekdays of the month = whole weeks: the two files agree to rounding
        assert abs(r["gap"]) <= 2 and r["why"] == flows.GAP_ROUNDING
    else:
        assert r["why"].startswith(f"{boundary} weekday(s)")


def test_reconcile_weekend_days_can_matter(weekly: pd.DataFrame, monthly: pd.DataFrame,
                                           shared_data: Path) -> None:
    """2021-02 runs Mon 1 → Sun 28: its weekdays are the weeks of lines 855–858
    (Sun 01-31 → Sat 02-27), yet residents' bond disposals differ by 37."""
    _, row = raw_months(shared_data)[(2021, 2)]  # montha1.csv line 205
    month = raw_net(row, MONTH_BLOCK["resident"], "bonds")  # 438,250 − 459,231 = −20,981
    ending, _ = _hand_split(raw_weeks(shared_data), "resident", "bonds", 2021, 2)  # 438,251 − 459,268
    assert (month, ending) == (-20981.0, -21017.0)
    r = flows.reconcile_weekly_monthly(series(weekly, "mof.weekly.resident.bonds.net"),
                                       series(monthly, "mof.monthly.resident.bonds.net"), detail=True)
    assert r.loc["2021-02-28", "boundary_weekdays"] == 0 and r.loc["2021-02-28", "gap_ending"] == 36.0
    # the default split puts each week on its trading days: the gap is those 36 (¥3.6bn), and the reason says
    # it is beyond rounding, not "rounding" (a calendar-day split would invent −1,346: Sun 01-31 and 02-28)
    assert r.loc["2021-02-28", "gap"] == pytest.approx(36.0) and r.loc["2021-02-28", "why"] == flows.GAP_ALIGNED
    by_days = flows.reconcile_weekly_monthly(series(weekly, "mof.weekly.resident.bonds.net"),
                                             series(monthly, "mof.monthly.resident.bonds.net"), split="days")
    assert abs(by_days.loc["2021-02-28", "gap"]) > 1000


def test_reconcile_gaps_across_history(weekly: pd.DataFrame, monthly: pd.DataFrame) -> None:
    """Foreign equity: every month whose weekdays are whole weeks agrees to ±2
    (¥100m); the pro-rata split halves the typical gap of the Saturday rule,
    and splitting by weekdays narrows it further."""
    w = series(weekly, "mof.weekly.foreign.equity.net")
    r = flows.reconcile_weekly_monthly(w, series(monthly, "mof.monthly.foreign.equity.net"), detail=True, split="days")
    assert r.index[0] == pd.Timestamp("2005-02-28")  # January 2005: week.csv starts Sun 2005-01-02
    assert r.index[-1] == pd.Timestamp("2026-08-31") and len(r) == 259
    aligned = r[r["boundary_weekdays"] == 0]
    assert [d.strftime("%Y-%m") for d in aligned.index] == ["2009-02", "2010-02", "2015-02", "2021-02", "2026-02"]
    assert aligned["gap_ending"].abs().max() <= 2
    assert r["gap"].abs().median() < r["gap_ending"].abs().median() / 1.5
    by_weekdays = flows.reconcile_weekly_monthly(w, series(monthly, "mof.monthly.foreign.equity.net"))  # the default
    assert by_weekdays["gap"].abs().median() < r["gap"].abs().median()


def test_monthly_usd_at_month_average(monthly: pd.DataFrame, shared_data: Path) -> None:
    fx_rows = list(csv.reader((shared_data / "fred" / "DEXJPUS_2025-12_2026-09.csv").read_text().splitlines()))
    fx = pd.Series({pd.Timestamp(d): float(v) for d, v in fx_rows[1:] if v.strip()})
    august = [float(v) for d, v in fx_rows[1:] if d.startswith("2026-08") and v.strip()]
    assert len(august) == 21  # lines 177–197: 156.96 (08-03) … 159.74 (08-31)
    s = series(monthly, "mof.monthly.foreign.total.net")  # montha1.csv line 271: −58,239
    usd = flows.monthly_usd(s, fx)
    assert usd.loc["2026-08-31"] == pytest.approx(-58239 * 1e8 / (sum(august) / 21) / 1e9)
    assert usd.attrs["unit"] == "USD bn"
    assert np.isnan(usd.loc["2025-11-30"])  # no fixing before 2025-12-01 in this file
    assert flows.jpy_bn(s).loc["2026-08-31"] == -5823.9 and flows.jpy_tn(s).loc["2026-08-31"] == pytest.approx(-5.8239)  # ¥-58,239 × 100m = ¥-5.8239tn


def test_context_table_rows_use_only_their_past(weekly: pd.DataFrame) -> None:
    s = series(weekly, "mof.weekly.resident.bonds.net")
    table = flows.context_table(s, last=6)
    for when, row in table.iterrows():
        alone = flows.context_table(s.loc[:when], last=1).iloc[-1]
        pd.testing.assert_series_equal(row, alone, check_names=False)
    assert table.attrs["unit"] == "JPY 100m"
    assert table.loc["2026-09-12", "streak"] == 2 and table.loc["2026-08-29", "streak"] == -2


# ------------------------------------------------------------------ synthetic edges
def weeks(values: list[float], start: str = "2024-01-06") -> pd.Series:
    """Values on consecutive Saturdays."""
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="7D"), dtype=float)


def test_rolling_sums_need_every_week() -> None:
    s = weeks([1, 2, 3, 4, 5, 6])
    got = flows.rolling_sums(s, (2, 4))
    assert got["sum_2"].tolist()[1:] == [3, 5, 7, 9, 11] and np.isnan(got["sum_2"].iloc[0])
    assert got["sum_4"].isna().tolist() == [True] * 3 + [False] * 3
    gap = s.drop(s.index[2])  # a missing week: windows over it are NaN, not partial
    assert flows.rolling_sums(gap, (2,))["sum_2"].tolist()[1:] == pytest.approx([3, np.nan, 4 + 5, 5 + 6], nan_ok=True)
    with_nan = s.copy()
    with_nan.iloc[3] = np.nan
    assert flows.rolling_sums(with_nan, (2,))["sum_2"].isna().tolist() == [True, False, False, True, True, False]


def test_rolling_sums_monthly_and_errors() -> None:
    s = pd.Series([1.0, 2.0, 4.0], index=pd.to_datetime(["2026-01-31", "2026-02-28", "2026-04-30"]))
    got = flows.rolling_sums(s, (2,))  # monthly inferred; March missing
    assert got["sum_2"].isna().tolist() == [True, False, True] and got.loc["2026-02-28", "sum_2"] == 3
    with pytest.raises(ValueError, match="whole weeks"):
        flows.rolling_sums(pd.Series([1.0, 2.0], index=pd.to_datetime(["2026-01-03", "2026-01-05"])))
    with pytest.raises(ValueError, match="duplicate"):
        flows.rolling_sums(pd.Series([1.0, 2.0], index=pd.to_datetime(["2026-01-03", "2026-01-03"])))
    empty = flows.rolling_sums(pd.Series([], dtype=float, index=pd.DatetimeIndex([])))
    assert empty.empty and list(empty.columns) == ["sum_4", "sum_13", "sum_52"]


def test_ytd_fytd_assign_weeks_by_saturday() -> None:
    s = weeks([1, 2, 4, 8], start="2025-12-20")  # Saturdays 12-20, 12-27, 2026-01-03, 01-10
    assert flows.cumulative_ytd(s).tolist() == [1, 3, 4, 12]
    fy = weeks([1, 2, 4], start="2026-03-28")  # 03-28 in FY2025; 04-04 (week from Sun 03-29) opens FY2026
    assert flows.cumulative_fytd(fy).tolist() == [1, 2, 6]
    nan = weeks([1, np.nan, 4])
    assert flows.cumulative_ytd(nan).tolist() == pytest.approx([1, np.nan, 5], nan_ok=True)
    assert flows.cumulative_ytd(s.iloc[::-1]).tolist() == [1, 3, 4, 12]  # sorted by date first


def test_unit_conversions() -> None:
    s = weeks([12345.0])
    assert flows.jpy_bn(s).iloc[0] == 1234.5 and flows.jpy_bn(s).attrs["unit"] == "JPY bn"
    # ¥12,345 × 100m = ¥1.2345 × 10^12 = ¥1.2345tn
    assert flows.jpy_tn(s).iloc[0] == pytest.approx(1.2345) and flows.jpy_tn(s).attrs["unit"] == "JPY tn"
    s.attrs["unit"] = "USD bn"
    with pytest.raises(ValueError, match="JPY 100m"):
        flows.jpy_bn(s)


def test_monthly_usd_needs_enough_fixings() -> None:
    m = pd.Series([1500.0, 1500.0], index=pd.to_datetime(["2026-01-31", "2026-02-28"]))
    days = pd.bdate_range("2026-01-01", "2026-02-28")
    fx = pd.Series(np.where(days.month == 1, 150.0, 100.0), index=days)
    fx[days[days.month == 2][3:]] = np.nan  # February: only 3 fixings left
    usd = flows.monthly_usd(m, fx)
    assert usd.iloc[0] == pytest.approx(1500 * 1e8 / 150 / 1e9) and np.isnan(usd.iloc[1])
    assert flows.monthly_usd(m, fx, min_fixings=3).iloc[1] == pytest.approx(1.5)


def test_percentile_ties_nan_and_window() -> None:
    s = weeks([1, 2, 2, 3, np.nan, 0])
    got = flows.percentile_rank(s)
    # by hand: [1]→½/1, [1,2]→1½/2, [1,2,2]→2/3, [1,2,2,3]→3½/4, NaN, [1,2,2,3,0]→½/5
    assert got.tolist() == pytest.approx([50, 75, 200 / 3, 87.5, np.nan, 10], nan_ok=True)
    assert flows.percentile_rank(s, window=2).iloc[-1] == pytest.approx(25.0)  # [3, 0]: NaN not counted
    assert flows.percentile_rank(weeks([])).empty


def test_zscore_by_hand() -> None:
    s = weeks([1, 2, 3, 10])
    z = flows.zscore(s, window=3, min_periods=3)
    assert np.isnan(z.iloc[1]) and z.iloc[2] == pytest.approx(1.0)  # (3 − 2) / 1
    assert z.iloc[3] == pytest.approx((10 - 5) / np.std([2, 3, 10], ddof=1))
    assert flows.zscore(weeks([4, 4, 4]), window=3, min_periods=2).isna().all()  # zero std


def test_largest_since_ties_zero_records_nan() -> None:
    s = weeks([5, 3, 5, -2, -9, 0, -4, np.nan, 10])
    got = flows.largest_since(s)
    assert pd.isna(got.iloc[0])  # first value
    assert got.iloc[2] == s.index[0]  # 5 ≥ 5: a tie is not a record
    assert pd.isna(got.iloc[4]) and flows.record_flag(s).iloc[4] == "record low"
    assert pd.isna(got.iloc[5])  # zero: neither buying nor selling
    assert got.iloc[6] == s.index[4]  # −4: largest selling since the −9 week
    assert pd.isna(got.iloc[7]) and pd.isna(got.iloc[8]) and flows.is_record(s) == "record high"


def test_streaks_zero_and_nan_break() -> None:
    s = weeks([1, 2, 0, -1, -3, np.nan, -2, 5, 6])
    assert flows.streaks(s).tolist() == [1, 2, 0, -1, -2, 0, -1, 1, 2]
    assert flows.streak(s) == (1, 2, s.index[7])
    assert flows.streak(s, at=s.index[4]) == (-1, 2, s.index[3])
    assert flows.streak(s, at=s.index[2]) == (0, 0, None)  # a zero value is no run
    assert flows.streak(weeks([3, 4, np.nan])) == (1, 2, pd.Timestamp("2024-01-06"))  # latest published
    with pytest.raises(ValueError, match="no published value"):
        flows.streak(weeks([np.nan]))
    with pytest.raises(ValueError, match="not a date"):
        flows.streak(s, at="2024-01-07")


def test_is_record_ties_and_first_value() -> None:
    assert flows.is_record(weeks([3.0])) is None
    assert flows.is_record(weeks([3, 1, 3])) is None  # tie with the earlier high
    assert flows.is_record(weeks([3, 1, 0.5])) == "record low"
    assert flows.is_record(weeks([3, 1, 4]), at="2024-01-13") == "record low"
    with pytest.raises(ValueError):
        flows.is_record(weeks([]))


def test_context_table_edges() -> None:
    m = pd.Series([1.0, -2.0, 3.0], index=pd.to_datetime(["2026-01-31", "2026-02-28", "2026-03-31"]))
    t = flows.context_table(m, last=2, weekly=False)
    assert list(t.columns[:3]) == ["value", "sum_3", "sum_12"] and t["sum_3"].iloc[-1] == 2.0
    assert flows.context_table(weeks([]), last=5).empty
    assert flows.context_table(weeks([1, 2]), last=0).empty
    assert len(flows.context_table(weeks([1, np.nan, 2]), last=5)) == 2  # NaN rows dropped


def test_reconcile_synthetic_even_flows_match() -> None:
    """Flows of 7 per day: weekly 49 per week; months of 7·days; pro rata exact."""
    w = weeks([49.0] * 10, start="2026-01-03")  # Sat 01-03 … 03-07: covers Dec 28 → Mar 7
    m = pd.Series([7.0 * 31, 7.0 * 28, 0.0], index=pd.to_datetime(["2026-01-31", "2026-02-28", "2026-03-31"]))
    r = flows.reconcile_weekly_monthly(w, m, detail=True, split="days")
    assert list(r.index) == [pd.Timestamp("2026-01-31"), pd.Timestamp("2026-02-28")]  # March not covered
    assert r["gap"].abs().max() < 1e-9
    assert r.loc["2026-01-31", "weeks_ending_in_month"] == 5 * 49 and r.loc["2026-01-31", "n_weeks"] == 5
    # Jan: Sat 01-03 week holds Mon 12-29 … Wed 12-31 (3 weekdays outside) → 3; Feb is whole weeks → 0
    assert r["boundary_weekdays"].tolist() == [3, 0]
    zero = flows.reconcile_weekly_monthly(w, m.replace(7.0 * 28, 0.0), split="days")
    assert np.isnan(zero.loc["2026-02-28", "gap_pct_of_monthly"])  # % of a zero month is undefined
    by_wd = flows.reconcile_weekly_monthly(weeks([50.0] * 10, start="2026-01-03"), m, split="weekdays")
    assert by_wd.loc["2026-02-28", "weeks_pro_rata"] == 200.0  # 20 weekdays × 10


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=1, max_size=40), st.integers(1, 40))
def test_context_table_has_no_look_ahead(values: list[int], cut: int) -> None:
    s = weeks([float(v) for v in values])
    cut = min(cut, len(s))
    full = flows.context_table(s, last=len(s), window=5)
    head = flows.context_table(s.iloc[:cut], last=len(s), window=5)
    pd.testing.assert_frame_equal(full.iloc[:cut], head)
