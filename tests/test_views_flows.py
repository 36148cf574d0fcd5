"""Issue 3 on the real files: flow statistics and the flows table. Expected
values are computed in the test by scanning the raw week.csv columns with the
csv module (independently of the parser) or read off the files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yenflow.analytics import flows
from yenflow.cli import app
from yenflow.store import Store

from conftest import run_view


def flows_view(store: Store, freq: str, side: str, asset: str, last: int = 12, **kw: object) -> pd.DataFrame:
    return run_view(store, "flows", weekly=freq == "weekly", side=side, asset=asset, last=last, **kw).frame()


def _raw_weekly(shared_data: Path) -> list[list[str]]:
    """week.csv data rows (period label first), decoded from cp932 by the csv module."""
    text = (shared_data / "mof_securities_flows" / "week.csv").read_bytes().decode("cp932")
    rows = [r for r in csv.reader(io.StringIO(text)) if r and "～" in r[0] and len(r) >= 23]
    return rows


def _num(cell: str) -> float:
    return float(cell.strip().replace(",", ""))


def test_weekly_resident_bonds_table_matches_raw_columns(real_store: Store, shared_data: Path) -> None:
    rows = _raw_weekly(shared_data)
    # outward block at column 1: [eq_acq, eq_disp, eq_net, lt_acq, lt_disp, lt_net, ...]: MOF's
    # printed bonds net is column 6 (stored as published)
    net = [_num(r[6]) for r in rows]
    assert len(net) == 1132
    t = flows_view(real_store, "weekly", "resident", "bonds", last=12, full_history=True)
    last = t.iloc[-1]
    assert t.index[-1] == pd.Timestamp("2026-09-12") and last["week_from"] == pd.Timestamp("2026-09-06")
    assert last["value"] == pytest.approx(net[-1] / 10)  # printed 10,829 (¥100m)
    assert last["sum_4"] == pytest.approx(sum(net[-4:]) / 10)
    assert last["sum_52"] == pytest.approx(sum(net[-52:]) / 10)
    # largest purchase since: the last earlier week with net ≥ the latest
    since = next(i for i in range(len(net) - 2, -1, -1) if net[i] >= net[-1])
    assert last["largest_since"] == t.index[-1] - pd.Timedelta(weeks=len(net) - 1 - since)
    # streak: consecutive weeks of net buying ending at the latest
    k = 0
    while k < len(net) and net[-1 - k] > 0:
        k += 1
    assert last["streak"] == k
    # percentile over the full history, ties counting half
    below = sum(v < net[-1] for v in net) + 0.5 * sum(v == net[-1] for v in net)
    assert last["percentile"] == pytest.approx(100 * below / len(net))
    # by default the rank starts at the 2014-01 reclassification: the weeks from the one ending 2014-01-04
    # (week.csv row "2013．12．29～2014．1．4") on
    first_2014 = next(i for i, r in enumerate(rows) if "2014．1．4" in r[0])
    recent = net[first_2014:]
    default = flows_view(real_store, "weekly", "resident", "bonds", last=1).iloc[-1]
    below = sum(v < net[-1] for v in recent) + 0.5 * sum(v == net[-1] for v in recent)
    assert default["percentile"] == pytest.approx(100 * below / len(recent))


def test_weekly_foreign_equity_sign_and_record(real_store: Store, shared_data: Path) -> None:
    rows = _raw_weekly(shared_data)
    # inward block at column 12: equity acq 12, disp 13, printed net 14 (non-residents
    # buying Japanese equity); the store holds the printed net
    net = pd.Series([_num(r[14]) for r in rows])
    s = real_store.get("mof.weekly.foreign.equity.net")
    assert s.to_numpy() == pytest.approx(net.to_numpy())
    rec = flows.record_flag(s)
    # the largest weekly net purchase in the file is flagged a record where it happens
    top = s.idxmax()
    assert rec[top] == "record high" and (rec[s.index > top] != "record high").all()


def test_sign_convention_holds_across_2014(real_store: Store) -> None:
    """The published net is acquisition − disposition within rounding (±1) on both
    sides of 2014: no sign flip in the current files."""
    acq = real_store.get("mof.weekly.resident.bonds.acq")
    disp = real_store.get("mof.weekly.resident.bonds.disp")
    net = real_store.get("mof.weekly.resident.bonds.net")
    for span in (slice("2013-01-01", "2013-12-31"), slice("2014-01-01", "2015-12-31")):
        assert (net[span] - (acq[span] - disp[span])).abs().max() == 1


def test_monthly_foreign_total_table(real_store: Store, shared_data: Path) -> None:
    t = flows_view(real_store, "monthly", "foreign", "total", last=24)
    # montha1.csv, 2026-08: non-residents' total net −58,239 (¥100m)
    assert t.loc["2026-08-31", "value"] == pytest.approx(-5823.9)
    fx = real_store.get("fx.usdjpy").loc["2026-08-01":"2026-08-31"].mean()
    assert t.loc["2026-08-31", "value_usd_bn"] == pytest.approx(-58239 * 1e8 / fx / 1e9)
    s = real_store.get("mof.monthly.foreign.total.net")
    # fiscal year to date (from April 2026): Apr..Aug
    assert t.loc["2026-08-31", "fytd"] == pytest.approx(s["2026-04-30":"2026-08-31"].sum() / 10)
    # montha1.csv column 24 (non-residents' total net), scanned raw: the lowest month is 2026-03
    # (−126,554, line 266) and the highest 2025-10 (+125,062, line 261)
    text = (shared_data / "mof_securities_flows" / "montha1.csv").read_bytes().decode("cp932")
    raw = [_num(r[24]) for r in csv.reader(io.StringIO(text))
           if len(r) > 24 and r[2].strip() in MONTHS and r[24].strip()]
    assert min(raw) == -126554 and max(raw) == 125062
    assert t.loc["2026-03-31", "value"] == pytest.approx(-12655.4)
    assert t.loc["2026-03-31", "record"] == "record low"
    assert t.loc["2025-10-31", "record"] == "record high"


def test_weekly_monthly_reconciliation_exact_in_four_week_months(real_store: Store) -> None:
    w = real_store.get("mof.weekly.foreign.total.net")
    m = real_store.get("mof.monthly.foreign.total.net")
    r = flows.reconcile_weekly_monthly(w, m)
    # February 2015 and February 2026 are exactly four Sunday–Saturday weeks: no boundary effect
    for month in ("2015-02-28", "2026-02-28"):
        assert abs(r.loc[month, "gap"]) <= 2  # rounding of the published figures (¥100m)
    # other months differ because weeks straddle month ends
    assert (r["gap"].abs() > 100).mean() > 0.5


def test_cli_flows(real_store: Store) -> None:
    home = str(real_store.path.parent)
    r = CliRunner().invoke(app, ["flows", "--monthly", "--side", "foreign", "--asset", "total", "--last", "24", "--home", home])
    assert r.exit_code == 0, r.output
    assert "2026-08-31" in r.output and "-5,823.9" in r.output and "¥bn" in r.output
    r = CliRunner().invoke(app, ["flows", "--weekly", "--side", "resident", "--asset", "bonds", "--last", "12", "--home", home, "-f", "csv"])
    assert r.exit_code == 0 and r.output.count("\n") == 13
    r = CliRunner().invoke(app, ["flows", "--reconcile", "--last", "8", "--home", home, "-f", "csv"])
    assert r.exit_code == 0 and "2026-02-28" in r.output and "weeks_pro_rata" in r.output


def _s(values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2024-01-06", periods=len(values), freq="7D"), dtype=float)


def test_streaks_zero_breaks_and_sign() -> None:
    assert flows.streaks(_s([1, 2, 0, -1, -3, -2, 5])).tolist() == [1, 2, 0, -1, -2, -3, 1]


def test_largest_since_records_and_ties() -> None:
    s = _s([5, 3, 5, -2, -9, -4, 10])
    got = flows.largest_since(s)
    assert got.iloc[2] == s.index[0]          # a tie counts: 5 ≥ 5
    assert pd.isna(got.iloc[4])               # −9 is the largest sale so far (record)
    assert got.iloc[5] == s.index[4]          # −4: largest sale since the −9 week
    assert pd.isna(got.iloc[6])               # 10: record purchase
    assert flows.record_flag(s).iloc[6] == "record high" and flows.record_flag(s).iloc[4] == "record low"


def test_percentile_ties_half_and_window() -> None:
    s = _s([1, 2, 2, 3])
    # by hand: [1]→0.5/1, [1,2]→1.5/2, [1,2,2]→(1+1)/3, [1,2,2,3]→3.5/4
    assert flows.percentile_rank(s).tolist() == pytest.approx([50, 75, 200 / 3, 87.5])
    assert flows.percentile_rank(s, window=2).iloc[-1] == pytest.approx(75.0)


def test_fytd_resets_in_april() -> None:
    s = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2026-02-28", "2026-03-31", "2026-04-30"]))
    assert flows.cumulative_fytd(s).tolist() == [1.0, 3.0, 3.0]
    assert flows.cumulative_ytd(s).tolist() == [1.0, 3.0, 6.0]


def test_revised_week_csv_keeps_earlier_figures_as_vintages(shared_data: Path, tmp_path: Path) -> None:
    """MOF revises the latest weeks in each release: re-ingesting a newer week.csv
    adds the revised figures as new vintages and keeps the earlier ones."""
    import time

    from yenflow.pipeline import update

    raw = (shared_data / "mof_securities_flows" / "week.csv").read_bytes()
    old_row = '"381,075 ","396,303 ","-15,228 ","75,958 ","53,597 ","22,362 ","7,133 ","32,871 ","45,000 ","-12,128 ","-4,995 "'
    # a revision of the last week: non-residents bought ¥1bn (10 × ¥100m) more Japanese equity
    new_row = '"381,085 ","396,303 ","-15,218 ","75,958 ","53,597 ","22,362 ","7,143 ","32,871 ","45,000 ","-12,128 ","-4,985 "'
    text = raw.decode("cp932")
    assert text.count(old_row) == 1
    first, second = tmp_path / "v1", tmp_path / "v2"
    for folder, body in ((first, text), (second, text.replace(old_row, new_row))):
        (folder / "mof_securities_flows").mkdir(parents=True)
        (folder / "mof_securities_flows" / "week.csv").write_bytes(body.encode("cp932"))
    store = Store(tmp_path / "s.duckdb")
    assert update(store, ["mof.securities_weekly"], str(first))[0].ok
    between = pd.Timestamp.now(tz="UTC").tz_localize(None)
    time.sleep(0.01)
    r = update(store, ["mof.securities_weekly"], str(second))[0]
    assert r.ok and r.counts.new == 0
    assert r.counts.revised == 4  # equity acq and net, subtotal net, total net of that one week
    assert store.get("mof.weekly.foreign.equity.net").loc["2026-09-12"] == -15218
    assert store.get("mof.weekly.foreign.equity.net", as_of=between).loc["2026-09-12"] == -15228
    v = store.vintages("mof.weekly.foreign.total.net", "2026-09-12")
    assert list(v["value"]) == [-4995.0, -4985.0]


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _raw_monthb3_net(shared_data: Path, acq_col: int) -> list[float]:
    """monthb3.csv monthly rows in file order: MOF's printed net of one investor, the
    column after acquisition and disposition (columns read off the header rows: life
    insurers 42/43/44, banks' banking a/c 18/19/20)."""
    text = (shared_data / "mof_securities_flows" / "monthb3.csv").read_bytes().decode("cp932")
    out = []
    for r in csv.reader(io.StringIO(text)):
        if len(r) > acq_col + 2 and r[2].strip() in MONTHS and r[acq_col].strip() not in ("", "-"):
            out.append(_num(r[acq_col + 2]))
    return out


def test_investors_table_matches_monthb3(real_store: Store, shared_data: Path) -> None:
    t = run_view(real_store, "investors", asset="bonds").frame().set_index("investor")
    for investor, col in (("life_insurers", 42), ("banks", 18)):
        net = _raw_monthb3_net(shared_data, col)
        assert len(net) == 259  # 2005-01 … 2026-07
        row = t.loc[investor]
        assert row["month"] == pd.Timestamp("2026-07-31")
        assert row["net"] == pytest.approx(net[-1] / 10)
        assert row["sum_12m"] == pytest.approx(sum(net[-12:]) / 10)
        assert row["fytd"] == pytest.approx(sum(net[-4:]) / 10)  # April–July 2026


def test_jgb_buyers_sign_flipped(real_store: Store) -> None:
    t = run_view(real_store, "jgb_buyers", last=14).frame().set_index(["month", "investor"])
    # koushasai2025.xlsx sheet (Ｊ), June 2025, Foreigners, super-long JGBs: −15,012 (sales − purchases)
    assert t.loc[(pd.Timestamp("2025-06-30"), "foreigners"), "super_long"] == pytest.approx(1501.2)


def test_cli_investors_and_jgb_buyers(real_store: Store) -> None:
    home = str(real_store.path.parent)
    r = CliRunner().invoke(app, ["investors", "--asset", "bonds", "--home", home])
    assert r.exit_code == 0 and "life_insurers" in r.output and "money coming home" in r.output
    r = CliRunner().invoke(app, ["jgb-buyers", "--last", "2", "--home", home, "-f", "csv"])
    assert r.exit_code == 0 and r.output.splitlines()[0].startswith("month,investor,super_long")


def test_flows_any_series(real_store: Store, shared_data: Path) -> None:
    home = str(real_store.path.parent)
    net = _raw_monthb3_net(shared_data, 42)  # life insurers, monthb3 columns 42/43
    r = CliRunner().invoke(app, ["flows", "--series", "mof.investor.bonds.life_insurers.net", "--last", "1",
                                 "--home", home, "-f", "csv"])
    assert r.exit_code == 0, r.output
    row = r.output.splitlines()[1].split(",")
    assert row[0] == "2026-07-31" and float(row[1]) == pytest.approx(net[-1] / 10)
    r = CliRunner().invoke(app, ["flows", "--series", "jgb.10y", "--home", home])
    assert r.exit_code == 1 and "takes flows in JPY 100m" in r.output
