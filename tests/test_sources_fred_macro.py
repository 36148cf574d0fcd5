"""FRED series added for the macro context (US CPI, S&P 500, VIX, Nikkei, 3-month bills):
catalog ids and units, and values on the real files in ../shared/data/fred (file and line cited)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yenflow.sources.fred.series import DEFAULT_SERIES, KNOWN, FredSeries

SOURCE = FredSeries()


def _values(path: Path) -> tuple[pd.Series, dict[str, object]]:
    parsed = SOURCE.parse(path.read_bytes(), path.name)
    obs = parsed.observations.set_index(["series_id", "ref_date"])["value"]
    return obs, {s.id: s for s in parsed.series}


def test_catalog_units_for_macro_ids() -> None:
    assert (KNOWN["CPIAUCSL"].id, KNOWN["CPIAUCSL"].unit, KNOWN["CPIAUCSL"].frequency) == (
        "cpi.us.all_items_sa", "index 1982-84=100", "monthly")
    assert (KNOWN["SP500"].id, KNOWN["SP500"].unit) == ("equity.sp500.close", "index points")
    assert (KNOWN["VIXCLS"].id, KNOWN["VIXCLS"].unit) == ("equity.vix.close", "index points")
    # FRED's Nikkei is kept apart from the Nikkei's own file (equity.nikkei225.close)
    assert KNOWN["NIKKEI225"].id == "equity.nikkei225.close_fred"
    # the two 3-month bill rates are on different bases, and say so
    assert "discount basis" in KNOWN["DTB3"].description
    assert "bond-equivalent" in KNOWN["DGS3MO"].description and "DTB3" in KNOWN["DGS3MO"].description
    assert KNOWN["DFF"].id == "rate.effr"
    assert {"SP500", "VIXCLS", "NIKKEI225", "CPIAUCSL", "DTB3", "DGS3MO", "DFF"} <= set(DEFAULT_SERIES)


def test_us_cpi_monthly_with_the_missing_october_2025(shared_data: Path) -> None:
    v, infos = _values(shared_data / "fred" / "CPIAUCSL_1947-2026-04.csv")
    s = v["cpi.us.all_items_sa"]
    assert s[pd.Timestamp("2025-12-31")] == 326.031  # line 949: 2025-12-01,326.031 (dated month end)
    assert s[pd.Timestamp("2024-12-31")] == 317.604  # line 937
    assert pd.Timestamp("2025-10-31") not in s.index  # line 947: "2025-10-01," (not published)
    assert s[pd.Timestamp("1947-01-31")] == 21.48  # line 2
    assert infos["cpi.us.all_items_sa"].frequency == "monthly"


def test_sp500_vix_nikkei_2026_extra(shared_data: Path) -> None:
    d = shared_data / "fred" / "2026_extra"
    sp, _ = _values(d / "SP500.csv")
    vix, _ = _values(d / "VIXCLS.csv")
    nk, _ = _values(d / "NIKKEI225.csv")
    day = pd.Timestamp("2026-04-08")
    assert sp[("equity.sp500.close", day)] == 6782.81  # SP500.csv line 94
    assert vix[("equity.vix.close", day)] == 21.04  # VIXCLS.csv line 94
    assert nk[("equity.nikkei225.close_fred", pd.Timestamp("2026-06-25"))] == 72366.34  # line 150
    # US holiday: S&P and VIX empty, Nikkei traded (line 20, 2025-12-25)
    xmas = pd.Timestamp("2025-12-25")
    assert ("equity.sp500.close", xmas) not in sp.index and ("equity.vix.close", xmas) not in vix.index
    assert nk[("equity.nikkei225.close_fred", xmas)] == 50407.79


def test_vix_history_and_bills(shared_data: Path) -> None:
    vix, _ = _values(shared_data / "fred" / "VIXCLS_1990-2025-10.csv")
    assert vix[("equity.vix.close", pd.Timestamp("2025-04-08"))] == 52.33  # line 9202
    assert vix[("equity.vix.close", pd.Timestamp("2024-08-05"))] == 38.57  # line 9026
    dtb3, _ = _values(shared_data / "fred" / "DTB3_1954-2026-03.csv")
    dgs3, _ = _values(shared_data / "fred" / "DGS3MO_1981-2026-05.csv")
    day = pd.Timestamp("2026-03-26")
    # DTB3 line 18845 (3.63, discount basis) below DGS3MO line 11629 (3.73, bond-equivalent)
    assert dtb3[("ust.bill.3m_discount", day)] == 3.63
    assert dgs3[("ust.cmt.3m", day)] == 3.73


def test_real_store_has_macro_ids(real_store: object) -> None:
    assert real_store.get("equity.vix.close").attrs["unit"] == "index points"  # type: ignore[attr-defined]
    cpi = real_store.get("cpi.us.all_items_sa")  # type: ignore[attr-defined]
    # the 2017-06→2026-07 vintage extends the full history to July 2026 (2026_extra line 111)
    assert cpi[pd.Timestamp("2026-07-31")] == pytest.approx(332.813)
    assert not real_store.has_series("fred.SP500")  # type: ignore[attr-defined]
