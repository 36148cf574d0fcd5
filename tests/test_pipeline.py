"""Update pipeline on local folders: summaries, isolation of failures, skip by hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes import FakeSource
from yenflow.pipeline import import_file, update, update_source
from yenflow.store import Store

GOOD = "date,a.x\n2024-01-01,1\n2024-01-02,2\n"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("yenflow.sources.SOURCES", {"fake.a": "fakes:FakeSource", "fake.b": "fakes:FakeSourceB"})


def _write(folder: Path, name: str, text: str) -> None:
    (folder / "fake").mkdir(parents=True, exist_ok=True)
    (folder / "fake" / name).write_text(text)


def _dump(store: Store) -> list[tuple]:
    return store.con.execute("SELECT * FROM observations ORDER BY ALL").fetchall()


def test_update_from_folder_then_nothing_new(tmp_path: Path, registry: None) -> None:
    _write(tmp_path, "a.csv", GOOD)
    _write(tmp_path, "b.csv", "date,b.x\n2024-01-01,5\n")
    store = Store(tmp_path / "s.duckdb")
    r = update(store, mirror=str(tmp_path))
    assert [(x.source, x.ok, x.files_new, x.counts.new) for x in r] == [("fake.a", True, 1, 2), ("fake.b", True, 1, 1)]
    again = update(store, mirror=str(tmp_path))
    assert [(x.files_new, x.files_skipped, x.counts.new) for x in again] == [(0, 1, 0), (0, 1, 0)]


def test_failing_source_leaves_store_and_others_alone(tmp_path: Path, registry: None) -> None:
    _write(tmp_path, "a.csv", GOOD)
    _write(tmp_path, "b.csv", "date,b.x\n2024-01-01,5\n")
    store = Store(tmp_path / "s.duckdb")
    update(store, mirror=str(tmp_path))
    before = _dump(store)
    # a new vintage of A with one good file and one broken file; B gets new data
    _write(tmp_path, "a2.csv", "date,a.x\n2024-01-03,3\n")
    _write(tmp_path, "a3.csv", "date,a.x\n2024-01-04,oops\n")
    _write(tmp_path, "b.csv", "date,b.x\n2024-01-01,5\n2024-01-02,6\n")
    r = {x.source: x for x in update(store, mirror=str(tmp_path))}
    assert not r["fake.a"].ok
    assert "a3.csv, row 2: expected a number; found 'oops'" in r["fake.a"].error
    assert r["fake.b"].ok and r["fake.b"].counts.new == 1
    after = _dump(store)
    assert [row for row in after if row[0] == "a.x"] == [row for row in before if row[0] == "a.x"]
    # nothing of the failed run was archived either
    assert store.sql("SELECT count(*) AS n FROM raw_fetches WHERE source='fake.a'")["n"][0] == 1
    log = store.sql("SELECT source, ok, error FROM update_log ORDER BY finished_at DESC LIMIT 2")
    assert set(zip(log["source"], log["ok"])) == {("fake.a", False), ("fake.b", True)}


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    r = update_source(store, FakeSource(), str(tmp_path / "nope"))
    assert not r.ok and "folder does not exist" in r.error


def test_overlapping_files_merge_with_disagreements_as_vintages(tmp_path: Path, registry: None) -> None:
    # an older file (data to 01-02) and a newer one (to 01-03) disagreeing on 01-02:
    # the newer one's value is the latest, the older kept as a vintage
    _write(tmp_path, "a_new.csv", "date,a.x\n2024-01-02,2.5\n2024-01-03,3\n")
    _write(tmp_path, "a_old.csv", "date,a.x\n2024-01-01,1\n2024-01-02,2\n")
    store = Store(tmp_path / "s.duckdb")
    update(store, ["fake.a"], mirror=str(tmp_path))
    assert store.get("a.x").loc["2024-01-02"] == 2.5
    assert list(store.vintages("a.x", "2024-01-02")["value"]) == [2.0, 2.5]


def test_unknown_source_reported_not_raised(tmp_path: Path, registry: None) -> None:
    store = Store(tmp_path / "s.duckdb")
    r = update(store, ["fake.a", "nope"], mirror=str(tmp_path))
    assert r[1].source == "nope" and not r[1].ok and "unknown source" in r[1].error


def test_user_import_csv_with_filters_scale_and_sign(tmp_path: Path) -> None:
    f = tmp_path / "interventions.csv"
    f.write_text(
        "date,pair,direction,amount_bn\n"
        "2024-04-29,USD/JPY,sell_USD_buy_JPY,5918.5\n"
        "2024-05-01,USD/JPY,sell_USD_buy_JPY,\"3,870.0\"\n"
        "2022-09-22,USD/JPY,sell_USD_buy_JPY,2838.2\n"
        "2011-08-04,USD/JPY,sell_JPY_buy_USD,4512.9\n"
        "2011-08-04,EUR/JPY,sell_JPY_buy_EUR,1.0\n"
    )
    store = Store(tmp_path / "s.duckdb")
    params = dict(series_id="user.intervention", unit="JPY 100m", date_col="date", value_col="amount_bn",
                  where={"pair": "USD/JPY"}, negate_where={"direction": "sell_JPY_buy_USD"}, scale=10.0,
                  source_text="test file")
    r = import_file(store, f, params)
    assert r.ok and r.counts.new == 4
    s = store.get("user.intervention")
    assert s.loc["2024-04-29"] == pytest.approx(59185.0)
    assert s.loc["2024-05-01"] == pytest.approx(38700.0)
    assert s.loc["2011-08-04"] == pytest.approx(-45129.0)
    cat = store.catalog("user.intervention").iloc[0]
    assert bool(cat["user_imported"]) and "test file" in cat["description"]
    # same file, other options → parsed again (not skipped as unchanged)
    params2 = {**params, "series_id": "user.intervention", "scale": 1.0}
    r2 = import_file(store, f, params2)
    assert r2.files_new == 1 and r2.counts.revised == 4


def test_user_import_bad_value_names_row_and_keeps_store(tmp_path: Path) -> None:
    f = tmp_path / "basis.csv"
    f.write_text("date,bp\n2026-01-02,-20\n2026-01-05,n.a.x\n")
    store = Store(tmp_path / "s.duckdb")
    r = import_file(store, f, dict(series_id="user.basis", unit="bp"))
    assert not r.ok
    assert "basis.csv, row 3: expected a number in column 'bp'; found 'n.a.x'" in r.error
    assert store.sql("SELECT count(*) AS n FROM observations")["n"][0] == 0


def test_user_import_refuses_official_series(tmp_path: Path, registry: None) -> None:
    _write(tmp_path, "a.csv", GOOD)
    store = Store(tmp_path / "s.duckdb")
    update(store, ["fake.a"], mirror=str(tmp_path))
    f = tmp_path / "mine.csv"
    f.write_text("date,v\n2024-01-01,9\n")
    r = import_file(store, f, dict(series_id="a.x", unit="%"))
    assert not r.ok and "belongs to source 'fake.a'" in r.error
    assert store.get("a.x").loc["2024-01-01"] == 1.0
