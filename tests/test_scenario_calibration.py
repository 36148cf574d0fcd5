"""Scenario calibration: starting values read back from the raw files, the published elasticity range,
and the August-2024 unwind against the sample data."""

from __future__ import annotations

import csv
import math
from datetime import date

import numpy as np
import pytest

from yenflow.scenario import prepare, run_prepared
from yenflow.scenario.model import VARIABLE_INDEX
from yenflow.scenario.parameters import ELASTICITY_SETS, PRICE_ELASTICITIES
from yenflow.scenario.presets import get

JULY_2024 = date(2024, 7, 1)


def _csv_value(path, key: str, column: int = 1) -> float:
    with open(path, newline="") as f:
        for row in csv.reader(f):
            if row and row[0] == key:
                return float(row[column])
    raise AssertionError(f"{key} not in {path}")


@pytest.fixture(scope="module")
def july_2024(real_store):
    from yenflow.scenario.calibration import calibrate

    return calibrate(real_store, JULY_2024)


def test_starting_state_is_read_as_of_the_start_from_the_raw_files(july_2024, shared_data):
    s = july_2024.start
    # point in time: FRED publishes the H.10 noon rate two business days after the date, so on 2024-07-01 the
    # latest known fixing is 2024-06-27 (160.70 in DEXJPUS_2015-2025.csv), not 2024-07-01's 161.55
    fred = shared_data / "fred" / "DEXJPUS_2015-2025.csv"
    assert s["spot"] == _csv_value(fred, "2024-06-27") and _csv_value(fred, "2024-07-01") == 161.55
    # CFTC TFF 2024-06-11 (the last JPY report before the start in the 2024 file): asset managers 30,311 long
    # / 107,781 short, leveraged funds 23,310 long / 110,501 short → −77,470 − 87,191
    with open(shared_data / "cftc_cot" / "tff_futures_only_2024_partial" / "FinFutYY.txt", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["Market_and_Exchange_Names"].startswith("JAPANESE YEN")
                   and r["Report_Date_as_YYYY-MM-DD"] == "2024-06-11")
    net = sum(int(row[f"{g}_Positions_Long_All"]) - int(row[f"{g}_Positions_Short_All"]) for g in ("Asset_Mgr", "Lev_Money"))
    assert net == -164_661 and s["cftc_net"] == net
    assert s["carry_scale"] == 1.0  # the start shares the BIS reference report
    # nothing after the start is used: the BOJ target in force on 2024-07-01 was 0.05% (MPM 2024-03-19)
    assert s["boj"] == 0.05
    assert all(row["ref_date"] <= JULY_2024 for row in july_2024.observations if row["source"].startswith(("fx.", "rate.", "jgb.", "ust.")))


def test_fx_impact_range_comes_from_intervention_episodes_known_at_the_start(july_2024, shared_data):
    fred = shared_data / "fred" / "DEXJPUS_2015-2025.csv"
    # methods §10: ¥5,918.5bn (2024-04-29) + ¥3,870.0bn (2024-05-01); noon rates 2024-04-26 157.62, 2024-05-03 152.85
    by_label = {e["episode"]: e for e in july_2024.fx_episodes}
    april = by_label["2024-04-29/05-01"]
    expected = -math.log(_csv_value(fred, "2024-05-03") / _csv_value(fred, "2024-04-26")) * 100 / (5.9185 + 3.870)
    assert april["pct_per_tn"] == pytest.approx(expected, rel=1e-9)
    assert expected == pytest.approx(0.3139, abs=5e-4)  # ln(157.62/152.85) = 3.073% over ¥9.7885tn
    # the July 2024 intervention happened after the start: not used
    assert "2024-07-11/12" not in by_label
    lo, hi = july_2024.fx_gamma_range
    assert lo <= expected <= hi


def test_fit_report_states_the_lifers_response_and_its_uncertainty(july_2024):
    fit = july_2024.flow_fits["life"]
    assert fit.series == "mof.investor.bonds.life_insurers.net"
    # MOF publishes the by-investor table about 8 business days after the month: May 2024 is the last one known
    assert fit.end == "2024-05" and fit.start == "2005-01"
    assert fit.n == 233 and fit.se > 0
    # positive and more than two standard errors from zero: lifers buy foreign bonds as the hedged gap widens
    assert fit.coef / fit.se > 2


def test_a_100bn_sale_moves_the_10y_within_the_published_range(real_store, july_2024):
    """Methods §8: per $100bn, ~2 bp (IMF) to 40-60 bp short run / 20 bp long run (Beltran) to >100 bp on impact
    (Ahmed & Rebucci). A one-off ¥ sale worth $100bn of 10y-equivalent Treasuries, with every behavioural and
    other price response switched off, must move the 10y by the drawn elasticity — inside each set's range."""
    spot = july_2024.start["spot"]
    shock = 100.0 * spot / 1000  # ¥tn worth $100bn at the start
    off = {name: 0.0 for name in PRICE_ELASTICITIES if not name.startswith("ust_beta")}
    off.update({f"flow_beta_hedged.{k}": 0.0 for k in ("life", "pension", "bank", "invtrust")})
    off.update({f"flow_beta_unhedged.{k}": 0.0 for k in ("life", "pension", "bank", "invtrust")})
    off.update({"ust_share": 1.0, "duration_factor": 1.0, "foreign_jgb_beta": 0.0, "equity_rebalance_speed": 0.0})
    inputs = get("baseline").with_(as_of=JULY_2024, horizon_months=24, paths=3_000, noise=0.0,
                                   shock_tn=(("+1m", shock),), overrides=tuple(off.items()))
    r = run_prepared(prepare(real_store, inputs, july_2024), keep_raw=True)
    impact = r.raw.outputs[VARIABLE_INDEX["ust10_flow"], 0, :]
    later = r.raw.outputs[VARIABLE_INDEX["ust10_flow"], -1, :]
    sr = r.raw.params[r.raw.param_names.index("ust_beta_sr")]
    lr = r.raw.params[r.raw.param_names.index("ust_beta_lr")]
    np.testing.assert_allclose(impact, sr, rtol=1e-4)  # month 1: exactly the short-run elasticity
    assert impact.min() >= 1.5 - 1e-3 and impact.max() <= 150 + 1e-3
    for i, s in enumerate(ELASTICITY_SETS):
        m = r.raw.sets == i
        assert m.sum() > 500, s.key  # equal weights: each literature set is drawn
        assert impact[m].min() >= s.sr[0] - 1e-3 and impact[m].max() <= s.sr[1] + 1e-3
    # two years on, the effect has decayed to the long-run elasticity (0.7^23 of the gap is < 0.0003 of it)
    np.testing.assert_allclose(later, lr, rtol=1e-3, atol=0.02)
    assert later.min() >= 1.5 - 0.02 and later.max() <= 44 + 0.02


def test_august_2024_preset_matches_the_yen_rally_and_the_cut_in_cftc_shorts(real_store, july_2024, shared_data):
    """Sample data: USD/JPY 161.55 (2024-07-01) → 150.06 (2024-08-01), −7.1% (FRED DEXJPUS, low 143.95 on 08-05);
    CFTC non-commercial net yen −184,223 (2024-07-02) → −11,354 (2024-08-06), a 93.8% cut in five weeks
    (methods §6/§7; the derived legacy series, since the TFF sample stops at 2024-06-11).
    Tolerances: the median path's first-month USD/JPY move within 4 pp of the data's; the median cut in
    model-equivalent CFTC shorts by month 2 within 20 pp of the data's."""
    fred = shared_data / "fred" / "DEXJPUS_2015-2025.csv"
    fx_move = (_csv_value(fred, "2024-08-01") / _csv_value(fred, "2024-07-01") - 1) * 100
    cot = shared_data / "cftc_cot" / "cftc-jpy-noncommercial-net_1986-2026_derived.csv"
    cut = (1 - _csv_value(cot, "2024-08-06") / _csv_value(cot, "2024-07-02")) * 100
    assert fx_move == pytest.approx(-7.11, abs=0.01) and cut == pytest.approx(93.84, abs=0.01)

    inputs = get("August-2024-style carry unwind").with_(as_of=JULY_2024, horizon_months=6, paths=10_000)
    r = run_prepared(prepare(real_store, inputs, july_2024), keep_raw=True)
    fan = r.fan.set_index(["variable", "month"])
    model_fx = (fan.loc[("usdjpy", 1), "q50"] / july_2024.start["spot"] - 1) * 100
    assert abs(model_fx - fx_move) <= 4.0, model_fx
    model_cut = (1 - fan.loc[("cftc_net", 2), "q50"] / july_2024.start["cftc_net"]) * 100
    assert abs(model_cut - cut) <= 20.0, model_cut
    # and the rally comes from the flows (carry unwind), not from the market noise
    assert fan.loc[("usdjpy_flow", 1), "q95"] < 0
    assert fan.loc[("carry_positions", 2), "q50"] < 0.5 * 37.5


@pytest.mark.slow
def test_hac_regression_matches_statsmodels_on_the_mof_flows(real_store):
    """The calibration's own OLS + Newey-West code against statsmodels (a dev dependency) on the real
    regression: life insurers' MOF net foreign-bond purchases on last month's hedged 10y gap."""
    import pandas as pd
    import statsmodels.api as sm

    from yenflow.scenario.calibration import monthly_history, ols_hac, snapshot

    market, start = snapshot(real_store, date(2026, 6, 30))
    hist = monthly_history(market, start)
    flows = market.series("mof.investor.bonds.life_insurers.net").resample("ME").last() / 1e4
    df = pd.concat({"y": flows, "x": hist["gap_hedged"].shift(1)}, axis=1, sort=True).dropna()
    ours = ols_hac(df["y"], df[["x"]], maxlags=6)
    ref = sm.OLS(df["y"], sm.add_constant(df[["x"]])).fit(cov_type="HAC", cov_kwds={"maxlags": 6})
    for name in ("const", "x"):
        assert ours.params[name] == pytest.approx(ref.params[name], rel=1e-10)
        assert ours.bse[name] == pytest.approx(ref.bse[name], rel=1e-10)
    assert ours.rsquared == pytest.approx(ref.rsquared, rel=1e-10) and ours.nobs == int(ref.nobs)
