"""The view layer: one JSON shape for every read command, one-line errors for
bad options, honest dates, point-in-time reads, the shared ranking rules and
the hedging legs. Expected values are read from the sample files (file and
line cited)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import run_view
from yenflow.analytics import context
from yenflow.cli import app
from yenflow.store import Store
from yenflow.views import registry

runner = CliRunner()
SOFR_2026_08_19 = 3.62  # fred/2026_ytd/SOFR.csv
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
KEY = re.compile(r"^[a-z0-9_.]+$")

#: parameters for views that need some (the rest run with their defaults)
VIEW_ARGS: dict[str, list[str]] = {
    "series_values": ["jgb.10y", "ust.par.10y", "--start", "2024-08-01", "--end", "2024-08-06"],
    "vintages": ["fx.usdjpy", "--date", "2019-02-20"],
    "catalog": ["jgb"],
    "episode": ["--preset", "aug-2024"],
    "scenario_run": ["--paths", "2000", "--horizon", "12m"],
}
#: views that need a store the session's real_store lacks (covered in their own tests)
NEEDS_IMPORT = {"intervention", "equity_flows", "value_growth"}


def _cli(name: str) -> str:
    return registry.specs()[name].cli or name


@pytest.mark.parametrize("name", sorted(n for n, s in registry.specs().items() if s.cli and n not in NEEDS_IMPORT))
def test_every_read_command_has_the_one_json_shape(name: str, real_store: Store) -> None:
    args = [*_cli(name).split(), *VIEW_ARGS.get(name, []), "--format", "json", "--home", str(real_store.path.parent)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out) == {"view", "title", "params", "as_of", "version", "tables", "conventions", "warnings", "inputs"}
    assert out["view"] == name and out["tables"] and out["version"]
    for table in out["tables"]:
        assert {"name", "title", "kind", "units", "date_column", "rows"} <= set(table)
        assert table["kind"] in ("series", "snapshot")
        for row in table["rows"][:50]:
            assert set(row) == set(table["units"]), "every column has a unit entry"
            for key, value in row.items():
                assert KEY.match(key), f"{name}.{table['name']}: key {key!r} is not snake_case"
                if table["units"][key] == "date" and value is not None:
                    assert ISO_DATE.match(value), f"{name}: {key}={value!r} is not an ISO date"
    if name not in ("catalog", "status", "sources", "scenario_presets"):  # these read no series
        assert out["inputs"], f"{name} lists no inputs"
        assert all(i["unit"] is not None and "source" in i for i in out["inputs"])


@pytest.mark.parametrize("args, option", [
    (["show", "jgb.10y", "--start", "2024-13-01"], "--start: '2024-13-01' is not a date (YYYY-MM-DD)"),
    (["show", "jgb.10y", "--end", "2024-02-30"], "--end: '2024-02-30' is not a date"),
    (["show", "jgb.10y", "--as-of", "garbage"], "--as-of: 'garbage' is not a date or time"),
    (["show", "jgb.10y", "--start", "2024-02-01", "--end", "2024-01-01"], "--start: 2024-02-01 is after --end 2024-01-01"),
    (["vintages", "jgb.10y", "--date", "garbage"], "--date: 'garbage' is not a date"),
    (["hedge", "--hedge-ratio", "2"], "--hedge-ratio: 2 is above the maximum 1 (allowed: 0 to 1)"),
    (["hedge", "--hedge", "5W"], "--hedge: '5W' is not allowed; one of: 1M, 3M"),
    (["hedge", "--hedge", "1Y"], "--hedge: '1Y' is not allowed; one of: 1M, 3M"),
    (["hedge", "--tenor", "4"], "--tenor: '4' is not allowed; one of: 1, 2, 3, 5, 7, 10, 20, 30"),
    (["hedge", "--date", "2026-01-05", "--start", "2026-01-01"], "--date: give either --date or --start/--end"),
    (["flows", "--last", "-5"], "--last: -5 is below the minimum 1"),
    (["flows", "--last", "x"], "--last: 'x' is not a whole number"),
    (["cot", "--weeks", "0"], "--weeks: 0 is below the minimum 1"),
    (["spreads", "--format", "xml"], "--format: 'xml' is not allowed; one of: table, csv, json"),
    (["auctions", "--tenor", "7"], "--tenor: '7' has no auctions in the store"),
])
def test_bad_options_are_one_line_and_exit_2(args: list[str], option: str, real_store: Store) -> None:
    r = runner.invoke(app, [*args, "--home", str(real_store.path.parent)])
    assert r.exit_code == 2, r.output
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: " + option), r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize("args, text", [
    (["hedge", "--nope"], "Error: yenflow hedge: No such option: --nope"),
    (["show"], "Error: SERIES_IDS: give at least one series id"),
])
def test_usage_errors_through_the_entry_point_are_one_line(args: list[str], text: str, real_store: Store) -> None:
    r = subprocess.run([sys.executable, "-m", "yenflow", *args, "--home", str(real_store.path.parent)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().splitlines() == [r.stderr.strip()] and r.stderr.startswith(text), r.stderr
    assert r.stdout == ""


def test_stale_answers_say_so(real_store: Store) -> None:
    # the last UST 20Y in the store is the par curve of 2025-12-19 (ust_yields/daily-treasury-rates_2025_to-2025-12-19.csv);
    # FRED's H.15 files here have no 20Y
    r = run_view(real_store, "hedge", bond_tenor=20, side="jp", date="2026-06-30")
    assert r.frame().loc["local_yield", "date"] == pd.Timestamp("2025-12-19")
    assert any("answer dated 2025-12-19, 193 days before the 2026-06-30 asked: UST 20Y" in w for w in r.warnings)
    s = run_view(real_store, "spreads")
    rows = s.frame().set_index("measure")
    assert rows.loc["ust_jgb_20y", "date"] == pd.Timestamp("2025-12-19")
    assert rows.loc["ust_2s10s", "date"] == pd.Timestamp("2026-09-10")  # fred/2026_ytd/DGS10.csv, DGS2.csv
    assert any(w.startswith("rows dated 2025-12-19") and "ust_jgb_20y" in w for w in s.warnings)
    assert any(w.startswith("rows dated 2026-06-30") and "ust_jgb_10y" in w for w in s.warnings)


def test_csv_has_no_float_noise(real_store: Store) -> None:
    r = runner.invoke(app, ["spreads", "--date", "2026-06-30", "-f", "csv", "--home", str(real_store.path.parent)])
    # UST 10Y 4.44 (fred/2026_ytd/DGS10.csv, 2026-06-30) − JGB 10Y 2.690 (jgbcme_all.csv 2026/6/30) = 175 bp exactly
    row = next(line for line in r.output.splitlines() if line.startswith("ust_jgb_10y,"))
    assert row.split(",")[2] == "175"
    assert not re.search(r"\d\.\d{13,}", r.output)


# ------------------------------------------------------------------ point in time


def test_as_of_before_the_store_existed_reconstructs_from_release_lags(real_store: Store) -> None:
    r = run_view(real_store, "flows", weekly=True, side="foreign", asset="total", last=2, as_of="2024-08-05")
    t = r.frame()
    # week.csv: the week 2024-07-21～07-27 was published on Thursday 2024-08-01; the week to 08-03 only on 08-08
    assert t.index[-1] == pd.Timestamp("2024-07-27")
    assert any("started recording mof.weekly.foreign.total.net after 2024-08-05" in w for w in r.warnings)
    m = run_view(real_store, "flows", weekly=False, side="foreign", asset="total", last=1, as_of="2024-08-05").frame()
    # montha1.csv: July 2024 came out about the 8th business day of August (after 08-05): June is the latest
    assert m.index[-1] == pd.Timestamp("2024-06-30")
    mon = run_view(real_store, "monitor", as_of="2024-08-05").frame("levels").set_index("series")
    # MOF publishes a day's JGB yields the next business day: on 2024-08-05 the latest known is 2024-08-02 (0.974)
    assert mon.loc["JGB 10Y", "date"] == pd.Timestamp("2024-08-02") and mon.loc["JGB 10Y", "value"] == pytest.approx(0.974)
    # the Treasury publishes the same evening: 2024-08-05, 10Y 3.78 (yield-curve-rates-1990-2024.csv line 103)
    assert mon.loc["UST 10Y", "date"] == pd.Timestamp("2024-08-05")


def test_as_of_with_two_vintages_shows_what_the_store_had(shared_data: Path, tmp_path: Path) -> None:
    """A revised week.csv: as of a time between the two updates the flows view shows the first figure."""
    import time

    from yenflow.pipeline import update

    raw = (shared_data / "mof_securities_flows" / "week.csv").read_bytes().decode("cp932")
    # the last week's inward block (week.csv line 1147); a revision: non-residents bought ¥1bn more equity,
    # so the equity net, the subtotal and the total all rise by 10 (¥100m)
    old_row = '"381,075 ","396,303 ","-15,228 ","75,958 ","53,597 ","22,362 ","7,133 ","32,871 ","45,000 ","-12,128 ","-4,995 "'
    new_row = '"381,085 ","396,303 ","-15,218 ","75,958 ","53,597 ","22,362 ","7,143 ","32,871 ","45,000 ","-12,128 ","-4,985 "'
    assert raw.count(old_row) == 1
    first, second = tmp_path / "v1", tmp_path / "v2"
    for folder, body in ((first, raw), (second, raw.replace(old_row, new_row))):
        (folder / "mof_securities_flows").mkdir(parents=True)
        (folder / "mof_securities_flows" / "week.csv").write_bytes(body.encode("cp932"))
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        assert update(store, ["mof.securities_weekly"], str(first))[0].ok
        time.sleep(0.01)
        between = pd.Timestamp.now(tz="UTC").tz_localize(None)
        time.sleep(0.01)
        assert update(store, ["mof.securities_weekly"], str(second))[0].ok
    with Store(path, read_only=True) as store:
        now = run_view(store, "flows", side="foreign", asset="equity", last=1).frame()
        then = run_view(store, "flows", side="foreign", asset="equity", last=1, as_of=between.isoformat()).frame()
        assert now["value"].iloc[-1] == pytest.approx(-1521.8) and then["value"].iloc[-1] == pytest.approx(-1522.8)
        # the store was recording at `between`: no reconstruction warning
        assert not run_view(store, "flows", side="foreign", asset="equity", as_of=between.isoformat()).warnings


# ------------------------------------------------------------------ ranking rules


def _s(values: list[float], freq: str = "7D") -> pd.Series:
    return pd.Series(values, index=pd.date_range("2024-01-06", periods=len(values), freq=freq), dtype=float)


def test_percentile_one_tie_rule_with_count_and_calendar_windows() -> None:
    s = _s([1, 2, 2, 3, 1])
    # by hand, the value itself included, ties half: [1]→½/1, [1,2]→1.5/2, [1,2,2]→2/3, [1,2,2,3]→3.5/4, [..,1]→1/5
    assert context.percentile(s).tolist() == pytest.approx([50, 75, 200 / 3, 87.5, 20])
    # the last 2 observations: [3, 1] → 1 is below nothing, equal to itself: ½/2
    assert context.percentile(s, window=2).iloc[-1] == pytest.approx(25.0)
    # a calendar window of 15 days on weekly data holds 3 values: [2, 3, 1] → ½/3
    assert context.percentile(s, window="15D").iloc[-1] == pytest.approx(100 / 6)
    # only the rows asked are computed
    assert list(context.percentile(s, at=[s.index[1]]).index) == [s.index[1]]


def test_since_streak_record_zscore() -> None:
    s = _s([5, 3, 5, -2, -9, -4, 10])
    largest = context.since(s, "largest")
    assert largest.iloc[2] == s.index[0] and pd.isna(largest.iloc[4]) and largest.iloc[5] == s.index[4]
    assert context.since(s, "low").iloc[1] == pd.NaT or pd.isna(context.since(s, "low").iloc[1])
    assert context.since(s, "high").iloc[5] == s.index[3]  # −4 ≥ −2? no; −4: last value ≥ −4 is −2 (index 3)
    assert context.streak(s).tolist() == [1, 2, 3, -1, -2, -3, 1]
    assert context.record(s).tolist() == ["", "record low", "", "record low", "record low", "", "record high"]
    z = context.zscore(_s([1, 2, 3, 4]), min_periods=2)
    assert z.iloc[-1] == pytest.approx((4 - 2.5) / pd.Series([1, 2, 3, 4]).std())
    # a zero breaks a run; NaN (not published) is left out, so it does not
    assert context.streak(_s([1, 2, 0, 3, -1, float("nan"), -2, 0])).tolist() == [1, 2, 0, 1, -1, -2, 0]
    assert context.streak(_s([4, 5, -1, -2]), at=[s.index[1], s.index[3]]).tolist() == [2, -2]
    run = context.streak(pd.Series(1.0, index=pd.date_range("2000-01-01", periods=20_000)))  # one long run
    assert run.iloc[0] == 1 and run.iloc[-1] == 20_000 and run.is_monotonic_increasing


def test_spliced_series_is_par_extended_by_cmt(real_store: object) -> None:
    """The Treasury par curve, extended by FRED's H.15 copy where the par files stop: the values of
    ``par.combine_first(cmt)`` on every date either publishes (the rule the monitor, the curve and the
    T-bill leg use)."""
    from yenflow.views.market import Market

    m = Market(real_store)  # type: ignore[arg-type]
    par, cmt = m.series("ust.par.10y").dropna(), m.series("ust.cmt.10y").dropna()
    spliced = m.spliced("ust.par.10y", "ust.cmt.10y")
    assert spliced is not None
    pd.testing.assert_series_equal(spliced, par.combine_first(cmt).dropna(), check_freq=False, check_names=False)
    assert spliced.index.max() == max(par.index.max(), cmt.index.max()) > par.index.max()  # the H.15 copy runs on
    assert spliced.loc[par.index[-1]] == par.iloc[-1]  # where both publish, the par file's figure
    assert m.spliced("ust.par.10y", "no.such.series") is not None and m.spliced("no.a", "no.b") is None


# ------------------------------------------------------------------ hedging legs


def test_overnight_legs_are_smoothed_over_quarter_end(real_store: Store) -> None:
    # fred/2026_ytd/SOFR.csv lines 125–129: 3.62, 3.64, 3.62, 3.62 and 3.68 on the quarter end 2026-06-30
    spiky = run_view(real_store, "hedge", bond_tenor=10, date="2026-06-30", smoothing="none").frame()
    smooth = run_view(real_store, "hedge", bond_tenor=10, date="2026-06-30").frame()
    jpy = 1.27409  # fred/IR3TIB01JPM156N.csv line 291 (the May-2026 average applies in June)
    assert spiky.loc["short_rate_diff", "value"] == pytest.approx(3.68 * 365 / 360 - jpy)
    assert smooth.loc["short_rate_diff", "value"] == pytest.approx(3.62 * 365 / 360 - jpy)  # the median of the five
    # fred/SOFR.csv lines 1753–1757, 2024-12-18…24: 4.57, 4.30, 4.30, 4.31, 4.40 → median 4.31
    dec = run_view(real_store, "hedge", bond_tenor=10, date="2024-12-24").frame()
    jpy_nov = real_store.get("rate.jpy.3m_interbank").loc["2024-11-30"]
    assert dec.loc["short_rate_diff", "value"] == pytest.approx(4.31 * 365 / 360 - jpy_nov)
    conv = run_view(real_store, "hedge", bond_tenor=10).conventions
    assert any("overnight SOFR (ACT/360) as a proxy for 3M SOFR OIS; trailing median" in c for c in conv)


def test_freshest_jpy_leg_per_date_with_a_warning(shared_data: Path, tmp_path: Path) -> None:
    """TONA imported from the derived BOJ file ends 2026-08-19: later dates take the OECD 3M average, and say so."""
    from yenflow.pipeline import import_file, update

    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        assert all(r.ok for r in update(store, ["fred"], str(shared_data)))
        tona = shared_data / "boj" / "japan-overnight-call-rate_STRDCLUCON_derived.csv"
        assert import_file(store, tona, dict(series_id="user.rate.jpy.tona", unit="%", frequency="daily",
                                             source_text="test")).ok
    with Store(path, read_only=True) as store:
        r = run_view(store, "carry", history=True)
    hist = r.frame("history")
    # USD/JPY runs to 2026-09-11 (fred/DEXJPUS_2025-12_2026-09.csv): the carry no longer stops with TONA
    assert hist["carry_pp"].dropna().index[-1] == pd.Timestamp("2026-09-11")
    assert any(w.startswith("r¥ from 2026-08-2") and "rate.jpy.3m_interbank stands in after user.rate.jpy.tona" in w
               for w in r.warnings), r.warnings
    # 2026-08-19 still uses TONA: the file's last line, and SOFR that day (fred/2026_ytd/SOFR.csv)
    last_tona = pd.read_csv(tona).iloc[-1]
    assert last_tona["date"] == "2026-08-19"
    # carry_pp is the quoted differential r$ − r¥ (analytics.carry.carry: no day-count adjustment)
    assert hist.loc["2026-08-19", "carry_pp"] == pytest.approx(SOFR_2026_08_19 - last_tona["value"])


def test_python_api_view(real_store: Store) -> None:
    import yenflow

    r = yenflow.view("hedge", home=real_store.path.parent, bond_tenor=5, side="us", basis_bp=-40)
    assert r.view == "hedge" and r.params["basis_bp"] == -40.0
    assert "hedged_yield" in r.frame().index
    assert "hedge" in yenflow.list_views() and "flows" in yenflow.list_views()


def test_catalog_lists_the_first_500_unless_asked_for_all(real_store: object) -> None:
    """Thousands of series: the catalog shows the first 500 in id order and says so; a search or
    ``limit=0`` gives every match."""
    from conftest import run_view

    n = len(real_store.catalog())  # type: ignore[attr-defined]
    assert n > 500
    r = run_view(real_store, "catalog")
    t = r.tables[0]
    assert len(t.frame) == 500 and t.title == f"the first 500 of {n:,} series"
    assert list(t.frame["id"]) == sorted(t.frame["id"])
    assert any("`--limit 0`" in c for c in r.conventions)
    everything = run_view(real_store, "catalog", limit=0).tables[0]
    assert len(everything.frame) == n and everything.title == f"{n:,} series"
    jgb = run_view(real_store, "catalog", query="jgb.10y").tables[0]
    assert 0 < len(jgb.frame) < 500 and jgb.title.endswith("matching 'jgb.10y'")
    assert not any("--limit" in c for c in run_view(real_store, "catalog", query="jgb.10y").conventions)
    # pages: the second page starts where the first ended, says which rows it holds, and where the next starts
    page2 = run_view(real_store, "catalog", offset=500, limit=100)
    assert list(page2.tables[0].frame["id"]) == list(everything.frame["id"][500:600])
    assert page2.tables[0].title == f"series 501–600 of {n:,}"
    assert any("`--offset 600`" in c for c in page2.conventions)
    last = run_view(real_store, "catalog", offset=n - 3).tables[0]
    assert len(last.frame) == 3 and last.title == f"series {n - 2:,}–{n:,} of {n:,}"
    past = run_view(real_store, "catalog", offset=n)
    assert past.tables[0].frame.empty and past.tables[0].title == f"no series after the first {n:,} of {n:,}"
