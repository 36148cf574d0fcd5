"""Japan's external position in ¥ and $ (analytics/wealth.py) on the real files.

Inputs come from the session store loaded from ../shared/data. Expected values
were read from the raw files with the csv module: fof2_en.zip!ff_dl_fof_quarterly_en.csv
(row FOF_FFAS500L700 etc., 100 million yen), fof2_en.zip!ff_dl_fof_fiscal-year_en.csv,
fred/DEXJPUS_2015-2025.csv and fred/DEXJPUS_2025-12_2026-09.csv (yen per dollar),
imf_pip/pip_JPN_assets_in_USA_total_semiannual.xml (whole USD)."""

from __future__ import annotations

import pandas as pd
import pytest

from yenflow.analytics import wealth


@pytest.fixture(scope="module")
def fof(real_store: object) -> dict[str, pd.Series]:
    ids = ["net_position", "assets_total", "liabilities_total", "outward_securities"]
    return {i: real_store.get(f"fof.sector.overseas.{i}") for i in ids}  # type: ignore[attr-defined]


def test_external_position_end_2024(fof: dict[str, pd.Series]) -> None:
    pos = wealth.external_position(fof["net_position"], fof["assets_total"], fof["liabilities_total"])
    row = pos.loc["2024-12-31"]
    # FOF_FFAS500L700 202404 = -5323703 → Japan's net position +¥532.3703 tn
    assert row["net_jpy_tn"] == pytest.approx(532.3703)
    # Japan's external assets = L900 − L700 = 11245468 + 5323703; liabilities = A900 = 11245468
    assert row["assets_jpy_tn"] == pytest.approx((11245468 + 5323703) / 10_000)
    assert row["liabilities_jpy_tn"] == pytest.approx(1124.5468)
    # against MOF's end-2024 IIP (sources.md §6): assets ¥1,659.02 tn, liabilities ¥1,125.97 tn
    assert abs(row["assets_jpy_tn"] / 1659.02 - 1) < 0.002 and abs(row["liabilities_jpy_tn"] / 1125.97 - 1) < 0.002


def test_dollars_at_the_period_end_rate(fof: dict[str, pd.Series], real_store: object) -> None:
    net = wealth.external_position(fof["net_position"])["net_jpy_tn"]
    usd = wealth.in_usd(net, real_store.get("fx.usdjpy"))  # type: ignore[attr-defined]
    # DEXJPUS 2024-12-31 = 157.37 → 532.3703 tn = $3,382.9 bn
    row = usd.loc["2024-12-31"]
    assert row["usdjpy"] == 157.37 and row["usdjpy_date"] == pd.Timestamp("2024-12-31")
    assert row["value_usd_bn"] == pytest.approx(532.3703 * 1000 / 157.37)
    # 2026-03-31 = 159.08; net FOF_FFAS500L700 202601 = -5464064
    assert usd.loc["2026-03-31", "value_usd_bn"] == pytest.approx(546.4064 * 1000 / 159.08)
    # 1998-06-30 fixing is in DEXJPUS_1971-2023.csv: every quarter since 1997Q4 has a rate
    assert usd["usdjpy"].notna().all()


def test_stale_rate_is_not_used() -> None:
    fx = pd.Series([150.0], index=pd.DatetimeIndex(["2024-12-20"]))
    out = wealth.period_end_rate(pd.DatetimeIndex(["2024-12-27", "2024-12-31"]), fx)
    assert out["usdjpy"].iloc[0] == 150.0 and pd.isna(out["usdjpy"].iloc[1])


def test_position_table_changes_and_since(fof: dict[str, pd.Series], real_store: object) -> None:
    net = wealth.external_position(fof["net_position"])["net_jpy_tn"]
    fy = -wealth.jpy_tn(real_store.get("fof.sector.overseas.net_position.fy"))  # type: ignore[attr-defined]
    t = wealth.position_table(net, real_store.get("fx.usdjpy"), history=wealth.splice_history(net, fy))  # type: ignore[attr-defined]
    # raw 202503 = -5225661, 202504 = -5498992: +¥27.3331 tn in 2025 Q4, a record level
    q4 = t.loc["2025-12-31"]
    assert q4["chg_1p_jpy_tn"] == pytest.approx(27.3331)
    assert pd.isna(q4["high_since"])  # ¥549.90 tn: the highest in the FY (1980→) and quarterly history
    # the largest quarterly rise since 2024 Q4 (+¥32.7814 tn: 202403 -4995889 → 202404 -5323703)
    assert q4["chg_1p_largest_since"] == pd.Timestamp("2024-12-31")
    # 2026 Q1: ¥546.4064 tn, the highest since end-2025; 4-quarter change vs 202501 (-5168517)
    q1 = t.loc["2026-03-31"]
    assert q1["high_since"] == pd.Timestamp("2025-12-31")
    assert q1["chg_4p_jpy_tn"] == pytest.approx(546.4064 - 516.8517)


def test_splice_history_takes_fiscal_years_before_the_quarters(fof: dict[str, pd.Series],
                                                               real_store: object) -> None:
    fy = real_store.get("fof.sector.overseas.net_position.fy")  # type: ignore[attr-defined]
    h = wealth.splice_history(fof["net_position"], fy)
    # FY1979 (end-March 1980) = -76998 opens the history; 1997-12-31 (-1245868) is the first quarter
    assert h.index[0] == pd.Timestamp("1980-03-31") and h.iloc[0] == -76998
    assert h.loc["1997-03-31"] == fy.loc["1997-03-31"] and h.loc["1997-12-31"] == -1245868
    assert not h.index.has_duplicates


def test_imf_bilateral_position_in_yen(real_store: object) -> None:
    imf = real_store.get("imf.pip.assets.jpn.usa.total")  # type: ignore[attr-defined]
    t = wealth.usd_bn_in_jpy(imf, real_store.get("fx.usdjpy"))  # type: ignore[attr-defined]
    # end-2024: $2,184.748 bn (OBS_VALUE 2184748057186.862) × 157.37 = ¥343.8 tn: the seed's
    # "¥342 tn in US bonds and equities" is this IMF position at a slightly lower rate
    row = t.loc["2024-12-31"]
    assert row["value_jpy_tn"] == pytest.approx(2184.748057186862 * 157.37 / 1000)
    assert abs(row["value_jpy_tn"] - 342) < 2.5


def test_unit_guard() -> None:
    s = pd.Series([1.0], index=pd.DatetimeIndex(["2024-12-31"]))
    s.attrs["unit"] = "USD bn"
    with pytest.raises(ValueError, match="JPY 100m"):
        wealth.jpy_tn(s)
    with pytest.raises(ValueError, match="DatetimeIndex"):
        wealth.in_usd(pd.Series([1.0, 2.0]), s)
