"""Issue 4 on the real sample files: hedged yields, break-evens, spreads, the
carry monitor and CFTC positioning, read through the store. Expected values are
computed in the test from raw values read off the files (file and line cited)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import run_view


def hedge_view(store: object, tenor: int = 10, side: str = "jp", smoothing: str = "none", **kw: object) -> pd.DataFrame:
    """The hedge view's decomposition (one date) or history, as a wide frame like the analytics return."""
    r = run_view(store, "hedge", bond_tenor=tenor, side=side, smoothing=smoothing, **kw)
    if r.main.name == "history":
        return r.frame()
    t = r.frame()
    wide = t["value"].to_frame().T
    wide.index = pd.DatetimeIndex([t.loc["local_yield", "date"]])
    wide.attrs["conventions"] = list(r.conventions)
    wide.attrs["warnings"] = list(r.warnings)
    return wide

# Raw inputs, read from ../shared/data:
UST10_20240805 = 3.78   # ust_yields/yield-curve-rates-1990-2024.csv line 103 (8/5/24), "10 Yr"
JGB10_20240805 = 0.781  # mof_jgb_yields/jgbcme_all.csv line 12788 (2024/8/5), 10Y
SOFR_20240805 = 5.32    # fred/SOFR.csv line 1656
JPY3M_JUL2024 = 0.166   # fred/IR3TIB01JPM156N.csv line 269 (2024-07-01 = July average, known from Aug 1)
JGB5_20260630 = 1.937   # mof_jgb_yields/jgbcme_all.csv line 13250 (2026/6/30), 5Y
UST5_20260630 = 4.19    # fred/2026_ytd/DGS5.csv line 129
SOFR_20260630 = 3.68    # fred/2026_ytd/SOFR.csv line 129
JPY3M_MAY2026 = 1.27409  # fred/IR3TIB01JPM156N.csv line 291 (May 2026 average, applies in June)


def _hc_simple(r_usd: float, r_jpy: float, basis: float = 0.0, d: int = 91) -> float:
    """methods.md eq. (1)–(2): F/S = (1 + (r¥+b)d/365)/(1 + r$ d/360); HC = −(F/S − 1)·365/d."""
    fs = (1 + (r_jpy + basis) / 100 * d / 365) / (1 + r_usd / 100 * d / 360)
    return -(fs - 1) * 365 / d * 100


def test_hedged_ust_for_yen_investor_on_2024_08_05(real_store: object) -> None:
    df = hedge_view(real_store, tenor=10, side="jp", date="2024-08-05")
    row = df.iloc[0]
    assert df.index[0] == pd.Timestamp("2024-08-05")
    hc = _hc_simple(SOFR_20240805, JPY3M_JUL2024)
    assert row["local_yield"] == pytest.approx(UST10_20240805)
    assert row["hedge_cost"] == pytest.approx(hc, abs=1e-9)
    assert row["hedged_yield"] == pytest.approx(UST10_20240805 - hc, abs=1e-9)
    assert row["jgb_10y"] == pytest.approx(JGB10_20240805)
    assert row["pickup_bp"] == pytest.approx((UST10_20240805 - hc - JGB10_20240805) * 100, abs=1e-6)
    # the decomposition adds up exactly
    assert row["short_rate_diff"] + row["basis_effect"] + row["cross_term"] == pytest.approx(row["hedge_cost"])


def test_hedged_jgb_for_dollar_investor_latest_with_basis(real_store: object) -> None:
    df = hedge_view(real_store, tenor=5, side="us", basis_bp=-40)
    row = df.iloc[0]
    assert df.index[0] == pd.Timestamp("2026-06-30")  # latest date with JGB and UST 5Y
    d = 91
    fs = (1 + (JPY3M_MAY2026 - 0.40) / 100 * d / 365) / (1 + SOFR_20260630 / 100 * d / 360)
    # methods eq. (4), annualised ×365/d on the calendar-year basis of the JGB yield it is added to
    pickup = (1 / fs - 1) * 365 / d * 100
    assert row["hedge_pickup"] == pytest.approx(pickup, abs=1e-9)
    # the printed formula's first-order part: r$·365/360 − r¥ (− b)
    assert row["short_rate_diff"] == pytest.approx(SOFR_20260630 * 365 / 360 - JPY3M_MAY2026, abs=1e-12)
    assert row["basis_effect"] == pytest.approx(0.40, abs=1e-12)
    assert row["hedged_yield"] == pytest.approx(JGB5_20260630 + pickup, abs=1e-9)
    assert row["ust_5y"] == pytest.approx(UST5_20260630)
    assert any("negative = dollar premium" in line for line in df.attrs["conventions"])
    assert any("r$·365/360 − r¥" in line for line in df.attrs["conventions"])
    # no TONA in this store: the OECD 3M interbank average stands in, and a warning says so
    assert any("fallback rate.jpy.3m_interbank" in w for w in df.attrs["warnings"])


def test_more_negative_basis_raises_both_sides(real_store: object) -> None:
    base = hedge_view(real_store, tenor=5, side="us").iloc[0]["hedged_yield"]
    wide = hedge_view(real_store, tenor=5, side="us", basis_bp=-50).iloc[0]["hedged_yield"]
    cost0 = hedge_view(real_store, tenor=5, side="jp").iloc[0]["hedge_cost"]
    cost1 = hedge_view(real_store, tenor=5, side="jp", basis_bp=-50).iloc[0]["hedge_cost"]
    assert wide > base and cost1 > cost0


def test_hedge_history_window(real_store: object) -> None:
    df = hedge_view(real_store, tenor=10, side="jp", start="2024-07-25", end="2024-08-10")
    assert df.index.min() >= pd.Timestamp("2024-07-25") and df.index.max() <= pd.Timestamp("2024-08-10")
    assert len(df) == 12  # US and Japanese business days in common


def test_breakeven_on_2024_08_05(real_store: object) -> None:
    t = run_view(real_store, "breakeven", date="2024-08-05", smoothing="none").frame()
    r = t[(t.tenor == "10Y") & (t.hedge_ratio == 1.0)].iloc[0]
    hc = _hc_simple(SOFR_20240805, JPY3M_JUL2024)
    assert r["breakeven_jgb_yield"] == pytest.approx(UST10_20240805 - hc, abs=1e-9)
    assert r["gap_bp"] == pytest.approx((UST10_20240805 - hc - JGB10_20240805) * 100, abs=1e-6)
    r0 = t[(t.tenor == "10Y") & (t.hedge_ratio == 0.0)].iloc[0]
    # unhedged: USD/JPY 143.95 (fred/DEXJPUS_2017-06_2026-07.csv line 1874) falls to S·(1+y¥)/(1+y$)
    assert r0["fx_breakeven_usdjpy"] == pytest.approx(143.95 * (1 + JGB10_20240805 / 100) / (1 + UST10_20240805 / 100))


def test_spreads_on_2024_08_05(real_store: object) -> None:
    t = run_view(real_store, "spreads", date="2024-08-05").frame().set_index("measure")
    assert t.loc["ust_jgb_10y", "value_bp"] == pytest.approx((UST10_20240805 - JGB10_20240805) * 100)
    # UST 2s10s from the same archive row: 10 Yr 3.78 − 2 Yr 3.89
    assert t.loc["ust_2s10s", "value_bp"] == pytest.approx((3.78 - 3.89) * 100)
    assert 0 <= t.loc["ust_jgb_10y", "pctile_all"] <= 100


def test_carry_monitor_finds_august_2024_unwind(real_store: object) -> None:
    v = run_view(real_store, "carry")
    dd = v.frame("drawdowns")
    aug = dd[(dd.peak_date == pd.Timestamp("2024-07-10"))]
    assert len(aug) == 1, dd
    # among the two largest since SOFR starts (2018-04); spot fell 161.73 → 140.66 peak to trough
    # (fred/DEXJPUS_2017-06_2026-07.csv, 2024-07-10 and 2024-09-13), −13.0 %, less ~0.9 pp of carry
    assert aug.index[0] <= 1
    assert aug.iloc[0]["depth_pct"] == pytest.approx(-12.2, abs=0.1)
    latest = v.frame("latest").set_index("measure")["value"]
    assert latest["carry / vol63"] == pytest.approx(latest["carry r$ − r¥"] / latest["realised vol 63d"])


def test_cot_view_latest_weeks(real_store: object) -> None:
    t = run_view(real_store, "cot", weeks=1).frame()
    lev = t[(t.report == "tff") & (t.group == "lev_funds")].iloc[0]
    # cftc_cot/tff_futures_only_2026_to-2026-08-04/FinFutYY.txt, JPY row of 2026-08-04:
    # leveraged funds net −60,825 contracts, open interest 419,393
    assert lev["ref_date"] == pd.Timestamp("2026-08-04") and lev["net_contracts"] == -60825
    assert lev["net_pct_oi"] == pytest.approx(-60825 / 419393 * 100)
    assert lev["released"] == pd.Timestamp("2026-08-07")
    # USD/JPY on 2026-08-04 from fred/DEXJPUS_2025-12_2026-09.csv
    fx = real_store.get("fx.usdjpy").loc["2026-08-04"]
    assert lev["notional_usd_bn"] == pytest.approx(-60825 * 12.5e6 / fx / 1e9)


def test_cli_hedge_prints_conventions(real_store: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from yenflow.cli import app

    monkeypatch.setenv("YENFLOW_HOME", str(real_store.path.parent))
    r = CliRunner().invoke(app, ["hedge", "--tenor", "5", "--side", "us"])
    assert r.exit_code == 0, r.output
    for text in ["hedged_yield", "2026-06-30", "overnight SOFR", "ACT/360", "ACT/365F", "dollar premium",
                 "3M FX forward rolled"]:
        assert text in r.output
    r = CliRunner().invoke(app, ["carry", "--format", "json"])
    assert r.exit_code == 0 and '"measure"' in r.output and '"drawdowns"' in r.output


def test_user_basis_series_feeds_the_hedge(shared_data: "Path", tmp_path: "Path") -> None:
    """A basis imported with `yenflow import` (bp) gives the same result as the constant."""
    from yenflow.pipeline import import_file, update
    from yenflow.store import Store

    store = Store(tmp_path / "s.duckdb")
    assert all(r.ok for r in update(store, ["mof.jgb_yields", "ustreasury.par_curve", "fred"], str(shared_data)))
    f = tmp_path / "basis.csv"
    f.write_text("date,basis_bp\n2026-06-01,-35\n2026-06-30,-35\n")
    assert import_file(store, f, dict(series_id="user.basis.usdjpy.3m", unit="bp", source_text="test")).ok
    by_series = hedge_view(store, tenor=5, side="us", basis_series="user.basis.usdjpy.3m").iloc[0]
    by_const = hedge_view(store, tenor=5, side="us", basis_bp=-35).iloc[0]
    assert by_series["hedged_yield"] == pytest.approx(by_const["hedged_yield"])
    assert by_series["basis"] == pytest.approx(-0.35)
