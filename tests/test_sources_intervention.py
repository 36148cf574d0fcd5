"""MOF FX intervention: daily CSV and monthly pages (fixtures), derived daily file (real)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yenflow.errors import ParseError, ValidationError
from yenflow.http import Response
from yenflow.sources.mof.intervention import (
    CSV_URL,
    MONTHLY_INDEX_URL,
    MofIntervention,
    derived_operations,
    monthly_page_links,
    monthly_total,
    operations,
    pair_direction,
    parse_derived_daily,
)

FIXTURES = Path(__file__).parent / "fixtures" / "mof_intervention"
CSV_NAME = "foreign_exchange_intervention_operations.csv"
DERIVED = "mof_intervention/interventions_daily_1991-2026_derived.csv"


def _csv() -> bytes:
    return (FIXTURES / CSV_NAME).read_bytes()


def _edit(old: str, new: str, count: int = 1) -> bytes:
    text = _csv().decode("cp932")
    assert old in text
    return text.replace(old, new, count).encode("cp932")


def _value(obs: pd.DataFrame, sid: str, date: str) -> float:
    sel = obs[(obs["series_id"] == sid) & (obs["ref_date"] == pd.Timestamp(date))]
    assert len(sel) == 1, (sid, date)
    return float(sel["value"].iloc[0])


# --------------------------------------------------------------------- official CSV (fixture)
def test_daily_csv_operations() -> None:
    ops = operations(_csv(), CSV_NAME)
    assert len(ops) == 16
    first = ops.iloc[0]
    assert (first["date"], first["pair"], first["direction"], first["amount"], first["row"]) == (
        pd.Timestamp("1991-05-13"), "usdjpy", "yen_buying", 139.0, 8)
    # year and month carried down: ',,13日,,,13,213' is 1991-06-13
    assert ops.iloc[2]["date"] == pd.Timestamp("1991-06-13")
    assert ops.iloc[3][["pair", "direction"]].tolist() == ["usddem", "other"]


def test_daily_csv_series_signs() -> None:
    obs = MofIntervention().parse(_csv(), CSV_NAME).observations
    assert _value(obs, "intervention.usdjpy.amount", "2024-04-29") == 59185  # ¥5,918.5bn yen buying
    assert _value(obs, "intervention.usdjpy.amount", "2024-05-01") == 38700
    assert _value(obs, "intervention.usdjpy.amount", "2011-10-31") == -80722  # yen selling
    assert _value(obs, "intervention.total.amount", "2011-10-31") == 80722  # gross
    assert _value(obs, "intervention.total.amount", "1991-08-19") == 139  # USD/DEM: total only
    assert not ((obs["series_id"] == "intervention.usdjpy.amount")
                & (obs["ref_date"] == pd.Timestamp("1991-08-19"))).any()
    assert list(obs.columns) == ["series_id", "ref_date", "value"]
    assert str(obs["ref_date"].dtype) == "datetime64[ns]" and obs["value"].dtype == "float64"


def test_series_infos_state_units_and_sign() -> None:
    parsed = MofIntervention().parse(_csv(), CSV_NAME)
    infos = {s.id: s for s in parsed.series}
    assert set(infos) == {"intervention.usdjpy.amount", "intervention.total.amount"}
    assert all(s.unit == "JPY 100m" for s in infos.values())
    assert "Positive = yen buying" in infos["intervention.usdjpy.amount"].notes


@pytest.mark.parametrize("blank", ["era", "gregorian"])
def test_year_from_either_calendar(blank: str) -> None:
    text = _csv().decode("cp932")
    lines = []
    for line in text.split("\r\n"):
        cells = line.split(",")
        if len(cells) > 5 and cells[5].isdigit():  # day rows only
            cells[0 if blank == "era" else 3] = ""
        lines.append(",".join(cells))
    ops = operations("\r\n".join(lines).encode("cp932"), CSV_NAME)
    assert ops["date"].tolist() == operations(_csv(), CSV_NAME)["date"].tolist()


def test_reiwa_gan_nen_and_day_labels() -> None:
    text = ("年,月,日,Year,Month,Day,金額,売買通貨,Currency pairs\r\n"
            "令和元年,5月,7日,,,,１０,米ドル売り・日本円買い,x\r\n"
            "令和元年4～6月期計,,,,,,10,,\r\n")
    ops = operations(text.encode("cp932"), CSV_NAME)
    assert ops["date"].tolist() == [pd.Timestamp("2019-05-07")] and ops["amount"].iloc[0] == 10


def test_dates_must_ascend() -> None:
    raw = _edit("令和6年,4月,29日,2024", "令和元年,4月,29日,")
    with pytest.raises(ParseError, match="ascending order") as info:  # 2019 after 2023
        operations(raw, CSV_NAME)
    assert info.value.row == 26


@pytest.mark.parametrize(
    ("old", "new", "match", "row", "err"),
    [
        ('"59,185"', '"59,1x5"', "an amount in 億円", 26, ParseError),
        ('"59,185"', '"59,186"', "期計 subtotal", 28, ValidationError),
        ("令和6年,4月,29日,2024", "令和6年,4月,29日,2023", "agree", 26, ParseError),
        (",Apr,29,", ",Abr,29,", "English month", 26, ParseError),
        (",Apr,29,", ",May,29,", "months to agree", 26, ParseError),
        (",29,\"59,185\",米ドル売り・日本円買い", ",29,\"59,185\",米ドル売り・人民元買い",
         "pair like", 26, ParseError),
        (",,24日,,,24,", ",,32日,,,32,", "day of the month", 23, ParseError),
        ("令和6年4～6月期計", "令和6年1～3月期計", "in months 1-3", 28, ValidationError),
    ],
)
def test_corrupt_rows_name_file_and_row(old: str, new: str, match: str, row: int,
                                        err: type[ParseError]) -> None:
    with pytest.raises(err, match=match) as info:
        operations(_edit(old, new), CSV_NAME)
    assert info.value.row == row and CSV_NAME in str(info.value)


def test_moved_or_missing_header_columns() -> None:
    header = "年,月,日,Year,Month,Day,金額(amount),売買通貨,Currency pairs"
    with pytest.raises(ParseError, match="in that order") as info:
        operations(_edit(header, "年,月,日,Year,Month,Day,売買通貨,金額(amount),Currency pairs"),
                   CSV_NAME)
    assert info.value.row == 6
    with pytest.raises(ParseError, match="'金額'"):
        operations(_edit(header, "年,月,日,Year,Month,Day,amount,売買通貨,Currency pairs"), CSV_NAME)
    with pytest.raises(ParseError, match="header row"):
        operations(_edit(header, "Y,M,D,Year,Month,Day,金額,売買通貨,pairs"), CSV_NAME)


def test_truncated_file_is_caught() -> None:
    raw = _csv()
    cut = raw.index("令和6年4～6月期計".encode("cp932"))
    with pytest.raises(ParseError, match="closing the last quarter"):
        operations(raw[:cut], CSV_NAME)


def _prefix_ok(raw: bytes) -> None:
    full = operations(_csv(), CSV_NAME)
    try:
        ops = operations(raw, CSV_NAME)
    except ParseError as e:
        assert CSV_NAME in str(e)
        return
    # a cut exactly after a subtotal leaves whole quarters: they must be the file's first ones
    cols = ["date", "pair", "direction", "amount"]
    pd.testing.assert_frame_equal(ops[cols], full[cols].iloc[: len(ops)])


@settings(max_examples=80, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len((FIXTURES / CSV_NAME).read_bytes())))
def test_random_truncation_never_gives_wrong_numbers(cut: int) -> None:
    _prefix_ok(_csv()[:cut])


@settings(max_examples=80, deadline=None)
@given(pos=st.integers(min_value=0, max_value=len((FIXTURES / CSV_NAME).read_bytes()) - 1),
       byte=st.sampled_from(list(b"0123456789,x-")))
def test_random_byte_change_never_gives_a_silent_wrong_total(pos: int, byte: int) -> None:
    raw = bytearray(_csv())
    raw[pos] = byte
    try:
        ops = operations(bytes(raw), CSV_NAME)
    except ParseError:
        return
    # one changed byte cannot move an amount without breaking its quarter's 期計 check:
    # whatever still parses has exactly the original amounts
    assert sorted(ops["amount"]) == sorted(operations(_csv(), CSV_NAME)["amount"])


def test_pair_direction() -> None:
    assert pair_direction("米ドル売り・日本円買い") == ("usdjpy", "yen_buying")
    assert pair_direction("日本円売り・ユーロ買い") == ("eurjpy", "yen_selling")
    assert pair_direction("米ドル売り・インドネシアルピア買い") == ("usdidr", "other")


# --------------------------------------------------------------------- monthly pages (fixtures)
@pytest.mark.parametrize(
    ("name", "start", "end", "amount"),
    [
        ("20240531.html", "2024-04-26", "2024-05-29", 97885.0),  # ９兆７，８８５億円
        ("20221130.html", "2022-10-28", "2022-11-28", 0.0),  # '0円', dates without era year
        ("20260828.html", "2026-07-30", "2026-08-26", 153993.0),  # 15兆3,993億円
    ],
)
def test_monthly_pages(name: str, start: str, end: str, amount: float) -> None:
    obs = MofIntervention().parse((FIXTURES / name).read_bytes(), name).observations
    assert len(obs) == 1
    row = obs.iloc[0]
    assert row["series_id"] == "intervention.monthly_total"
    assert (row["period_start"], row["ref_date"]) == (pd.Timestamp(start), pd.Timestamp(end))
    assert row["value"] == amount
    assert row["released"] == pd.Timestamp(f"{name[:4]}-{name[4:6]}-{name[6:8]}")
    assert str(obs["period_start"].dtype) == "datetime64[ns]"


def test_monthly_page_corruptions() -> None:
    raw = (FIXTURES / "20240531.html").read_bytes()
    text = raw.decode("cp932")
    with pytest.raises(ParseError, match="外国為替平衡操作額"):
        monthly_total(text.replace("９兆７，８８５億円", "集計中").encode("cp932"), "20240531.html")
    with pytest.raises(ParseError, match="period"):
        monthly_total(text.replace("～", "と").encode("cp932"), "20240531.html")
    with pytest.raises(ValidationError, match="on/before the page date"):
        monthly_total(raw, "20240501.html")
    with pytest.raises(ParseError, match="20240531.html"):
        monthly_total(raw[: len(raw) // 3], "20240531.html")


def test_monthly_page_without_a_dated_name() -> None:
    obs = monthly_total((FIXTURES / "20240531.html").read_bytes(), "latest.html")
    assert "released" not in obs.columns  # unknown without the YYYYMMDD page name
    assert obs["ref_date"].iloc[0] == pd.Timestamp("2024-05-29")
    with pytest.raises(ParseError, match="era year"):  # '10月28日～11月28日' needs the name
        monthly_total((FIXTURES / "20221130.html").read_bytes(), "latest.html")


def test_monthly_page_links() -> None:
    index = ('<li><a href="20240531.html">令和6年4月26日～令和6年5月29日</a></li>'
             '<li><a href="/policy/x/data/monthly/20260828.html">…</a></li>'
             '<li><a href="index.html">index</a></li>')
    assert monthly_page_links(index) == ["20260828.html", "20240531.html"]


def test_fetch_gets_csv_and_newest_monthly_pages() -> None:
    pages = {f"2026{m:02d}28.html": f"page {m}".encode() for m in range(3, 9)}
    index = "".join(f'<a href="{n}">x</a>' for n in pages).encode()
    seen = []

    def get(url: str, params: object = None) -> Response | None:
        seen.append(url)
        body = {CSV_URL: b"csv", MONTHLY_INDEX_URL: index}.get(url)
        if body is None:
            body = pages[url.rsplit("/", 1)[1]]
        return Response(url, 200, body, None, None)

    files = list(MofIntervention().fetch(get))
    assert [f.name for f in files] == [CSV_NAME, "20260828.html", "20260728.html", "20260628.html"]
    assert seen[:2] == [CSV_URL, MONTHLY_INDEX_URL]


# --------------------------------------------------------------------- derived file (real)
@pytest.fixture(scope="module")
def derived(shared_data: Path) -> bytes:
    return (shared_data / DERIVED).read_bytes()


def test_derived_file_totals(derived: bytes) -> None:
    obs = parse_derived_daily(derived, "interventions_daily_1991-2026_derived.csv")
    total = obs[obs["series_id"] == "intervention.total.amount"]
    by_year = total.groupby(total["ref_date"].dt.year)["value"].sum()
    assert by_year[2022] == pytest.approx(91880.0)  # 9,188.0 bn (MANIFEST §11 cross-check)
    assert by_year[2024] == pytest.approx(153233.0)  # 15,323.3 bn
    assert _value(obs, "intervention.usdjpy.amount", "2024-04-29") == pytest.approx(59185.0)
    assert _value(obs, "intervention.usdjpy.amount", "2024-05-01") == pytest.approx(38700.0)
    assert _value(obs, "intervention.usdjpy.amount", "2011-10-31") == pytest.approx(-80722.0)
    may26 = total[total["ref_date"].between("2026-04-30", "2026-05-06")]["value"].sum()
    assert may26 == pytest.approx(117348.0)  # MOF: ¥11.7349 tn for 2026-04-30/05-04/05-06
    assert str(obs["ref_date"].dtype) == "datetime64[ns]" and not obs["value"].isna().any()


def test_derived_file_pairs(derived: bytes) -> None:
    ops = derived_operations(derived)
    assert len(ops) == 386  # MANIFEST: 386 rows
    assert ops["date"].min() == pd.Timestamp("1991-05-13")
    assert ops["date"].max() == pd.Timestamp("2026-05-06")
    counts = ops.groupby(["pair", "direction"]).size().to_dict()
    assert counts[("usdjpy", "yen_selling")] == 319 and counts[("usdjpy", "yen_buying")] == 42
    assert counts[("eurjpy", "yen_selling")] == 18 and counts[("usdidr", "other")] == 5
    obs = parse_derived_daily(derived)
    # 1999-06-21: USD/JPY and EUR/JPY the same day, both yen selling
    assert _value(obs, "intervention.eurjpy.amount", "1999-06-21") < 0


def test_derived_file_corruptions(derived: bytes) -> None:
    text = derived.decode("ascii")
    with pytest.raises(ParseError, match="header"):
        parse_derived_daily(text.replace("amount_yen_billions", "amount").encode(), "d.csv")
    bad = text.replace("2024-04-29,USD/JPY,sell_USD_buy_JPY,5918.5",
                       "2024-04-29,USD/JPY,sell_USD_buy_JPY,5918.5x")
    with pytest.raises(ParseError, match="amount in JPY bn") as info:
        parse_derived_daily(bad.encode(), "d.csv")
    assert info.value.row == text.split("\r\n").index(
        next(line for line in text.split("\r\n") if line.startswith("2024-04-29"))) + 1
    with pytest.raises(ParseError, match="sell_X_buy_Y"):
        wrong = text.replace("sell_USD_buy_JPY", "sell_EUR_buy_JPY", 1)
        parse_derived_daily(wrong.encode(), "d.csv")
    with pytest.raises(ParseError, match="truncated"):
        parse_derived_daily(derived[:-30], "d.csv")
