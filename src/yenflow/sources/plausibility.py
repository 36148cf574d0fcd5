"""Plausibility of parsed observations: dates, ranges per unit, one-day spikes.

Run by the pipeline's ``validate`` on every parsed file, after the parser's own
layout and cross-checks (MOF acq − disp = net and sums, TIC and JSDA totals,
CFTC open interest, Nikkei high/low), which catch most corrupted figures in
tables that add up. These checks catch what such identities cannot see:

* **Dates**: a ``ref_date`` after the file's own publication date
  (``Parsed.published``, where the file states one) or after today (UTC, plus
  one day for time zones), or before 1900.
* **Ranges per unit** (:data:`RANGES`): the widest value a unit can plausibly
  hold, with a wide margin over every figure in the sample files (noted per
  unit). A figure 1,000 times too large lands outside them in most units.
* **Spikes** in the level series (yields and rates in %, FX, index points,
  spreads in percentage points, FRED levels; daily to quarterly, auction
  results included): a value that jumps away from both
  neighbours and back, by more than :data:`SPIKE_FACTOR` times the neighbours'
  own difference plus the series' median move plus a floor per unit
  (:data:`RANGES`); at the first and last date, the jump from the nearest
  neighbour against the next difference. On the sample files the largest such
  ratio is 15 (SOFR's repo spike of 2019-09-17, 2.43 → 5.25 → 2.55; auction
  coupons and yields reach 8); a yield 1,000 times too large scores in the
  hundreds or more (only a figure below about 0.005 % stays under the bar).

Each refusal is one :class:`~yenflow.errors.ValidationError` naming the source,
the file, the series and date (which identify the row), the value and the bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from yenflow.errors import ValidationError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from yenflow.sources.base import Parsed


@dataclass(frozen=True)
class Range:
    """``low`` ≤ value ≤ ``high``; ``floor``: the smallest move that counts in the
    spike check (None: no spike check for this unit)."""

    low: float
    high: float
    what: str
    floor: float | None = None


#: unit → plausible range. Sample-file extremes in the comments.
RANGES: dict[str, Range] = {
    # JGB −0.423 (2016) … 12.145 (1974); FRED 3M bill 17.14 (1981); fed funds peaked at 22 in 1981
    "%": Range(-5.0, 30.0, "a rate or yield in %", floor=0.05),
    # DEXJPUS 75.72 (2011) … 358.44 (1971; 360 under Bretton Woods)
    "JPY per USD": Range(50.0, 400.0, "a USD/JPY rate in JPY per USD", floor=0.05),
    # Nikkei 225: 25,662 … 72,832 in the file; 1949 start at 176
    "index points": Range(0.0, 1_000_000.0, "an index level in points", floor=1.0),
    # T10Y2Y 0.27 … 0.74; the widest 10y−2y spread ever was under 3 pp
    "percentage points": Range(-30.0, 30.0, "a spread in percentage points", floor=0.05),
    # FRED levels without a yenflow catalog row (CPI 326, VIX 9 … 83, S&P 500 7,600)
    "see FRED": Range(-1e7, 1e7, "a FRED level", floor=0.05),
    # auction tails 0 … 22.8 bp
    "bp": Range(-1000.0, 1000.0, "a spread or tail in bp"),
    # auction prices 0 … 113.1 per 100 face
    "JPY per 100": Range(0.0, 300.0, "a price in JPY per 100 face value"),
    # bid-to-cover up to 1,081 (6M T-bills in the zero-rate years)
    "ratio": Range(0.0, 10_000.0, "a ratio"),
    "number": Range(0.0, 1_000_000.0, "a count"),
    # ¥100m: T-bill auction bids up to 19.8m (¥1,979 tn, 2005), flows ±2.1m; Japan's GDP ≈ 6m
    "JPY 100m": Range(-1e8, 1e8, "an amount in JPY 100m"),
    "JPY bn": Range(-1e7, 1e7, "an amount in JPY bn"),
    # TIC Grand Total 9,359 USD bn
    "USD bn": Range(-1e5, 1e5, "an amount in USD bn"),
    "USD m": Range(-1e8, 1e8, "an amount in USD m"),
    # CFTC yen open interest up to 542,802 contracts
    "contracts": Range(-1e7, 1e7, "a number of contracts"),
}
#: price and volume indices (CPI 2020=100, US CPI 1982-84=100, TOPIX, VIX…): positive, spike-checked
INDEX_RANGE = Range(0.0, 1e7, "an index level", floor=0.05)
SPIKE_FACTOR = 40.0
SPIKE_FREQUENCIES = frozenset({"daily", "weekly", "monthly", "quarterly"})
EARLIEST = date(1900, 1, 1)


def range_for(unit: str) -> Range | None:
    """The plausible range of a unit (indices of any base share one); None: not checked."""
    if unit in RANGES:
        return RANGES[unit]
    return INDEX_RANGE if unit.lower().startswith("index") else None


def today_utc() -> date:
    return datetime.now(timezone.utc).date()


def check(parsed: "Parsed", source: str, filename: str, today: date | None = None) -> None:
    """Raise ValidationError at the first implausible observation of ``parsed``."""
    import numpy as np
    import pandas as pd

    obs = parsed.observations
    if obs.empty:
        return
    check_dates(parsed, source, filename, today)
    codes, ids = pd.factorize(obs["series_id"])
    infos = {s.id: s for s in parsed.series}
    ranges = [range_for(infos[i].unit) if i in infos else None for i in ids]
    nan = float("nan")
    low = np.array([r.low if r else -np.inf for r in ranges])[codes]
    high = np.array([r.high if r else np.inf for r in ranges])[codes]
    values = obs["value"].to_numpy(dtype="float64")
    bad = (values < low) | (values > high)
    if bad.any():
        i = int(np.argmax(bad))
        rng = ranges[codes[i]]
        assert rng is not None
        raise ValidationError(
            source, filename, f"{rng.what} between {rng.low:g} and {rng.high:g} for "
            f"{ids[codes[i]]} on {_day(obs, i)}", float(values[i]))
    floors = np.array([r.floor if r and r.floor is not None and infos[i].frequency
                       in SPIKE_FREQUENCIES else nan for r, i in zip(ranges, ids)])
    if not np.isnan(floors).all():
        _check_spikes(obs, codes, floors, list(ids), source, filename)


def check_dates(parsed: "Parsed", source: str, filename: str, today: date | None = None) -> None:
    """No ``ref_date`` after the publication date or today (+1 day), none before 1900."""
    import numpy as np
    import pandas as pd

    if parsed.observations.empty:
        return
    today = today or today_utc()
    days = parsed.observations["ref_date"].to_numpy(dtype="datetime64[D]")
    latest, earliest = days.max(), days.min()
    limit, why = today + timedelta(days=1), f"today ({today:%Y-%m-%d} UTC)"
    if parsed.published is not None and parsed.published < limit:
        limit, why = parsed.published, f"the file's publication date {parsed.published:%Y-%m-%d}"
    if latest > np.datetime64(limit, "D"):
        sid = parsed.observations["series_id"].iloc[int(np.argmax(days))]
        raise ValidationError(source, filename, f"dates no later than {why}",
                              f"{sid} dated {pd.Timestamp(latest):%Y-%m-%d}")
    if earliest < np.datetime64(EARLIEST, "D"):
        sid = parsed.observations["series_id"].iloc[int(np.argmin(days))]
        raise ValidationError(source, filename, f"dates from {EARLIEST:%Y-%m-%d} on",
                              f"{sid} dated {pd.Timestamp(earliest):%Y-%m-%d}")


def _check_spikes(obs: "pd.DataFrame", codes: "np.ndarray", floors: "np.ndarray",
                  ids: list[str], source: str, filename: str) -> None:
    """A value far from both neighbours, which agree with each other (see module doc).
    All series at once: sorted by (series, date), neighbours within a series."""
    import numpy as np
    import pandas as pd

    keep = ~np.isnan(floors[codes])
    rows = np.flatnonzero(keep)
    days = obs["ref_date"].to_numpy(dtype="datetime64[D]").astype(np.int64)[rows]
    key = (codes[rows].astype(np.int64) << 32) + (days + (1 << 31))  # (series, day) in one int
    if len(key) > 1 and (key[1:] < key[:-1]).any():  # parsers often emit series by series
        rows = rows[np.argsort(key, kind="stable")]
    c, v = codes[rows], obs["value"].to_numpy(dtype="float64")[rows]
    n = len(v)
    if n < 3:
        return
    same = c[1:] == c[:-1]  # same[i]: rows i and i+1 belong to one series
    step = np.abs(np.diff(v))
    typical = pd.Series(step[same]).groupby(c[1:][same]).median()
    move = floors[c] + typical.reindex(c, fill_value=0.0).to_numpy()
    jump, scale = np.zeros(n), np.ones(n)
    inner = np.zeros(n, dtype=bool)
    inner[1:-1] = same[:-1] & same[1:]
    i = np.flatnonzero(inner)
    prev, nxt = v[i] - v[i - 1], v[i] - v[i + 1]
    jump[i] = np.where(np.sign(prev) == np.sign(nxt), np.minimum(np.abs(prev), np.abs(nxt)), 0.0)
    scale[i] = np.abs(v[i - 1] - v[i + 1]) + move[i]
    # first and last date of a series with at least three: against the next difference
    first = np.flatnonzero(np.r_[True, ~same][:-2] & np.r_[same[:-1], False][: n - 2]
                           & np.r_[same[1:], False][: n - 2])
    jump[first], scale[first] = np.abs(v[first] - v[first + 1]), (
        np.abs(v[first + 1] - v[first + 2]) + move[first])
    last = np.flatnonzero(np.r_[~same, True][2:] & same[1:] & same[:-1]) + 2
    jump[last], scale[last] = np.abs(v[last] - v[last - 1]), (
        np.abs(v[last - 1] - v[last - 2]) + move[last])
    ratio = jump / scale
    if (ratio > SPIKE_FACTOR).any():
        k = int(np.argmax(ratio > SPIKE_FACTOR))
        lo, hi = (k - 1 if k > 0 and same[k - 1] else k), (k + 1 if k < n - 1 and same[k] else k)
        raise ValidationError(
            source, filename,
            f"no one-day spike in {ids[c[k]]} on {_day(obs, int(rows[k]))} (neighbours "
            f"{v[lo]:g} and {v[hi]:g}; a move {ratio[k]:.0f}× the usual)", float(v[k]))


def _day(obs: "pd.DataFrame", i: int) -> str:
    import pandas as pd

    return f"{pd.Timestamp(obs['ref_date'].iloc[i]):%Y-%m-%d}"
