"""The BOJ short-term policy rate, from yenflow's hand-maintained table of
Monetary Policy Meeting decisions (:data:`yenflow.sources.boj.api.MPM_DECISIONS`).

The BOJ publishes no policy-rate time series, so the table ships with yenflow
and is ingested like any file: serialised to CSV, archived by its sha256 and
parsed; editing the table in a new release stores the change as a revision.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from yenflow.errors import ParseError
from yenflow.sources.base import Parsed, RawFile, Source

if TYPE_CHECKING:
    import pandas as pd

NAME = "boj.policy_rate"
FILENAME = "mpm_decisions.csv"
HEADER = ["decided", "effective", "target_pct", "low_pct", "high_pct", "guideline"]


def table_csv() -> bytes:
    """The decision table as CSV (UTF-8, one row per change)."""
    from yenflow.sources.boj.api import MPM_DECISIONS

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    for d in MPM_DECISIONS:
        w.writerow([d.decided.isoformat(), d.effective.isoformat(), d.target, d.low, d.high, d.guideline])
    return out.getvalue().encode()


class BojPolicyRate(Source):
    name = NAME
    title = "BOJ short-term policy rate target (MPM decisions, table shipped with yenflow)"
    publisher = "Bank of Japan (Monetary Policy Meeting statements)"
    files = ()
    max_age_days = 10**6  # changes only at MPMs; staleness does not apply

    def bundled(self) -> list[RawFile]:
        return [RawFile(FILENAME, table_csv(), "yenflow:sources/boj/api.py#MPM_DECISIONS")]

    def parse(self, raw: bytes, filename: str) -> Parsed:
        from yenflow.sources.boj.api import POLICY_TARGET

        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
        if not rows or rows[0] != HEADER:
            raise ParseError(self.name, filename, f"header {','.join(HEADER)}", rows[0] if rows else "", row=1)
        return Parsed(_frame(rows[1:], self.name, filename), [POLICY_TARGET])


def _frame(rows: list[list[str]], source: str, filename: str) -> "pd.DataFrame":
    import pandas as pd

    recs = []
    for n, r in enumerate(rows, start=2):
        try:
            recs.append((pd.Timestamp(r[1]), float(r[2]), pd.Timestamp(r[0])))
        except (ValueError, IndexError):
            raise ParseError(source, filename, "decided,effective dates and a target in %", r, row=n) from None
    df = pd.DataFrame(recs, columns=["ref_date", "value", "released"])
    df.insert(0, "series_id", "rate.boj.policy_target")
    df["ref_date"] = df["ref_date"].astype("datetime64[ns]")
    df["released"] = df["released"].astype("datetime64[ns]")
    return df
