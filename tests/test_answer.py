"""The answer's rules on real episodes (docs/answer.md). Figures are read
from the sample files by the test."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_view
from yenflow.store import Store


def _card(result: object, question_word: str) -> pd.Series:
    answers = result.frame("answers")  # type: ignore[attr-defined]
    return answers[answers["question"].str.contains(question_word)].iloc[0]


def _evidence(result: object, figure_start: str) -> pd.Series:
    ev = result.frame("evidence")  # type: ignore[attr-defined]
    return ev[ev["figure"].str.startswith(figure_start)].iloc[0]


def test_august_2024_reads_unwinding(real_store: Store, shared_data: Path) -> None:
    r = run_view(real_store, "answer", as_of="2024-08-09")
    assert _card(r, "carry")["answer"] == "unwinding"
    fx = _evidence(r, "USD/JPY change over 1 month")
    # fred/DEXJPUS_2017-06_2026-07.csv: 146.80 on 2024-08-07 (the last fixing published by 08-09), 160.09 on
    # 2024-07-05 (the last on or before 30 days earlier)
    assert fx["date"] == pd.Timestamp("2024-08-07")
    assert fx["value"] == pytest.approx((146.80 / 160.09 - 1) * 100, abs=0.01) and fx["vote"] == 1
    assert _evidence(r, "Carry index")["vote"] == 1


def test_a_quiet_stretch_reads_not_unwinding(real_store: Store) -> None:
    # June 2023: USD/JPY drifting up on a wide rate gap, realised vol low
    r = run_view(real_store, "answer", as_of="2023-06-30")
    assert _card(r, "carry")["answer"] == "not unwinding"
    assert _evidence(r, "Carry / 63-day")["value"] > 0.5


def test_home_card_figures_from_week_csv(real_store: Store, shared_data: Path) -> None:
    r = run_view(real_store, "answer", as_of="2024-08-09")
    text = (shared_data / "mof_securities_flows" / "week.csv").read_bytes().decode("cp932")
    rows = [row for row in csv.reader(io.StringIO(text)) if row and "～" in row[0] and len(row) >= 23]
    end = next(i for i, row in enumerate(rows) if row[0].strip().startswith("2024．7．28"))  # week to 2024-08-03
    published = rows[end - 12: end + 1]
    # residents' long-term debt, MOF's published net (outward block: acquisition 4, disposition 5, net 6)
    net = sum(float(x[6].strip().replace(",", "")) for x in published)
    ev = _evidence(r, "Residents' net purchases of foreign long-term bonds")
    assert ev["date"] == pd.Timestamp("2024-08-03") and ev["value"] == pytest.approx(net / 10, abs=1.5)
    assert ev["vote"] == (1 if net / 10 < -500 else -1 if net / 10 > 500 else 0)


def test_thresholds_are_options(real_store: Store) -> None:
    strict = run_view(real_store, "answer", as_of="2024-08-09", fx_move_pct=10.0, drawdown_pct=10.0)
    assert _card(strict, "carry")["answer"] != "unwinding"
    assert any("docs/answer.md" in c for c in strict.conventions)


def test_foreign_card_shows_the_composite_with_its_vote(real_store: Store) -> None:
    """As of 2026-07-03 (MOF's week to 06-27 published the day before: foreigners sold ¥3.1tn of Japanese
    long-term debt over 4 weeks; the 20Y auction of 06-25 the weakest of 13; the BOJ at 1 % since 06-17)
    the composite is the figure `yenflow signals` gives for that date, above the +0.5 band: a vote for selling."""
    r = run_view(real_store, "answer", as_of="2026-07-03")
    ev = _evidence(r, "Sell-Japan composite")
    alone = run_view(real_store, "signals", date="2026-07-03").frame()["composite"].iloc[-1]
    assert ev["value"] == pytest.approx(alone) and ev["unit"] == "z" and ev["date"] == pd.Timestamp("2026-07-03")
    assert ev["value"] > 0.5 and ev["vote"] == 1 and ev["percentile"] > 99
    quiet = _evidence(run_view(real_store, "answer", as_of="2026-07-03", composite_band=1.0), "Sell-Japan composite")
    assert quiet["vote"] == 0
