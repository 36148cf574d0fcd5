"""Carry-trade size components on the real files. Raw inputs (file, line):

* cftc_cot/tff_futures_only_2026_to-2026-08-04/FinFutYY.txt line 95 (JAPANESE YEN, 2026-08-04):
  Lev_Money long 75,758, short 136,583; Asset_Mgr long 72,815, short 115,237.
* cftc_cot/api_legacy_futures_only/cftc-cot-jpy-legacy-futures-only.json, record 2 (097741, 2026-09-22):
  noncomm long 192,274, short 120,292.
* bis/lbs/bis-lbs-claims-jp.csv line 153 (KY 2026-Q1 744,099.76) and line 95 (5J 2026-Q1 5,257,195.619), USD m.
* fred/DEXJPUS_2025-12_2026-09.csv line 178 (2026-08-04, 157.44), line 88 (2026-03-31, 159.08),
  line 206 (2026-09-11, 153.71: the last fixing).
"""

from __future__ import annotations

import pandas as pd
import pytest

from yenflow.analytics import carry_size as cs

LEV_NET = 75758 - 136583
AM_NET = 72815 - 115237
NONCOMM_NET = 192274 - 120292
KY_USD_M, ALL_USD_M = 744099.76, 5257195.619
FX_0804, FX_0331, FX_LAST = 157.44, 159.08, 153.71


def _latest(store: object) -> dict:
    out = {}
    for sid in cs.COMPONENTS:
        s = store.get(sid).dropna()  # type: ignore[attr-defined]
        out[sid] = (s.index[-1], float(s.iloc[-1]))
    return out


def test_components_on_the_latest_dates(real_store: object) -> None:
    t = cs.carry_size_table(_latest(real_store), real_store.get("fx.usdjpy")).set_index("component")  # type: ignore[attr-defined]
    lev = t.loc["CFTC yen futures: leveraged funds net (TFF)"]
    assert lev["as_of"] == pd.Timestamp("2026-08-04")
    assert lev["jpy_tn"] == pytest.approx(LEV_NET * 12.5e6 / 1e12)  # −0.760 ¥ tn
    assert lev["usd_bn"] == pytest.approx(LEV_NET * 12.5e6 / FX_0804 / 1e9)  # −4.83 $ bn
    assert "net short yen" in lev["covers"] and "157.44 (2026-08-04)" in lev["fx"]
    am = t.loc["CFTC yen futures: asset managers net (TFF)"]
    assert am["jpy_tn"] == pytest.approx(AM_NET * 12.5e6 / 1e12)
    nc = t.loc["CFTC yen futures: non-commercials net (legacy)"]
    assert nc["as_of"] == pd.Timestamp("2026-09-22") and "net long yen" in nc["covers"]
    assert nc["usd_bn"] == pytest.approx(NONCOMM_NET * 12.5e6 / FX_LAST / 1e9)
    assert "stale: 11 days before" in nc["fx"]  # the store's last fixing is 2026-09-11
    ky = t.loc["BIS LBS: banks in Japan, cross-border claims on the Cayman Islands"]
    assert ky["as_of"] == pd.Timestamp("2026-03-31")
    assert ky["usd_bn"] == pytest.approx(KY_USD_M / 1e3)
    assert ky["jpy_tn"] == pytest.approx(KY_USD_M * 1e6 * FX_0331 / 1e12)
    assert "all currencies" in ky["misses"]
    total = t.loc["BIS LBS: banks in Japan, all cross-border claims"]
    assert total["usd_bn"] == pytest.approx(ALL_USD_M / 1e3)
    ref = t.loc["BIS Bulletin No 90: carry trade going into August 2024"]
    assert (ref["jpy_tn"], ref["usd_bn"]) == (40.0, 250.0) and ref["kind"].startswith("published estimate")
    seed = t.loc["Seed claim: \"between $160 billion and $500 billion\""]
    assert (seed["usd_bn"], seed["usd_bn_high"]) == (160.0, 500.0)
    assert seed["jpy_tn"] == pytest.approx(160 * FX_LAST / 1e3)
    assert list(t["kind"]).count("measured (exchange futures only)") == 3
    assert t["covers"].str.len().min() > 0 and t["misses"].str.len().min() > 0


def test_seed_against_components(real_store: object) -> None:
    t = cs.carry_size_table(_latest(real_store), real_store.get("fx.usdjpy"))  # type: ignore[attr-defined]
    lines = cs.seed_against(t)
    bull = [ln for ln in lines if ln.startswith("BIS Bulletin")][0]
    assert "$250.0 bn" in bull and "0.64×" in bull and "2.00×" in bull
    assert not any(ln.startswith("Seed") for ln in lines)


def test_missing_inputs_are_skipped_not_invented() -> None:
    fx = pd.Series([150.0], index=pd.DatetimeIndex(["2024-08-02"]))
    t = cs.carry_size_table({"cot.jpy.tff.lev_funds.net": (pd.Timestamp("2024-07-30"), -100000.0)}, fx)
    assert list(t["component"])[0] == "CFTC yen futures: leveraged funds net (TFF)"
    assert pd.isna(t.iloc[0]["usd_bn"]) and "no USD/JPY fixing" in t.iloc[0]["fx"]
    assert t.iloc[0]["jpy_tn"] == pytest.approx(-1.25)  # 100k contracts ≈ ¥1.25 tn (methods §7)
    assert len(t) == 3  # the futures row, the BIS Bulletin line, the seed
    assert any("Q.JPY.3P.N.B.I.G.JPY" in k for k in cs.LACKING)  # named as lacking, not skipped
