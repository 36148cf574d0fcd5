"""TIC major foreign holders: mfhhis01.txt (real) and slt_table5.txt (fixture)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.ustreasury.tic import UsTicHoldings, holdings_table, slug

FIXTURES = Path(__file__).parent / "fixtures" / "tic"
HISTORY = "tic/mfhhis01.txt"


def _value(obs: pd.DataFrame, sid: str, month_end: str) -> float:
    sel = obs[(obs["series_id"] == sid) & (obs["ref_date"] == pd.Timestamp(month_end))]
    assert len(sel) == 1, (sid, month_end)
    return float(sel["value"].iloc[0])


@pytest.fixture(scope="module")
def history(shared_data: Path) -> pd.DataFrame:
    raw = (shared_data / HISTORY).read_bytes()
    return UsTicHoldings().parse(raw, "mfhhis01.txt").observations


def test_history_latest_block(history: pd.DataFrame) -> None:
    # mfhhis01.txt lines 10-55 (2025 block): Japan Dec 1185.5, Nov 1202.7, Jan 1079.3;
    # "China, Mainland" Dec 683.5; United Kingdom 866; Grand Total 9271; For. Official 3887;
    # Treasury Bills (of which official) 388.5
    assert _value(history, "tic.holdings.japan", "2025-12-31") == 1185.5
    assert _value(history, "tic.holdings.japan", "2025-11-30") == 1202.7
    assert _value(history, "tic.holdings.japan", "2025-01-31") == 1079.3
    assert _value(history, "tic.holdings.china", "2025-12-31") == 683.5
    assert _value(history, "tic.holdings.uk", "2025-12-31") == 866.0
    assert _value(history, "tic.holdings.total", "2025-12-31") == 9271.0
    assert _value(history, "tic.holdings.foreign_official", "2025-12-31") == 3887.0
    assert _value(history, "tic.holdings.foreign_official_bills", "2025-12-31") == 388.5
    assert _value(history, "tic.holdings.korea_south", "2025-12-31") == 140.6


def test_history_series_breaks_keep_the_new_series(history: pd.DataFrame) -> None:
    # 2011 block (line ~747): Jun appears twice, Series XII 881.5 then Series XI 911.1
    assert _value(history, "tic.holdings.japan", "2011-06-30") == 881.5
    assert _value(history, "tic.holdings.china", "2011-06-30") == 1307.0
    # 2000 block (line ~1216): 11 columns, Mar twice: Series II 307.6, Series I 325.8
    assert _value(history, "tic.holdings.japan", "2000-03-31") == 307.6
    assert _value(history, "tic.holdings.japan", "2000-12-31") == 317.7
    japan = history[history["series_id"] == "tic.holdings.japan"]
    assert japan["ref_date"].min() == pd.Timestamp("2000-03-31")
    assert len(japan) == 310  # Mar 2000 … Dec 2025, each month once
    assert not history.duplicated(["series_id", "ref_date"]).any()


def test_history_names_and_contract(shared_data: Path) -> None:
    parsed = UsTicHoldings().parse((shared_data / HISTORY).read_bytes(), "mfhhis01.txt")
    ids = {s.id for s in parsed.series}
    assert ids == set(parsed.observations["series_id"])
    for sid in ("tic.holdings.japan", "tic.holdings.china", "tic.holdings.uk", "tic.holdings.total",
                "tic.holdings.foreign_official", "tic.holdings.oil_exporters",
                "tic.holdings.caribbean_banking_centers", "tic.holdings.belgium_luxembourg"):
        assert sid in ids
    assert "tic.holdings.united_kingdom" not in ids  # 'United Kingdom 2/' -> uk
    assert {s.unit for s in parsed.series} == {"USD bn"}
    obs = parsed.observations
    assert str(obs["ref_date"].dtype) == "datetime64[ns]" and obs["value"].dtype == "float64"
    assert not obs["value"].isna().any()
    # 2011: Oil Exporters / Caribbean Banking Centers are separate rows (no members listed)
    assert _value(obs, "tic.holdings.oil_exporters", "2011-12-31") == 260.8


def test_slugs() -> None:
    assert slug('"China, Mainland"'.strip('"')) == "china"
    assert slug("United Kingdom 2/") == "uk"
    assert slug("  For. Official") == "foreign_official"
    assert slug("Korea, South ") == "korea_south"
    assert slug("Of Which: Foreign Official T-Bonds & Notes") == "foreign_official_bonds_notes"


def test_truncated_history(shared_data: Path) -> None:
    raw = (shared_data / HISTORY).read_bytes()
    lines = raw.split(b"\n")
    with pytest.raises(ParseError, match="Grand Total") as info:
        holdings_table(b"\n".join(lines[:30]), "mfhhis01.txt")
    assert "mfhhis01.txt" in str(info.value)
    with pytest.raises(ParseError, match="'Country' year row"):
        holdings_table(b"\n".join(lines[:6]), "mfhhis01.txt")


def test_history_corruptions(shared_data: Path) -> None:
    text = (shared_data / HISTORY).read_bytes().decode("ascii")
    with pytest.raises(ParseError, match="Japan 2025-11") as info:
        holdings_table(text.replace("Japan\t1185.5\t1202.7", "Japan\t1185.5\tx1202.7").encode(),
                       "mfhhis01.txt")
    assert info.value.row == 10  # the Japan line of the 2025 block
    with pytest.raises(ValidationError, match="Grand Total 9271") as info:
        holdings_table(text.replace("Japan\t1185.5", "Japan\t1285.5").encode(), "mfhhis01.txt")
    # moved column: the month row shifted one cell to the right
    moved = text.replace("\tDec\tNov\tOct", "\t\tDec\tNov\tOct", 1)
    with pytest.raises(ParseError, match="month and a year"):
        holdings_table(moved.encode(), "mfhhis01.txt")
    with pytest.raises(ParseError, match="slt_table5"):
        holdings_table(b"hello\nworld\n", "mfhhis01.txt")


def test_current_table_fixture() -> None:
    # fixture written from sources.md §10: Japan 1103.9 (2026-07), 1116.7 (06), 1143.1 (05);
    # UK 998.3; China 618.0; Grand Total 9158.1; Foreign Official 3773.1
    parsed = UsTicHoldings().parse((FIXTURES / "slt_table5.txt").read_bytes(), "slt_table5.txt")
    obs = parsed.observations
    assert _value(obs, "tic.holdings.japan", "2026-07-31") == 1103.9
    assert _value(obs, "tic.holdings.japan", "2026-06-30") == 1116.7
    assert _value(obs, "tic.holdings.japan", "2026-05-31") == 1143.1
    assert _value(obs, "tic.holdings.uk", "2026-07-31") == 998.3
    assert _value(obs, "tic.holdings.china", "2026-07-31") == 618.0
    assert _value(obs, "tic.holdings.total", "2026-07-31") == 9158.1
    assert _value(obs, "tic.holdings.foreign_official", "2026-07-31") == 3773.1
    assert _value(obs, "tic.holdings.foreign_official_bills", "2026-07-31") == 402.5
    japan = obs[obs["series_id"] == "tic.holdings.japan"]
    assert len(japan) == 13 and japan["ref_date"].min() == pd.Timestamp("2025-07-31")
    # empty cell (Korea, 2026-05) is missing, not zero
    korea = obs[obs["series_id"] == "tic.holdings.korea_south"]
    assert pd.Timestamp("2026-05-31") not in set(korea["ref_date"]) and len(korea) == 12


def test_current_table_corruptions() -> None:
    text = (FIXTURES / "slt_table5.txt").read_bytes().decode()
    with pytest.raises(ParseError, match="newest first") as info:
        swapped = text.replace("2026-07\t2026-06", "2026-06\t2026-07")
        holdings_table(swapped.encode(), "slt_table5.txt")
    assert info.value.row == 6
    with pytest.raises(ParseError, match="month labels") as info:
        holdings_table(text.replace("\t2026-06\t", "\tJun 2026\t").encode(), "slt_table5.txt")
    with pytest.raises(ParseError, match="Grand Total"):
        holdings_table(text.split("Grand Total")[0].encode(), "slt_table5.txt")
    with pytest.raises(ParseError, match="Japan 2026-07") as info:
        holdings_table(text.replace("Japan\t1103.9", "Japan\t1,10x").encode(), "slt_table5.txt")
    assert info.value.row == 7


_CELLS = st.sampled_from(["Japan\t1103.9", "United Kingdom\t998.3", "Grand Total\t9158.1",
                          "Of Which: Foreign Official\t3773.1"])


@settings(max_examples=60, deadline=None)
@given(cell=_CELLS, junk=st.text(alphabet="0123456789.,-x* ", min_size=1, max_size=6))
def test_random_cell_corruption_never_misparses(cell: str, junk: str) -> None:
    text = (FIXTURES / "slt_table5.txt").read_bytes().decode()
    name, value = cell.split("\t")
    corrupted = text.replace(cell, f"{name}\t{junk}")
    try:
        table = holdings_table(corrupted.encode(), "slt_table5.txt")
    except ParseError as e:
        assert e.row is not None and "slt_table5.txt" in str(e)
        return
    # parses only if the junk is a number that still adds up, or a missing marker
    row = table[(table["slug"] == slug(name)) & (table["ref_date"] == pd.Timestamp("2026-07-31"))]
    if row.empty:
        assert junk.strip().lower() in {"", "*", "-", "--"}
    else:
        assert abs(row["value"].iloc[0] - float(value)) <= 1.5
