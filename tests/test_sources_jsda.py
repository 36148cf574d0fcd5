"""JSDA OTC bond trading by investor type (koushasai*.xlsx): net buying, sign flipped."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures.jsda.xlsx_builder import build_xlsx
from yenflow.errors import ParseError, ValidationError
from yenflow.sources.jsda import JsdaBondTrading

J, K = "(Ｊ)合計差引", "(Ｋ)一般差引"
_X = "_x000D_\n"  # Excel's escaped carriage return inside header labels
HEAD = [
    ["（単位：億円)\n(100 million yen)", "売買の別\nSell or Purchase", "",
     "差引（売付額 - 買付額）\nNet（Sell - Purchase）"],
    ["", "売買の種類\nTypes of trading", "", None, "", "", "", "", "", "", "", "", "",
     "国債バスケット\n（現先売買）\nJGB baskets\n(Transactions with repurchase agreements)"],
    ["年/月\nYear/Month", "\u3000債券の種類\n Types of bonds\n\n\u3000投資家区分\nInvestor category",
     "", f"国債{_X}Government Bonds", "", "", "", "", "", f"公募地方債{_X}Public Offering Municipal ",
     f"合計{_X}Total", "前月比増減\n(合計比較）\nChange from the previous month\n(Total comparison)",
     "計\nTotal"],
    ["", "", "", "", f"超長期{_X}Interest-bearing Long-term (over 10-year)",
     f"利付長期{_X}Interest-bearing Long-term", f"利付中期{_X}Interest-bearing Medium-term",
     f"割引{_X}Zero-Coupon", f"国庫短期証券等{_X}Treasury Discount Bills", "", "", "", ""],
]
TRADING = {J: "合計（一般売買＋現先売買（国債バスケットを除く））\nTotal （Outright transactions＋"
              "Transactions with repurchase agreements (excluding JGB baskets)）",
           K: "一般売買\nOutright transactions"}
INV = {"foreigners": ("外国人", "Foreigners"),
       "insurers": ("生保・損保", "Life & Non-Life Insurance Companies"),
       "others": ("その他", "Others"), "total": ("合計", "Total")}
# hand-made net = sales − purchases, as JSDA publishes it:
# (super-long, long, medium, zero, T-bills, municipal); JGB column and totals derived
DATA = {
    "2026/04": {"foreigners": (-500, 200, -300, 0, -1000, -10),
                "insurers": (-300, -50, 20, 0, 0, 5),
                "others": (700, -150, 280, 0, 1000, 5)},
    "2026/05": {"foreigners": (120, -40, 0, 0, -2000, 0),
                "insurers": (-600, 0, 0, 0, 0, "－"),
                "others": (400, 40, 0, 0, 2100, 0)},
}


def _line(month: str, inv: str, v: tuple[Any, ...]) -> list[Any]:
    nums = [x if isinstance(x, (int, float)) else 0 for x in v]
    jgb = sum(nums[:5])
    return [month, INV[inv][0], INV[inv][1], jgb, *v, jgb + nums[5], "", 0]


def _sheet(kind: str, data: dict[str, dict[str, tuple[Any, ...]]] = DATA) -> list[list[Any]]:
    rows = copy.deepcopy(HEAD)
    rows[1][3] = TRADING[kind]
    for month, by_inv in data.items():
        for inv, v in by_inv.items():
            rows.append(_line(month, inv, v))
        cols = list(zip(*[[x if isinstance(x, (int, float)) else 0 for x in v]
                          for v in by_inv.values()], strict=True))
        rows.append(_line(month, "total", tuple(sum(c) for c in cols)))
    rows.append(["2026/05", "前月比増減\n（合計比較）", "Change from the previous month\n"
                 "(Total comparison)", 120, 0, 0, 0, 0, 0, 0, 0, "－", "－"])
    return rows


def _outright() -> dict[str, dict[str, tuple[Any, ...]]]:
    data = copy.deepcopy(DATA)
    data["2026/04"]["foreigners"] = (-500, 200, -300, 0, -900, -10)
    data["2026/04"]["others"] = (700, -150, 280, 0, 900, 5)
    return data


def _wb(j: list[list[Any]] | None = None, k: list[list[Any]] | None = None) -> bytes:
    return build_xlsx({"本表について": [["【注意事項】"]], "(Ａ)合計売買高": [["x"]],
                       J: j or _sheet(J), K: k or _sheet(K, _outright())})


def _values(raw: bytes, name: str = "koushasai.xlsx") -> pd.Series:
    obs = JsdaBondTrading().parse(raw, name).observations
    return obs.set_index(["series_id", "ref_date"])["value"]


APR, MAY = pd.Timestamp("2026-04-30"), pd.Timestamp("2026-05-31")


# --------------------------------------------------------------------------- real files


def _raw_cell(path: Path, sheet: str, row: int, col: int) -> Any:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()[row - 1][col]


def test_real_values_and_sign_flip(shared_data: Path) -> None:
    folder = shared_data / "jsda_bond_trading"
    v25 = _values((folder / "koushasai2025.xlsx").read_bytes(), "koushasai2025.xlsx")
    jun = pd.Timestamp("2025-06-30")
    # koushasai2025.xlsx, sheet (Ｊ)合計差引, row 51 "2025/06 Foreigners":
    # super-long -15012, T-bills -169504, JGBs -217139 (sales − purchases) → net buying
    assert _raw_cell(folder / "koushasai2025.xlsx", J, 51, 4) == -15012
    assert v25[("jsda.net_buying.foreigners.super_long", jun)] == 15012
    assert v25[("jsda.net_buying.foreigners.tbill", jun)] == 169504
    assert v25[("jsda.net_buying.foreigners.jgb", jun)] == 217139
    assert v25[("jsda.net_buying.foreigners.total", jun)] == 217812  # col 22 "合計 Total"
    # same row, long −11007, medium −21616: coupon JGBs without T-bills (derived)
    # = 15012 + 11007 + 21616 net buying, against 217139 for "jgb" (mostly T-bills)
    assert v25[("jsda.net_buying.foreigners.coupon", jun)] == 47635
    # row 46 "2025/06 Life & Non-Life Insurance Companies": super-long +1467 = net selling
    assert v25[("jsda.net_buying.insurers.super_long", jun)] == -1467
    # koushasai.xlsx (FY2026), (Ｊ) row 17 "2026/04 Foreigners": super-long +813 → −813
    cur = _values((folder / "koushasai.xlsx").read_bytes())
    assert cur[("jsda.net_buying.foreigners.super_long", APR)] == -813
    assert cur[("jsda.net_buying.total.medium", APR)] == -177  # row 21, medium 177
    # koushasai2024.xlsx row 85 "2024/08 Foreigners": long −14865 in (Ｊ), −14895 in (Ｋ)
    v24 = _values((folder / "koushasai2024.xlsx").read_bytes(), "koushasai2024.xlsx")
    aug = pd.Timestamp("2024-08-31")
    assert v24[("jsda.net_buying.foreigners.long", aug)] == 14865
    assert v24[("jsda.net_buying_outright.foreigners.long", aug)] == 14895
    # koushasai2021r.xlsx (revised FY2021) row 199 "2022/03 Life & Non-Life": super-long −4624
    v21 = _values((folder / "koushasai2021r.xlsx").read_bytes(), "koushasai2021r.xlsx")
    assert v21[("jsda.net_buying.insurers.super_long", pd.Timestamp("2022-03-31"))] == 4624


def test_real_flip_matches_every_foreigners_cell(shared_data: Path) -> None:
    from python_calamine import CalamineWorkbook

    path = shared_data / "jsda_bond_trading" / "koushasai2023.xlsx"
    v = _values(path.read_bytes(), "koushasai2023.xlsx")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(J).to_python()
    checked = 0
    for r in rows[4:]:
        if r[2] == "Foreigners":
            y, m = map(int, r[0].split("/"))
            when = pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0)
            for col, bond in [(3, "jgb"), (4, "super_long"), (5, "long"), (6, "medium"),
                              (8, "tbill"), (22, "total")]:
                assert v[(f"jsda.net_buying.foreigners.{bond}", when)] == -r[col]
                checked += 1
    assert checked == 12 * 6


@pytest.mark.parametrize("name", ["koushasai.xlsx", "koushasai2021r.xlsx", "koushasai2022r.xlsx",
                                  "koushasai2023.xlsx", "koushasai2024.xlsx", "koushasai2025.xlsx"])
def test_each_edition_parses_on_its_own(shared_data: Path, name: str) -> None:
    p = JsdaBondTrading().parse((shared_data / "jsda_bond_trading" / name).read_bytes(), name)
    obs = p.observations
    months = obs["ref_date"].dt.month
    assert obs["ref_date"].min().month == 4  # fiscal year starts in April
    # 6 published bond types + the derived coupon type, per investor and sheet
    assert len(p.series) == 2 * 17 * 7 and obs["series_id"].nunique() == 238
    assert set(months.unique()) <= set(range(1, 13)) and not obs["value"].isna().any()
    assert (obs["period_start"] == obs["ref_date"] - pd.offsets.MonthBegin(1)).all()
    assert obs.duplicated(["series_id", "ref_date"]).sum() == 0


# --------------------------------------------------------------------------- fixture


def test_fixture_flip_and_layout() -> None:
    v = _values(_wb())
    assert v[("jsda.net_buying.foreigners.super_long", APR)] == 500
    assert v[("jsda.net_buying.foreigners.long", APR)] == -200  # net selling
    assert v[("jsda.net_buying.foreigners.jgb", APR)] == 1600
    assert v[("jsda.net_buying.foreigners.total", APR)] == 1610  # all bonds incl. municipal
    assert v[("jsda.net_buying.total.jgb", MAY)] == -20
    assert v[("jsda.net_buying_outright.foreigners.tbill", APR)] == 900
    assert v[("jsda.net_buying.insurers.medium", MAY)] == 0.0
    assert str(v[("jsda.net_buying.insurers.medium", MAY)]) == "0.0"  # no negative zero


def test_fixture_catalog_documents_the_flip() -> None:
    p = JsdaBondTrading().parse(_wb(), "koushasai.xlsx")
    info = {s.id: s for s in p.series}
    d = info["jsda.net_buying.foreigners.super_long"]
    assert d.unit == "JPY 100m" and d.frequency == "monthly"
    assert "Positive = net buying" in d.description and "flips the sign" in d.description


def _error(j: list[list[Any]], match: str, row: int | None, cls: type = ParseError) -> Any:
    with pytest.raises(cls, match=match) as e:
        JsdaBondTrading().parse(_wb(j), "koushasai2026.xlsx")
    assert "koushasai2026.xlsx" in str(e.value) and J in str(e.value)
    assert e.value.row == row
    return e.value


def test_sign_label_changed_is_parse_error() -> None:
    rows = _sheet(J)
    rows[0][3] = "差引（買付額 - 売付額）\nNet（Purchase - Sell）"
    _error(rows, "sign label", 1)


def test_missing_or_renamed_column() -> None:
    rows = _sheet(J)
    rows[3][4] = f"超長期{_X}Interest-bearing Long-term (over 20-year)"
    _error(rows, "over 10-year", 4)
    rows = _sheet(J)
    rows[2][10] = "合計"
    _error(rows, "合計 total", 3)


def test_non_number_names_row() -> None:
    rows = _sheet(J)
    rows[6][8] = "1,0OO"  # 2026/04 others, T-bills: sheet row 7
    _error(rows, r"a number \(ASCII digits\) for others / tbill", 7)


def test_unknown_investor_and_duplicate_row() -> None:
    rows = _sheet(J)
    rows[5][2] = "Hedge Funds"
    _error(rows, "investor label", 6)
    rows = _sheet(J)
    rows[5][2] = "Foreigners"
    _error(rows, "one row per month and investor", 6)


def test_bad_month() -> None:
    rows = _sheet(J)
    rows[4][0] = "2026年4月"
    _error(rows, "year/month", 5)


def test_shifted_values_fail_validation() -> None:
    rows = _sheet(J)
    rows[4][4], rows[4][5] = rows[4][5], rows[4][4]  # foreigners super-long <-> long
    _error(rows, "investor rows adding up", 8, ValidationError)
    rows = _sheet(J)
    rows[4][3] = rows[4][3] + 50  # JGB column no longer the sum of its parts
    _error(rows, "investor rows adding up|JGB sub-columns", 8, ValidationError)


def test_missing_net_sheet() -> None:
    raw = build_xlsx({J: _sheet(J)})
    with pytest.raises(ParseError, match=r"one sheet named '\(K\)…'"):
        JsdaBondTrading().parse(raw, "koushasai.xlsx")


_RAW = _wb()


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(_RAW) - 1))
def test_truncated_workbook_is_parse_error(cut: int) -> None:
    with pytest.raises(ParseError):
        JsdaBondTrading().parse(_RAW[:cut], "koushasai.xlsx")


@settings(max_examples=40, deadline=None)
@given(r=st.integers(min_value=4, max_value=11), c=st.sampled_from([3, 4, 5, 6, 7, 8, 10]),
       junk=st.sampled_from(["x", "1O", "n.a.", "12%", "--1"]))
def test_random_junk_never_a_number(r: int, c: int, junk: str) -> None:
    rows = _sheet(J)
    rows[r][c] = junk
    with pytest.raises(ParseError):
        JsdaBondTrading().parse(_wb(rows), "koushasai.xlsx")


def test_jgb_series_says_it_includes_bills_and_coupon_is_derived(shared_data: Path) -> None:
    p = JsdaBondTrading().parse((shared_data / "jsda_bond_trading" / "koushasai.xlsx").read_bytes(),
                                "koushasai.xlsx")
    info = {s.id: s for s in p.series}
    jgb = info["jsda.net_buying.foreigners.jgb"]
    assert "including T-bills" in jgb.name and ".coupon" in jgb.description
    coupon = info["jsda.net_buying.foreigners.coupon"]
    assert "excluding T-bills" in coupon.name and "(derived)" in coupon.name
    assert coupon.description.startswith("Derived by yenflow")
    # every month: coupon = super-long + long + medium, as stored (both flipped)
    obs = p.observations.set_index(["series_id", "ref_date"])["value"]
    for when in p.observations["ref_date"].unique():
        parts = sum(obs[(f"jsda.net_buying.foreigners.{b}", when)]
                    for b in ("super_long", "long", "medium"))
        assert obs[("jsda.net_buying.foreigners.coupon", when)] == parts
