"""Context statistics, one set of rules for every table that ranks a value
against its history: percentile rank, z-score, "highest/lowest/largest
since", streaks and records.

Conventions (stated under every table that uses them):

* **Window**: the values of the series from ``start`` (default: its first)
  up to and including the value being ranked, optionally limited to the last
  ``window`` observations (an int) or to a calendar span (a pandas offset such
  as ``"1095D"`` = 3 years). Only data up to each date is used: no look-ahead.
  NaN (not published) is left out.
* **Percentile** (0–100), the *mean* rule of ``scipy.stats.percentileofscore``:
  ``100 · (#{x_i < x} + ½ · #{x_i = x}) / n`` over the *n* values of the
  window, ``x`` itself included. Ties count half; a first value scores 50, the
  unique highest of *n* values ``100·(n − ½)/n``.
* **z-score**: ``(x − mean) / std`` (sample std, ddof = 1) over the window;
  NaN with fewer than ``min_periods`` values or a zero std.
* **Since** (:func:`since`): "highest since" is the last earlier date whose
  value was at least as high (≥); "lowest since" the last earlier date at most
  as low (≤); "largest since" is "highest" for a positive value (largest net
  buying) and "lowest" for a negative one (largest net selling). NaT = no
  earlier value reached it: the highest/lowest of the window.
* **Streak**: the signed length of the run of same-sign values ending at a
  date (+3 = the third positive value in a row); zero or NaN breaks a run.
* **Record**: ``"record high"``/``"record low"`` when strictly above/below
  every earlier value of the window; ties are no record.

``at`` selects the dates to compute (the rows a table shows); statistics for
other dates are not computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

Direction = Literal["high", "low", "largest"]
Window = "int | str | None"

TIE_RULE = "ties count half (percentile = 100·(#below + ½·#equal)/n, the value itself included)"


def _clean(s: "pd.Series", start: object = None) -> "pd.Series":
    import pandas as pd

    x = s if s.dtype == "float64" else s.astype("float64")
    if x.isna().any():
        x = x.dropna()
    if not isinstance(x.index, pd.DatetimeIndex):
        x = x.set_axis(pd.DatetimeIndex(x.index))
    if not x.index.is_monotonic_increasing:
        x = x.sort_index()
    if start is not None:
        x = x.loc[pd.Timestamp(start):]  # type: ignore[misc]
    return x


def _targets(x: "pd.Series", at: "object | None") -> "np.ndarray":
    """Positions in ``x`` of the dates in ``at`` (all when None); dates not in
    ``x`` (NaN or before ``start``) are dropped."""
    import numpy as np
    import pandas as pd

    if at is None:
        return np.arange(len(x))
    idx = pd.DatetimeIndex([at] if isinstance(at, (str, pd.Timestamp)) else at)
    pos = x.index.get_indexer(idx)
    return pos[pos >= 0]


def _starts(x: "pd.Series", pos: "np.ndarray", window: "int | str | None") -> "np.ndarray":
    """First position of the window ending at each position in ``pos``."""
    import numpy as np
    import pandas as pd

    if window is None:
        return np.zeros(len(pos), dtype=np.int64)
    if isinstance(window, int):
        return np.maximum(0, pos + 1 - window)
    first_dates = x.index[pos] - pd.tseries.frequencies.to_offset(window)
    return x.index.searchsorted(first_dates, side="right").astype(np.int64)


def percentile(s: "pd.Series", at: "object | None" = None, window: "int | str | None" = None,
               start: object = None, min_periods: int = 1) -> "pd.Series":
    """Percentile rank (0–100) of each value at ``at`` within its window (module doc)."""
    import pandas as pd

    x = _clean(s, start)
    pos = _targets(x, at)
    out = percentile_at(x.to_numpy(), pos, _starts(x, pos, window), min_periods)
    return pd.Series(out, index=x.index[pos], name="percentile")


def percentile_at(v: "np.ndarray", pos: "np.ndarray", starts: "np.ndarray", min_periods: int = 1) -> "np.ndarray":
    """:func:`percentile` on arrays: the rank of ``v[i]`` among ``v[lo:i + 1]`` for each ``i`` in ``pos``
    and ``lo`` in ``starts`` (``v`` without NaN, in date order); NaN with fewer than ``min_periods`` values."""
    import numpy as np

    out = np.full(len(pos), np.nan)
    for k, (i, lo) in enumerate(zip(pos, starts)):
        h = v[lo: i + 1]
        if len(h) >= min_periods:
            out[k] = 100.0 * ((h < v[i]).sum() + 0.5 * (h == v[i]).sum()) / len(h)
    return out


def zscore(s: "pd.Series", at: "object | None" = None, window: "int | str | None" = None,
           start: object = None, min_periods: int = 26) -> "pd.Series":
    """(x − mean)/std over each value's window (module doc)."""
    import pandas as pd

    x = _clean(s, start)
    if at is None:  # every date: one rolling pass (same windows and rule as below)
        return _rolling_zscore(x, window, max(min_periods, 2))
    pos = _targets(x, at)
    out = zscore_at(x.to_numpy(), pos, _starts(x, pos, window), min_periods)
    return pd.Series(out, index=x.index[pos], name="zscore")


def zscore_at(v: "np.ndarray", pos: "np.ndarray", starts: "np.ndarray", min_periods: int = 26) -> "np.ndarray":
    """:func:`zscore` on arrays (as :func:`percentile_at`): NaN with fewer than ``max(min_periods, 2)``
    values or a zero std."""
    import numpy as np

    out = np.full(len(pos), np.nan)
    for k, (i, lo) in enumerate(zip(pos, starts)):
        h = v[lo: i + 1]
        if len(h) >= max(min_periods, 2):
            sd = h.std(ddof=1)
            if sd > 0:
                out[k] = (v[i] - h.mean()) / sd
    return out


def _rolling_zscore(x: "pd.Series", window: "int | str | None", min_periods: int) -> "pd.Series":
    """:func:`zscore` at every date of ``x`` (clean, sorted) with pandas' rolling
    windows: ``int`` = the last N values, an offset = the span ending at each
    date (start excluded, as :func:`_starts`), None = every value so far."""
    if window is None:
        roll = x.expanding(min_periods=min_periods)
    else:
        roll = x.rolling(window, min_periods=min_periods)
    sd = roll.std(ddof=1)
    return ((x - roll.mean()) / sd.where(sd > 0)).rename("zscore")


def since(s: "pd.Series", direction: Direction, at: "object | None" = None,
          window: "int | str | None" = None, start: object = None) -> "pd.Series":
    """For each value at ``at``: the last earlier date (in its window) with a
    value at least as high (``high``), at most as low (``low``), or — for
    ``largest`` — as high if positive and as low if negative. NaT when none
    did (a high/low of the window) or, for ``largest``, when the value is 0."""
    import numpy as np
    import pandas as pd

    x = _clean(s, start)
    pos = _targets(x, at)
    found = since_at(x.to_numpy(), pos, _starts(x, pos, window), direction)
    dates = x.index.to_numpy(dtype="datetime64[ns]")[np.maximum(found, 0)] if len(found) else \
        np.array([], dtype="datetime64[ns]")
    out = np.where(found >= 0, dates, np.datetime64("NaT", "ns"))
    return pd.Series(pd.DatetimeIndex(out, dtype="datetime64[ns]"), index=x.index[pos], name=f"{direction}_since")


def since_at(v: "np.ndarray", pos: "np.ndarray", starts: "np.ndarray", direction: Direction) -> "np.ndarray":
    """:func:`since` on arrays: for each ``i`` in ``pos`` (window from ``lo`` in ``starts``), the position of
    the last earlier value that reached ``v[i]`` (rule in the module doc), −1 when none did."""
    import numpy as np

    out = np.full(len(pos), -1, dtype=np.int64)
    for k, (i, lo) in enumerate(zip(pos, starts)):
        h = v[lo:i]
        d = direction if direction != "largest" else ("high" if v[i] > 0 else "low" if v[i] < 0 else None)
        if d is None:
            continue
        hit = np.flatnonzero(h >= v[i] if d == "high" else h <= v[i])
        if len(hit):
            out[k] = lo + hit[-1]
    return out


def streak(s: "pd.Series", at: "object | None" = None, start: object = None) -> "pd.Series":
    """Signed run length of same-sign values ending at each date of ``at``."""
    import pandas as pd

    x = _clean(s, start)
    pos = _targets(x, at)
    return pd.Series(streak_at(x.to_numpy(), pos), index=x.index[pos], name="streak")


def streak_at(v: "np.ndarray", pos: "np.ndarray") -> "np.ndarray":
    """:func:`streak` on arrays, in one pass: each run starts where the sign changes (zero breaks a run)."""
    import numpy as np

    sign = np.sign(v)
    idx = np.arange(len(v))
    starts = np.r_[True, sign[1:] != sign[:-1]] if len(v) else np.array([], bool)
    run_start = np.maximum.accumulate(np.where(starts, idx, 0))
    return (sign * (idx - run_start + 1)).astype(np.int64)[np.asarray(pos, dtype=np.int64)]


def record(s: "pd.Series", at: "object | None" = None, window: "int | str | None" = None,
           start: object = None) -> "pd.Series":
    """``"record high"``/``"record low"``/``""`` for each value at ``at`` against
    the earlier values of its window (the first value of a window is none)."""
    import pandas as pd

    x = _clean(s, start)
    pos = _targets(x, at)
    return pd.Series(record_at(x.to_numpy(), pos, _starts(x, pos, window)), index=x.index[pos], name="record",
                     dtype=object)


def record_at(v: "np.ndarray", pos: "np.ndarray", starts: "np.ndarray") -> list[str]:
    """:func:`record` on arrays (as :func:`percentile_at`)."""
    out = []
    for i, lo in zip(pos, starts):
        h = v[lo: i]
        out.append("" if not len(h) else "record high" if v[i] > h.max() else "record low" if v[i] < h.min() else "")
    return out


def describe_window(window: "int | str | None", start: object = None, unit: str = "observations") -> str:
    """Words for a window, for conventions lines: "all values since 2014-01",
    "the last 13 auctions", "the 3 years to each date"."""
    import pandas as pd

    since_txt = f" since {pd.Timestamp(start):%Y-%m}" if start is not None else ""
    if window is None:
        return f"all {unit}{since_txt or ' in the store'}"
    if isinstance(window, int):
        return f"the last {window} {unit} (the row included){since_txt}"
    days = pd.tseries.frequencies.to_offset(window)
    n = getattr(days, "n", None)
    years = f"{n / 365:g} years" if n and n % 365 == 0 else str(window)
    return f"the {years} up to each date{since_txt}"
