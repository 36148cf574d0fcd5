"""Store: catalog, vintages, as_of reads, migrations, raw archive, rebuild."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from fakes import FakeSource
from yenflow.errors import UnknownSeriesError
from yenflow.pipeline import ingest, rebuild
from yenflow.sources import SOURCES
from yenflow.sources.base import RawFile
from yenflow.store import Store
from yenflow.store import migrations

V1 = b"date,x.one,x.two\n2024-01-01,1.0,10\n2024-01-02,2.0,-\n"
V2 = b"date,x.one,x.two\n2024-01-01,1.5,10\n2024-01-02,2.0,20\n2024-01-03,3.0,30\n"


def _raw(content: bytes, name: str = "a.csv") -> RawFile:
    return RawFile(name, content, f"file:///tmp/{name}")


def test_revision_keeps_both_vintages_and_as_of(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    r1 = ingest(store, FakeSource(), [_raw(V1)])
    assert (r1.counts.new, r1.counts.revised) == (3, 0)
    between = pd.Timestamp.now(tz="UTC").tz_localize(None)
    time.sleep(0.01)
    r2 = ingest(store, FakeSource(), [_raw(V2)])
    # 2024-01-01 x.one revised 1.0→1.5; x.two 01-02 and both 01-03 are new; two unchanged
    assert (r2.counts.new, r2.counts.revised, r2.counts.unchanged) == (3, 1, 2)
    latest = store.get("x.one")
    assert latest.loc["2024-01-01"] == 1.5
    old = store.get("x.one", as_of=between)
    assert old.loc["2024-01-01"] == 1.0
    assert "2024-01-03" not in old.index.strftime("%Y-%m-%d")
    v = store.vintages("x.one", "2024-01-01")
    assert list(v["value"]) == [1.0, 1.5]
    assert v["raw_sha256"].nunique() == 2
    assert store.get("x.one").attrs["unit"] == "%"


def test_identical_reingest_adds_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest(store, FakeSource(), [_raw(V1)])
    n = store.sql("SELECT count(*) AS n FROM observations")["n"][0]
    r = ingest(store, FakeSource(), [_raw(V1)])
    assert r.files_skipped == 1 and r.files_new == 0
    # same values under another file (different bytes) add no observation either
    r = ingest(store, FakeSource(), [_raw(V1 + b"\n", "copy.csv")])
    assert (r.files_new, r.counts.new, r.counts.revised, r.counts.unchanged) == (1, 0, 0, 3)
    assert store.sql("SELECT count(*) AS n FROM observations")["n"][0] == n


def test_frame_get_start_end_and_units(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest(store, FakeSource(), [_raw(V2)])
    df = store.frame(["x.one", "x.two"], start="2024-01-02", end="2024-01-03")
    assert list(df.index.strftime("%Y-%m-%d")) == ["2024-01-02", "2024-01-03"]
    assert df.loc["2024-01-03", "x.two"] == 30.0
    assert df.attrs["units"] == {"x.one": "%", "x.two": "%"}
    assert isinstance(store.get("x.one").index, pd.DatetimeIndex)
    with pytest.raises(UnknownSeriesError, match="yenflow series"):
        store.get("nope")


def test_catalog_first_last_and_search(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest(store, FakeSource(), [_raw(V2)])
    cat = store.catalog("two").set_index("id")
    assert list(cat.index) == ["x.two"]
    assert str(cat.loc["x.two", "first"])[:10] == "2024-01-01"
    assert str(cat.loc["x.two", "last"])[:10] == "2024-01-03"
    assert cat.loc["x.two", "observations"] == 3


def test_migrations_recorded_and_rerunnable(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    store = Store(path)
    assert migrations.apply(store.con) == []
    names = list(store.sql("SELECT name FROM _yenflow_migrations ORDER BY name")["name"])
    assert names == [m[0] for m in migrations.MIGRATIONS]


def test_raw_archive_and_rebuild_reproduce_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SOURCES, "fake.a", "fakes:FakeSource")
    store = Store(tmp_path / "s.duckdb")
    ingest(store, FakeSource(), [_raw(V1)])
    time.sleep(0.01)
    ingest(store, FakeSource(), [_raw(V2, "b.csv")])
    before = store.sql("SELECT * FROM observations ORDER BY series_id, ref_date, seen_at")
    arch = store.sql("SELECT sha256, filename, url, fetched_at FROM raw_fetches ORDER BY fetched_at")
    assert list(arch["filename"]) == ["a.csv", "b.csv"]
    assert store.sql("SELECT count(*) AS n FROM raw_blobs")["n"][0] == 2
    assert rebuild(store) == 2
    after = store.sql("SELECT * FROM observations ORDER BY series_id, ref_date, seen_at")
    pd.testing.assert_frame_equal(before, after)


def test_read_only_store_sees_data(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        ingest(store, FakeSource(), [_raw(V1)])
    with Store(path, read_only=True) as ro:
        assert ro.get("x.one").iloc[0] == 1.0
