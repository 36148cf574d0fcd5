"""Value against growth (pure): TOPIX Value relative to TOPIX Growth.

Inputs: two daily closing-price Series in index points, indexed by date
(e.g. ``user.equity.topix_value.close`` and ``user.equity.topix_growth.close``,
third-party re-exports of the JPX indices loaded with ``yenflow import``).
Both are **price** indices (no dividends), so relative returns leave out the
yield gap between the styles.

On the dates both have (inner join; a date only one index has is dropped):

.. math::

   R_t = 100 \\cdot \\frac{V_t / G_t}{V_{t_0} / G_{t_0}}, \\qquad
   r^{X}_{n,t} = 100 \\cdot \\left(\\frac{X_t}{X_{t-n}} - 1\\right), \\qquad
   rel_{n,t} = 100 \\cdot \\left(\\frac{R_t}{R_{t-n}} - 1\\right)

:math:`R` is the value/growth ratio rebased to 100 at the first common date
:math:`t_0` (or ``base``); :math:`r^{X}_n` the simple return of index
:math:`X` over :math:`n` **trading days of the common calendar** (%);
:math:`rel_n` the value-over-growth relative return (%), which equals
:math:`100\\,((1 + r^V/100)/(1 + r^G/100) - 1)`, not the difference of the
returns. NaN until :math:`n` earlier common dates exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

WINDOWS = (21, 63, 252)  # ~1 month, 3 months, 1 year of trading days


def value_vs_growth(value: "pd.Series", growth: "pd.Series", windows: tuple[int, ...] = WINDOWS,
                    base: object = None) -> "pd.DataFrame":
    """Columns ``value``, ``growth`` (index points), ``ratio`` (rebased, 100 at
    ``base`` or the first common date), and per window ``n``:
    ``value_ret_<n>d_pct``, ``growth_ret_<n>d_pct``, ``rel_ret_<n>d_pct``.
    ``attrs``: ``only_value`` / ``only_growth``, the dates one index has and
    the other lacks (dropped; a calendar mismatch worth a warning)."""
    import pandas as pd

    for arg, s in (("value", value), ("growth", growth)):
        if not isinstance(s.index, pd.DatetimeIndex):
            raise ValueError(f"`{arg}` must be indexed by date (DatetimeIndex)")
        if (s.dropna() <= 0).any():
            raise ValueError(f"`{arg}` has a non-positive index level")
    both = value.rename("value").to_frame().join(growth.rename("growth"), how="inner").dropna().sort_index()
    if both.index.has_duplicates:
        raise ValueError("duplicate dates in `value` or `growth`")
    if both.empty:
        raise ValueError("`value` and `growth` have no date in common")
    raw = both["value"] / both["growth"]
    start = both.index[0] if base is None else pd.Timestamp(base)  # type: ignore[arg-type]
    if start not in raw.index:
        raise ValueError(f"base {start:%Y-%m-%d} is not a date both indices have")
    both["ratio"] = 100.0 * raw / raw.loc[start]
    for n in windows:
        both[f"value_ret_{n}d_pct"] = 100.0 * (both["value"] / both["value"].shift(n) - 1.0)
        both[f"growth_ret_{n}d_pct"] = 100.0 * (both["growth"] / both["growth"].shift(n) - 1.0)
        both[f"rel_ret_{n}d_pct"] = 100.0 * (both["ratio"] / both["ratio"].shift(n) - 1.0)
    both.index.name = "date"
    v, g = value.dropna().index, growth.dropna().index
    both.attrs.update({"only_value": list(v.difference(g)), "only_growth": list(g.difference(v)),
                       "base": start, "windows_trading_days": list(windows)})
    return both
