"""UST–JGB yield spreads, curve slopes and historical percentile ranks.

Inputs are DataFrames on a DatetimeIndex with one column per bond tenor in %
(labels such as ``2``, ``"2Y"``, ``"10y"``; other columns, e.g. ``"3M"`` bills,
are ignored). Outputs are in **bp** (columns ending ``_bp``). No I/O.

Dates are matched exactly, never forward-filled: a spread exists on a date
only when both markets published a yield for that tenor. The JGB close
(Tokyo, MOF constant-maturity) precedes the UST close (New York, H.15) of the
same calendar date by about 14 hours; no attempt is made to synchronise them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from yenflow.analytics.conventions import BP_PER_PP, bond_tenor_label

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_TENORS = (2, 5, 10, 20, 30)
"""Bond tenors (years) matched by :func:`tenor_spreads`."""

_WINDOW_RE = re.compile(r"^\s*(\d+)\s*([DWMY])\s*$", re.IGNORECASE)


def _by_tenor(curve: pd.DataFrame) -> pd.DataFrame:
    """Columns relabelled ``"2Y", "10Y", ...``; non-year columns dropped."""
    renamed: dict[object, str] = {}
    for column in curve.columns:
        try:
            label = bond_tenor_label(column)
        except ValueError:
            continue
        if label in renamed.values():
            raise ValueError(f"two columns map to tenor {label}: check the curve's column labels")
        renamed[column] = label
    return curve[list(renamed)].rename(columns=renamed).astype(float)


def tenor_spreads(
    ust: pd.DataFrame,
    jgb: pd.DataFrame,
    tenors: Sequence[int | str] = DEFAULT_TENORS,
) -> pd.DataFrame:
    r"""UST minus JGB yield by matched tenor, in bp.

    .. math::

        \text{ust\_jgb\_}n\text{y\_bp}_t = \big(y^{UST}_{n,t} - y^{JGB}_{n,t}\big)\cdot 100

    for each tenor ``n`` in ``tenors`` present in both curves (yields in %).
    Rows where no tenor has both yields are dropped; a single missing tenor is
    NaN.
    """
    u, j = _by_tenor(ust), _by_tenor(jgb)
    labels = [bond_tenor_label(t) for t in tenors]
    common = [t for t in labels if t in u.columns and t in j.columns]
    if not common:
        raise ValueError(f"no tenor of {labels} in both curves: ust {list(u.columns)}, jgb {list(j.columns)}")
    spreads = (u[common] - j[common]) * BP_PER_PP
    spreads.columns = [f"ust_jgb_{t.lower()}_bp" for t in common]
    return spreads.dropna(how="all")


def curve_slope(curve: pd.DataFrame, short: int | str, long: int | str) -> pd.Series:
    r"""Slope of one curve in bp: :math:`(y_{long} - y_{short})\cdot 100` (e.g. 2s10s)."""
    c = _by_tenor(curve)
    s, lg = bond_tenor_label(short), bond_tenor_label(long)
    missing = [t for t in (s, lg) if t not in c.columns]
    if missing:
        raise ValueError(f"curve has no {missing} column; has {list(c.columns)}")
    return ((c[lg] - c[s]) * BP_PER_PP).dropna()


def curve_slopes(ust: pd.DataFrame, jgb: pd.DataFrame) -> pd.DataFrame:
    """2s10s and 10s30s of both curves in bp.

    Columns ``ust_2s10s_bp, ust_10s30s_bp, jgb_2s10s_bp, jgb_10s30s_bp`` on the
    union of dates; each slope is computed on its own curve's dates (NaN where
    that curve did not publish).
    """
    import pandas as pd

    slopes = {
        f"{name}_{a}s{b}s_bp": curve_slope(curve, a, b)
        for name, curve in (("ust", ust), ("jgb", jgb))
        for a, b in ((2, 10), (10, 30))
    }
    return pd.DataFrame(slopes).sort_index()


def _trailing(x: pd.Series, window: int | str) -> pd.Series:
    """The last ``window`` observations (int) or the last period (``"3Y"``, ``"156W"``, ``"90D"``)."""
    import pandas as pd

    if isinstance(window, int):
        if window < 1:
            raise ValueError(f"`window` must be a positive number of observations, got {window}")
        return x.iloc[-window:]
    match = _WINDOW_RE.match(str(window))
    if match is None:
        raise ValueError(f"`window` must be an int or look like '3Y', '156W', '6M', '90D', got {window!r}")
    n, unit = int(match.group(1)), match.group(2).upper()
    key = {"D": "days", "W": "weeks", "M": "months", "Y": "years"}[unit]
    start = x.index[-1] - pd.DateOffset(**{key: n})
    return x[x.index > start]


def historical_percentile(
    series: pd.Series,
    value: float | None = None,
    window: int | str | None = None,
) -> float:
    r"""Percent rank (0–100) of a value within a series' history.

    .. math::

        p = 100\,\frac{\#\{x_i < v\} + \tfrac12\,\#\{x_i = v\}}{N}

    (the "mean" convention: ties count half, so the median of a history ranks
    50). ``v`` is ``value`` or, when ``None``, the latest observation (which is
    itself part of the history). ``window`` limits the history to the last
    ``window`` observations (int) or the last period ending at the latest date
    (``"3Y"``, ``"156W"``). NaN observations are ignored.
    """
    x = series.dropna().sort_index()
    if x.empty:
        raise ValueError("`series` has no observations")
    if window is not None:
        x = _trailing(x, window)
    v = float(x.iloc[-1]) if value is None else float(value)
    below = float((x < v).sum())
    equal = float((x == v).sum())
    return 100.0 * (below + 0.5 * equal) / len(x)
