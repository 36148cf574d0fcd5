"""The BOJ policy-rate table ships with yenflow and goes through the pipeline like a file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yenflow.errors import ParseError
from yenflow.pipeline import update
from yenflow.sources.boj.policy import BojPolicyRate, table_csv
from yenflow.store import Store


def test_policy_rate_loaded_in_folder_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    (tmp_path / "data").mkdir()
    r = update(store, ["boj.policy_rate"], str(tmp_path / "data"))[0]
    assert r.ok and r.files_new == 1
    s = store.get("rate.boj.policy_target")
    # BOJ statements: 0.25% from 2024-08-01 (decided 2024-07-31); 0.75% from 2025-12-22 (decided 2025-12-19)
    assert s.loc["2024-08-01"] == 0.25 and s.loc["2025-12-22"] == 0.75
    released = store.observations(["rate.boj.policy_target"]).set_index("ref_date")["released"]
    assert pd.Timestamp(released.loc[pd.Timestamp("2025-12-22")]) == pd.Timestamp("2025-12-19")
    again = update(store, ["boj.policy_rate"], str(tmp_path / "data"))[0]
    assert again.files_skipped == 1 and again.counts.new == 0


def test_policy_table_bad_row_is_parse_error() -> None:
    bad = table_csv().replace(b"0.25,0.25,0.25", b"abc,0.25,0.25", 1)
    with pytest.raises(ParseError, match=r"mpm_decisions.csv, row \d+: expected decided,effective dates"):
        BojPolicyRate().parse(bad, "mpm_decisions.csv")
