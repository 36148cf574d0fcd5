"""Markets around an episode, on the real store built from ../shared/data. Raw inputs (file, line):

* fred/DEXJPUS_2015-2025.csv: line 2361 2024-07-26 153.86; 2364 2024-07-31 150.38; 2367 2024-08-05 143.95.
* mof_jgb_yields/jgbcme_all.csv: line 12782 2024/7/26 (10Y 1.068, 30Y 2.154); 12785 2024/7/31 (10Y 1.07,
  30Y 2.176); 12788 2024/8/5 (10Y 0.781, 30Y 1.956).
* ust_yields/yield-curve-rates-1990-2024.csv: line 106 7/31/24 10 Yr 4.09; line 103 8/5/24 3.78.
* equities/nikkei_stock_average_daily_en.csv: line 386 2024/07/26 37667.41; 389 2024/07/31 39101.82;
  392 2024/08/05 31458.42.
* fred/VIXCLS_1990-2025-10.csv: line 9020 2024-07-26 16.39; 9023 2024-07-31 16.36; 9026 2024-08-05 38.57.
* mof_securities_flows/week.csv (inward equity acquisition, disposition, ¥100m): line 1036 (7．21～7．27)
  190,276 / 196,404; line 1037 (7．28～8．3) 240,431 / 246,867; line 1038 (8．4～8．10) 318,605 / 313,388.
"""

from __future__ import annotations

import pandas as pd
import pytest

from yenflow.analytics import episode as ep


def _series(store: object) -> dict:
    ids = set(store.sql("SELECT id FROM series")["id"])  # type: ignore[attr-defined]
    return {c: store.get(c) for m in ep.MARKETS for c in m.candidates if c in ids}  # type: ignore[attr-defined]


def test_window_and_prior_window() -> None:
    s, e, ps, pe = ep.window("2024-08-01", "2024-08-05")
    assert (ps, pe) == (pd.Timestamp("2024-07-27"), pd.Timestamp("2024-07-31"))
    with pytest.raises(ValueError, match="ends .* before it starts"):
        ep.window("2024-08-05", "2024-08-01")


def test_august_2024_preset(real_store: object) -> None:
    p = ep.PRESETS["aug-2024"]
    t, lacking = ep.episode_table(_series(real_store), p.start, p.end)
    r = t.set_index("market")
    fx = r.loc["USD/JPY"]
    assert (fx["start_date"], fx["start_value"], fx["end_value"]) == (pd.Timestamp("2024-07-31"), 150.38, 143.95)
    assert fx["change"] == pytest.approx(100 * (143.95 / 150.38 - 1))
    assert fx["prior_change"] == pytest.approx(100 * (150.38 / 153.86 - 1))  # 2024-07-26 → 07-31
    assert r.loc["JGB 10Y", "change"] == pytest.approx(100 * (0.781 - 1.07))  # −28.9 bp
    assert r.loc["JGB 10Y", "prior_change"] == pytest.approx(100 * (1.07 - 1.068))
    assert r.loc["JGB 30Y", "change"] == pytest.approx(100 * (1.956 - 2.176))
    assert r.loc["UST 10Y", "change"] == pytest.approx(100 * (3.78 - 4.09))
    assert r.loc["Nikkei 225", "change"] == pytest.approx(100 * (31458.42 / 39101.82 - 1))  # −19.5 %
    assert r.loc["Nikkei 225", "prior_change"] == pytest.approx(100 * (39101.82 / 37667.41 - 1))
    assert r.loc["VIX", "change"] == pytest.approx(38.57 - 16.36)
    assert r.loc["VIX", "change_unit"] == "index points" and r.loc["JGB 10Y", "change_unit"] == "bp"
    eq = r.loc["MOF weekly: foreigners' net buying of Japanese equity"]
    # weeks overlapping 08-01…05: 7/28–8/3 and 8/4–8/10; prior (07-27…31): 7/21–7/27 and 7/28–8/3
    # MOF's printed nets (week.csv): 7/28–8/3 −6,437 (240,431 − 246,867 = −6,436 before rounding),
    # 8/4–8/10 5,217; prior 7/21–7/27 −6,129 (−6,128 before rounding) and 7/28–8/3 −6,437
    assert eq["change"] == pytest.approx((-6437 + 5217) / 10)
    assert eq["prior_change"] == pytest.approx((-6129 - 6437) / 10)
    assert eq["note"] == "periods: 2024-08-03, 2024-08-10"
    missing = dict(lacking)
    # the store has no S&P 500 before 2025-12, no TOPIX or JPX flows (third-party imports only),
    # no official intervention file, and no CFTC report dated inside 1–5 August (Tuesdays)
    assert "2025-12-01" in missing["S&P 500"]
    assert missing["TOPIX"].startswith("not in the store")
    assert missing["MOF FX intervention, USD/JPY (+ = yen bought)"].startswith("not in the store")
    assert "no observation inside 2024-08-01 → 2024-08-05" in missing["CFTC leveraged funds, net yen futures"]
    assert set(missing) | set(r.index) == {m.name for m in ep.MARKETS}


def test_fill_from_the_second_candidate(real_store: object) -> None:
    """The Nikkei's own file ends 2026-07-10; FRED's copy carries it to 2026-09-17."""
    t, _ = ep.episode_table(_series(real_store), "2026-09-01", "2026-09-17")
    nk = t.set_index("market").loc["Nikkei 225"]
    assert nk["series"] == "equity.nikkei225.close+equity.nikkei225.close_fred"
    assert nk["end_date"] == pd.Timestamp("2026-09-17")


def test_ledger_sums_zero_inside_its_span() -> None:
    idx = pd.DatetimeIndex(["2024-04-29", "2024-05-01", "2024-07-11"])
    led = pd.Series([59185.0, 39054.0, 31678.0], index=idx)  # JPY 100m, hand-made
    led.attrs["unit"] = "JPY 100m"
    t, lacking = ep.episode_table({"intervention.usdjpy.amount": led}, "2024-05-01", "2024-05-02",
                                  markets=[ep.MARKETS[-1]])
    assert t.iloc[0]["change"] == pytest.approx(3905.4) and t.iloc[0]["prior_change"] == pytest.approx(5918.5)
    t, _ = ep.episode_table({"intervention.usdjpy.amount": led}, "2024-06-03", "2024-06-04",
                            markets=[ep.MARKETS[-1]])
    assert t.iloc[0]["change"] == 0.0 and t.iloc[0]["note"] == "periods: no operations"
    t, lacking = ep.episode_table({"intervention.usdjpy.amount": led}, "2024-08-01", "2024-08-05",
                                  markets=[ep.MARKETS[-1]])
    assert lacking and "no data covering" in lacking[0][1]


def test_stale_base_is_lacking() -> None:
    s = pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2024-01-02", "2024-03-01"]))
    _, lacking = ep.episode_table({"jgb.10y": s}, "2024-03-01", "2024-03-01", markets=[ep.MARKETS[1]])
    assert "no observation in the 10 days before 2024-03-01" in lacking[0][1]
