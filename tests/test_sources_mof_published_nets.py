"""MOF securities flows: every stored net, subtotal and total is the figure MOF printed.

The expected values are read here from the raw CSVs with the csv module (cp932),
column by column as the header rows lay them out, independently of the parsers:

* week.csv: period label in column 0; outward (resident) block from column 1,
  inward (foreign) block from column 12, each [equity acq, disp, NET, bonds acq,
  disp, NET, SUBTOTAL, bills acq, disp, NET, TOTAL].
* montha1.csv: the same blocks from columns 3 and 14 (year, JP month, EN month first).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from yenflow.sources.mof.securities_monthly import MofSecuritiesMonthly
from yenflow.sources.mof.securities_weekly import MofSecuritiesWeekly

NETS = {"equity": 2, "bonds": 5, "subtotal": 6, "bills": 9, "total": 10}  # offsets in a block
_WEEK = re.compile(r"^(\d{4})\.(\d+)\.(\d+)~(?:(\d{4})\.)?(\d+)\.(\d+)$")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _num(cell: str) -> float:
    return float(cell.strip().replace(",", ""))


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("cp932"), newline="")))


def printed_weekly(shared: Path) -> dict[tuple[str, pd.Timestamp], float]:
    out = {}
    for row in _rows(shared / "mof_securities_flows" / "week.csv"):
        label = (row[0] if row else "").replace("．", ".").replace("～", "~").replace(" ", "")
        m = _WEEK.match(label)
        if not m:
            continue
        y1, _, _, y2, m2, d2 = m.groups()
        saturday = pd.Timestamp(date(int(y2 or y1), int(m2), int(d2)))
        for side, block in (("resident", 1), ("foreign", 12)):
            for asset, off in NETS.items():
                out[(f"mof.weekly.{side}.{asset}.net", saturday)] = _num(row[block + off])
    return out


def printed_monthly(shared: Path) -> dict[tuple[str, pd.Timestamp], float]:
    out, year = {}, 0
    for row in _rows(shared / "mof_securities_flows" / "montha1.csv"):
        if len(row) > 24 and row[2].strip() in _MONTHS:
            year = int(row[0]) if row[0].strip().isdigit() else year
            if not row[3].strip():
                continue  # a pre-printed month not yet published
            end = pd.Timestamp(year, _MONTHS.index(row[2].strip()) + 1, 1) + pd.offsets.MonthEnd(0)
            for side, block in (("resident", 3), ("foreign", 14)):
                for asset, off in NETS.items():
                    out[(f"mof.monthly.{side}.{asset}.net", end)] = _num(row[block + off])
    return out


def _stored(obs: pd.DataFrame) -> dict[tuple[str, pd.Timestamp], float]:
    return dict(zip(zip(obs["series_id"], obs["ref_date"]), obs["value"]))


def test_every_weekly_net_is_the_printed_figure(shared_data: Path) -> None:
    raw = (shared_data / "mof_securities_flows" / "week.csv").read_bytes()
    stored = _stored(MofSecuritiesWeekly().parse(raw, "week.csv").observations)
    printed = printed_weekly(shared_data)
    assert len(printed) == 1132 * 10
    assert {k: stored[k] for k in printed} == printed
    # week.csv line 1147 (2026-09-06～09-12): foreign bonds 75,958 − 53,597 = 22,361, printed 22,362
    assert stored[("mof.weekly.foreign.bonds.net", pd.Timestamp("2026-09-12"))] == 22362.0


def test_every_monthly_net_is_the_printed_figure(shared_data: Path) -> None:
    raw = (shared_data / "mof_securities_flows" / "montha1.csv").read_bytes()
    stored = _stored(MofSecuritiesMonthly().parse(raw, "montha1.csv").observations)
    printed = printed_monthly(shared_data)
    assert len(printed) == 260 * 10
    assert {k: stored[k] for k in printed} == printed


def test_store_shows_montha1_april_2025_as_printed(real_store: object, shared_data: Path) -> None:
    """montha1.csv 2025-04 (line 255): non-residents' long-term debt 302,514 − 257,142 =
    45,372 from the rounded parts; MOF prints 45,371, and that is what the store holds
    (the stocks-and-bonds subtotal prints 82,130 = 36,759 + 45,371)."""
    printed = printed_monthly(shared_data)[("mof.monthly.foreign.bonds.net", pd.Timestamp("2025-04-30"))]
    assert printed == 45371.0
    assert real_store.get("mof.monthly.foreign.bonds.net").loc["2025-04-30"] == 45371.0
    # the stocks-and-bonds subtotal (小計) and the total, as printed
    sub = printed_monthly(shared_data)[("mof.monthly.foreign.subtotal.net", pd.Timestamp("2025-04-30"))]
    assert real_store.get("mof.monthly.foreign.subtotal.net").loc["2025-04-30"] == sub == 82130.0


@pytest.mark.parametrize("freq", ["weekly", "monthly"])
def test_derived_debt_is_bonds_plus_bills_and_says_so(real_store: object, freq: str) -> None:
    for side in ("resident", "foreign"):
        debt = real_store.get(f"mof.{freq}.{side}.debt.net")
        parts = real_store.get(f"mof.{freq}.{side}.bonds.net") + real_store.get(f"mof.{freq}.{side}.bills.net")
        assert len(debt) > 200 and (debt == parts.loc[debt.index]).all()
    cat = real_store.catalog(f"mof.{freq}.resident.debt.net").set_index("id")
    row = cat.loc[f"mof.{freq}.resident.debt.net"]
    assert "(derived)" in row["name"] and row["description"].startswith("Derived by yenflow")
