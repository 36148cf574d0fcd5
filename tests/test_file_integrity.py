"""Refusing damaged input: each test mutates a copy of a real sample file (in memory
or in a tmp dir) the way a cut download, a hand edit or a converter would, and checks
the refusal is one line naming the source, the file, the row and what was expected.

Expected values are read off the raw files (line numbers as a text editor counts).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from yenflow.errors import ParseError, ValidationError, YenflowError
from yenflow.pipeline import update, validate
from yenflow.sources import get_source
from yenflow.store import Store


def refused(source: str, raw: bytes, name: str) -> YenflowError:
    """Parse and validate as the pipeline does; return the (one-line) refusal."""
    src = get_source(source)
    with pytest.raises(YenflowError) as info:
        validate(src.parse(raw, name), source, name, lambda _sid: False)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(f"[{source}] {name}"), msg
    return info.value


def accepted(source: str, raw: bytes, name: str) -> dict[tuple[str, str], float]:
    src = get_source(source)
    parsed = src.parse(raw, name)
    validate(parsed, source, name, lambda _sid: False)
    obs = parsed.observations
    return {(s, str(d.date())): v for s, d, v in zip(obs.series_id, obs.ref_date, obs.value)}


# ------------------------------------------------------------------ cut files
def test_ust_year_file_cut_inside_its_last_figure(shared_data: Path) -> None:
    name = "daily-treasury-rates_2025.csv"
    raw = (shared_data / "ust_yields" / name).read_bytes()
    assert raw.endswith(b"01/02/2025,4.45,,4.36,4.36,4.31,4.25,4.17,4.25,4.29,4.38,4.47,4.57,4.86,4.79")
    assert accepted("ustreasury.par_curve", raw, name)[("ust.par.30y", "2025-01-02")] == 4.79
    err = refused("ustreasury.par_curve", raw[:-1], name)  # "…,4.86,4.7": no longer 4.79
    assert err.row == 185 and "two decimals like 4.79 for ust.par.30y" in str(err)
    assert err.found == "4.7"


def test_ust_archive_cut_inside_its_last_figure(shared_data: Path) -> None:
    # the archive drops trailing zeros: its last line ends "…,7.94,,8"; cut the 8
    name = "yield-curve-rates-1990-2024.csv"
    raw = (shared_data / "ust_yields" / name).read_bytes()
    assert raw.endswith(b"1/2/90,,,7.83,,7.89,7.81,7.87,7.9,7.87,7.98,7.94,,8")
    err = refused("ustreasury.par_curve", raw[:-1], name)
    assert "a ust.par.30y yield in the last row, as in the row above" in str(err)


def test_ust_rows_cut_off_the_end(shared_data: Path) -> None:
    # newest first: the lost rows are the oldest days of the year (01/02 is the first)
    name = "daily-treasury-rates_2025.csv"
    lines = (shared_data / "ust_yields" / name).read_bytes().split(b"\n")
    err = refused("ustreasury.par_curve", b"\n".join(lines[:-1]), name)
    assert "the oldest row on 2025-01-02 (the first business day of 2025" in str(err)
    assert err.found == "2025-01-03"


def test_tic_cut_between_blocks(shared_data: Path) -> None:
    text = (shared_data / "tic" / "mfhhis01.txt").read_bytes()
    lines = text.split(b"\n")
    # the 2011 block starts at line 746 (month row); cutting there keeps 2012-2025 intact
    assert lines[746].startswith(b"Country\t2011")
    cut = b"\n".join(lines[:745]) + b"\n"
    err = refused("ustreasury.tic", cut, "mfhhis01.txt")
    assert "the release footer 'Department of the Treasury/Federal Reserve Board'" in str(err)
    # a block missing from the middle is a gap, not a shorter history
    start = lines.index(next(ln for ln in lines if ln.startswith(b"Country\t2013"))) - 1
    end = lines.index(next(ln for ln in lines if ln.startswith(b"Country\t2012"))) - 1
    gap = b"\n".join(lines[:start] + lines[end:])
    err = refused("ustreasury.tic", gap, "mfhhis01.txt")
    assert "the block for the months before 2014-01" in str(err) and err.found == "2012-12"


def test_cftc_zip_with_a_truncated_member(shared_data: Path) -> None:
    name = "fut_fin_txt_2023.zip"
    raw = (shared_data / "cftc_cot" / name).read_bytes()
    member = zipfile.ZipFile(io.BytesIO(raw)).read("FinFutYY.txt")
    lines = member.split(b"\r\n") if b"\r\n" in member else member.split(b"\n")
    sep = b"\r\n" if b"\r\n" in member else b"\n"
    # FinFutYY.txt lines 125-165 are the yen rows, newest (2023-10-10) first: keep 125-140
    assert b"2023-10-10,097741" in lines[124] and b"2023-01-03,097741" in lines[164]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("FinFutYY.txt", sep.join(lines[:140]) + sep)
    err = refused("cftc.tff", out.getvalue(), name)
    assert "yen rows back to the first report of the year" in str(err) and err.row == 140
    # cut mid-row (no final line break): refused too
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("FinFutYY.txt", member[: len(member) // 2])
    refused("cftc.tff", out.getvalue(), name)


def test_nikkei_and_bop_cut_at_a_row_boundary(shared_data: Path) -> None:
    name = "nikkei_stock_average_daily_en.csv"
    lines = (shared_data / "equities" / name).read_bytes().split(b"\n")
    assert lines[-2].startswith(b'"This material is a copyrightable work of Nikkei')
    err = refused("nikkei.stock_average", b"\n".join(lines[:-3] + [b""]), name)
    assert "copyright notice as the last line" in str(err)
    name = "bop_6pi-1_portfolio_investment_summary.csv"
    lines = (shared_data / "mof_securities_flows" / name).read_bytes().split(b"\r\n")
    assert "5月(P)" in lines[-2].decode("cp932") and "4月(P)" in lines[-3].decode("cp932")
    err = refused("mof.bop_portfolio", b"\r\n".join(lines[:-3] + [b""]), name)  # ends at 3月
    assert "the newest month marked preliminary" in str(err) and err.row == 424


@pytest.mark.parametrize(("folder", "name", "source"), [
    ("ust_yields", "daily-treasury-rates_2025_to-2025-12-19.csv", "ustreasury.par_curve"),
    ("fred", "SOFR.csv", "fred"),
    ("fred", "DEXJPUS_2015-2025.csv", "fred"),
])
def test_header_only_file_is_an_error(shared_data: Path, tmp_path: Path, folder: str,
                                      name: str, source: str) -> None:
    header = (shared_data / folder / name).read_bytes().split(b"\n")[0] + b"\n"
    err = refused(source, header, name)
    assert "at least one observation (a header-only or truncated file?)" in str(err)
    # through the pipeline: the source fails with that line, the store is untouched
    (tmp_path / "data" / folder).mkdir(parents=True)
    (tmp_path / "data" / folder / name).write_bytes(header)
    with Store(tmp_path / "yenflow.duckdb") as store:
        [result] = update(store, [source], str(tmp_path / "data"))
        assert not result.ok and "at least one observation" in result.error
        assert store.con.execute("SELECT count(*) FROM observations").fetchone()[0] == 0


# ------------------------------------------------------------------ implausible figures
def test_full_width_digits_are_refused(shared_data: Path) -> None:
    # week.csv line 1147 (2026-09-06～09-12) starts "30,037 ","28,345 ","1,692 "
    raw = (shared_data / "mof_securities_flows" / "week.csv").read_bytes()
    wide = raw.replace('"30,037 "'.encode("cp932"), '"３０,０３７ "'.encode("cp932"), 1)
    err = refused("mof.securities_weekly", wide, "week.csv")
    assert err.row == 1147 and "ASCII digits" in str(err)
    # the FRED exact path used to read Unicode digits (float("１４７.７") == 147.7)
    raw = (shared_data / "fred" / "DEXJPUS_2025-12_2026-09.csv").read_bytes()
    assert b"2026-09-11,153.71\n" in raw
    err = refused("fred", raw.replace(b"2026-09-11,153.71", "2026-09-11,１５３.71".encode()),
                  "DEXJPUS_2025-12_2026-09.csv")
    assert "a number, '.' or an empty field for DEXJPUS" in str(err)


def test_dates_after_publication_or_today_are_refused(shared_data: Path) -> None:
    raw = (shared_data / "fred" / "DEXJPUS_2025-12_2026-09.csv").read_bytes()
    err = refused("fred", raw.replace(b"2026-09-11,153.71", b"2126-09-11,153.71"),
                  "DEXJPUS_2025-12_2026-09.csv")
    assert re.search(r"expected dates no later than today \(\d{4}-\d\d-\d\d UTC\); found "
                     r"'fx.usdjpy dated 2126-09-11'", str(err))
    # week.csv says 最終更新日 令和8年9月17日: a week ending after that cannot be in it
    raw = (shared_data / "mof_securities_flows" / "week.csv").read_bytes()
    label = "2026．9．6～9．12".encode("cp932")
    assert label in raw
    later = raw.replace(label, "2026．9．13～9．19".encode("cp932"))
    err = refused("mof.securities_weekly", later, "week.csv")
    assert "dates no later than the file's publication date 2026-09-17" in str(err)


@pytest.mark.parametrize(("folder", "name", "source", "old", "new", "expected"), [
    # jgbcme_all.csv last line: 2026/6/30,1.165,…; the 1Y ×1000
    ("mof_jgb_yields", "jgbcme_all.csv", "mof.jgb_yields", b"2026/6/30,1.165,",
     b"2026/6/30,1165,", "a rate or yield in % between -5 and 30 for jgb.1y on 2026-06-30"),
    # a small yield ×1000 stays in the % range: the spike check catches it
    ("ust_yields", "daily-treasury-rates_2025.csv", "ustreasury.par_curve",
     b"09/25/2025,4.24,", b"09/25/2025,4240.00,", "between -5 and 30 for ust.par.1m"),
    ("fred", "CPIAUCSL_1947-2026-04.csv", "fred", b"2026-04-01,332.407",
     b"2026-04-01,332407.000", "no one-day spike in cpi.us.all_items_sa on 2026-04-30"),
    ("fred", "DEXJPUS_2025-12_2026-09.csv", "fred", b"2026-09-11,153.71",
     b"2026-09-11,153710.00", "a USD/JPY rate in JPY per USD between 50 and 400"),
])
def test_figures_1000_times_too_large_are_refused(shared_data: Path, folder: str, name: str,
                                                  source: str, old: bytes, new: bytes,
                                                  expected: str) -> None:
    raw = (shared_data / folder / name).read_bytes()
    assert old in raw
    err = refused(source, raw.replace(old, new, 1), name)
    assert isinstance(err, (ValidationError, ParseError)) and expected in str(err)


def test_spike_check_passes_real_spikes(shared_data: Path) -> None:
    """SOFR's repo spike (SOFR.csv lines 381-383: 2019-09-16 2.43, 09-17 5.25, 09-18
    2.55) is real and stays."""
    got = accepted("fred", (shared_data / "fred" / "SOFR.csv").read_bytes(), "SOFR.csv")
    assert got[("rate.sofr", "2019-09-17")] == 5.25
