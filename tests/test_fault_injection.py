"""Fault injection on real sample files (see tests/faultsweep.py for the mutations):
no corrupted file may store a wrong value, crash, or fail with anything but one line
naming the file. The whole sweep (every file, ~1,750 cases, ~2.5 min) is
``uv run python tests/faultsweep.py``; here every mutation of one or two small files
per source."""

from __future__ import annotations

from pathlib import Path

import pytest

import faultsweep

# one or two small files per source (the big histories only make the sweep slower)
FILES = {
    "mof.jgb_yields": {"jgbcm_current_month_2025-10.csv"},
    "ustreasury.par_curve": {"daily-treasury-rates_2025.csv"},
    "fred": {"IRSTCI01JPM156N.csv", "SOFR.csv"},
    "mof.securities_weekly": {"week.csv"},
    "mof.securities_monthly": {"montha1.csv"},
    "mof.securities_by_investor": {"monthb4.csv"},
    "mof.bop_portfolio": {"bop_6pi-1_portfolio_investment_summary.csv"},
    "mof.jgb_auctions": {"jgb_historical_data.xls"},
    "ustreasury.tic": {"mfhhis01.txt"},
    "cftc.legacy": {"cftc-cot-jpy-legacy-futures-only.json"},
    "boj.flow_of_funds": {"sjlong.xlsx"},
    "jsda.bond_trading": {"koushasai.xlsx"},
    "nikkei.stock_average": {"nikkei_stock_average_daily_en.csv"},
}


@pytest.mark.slow
def test_no_corrupted_file_stores_a_wrong_value(shared_data: Path) -> None:
    from yenflow.pipeline import validate

    report = faultsweep.Report()
    seen = set()
    for source, name, raw in faultsweep.sample_files(shared_data, list(FILES)):
        if name in FILES[source.name] and (source.name, name) not in seen:
            seen.add((source.name, name))
            faultsweep.run_file(source, name, raw, report, validate)
    assert len(seen) == sum(len(v) for v in FILES.values())  # every chosen file was found
    assert report.wrong == [] and report.crashes == [] and report.bad_messages == []
    assert report.cases > 350
    # cut files, ×1000 figures, 2126 dates, duplicated rows and full-width figures are refused
    for kind in ("cut-inside-last-figure", "x1000", "date-2126-last-row", "duplicate-last-row",
                 "header-only", "truncate"):
        counts = report.by_mutation[kind]
        assert counts["rejected"] > 0 and counts["wrong"] == 0, (kind, counts)
    # only files without any end marker (FRED CSVs, JGB yields) can lose their last rows
    lost = {line.split(" [")[0] for line in report.fewer}
    assert lost <= {"fred SOFR.csv", "fred IRSTCI01JPM156N.csv",
                    "mof.jgb_yields jgbcm_current_month_2025-10.csv",
                    "mof.bop_portfolio bop_6pi-1_portfolio_investment_summary.csv"}, lost
