"""Hedging cost, hedged yields and break-evens against methods.md §1–§3, §5."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yenflow.analytics import hedging as hg
from yenflow.analytics.conventions import DEFAULTS, align_monthly_to_daily, asof_align, tenor_days

rate = st.floats(min_value=-1.0, max_value=15.0, allow_nan=False)
basis_pp = st.floats(min_value=-2.0, max_value=1.0, allow_nan=False)
short_days = st.integers(min_value=1, max_value=365)
yield_pct = st.floats(min_value=-1.0, max_value=10.0, allow_nan=False)


# --------------------------------------------------------------------------- worked examples


def test_wsj_2019_06_26_one_year_forward_premium() -> None:
    # WSJ 2019-06-26 (methods.md §2, example 1): 1Y forward 104.42, spot 106.96,
    # "a premium of 2.37%"; check 104.42/106.96 − 1 = −2.3747 %.
    fs = 104.42 / 106.96
    assert abs((fs - 1) * 100 - (-2.3747)) < 1e-4
    assert abs(hg.hedge_cost_from_ratio(fs, 365) - 2.3747) < 1e-4
    # with d = 365 compounding changes nothing: (F/S)^(365/365) − 1
    assert hg.hedge_cost_from_ratio(fs, 365, "compound") == pytest.approx(hg.hedge_cost_from_ratio(fs, 365))


@pytest.mark.parametrize(
    "annualisation, expected", [("simple", -0.43), ("compound", -0.48)], ids=["additive", "compounded"]
)
def test_wsj_2019_06_26_hedged_bill(annualisation: str, expected: float) -> None:
    # WSJ 2019-06-26: a 1Y T-bill at 1.94 % hedged with that forward yields "more like minus 0.4%";
    # methods.md: additive 1.94 − 2.37 = −0.43 %, compounded 1.0194 × 104.42/106.96 − 1 = −0.48 %.
    # The article gives no money-market rates, so any r$/r¥ is used with the basis implied by the
    # quoted forward; the forward (and so the result) must not depend on that choice.
    fs = 104.42 / 106.96
    for r_usd, r_jpy in [(2.2, -0.1), (1.0, 0.0)]:
        b = hg.implied_basis(fs, r_usd, r_jpy, 365)
        df = hg.hedged_yield_jpy_investor(1.94, r_usd, r_jpy, b, tenor="1Y", annualisation=annualisation)
        assert abs(df["hedged_yield"].iloc[0] - expected) < 0.006  # quoted to 2 decimals
    assert (
        abs(
            hg.hedged_yield_jpy_investor(
                1.94, 2.2, -0.1, hg.implied_basis(fs, 2.2, -0.1, 365), tenor="1Y", annualisation="compound"
            )["hedged_yield"].iloc[0]
            - ((1.0194 * fs - 1) * 100)
        )
        < 1e-9
    )


def test_mni_feb_2026_hedge_cost_and_pickup() -> None:
    # MNI/Bloomberg table, page dated 2026-02-19 (methods.md §2, example 2): US 10Y 4.2826,
    # FX-hedged 1.2007, pickup vs 10Y JGB (2.3590) −1.1583; implied HC = 3.0819 pp.
    hc = 4.2826 - 1.2007
    assert abs(hc - 3.0819) < 1e-9
    b = hg.implied_basis_from_cost(hc, 3.65, 0.73)  # 3M rolling hedge, simple annualisation
    assert abs(hg.hedge_cost(3.65, 0.73, b) - 3.0819) < 1e-9
    df = hg.hedged_yield_jpy_investor(4.2826, 3.65, 0.73, b)
    assert abs(df["hedged_yield"].iloc[0] - 1.2007) < 1e-9
    table = hg.breakeven_table({"10Y": 4.2826}, {"10Y": 2.3590}, hc, hedge_ratios=(1.0,))
    assert abs(table["gap_bp"].iloc[0] - (-115.83)) < 1e-6


@pytest.mark.parametrize("annualisation", ["simple", "compound"])
def test_mni_feb_2026_implied_basis_in_stated_range(annualisation: str) -> None:
    # methods.md §2 example 2: "SOFR ≈ 3.6–3.7% minus TONA ≈ 0.73% … leaving ≈ −0.15 to −0.2 pp of basis".
    # That range uses the first-order HC ≈ r$ − r¥ − b (b = r$ − 0.73 − 3.0819: −0.21 … −0.11). The exact
    # inversion (3M = 91 days, r$ on ACT/360) gives, computed by hand for SOFR 3.65, simple:
    #   F/S = 1 − 0.030819·91/365 = 0.9923165; ·(1 + 0.0365·91/360) = 1.0014720;
    #   r¥_impl = 0.0014720·365/91 = 0.5904 %; b = 0.5904 − 0.73 = −0.1396 pp.
    basis = {
        sofr: hg.implied_basis_from_cost(3.0819, sofr, 0.73, annualisation=annualisation)
        for sofr in (3.60, 3.65, 3.70)
    }
    assert all(-0.25 < b < -0.05 for b in basis.values())  # negative: dollar premium, as stated
    assert basis[3.60] < basis[3.65] < basis[3.70]
    # somewhere in the stated SOFR range the basis lands inside the stated −0.15 … −0.20
    assert any(-0.20 <= b <= -0.15 for b in basis.values())
    if annualisation == "simple":
        assert abs(basis[3.65] - (-0.1396)) < 5e-4


@pytest.mark.parametrize(
    "jgb_5y, hc, hedged",
    [(1.60, 2.90, 4.50), (1.60, 3.10, 4.70), (1.60, 3.30, 4.90), (1.70, 3.30, 5.00), (1.90, 3.10, 5.00)],
    ids=["1.60+2.90", "1.60+3.10", "1.60+3.30", "1.70+3.30", "1.90+3.10"],
)
def test_five_percent_table_rows(jgb_5y: float, hc: float, hedged: float) -> None:
    # methods.md §3 "≈5%" table: hedged 5Y JGB in USD = y¥ + HC(3M), HC = r$ − r¥ − b.
    # Inputs: r$ = 3.65, r¥ = 0.75 (the section's early-2026 levels), b = r$ − r¥ − HC.
    # Eq. (4) is "≈": the exact 3M pickup (S/F − 1)·360/d differs from r$ − r¥ − b by < 0.01 pp here.
    b = 3.65 - 0.75 - hc
    df = hg.hedged_yield_usd_investor(jgb_5y, 3.65, 0.75, b, tenor="3M")
    assert abs(df["hedge_pickup"].iloc[0] - hc) < 0.01
    assert abs(df["hedged_yield"].iloc[0] - hedged) < 0.01
    # and the additive arithmetic of the table itself, via the yen investor's break-even
    table = hg.breakeven_table({"5Y": hedged}, {"5Y": jgb_5y}, hc, hedge_ratios=(1.0,))
    assert abs(table["breakeven_jgb_yield"].iloc[0] - jgb_5y) < 1e-12


def test_carry_breakeven_161_to_155() -> None:
    # methods.md §5 (tradingfuse): "~3.8% carry at USD/JPY 161 is wiped out by a fall to ~155 over a year".
    # Hand: 161 × (1 + 0.005)/(1 + 0.043) = 155.13 for 4.30 % vs 0.50 %; 161/1.038 = 155.11 for 3.8 vs 0.
    for y_usd, y_jpy in [(4.30, 0.50), (3.80, 0.0)]:
        out = hg.fx_breakeven_move(y_usd, y_jpy, 161.0).iloc[0]
        assert abs(out["breakeven_spot"] - 155.1) < 0.05
        assert out["approx_move_pct"] == pytest.approx(-3.8)
        assert -3.8 < out["move_pct"] < -3.6
    assert abs(hg.fx_breakeven_move(4.30, 0.50, 161.0)["breakeven_spot"].iloc[0] - 161 * 1.005 / 1.043) < 1e-9


# --------------------------------------------------------------------------- formulas and conventions


def test_forward_ratio_and_points() -> None:
    # eq. (1) by hand: r$ 5.33 (ACT/360), r¥ 0.077 (ACT/365F), 91 days, no basis
    expected = (1 + 0.00077 * 91 / 365) / (1 + 0.0533 * 91 / 360)
    assert hg.forward_ratio(5.33, 0.077, 91) == pytest.approx(expected, rel=1e-14)
    points = hg.forward_points(161.73, 5.33, 0.077, 91)
    assert points == pytest.approx(161.73 * (expected - 1) * 100, rel=1e-12)
    assert points < 0  # forward discount while r$ > r¥
    same = replace(DEFAULTS, usd_day_count="ACT/365F")
    assert hg.forward_ratio(2.0, 2.0, 91, conventions=same) == 1.0


def test_decomposition_cross_term_simple_is_discounting() -> None:
    # methods eq. (2): HC ≈ r$·365/360 − r¥ − b; simple: cross term = −HC·r$·d/360 exactly
    d = hg.hedge_cost_decomposition(3.65, 0.75, -0.30).iloc[0]
    assert d["short_rate_diff"] == pytest.approx(3.65 * 365 / 360 - 0.75)
    assert d["basis_effect"] == pytest.approx(0.30)
    assert d["cross_term"] == pytest.approx(-d["hedge_cost"] * 0.0365 * 91 / 360, rel=1e-9)


def test_hedged_yield_attrs_record_conventions() -> None:
    df = hg.hedged_yield_jpy_investor(
        4.28,
        3.65,
        0.73,
        -0.2,
        tenor="1M",
        hedge_ratio=0.75,
        basis_source="user: 3M CCBS quote",
        legs={"usd": "SOFR", "jpy": "TONA"},
    )
    assert df.attrs["tenor"] == "1M" and df.attrs["days"] == 30
    assert df.attrs["legs"] == {"usd": "SOFR", "jpy": "TONA"}
    assert (df.attrs["usd_day_count"], df.attrs["jpy_day_count"]) == ("ACT/360", "ACT/365F")
    assert df.attrs["basis_source"] == "user: 3M CCBS quote"
    assert df.attrs["hedge_ratio"] == 0.75 and df.attrs["annualisation"] == "simple"
    assert "carry snapshot" in df.attrs["hedge"]
    assert hg.hedged_yield_jpy_investor(4.28, 3.65, 0.73).attrs["basis_source"] == "none (b = 0)"


def test_series_inputs_align_as_of_and_actual_days() -> None:
    # UST yields on NY days, SOFR on NY days, TONA on Tokyo days; 2024-07-04 (US holiday) has no UST row,
    # 2024-07-15 (Marine Day) has no TONA row → the 2024-07-12 TONA is carried forward.
    ny = pd.DatetimeIndex(["2024-07-03", "2024-07-05", "2024-07-15"])
    tokyo = pd.DatetimeIndex(["2024-07-03", "2024-07-04", "2024-07-05", "2024-07-12"])
    y = pd.Series([4.36, 4.28, 4.23], index=ny)
    sofr = pd.Series([5.33, 5.31, 5.33], index=ny, name="SOFR")
    tona = pd.Series([0.077, 0.076, 0.078, 0.079], index=tokyo, name="TONA")
    df = hg.hedged_yield_jpy_investor(y, sofr, tona, tenor="1M", actual_days=True)
    assert list(df.index) == list(ny)
    assert df.attrs["legs"] == {"usd": "SOFR", "jpy": "TONA"}
    expected = hg.hedge_cost(5.33, 0.079, tenor=tenor_days("1M", pd.Timestamp("2024-07-15")))
    assert df.loc["2024-07-15", "hedge_cost"] == pytest.approx(expected)
    assert tenor_days("1M", pd.Timestamp("2024-01-31")) == 29  # month-end clipped to 2024-02-29


def test_stale_rate_is_dropped_not_carried_for_months() -> None:
    y = pd.Series([4.0, 4.1], index=pd.DatetimeIndex(["2024-01-10", "2024-03-10"]))
    r = pd.Series([5.3], index=pd.DatetimeIndex(["2024-01-09"]))
    df = hg.hedged_yield_jpy_investor(y, r, 0.1)
    assert list(df.index) == [pd.Timestamp("2024-01-10")]  # 2024-03-10 would need a 61-day-old SOFR


def test_monthly_jpy_rate_is_not_looked_ahead() -> None:
    # FRED IR3TIB01JPM156N dates the monthly average at month start (2024-07-01 = July average)
    monthly = pd.Series(
        [0.149, 0.166, 0.255], index=pd.DatetimeIndex(["2024-06-01", "2024-07-01", "2024-08-01"])
    )
    days = pd.DatetimeIndex(["2024-07-15", "2024-07-31", "2024-08-01", "2024-08-30", "2024-09-02"])
    got = align_monthly_to_daily(monthly, days)
    assert got.tolist() == [0.149, 0.149, 0.166, 0.166, 0.255]
    lagged = align_monthly_to_daily(monthly, days, lag_months=1)  # June usable from 2024-08-01
    assert lagged.iloc[:2].isna().all() and lagged.tolist()[2:] == [0.149, 0.149, 0.166]
    month_end = monthly.copy()
    month_end.index = month_end.index + pd.offsets.MonthEnd(0)  # store dating: the same months at month end
    assert align_monthly_to_daily(month_end, days).tolist() == got.tolist()
    with pytest.raises(ValueError, match="lag_months"):
        align_monthly_to_daily(monthly, days, lag_months=-1)


def test_asof_align_never_looks_backwards() -> None:
    s = pd.Series([1.0, np.nan, 3.0], index=pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-05"]))
    got = asof_align(
        s, pd.DatetimeIndex(["2024-01-01", "2024-01-03", "2024-01-04", "2024-01-05"]), max_stale_days=2
    )
    assert np.isnan(got.iloc[0]) and got.tolist()[1:] == [1.0, 1.0, 3.0]
    assert np.isnan(asof_align(s, pd.DatetimeIndex(["2024-01-09"]), max_stale_days=2).iloc[0])


def test_breakeven_table_hedge_ratios_and_tenor_matching() -> None:
    table = hg.breakeven_table(
        {2: 3.60, "10Y": 4.26, "30y": 4.87},
        {"2Y": 1.235, "10": 2.28},
        {"2Y": 2.9, "10Y": 3.0},
        expected_fx=-1.0,
    )
    assert table["tenor"].unique().tolist() == ["2Y", "10Y"]  # 30Y has no JGB
    row = table.set_index(["tenor", "hedge_ratio"]).loc[("10Y", 0.5)]
    assert row["breakeven_jgb_yield"] == pytest.approx(4.26 - 0.5 * 3.0 + 0.5 * -1.0)
    assert row["gap_bp"] == pytest.approx((row["breakeven_jgb_yield"] - 2.28) * 100)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: hg.hedge_cost(3.0, 0.5, annualisation="continuous"), "annualisation"),
        (lambda: hg.hedged_yield_jpy_investor(4.0, 3.0, 0.5, hedge_ratio=1.2), "hedge_ratio"),
        (lambda: hg.hedge_cost(3.0, 0.5, tenor="3 months"), "tenor"),
        (lambda: hg.hedge_cost(3.0, 0.5, actual_days=True), "actual_days"),
        (lambda: hg.usd_pickup(3.0, 0.5, convention="counterparty"), "convention"),
        (lambda: hg.breakeven_table({"5Y": 4.0}, {"10Y": 2.0}, 3.0), "no tenor in common"),
        (lambda: replace(DEFAULTS, usd_day_count="30/360"), "usd_day_count"),
    ],
    ids=["annualisation", "hedge-ratio", "tenor", "actual-days-scalar", "convention", "tenors", "day-count"],
)
def test_bad_arguments_name_the_argument(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


# --------------------------------------------------------------------------- properties


@settings(max_examples=300)
@given(rate, rate, basis_pp, short_days, st.sampled_from(["simple", "compound"]))
def test_jpy_cost_equals_usd_pickup_when_mirrored(
    r_usd: float, r_jpy: float, b: float, d: int, ann: str
) -> None:
    # methods §3: "One side's hedging cost is the other side's pickup (before bid/ask)".
    cost = hg.hedge_cost(r_usd, r_jpy, b, tenor=d, annualisation=ann)
    assert hg.usd_pickup(r_usd, r_jpy, b, tenor=d, annualisation=ann, convention="mirror") == cost


@settings(max_examples=300)
@given(rate, rate, basis_pp, short_days)
def test_investor_pickup_differs_from_cost_only_by_base_and_day_count(
    r_usd: float, r_jpy: float, b: float, d: int
) -> None:
    # (S/F − 1) = (1 − F/S)·(S/F): P·d/360 = HC·(d/365)·(S/F), exactly.
    fs = hg.forward_ratio(r_usd, r_jpy, d, b)
    pickup = hg.usd_pickup(r_usd, r_jpy, b, tenor=d)
    cost = hg.hedge_cost(r_usd, r_jpy, b, tenor=d)
    assert pickup * d / 360 == pytest.approx(cost * d / 365 / fs, rel=1e-9, abs=1e-12)


@given(rate, short_days, st.sampled_from(["simple", "compound"]))
def test_zero_differential_and_zero_basis_cost_nothing(r: float, d: int, ann: str) -> None:
    # "zero differential" on each leg's own day count: r¥ = r$·365/360 gives F = S
    assert abs(hg.hedge_cost(r, r * 365 / 360, 0.0, tenor=d, annualisation=ann)) < 1e-10
    same = replace(DEFAULTS, usd_day_count="ACT/365F")
    assert abs(hg.hedge_cost(r, r, 0.0, tenor=d, annualisation=ann, conventions=same)) < 1e-10
    assert abs(hg.usd_pickup(r, r, 0.0, tenor=d, annualisation=ann, conventions=same)) < 1e-10
    parts = hg.hedge_cost_decomposition(r, r * 365 / 360, 0.0, tenor=d).iloc[0]
    assert abs(parts["short_rate_diff"]) < 1e-10 and parts["basis_effect"] == 0


@settings(max_examples=300)
@given(rate, rate, basis_pp, short_days)
def test_compounding_favours_the_side_that_earns(r_usd: float, r_jpy: float, b: float, d: int) -> None:
    # Bernoulli, d ≤ 365: (F/S)^(365/d) − 1 ≥ (F/S − 1)·365/d → compound HC ≤ simple HC in both signs:
    # a cost (HC > 0) shrinks when compounded, an earned carry (HC < 0) grows.
    simple = hg.hedge_cost(r_usd, r_jpy, b, tenor=d)
    compound = hg.hedge_cost(r_usd, r_jpy, b, tenor=d, annualisation="compound")
    assert compound <= simple + 1e-9
    if simple > 0:
        assert compound >= -1e-9  # still a cost
    pickup_s = hg.usd_pickup(r_usd, r_jpy, b, tenor=d)
    pickup_c = hg.usd_pickup(r_usd, r_jpy, b, tenor=d, annualisation="compound")
    if pickup_s >= 0:
        assert pickup_c >= pickup_s - 1e-9  # 365-day compounding beats 360-day simple when earning


@given(rate, rate, basis_pp, st.integers(min_value=366, max_value=3650))
def test_compounding_reverses_beyond_one_year(r_usd: float, r_jpy: float, b: float, d: int) -> None:
    simple = hg.hedge_cost(r_usd, r_jpy, b, tenor=d)
    compound = hg.hedge_cost(r_usd, r_jpy, b, tenor=d, annualisation="compound")
    assert compound >= simple - 1e-9


@given(yield_pct, rate, rate, basis_pp, st.sampled_from(["simple", "compound"]))
def test_hedge_ratio_zero_is_unhedged(y: float, r_usd: float, r_jpy: float, b: float, ann: str) -> None:
    jp = hg.hedged_yield_jpy_investor(y, r_usd, r_jpy, b, hedge_ratio=0.0, annualisation=ann)
    us = hg.hedged_yield_usd_investor(y, r_usd, r_jpy, b, hedge_ratio=0.0, annualisation=ann)
    assert jp["hedged_yield"].iloc[0] == y and us["hedged_yield"].iloc[0] == y


@settings(max_examples=200)
@given(
    yield_pct,
    rate,
    rate,
    basis_pp,
    st.floats(0.0, 1.0),
    st.floats(-5.0, 5.0),
    st.sampled_from(["simple", "compound"]),
)
def test_parts_add_up(y: float, r_usd: float, r_jpy: float, b: float, h: float, e: float, ann: str) -> None:
    jp = hg.hedged_yield_jpy_investor(
        y, r_usd, r_jpy, b, hedge_ratio=h, annualisation=ann, expected_fx=e
    ).iloc[0]
    assert jp["short_rate_diff"] + jp["basis_effect"] + jp["cross_term"] == pytest.approx(
        jp["hedge_cost"], abs=1e-9
    )
    assert jp["local_yield"] - h * jp["hedge_cost"] + jp["unhedged_fx"] + jp["compounding"] == pytest.approx(
        jp["hedged_yield"], abs=1e-9
    )
    us = hg.hedged_yield_usd_investor(
        y, r_usd, r_jpy, b, hedge_ratio=h, annualisation=ann, expected_fx=e
    ).iloc[0]
    assert us["short_rate_diff"] + us["basis_effect"] + us["cross_term"] == pytest.approx(
        us["hedge_pickup"], abs=1e-9
    )
    assert us["local_yield"] + h * us["hedge_pickup"] + us["unhedged_fx"] + us[
        "compounding"
    ] == pytest.approx(us["hedged_yield"], abs=1e-9)
    if ann == "simple":
        assert jp["compounding"] == 0 and us["compounding"] == 0


@given(rate, rate, basis_pp, st.floats(0.01, 1.0), short_days)
def test_more_negative_basis_raises_cost_and_pickup(
    r_usd: float, r_jpy: float, b: float, widen: float, d: int
) -> None:
    # methods §3: "A more negative basis raises both the Japanese investor's cost and the
    # foreign investor's pickup."
    assert hg.hedge_cost(r_usd, r_jpy, b - widen, tenor=d) > hg.hedge_cost(r_usd, r_jpy, b, tenor=d)
    assert hg.usd_pickup(r_usd, r_jpy, b - widen, tenor=d) > hg.usd_pickup(r_usd, r_jpy, b, tenor=d)


@given(st.floats(0.9, 1.1), rate, rate, short_days)
def test_implied_basis_inverts_forward_ratio(fs: float, r_usd: float, r_jpy: float, d: int) -> None:
    b = hg.implied_basis(fs, r_usd, r_jpy, d)
    assert hg.forward_ratio(r_usd, r_jpy, d, b) == pytest.approx(fs, rel=1e-12)
