"""What may replace what in the store, on real sample files and mutated copies:
a publisher that restores an earlier file gets its values back; a shorter file
from the same place is refused (naming both counts) unless allowed; a series
has one owner, official or imported, and look-alike ids are refused; links in a
--from folder that lead outside it are not followed."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from yenflow.pipeline import import_file, update
from yenflow.store import Store

DEXJPUS = "fred/DEXJPUS_2025-12_2026-09.csv"
UST_2025 = "ust_yields/daily-treasury-rates_2025_to-2025-12-19.csv"


def _fred_values(raw: bytes) -> dict[str, float]:
    """Date → value of a FRED CSV, read with the csv module (empty = missing)."""
    rows = list(csv.reader(io.StringIO(raw.decode())))
    return {d: float(v) for d, v in rows[1:] if v not in ("", ".")}


def _folder(tmp: Path, rel: str, content: bytes) -> Path:
    folder = tmp / "data"
    (folder / rel).parent.mkdir(parents=True, exist_ok=True)
    (folder / rel).write_bytes(content)
    return folder


def test_a_reverted_file_is_recorded_and_the_latest_vintage_is_the_publishers_latest(
        shared_data: Path, tmp_path: Path) -> None:
    original = (shared_data / DEXJPUS).read_bytes()
    values = _fred_values(original)
    assert values["2026-07-30"] == 159.47  # as printed in the file
    revised = original.replace(b"2026-07-30,159.47", b"2026-07-30,160.01")
    assert revised != original
    store = Store(tmp_path / "s.duckdb")
    for content in (original, revised, original):  # the publisher revises, then restores its file
        folder = _folder(tmp_path, "fred/DEXJPUS.csv", content)
        r, = update(store, ["fred"], str(folder))
        assert r.ok and r.files_new == 1, r.error
    s = store.get("fx.usdjpy")
    assert s.loc["2026-07-30"] == 159.47
    assert list(store.vintages("fx.usdjpy", "2026-07-30")["value"]) == [159.47, 160.01, 159.47]
    latest = {f"{d:%Y-%m-%d}": v for d, v in s.items()}
    assert latest == values  # every date as the latest file prints it
    # the same file again from the same place is skipped
    r, = update(store, ["fred"], str(folder))
    assert r.files_skipped == 1 and r.files_new == 0


def _ust_cells(raw: bytes) -> int:
    """Non-empty value cells of a Treasury par-curve CSV (one observation each)."""
    rows = list(csv.reader(io.StringIO(raw.decode())))
    return sum(1 for row in rows[1:] for cell in row[1:] if cell.strip())


def test_a_shorter_file_from_the_same_place_is_refused_naming_both_counts(shared_data: Path, tmp_path: Path) -> None:
    full = (shared_data / UST_2025).read_bytes()
    lines = full.split(b"\n")
    # an earlier edition of the year file: rows are newest first, so the newest third is missing (a file cut at
    # its end, losing the oldest rows, is already refused by the parser as incomplete)
    cut = b"\n".join([lines[0], *lines[1 + (len(lines) - 1) // 3:]])
    n_full, n_cut = _ust_cells(full), _ust_cells(cut)
    assert n_cut < n_full
    store = Store(tmp_path / "s.duckdb")
    folder = _folder(tmp_path, "ust_yields/daily-treasury-rates_2025.csv", full)
    assert update(store, ["ustreasury.par_curve"], str(folder))[0].ok
    before = store.sql("SELECT * FROM observations ORDER BY ALL")
    _folder(tmp_path, "ust_yields/daily-treasury-rates_2025.csv", cut)
    r, = update(store, ["ustreasury.par_curve"], str(folder))
    assert r.status == "FAILED"
    assert f"at least the {n_full:,} observations of the last file from" in r.error
    assert f"found '{n_cut:,} observations'" in r.error and "--allow-shrink" in r.error
    assert store.sql("SELECT * FROM observations ORDER BY ALL").equals(before)  # nothing lost, nothing added
    r, = update(store, ["ustreasury.par_curve"], str(folder), allow_shrink=True)
    assert r.ok and r.files_new == 1 and r.counts.new == 0
    assert len(store.get("ust.par.10y")) == len(before[before.series_id == "ust.par.10y"])  # no row lost


def test_a_rolled_over_current_file_is_not_a_shrink(shared_data: Path, tmp_path: Path) -> None:
    """The current-month JGB file restarts each month with fewer rows: not refused."""
    month = (shared_data / "mof_jgb_yields/jgbcm_current_month_2025-10.csv").read_bytes()
    text = month.decode("cp932").splitlines(keepends=True)
    rows = [i for i, line in enumerate(text) if line.startswith("R7.10.")]
    # next month's file: two rows, dated November (R7.11.x), same layout
    nov = "".join(text[: rows[0]]) + "".join(
        text[i].replace("R7.10.", "R7.11.").replace("令和7年10月", "令和7年11月") for i in rows[:2]) + "".join(text[rows[-1] + 1:])
    nov = nov.replace("令和7年10月", "令和7年11月")
    store = Store(tmp_path / "s.duckdb")
    folder = _folder(tmp_path, "mof_jgb_yields/jgbcm_current_month_x.csv", month)
    assert update(store, ["mof.jgb_yields"], str(folder))[0].ok
    _folder(tmp_path, "mof_jgb_yields/jgbcm_current_month_x.csv", nov.encode("cp932"))
    r, = update(store, ["mof.jgb_yields"], str(folder))
    assert r.ok, r.error


def test_an_official_source_never_takes_over_an_imported_series(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    mine = tmp_path / "sofr.csv"
    mine.write_text("date,v\n2026-01-02,9.99\n")
    assert import_file(store, mine, dict(series_id="rate.sofr", unit="%")).ok
    r, = update(store, ["fred"], str(shared_data))
    assert r.status == "FAILED"
    assert "series 'rate.sofr' is a user import (user:rate.sofr); source 'fred' publishes a series with the same id" in r.error
    assert store.get("rate.sofr").iloc[0] == 9.99 and store.info("rate.sofr")["source"] == "user:rate.sofr"


def test_an_import_never_takes_over_an_official_series_and_look_alikes_are_refused(
        shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    assert update(store, ["nikkei.stock_average"], str(shared_data))[0].ok
    owned = store.sql("SELECT id FROM series WHERE source = 'nikkei.stock_average' ORDER BY id")["id"][0]
    f = tmp_path / "x.csv"
    f.write_text("date,v\n2026-01-02,1\n")
    r = import_file(store, f, dict(series_id=owned, unit="index points"))
    assert not r.ok and f"series {owned!r} belongs to source 'nikkei.stock_average'" in r.error
    r = import_file(store, f, dict(series_id=owned.upper(), unit="index points"))
    assert not r.ok and f"differs from the existing {owned!r} (nikkei.stock_average) only in case or spaces" in r.error
    r = import_file(store, f, dict(series_id=" user.basis", unit="bp"))
    assert not r.ok and "contains spaces" in r.error
    assert import_file(store, f, dict(series_id="user.basis", unit="bp")).ok
    r = import_file(store, f, dict(series_id="User.Basis", unit="bp"))
    assert not r.ok and "differs from the existing 'user.basis'" in r.error
    assert set(store.sql("SELECT id FROM series WHERE user_imported")["id"]) == {"user.basis"}


def test_links_leaving_the_from_folder_are_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("yenflow.sources.SOURCES", {"fake.a": "fakes:FakeSource"})
    outside = tmp_path / "secret.csv"
    outside.write_text("date,a.x\n2024-01-01,987654.321\n")  # a value that appears nowhere else
    folder = _folder(tmp_path, "fake/a.csv", b"date,a.x\n2024-01-02,1\n")
    os.symlink(outside, folder / "fake" / "a_link.csv")
    os.symlink("a.csv", folder / "fake" / "a_inside.csv")  # a link within the folder is fine
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", folder / "fake" / "a_dir")
    store = Store(tmp_path / "s.duckdb")
    r, = update(store, mirror=str(folder))
    assert r.ok and r.files_new == 1
    assert any("skipped 1 link(s) leading outside" in n and f"a_link.csv → {outside}" in n for n in r.notes)
    assert list(store.get("a.x")) == [1.0]
    assert "987654" not in " ".join(str(x) for x in store.sql("SELECT * FROM update_log").iloc[0])
    urls = list(store.sql("SELECT url FROM raw_fetches")["url"])
    assert urls == [(folder / "fake" / "a.csv").resolve().as_uri()]
