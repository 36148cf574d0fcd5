"""CFTC positioning metrics for yen futures (methods.md §6).

Pure functions on pandas Series indexed by report date (the Tuesday of the
CFTC positions, ``ref_date`` of the ``cot.jpy.*`` series).

Conventions
-----------
* Positions are in contracts; ``net = long − short``, so **positive = net
  long yen** (a bet on yen appreciation), negative = net short yen.
* One CME yen future is JPY 12,500,000 (:data:`JPY_PER_CONTRACT`).
* Percentile windows are calendar spans: the 3 years (1,095 days) to each
  report, with at least 52 reports (≈ 1 year) before a value is given.
* Rows with NaN input are skipped by the rolling statistics and come back
  as NaN.
* Knowledge time is the Friday release (``released``), not the report date;
  align with market data on ``released`` for back-tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

JPY_PER_CONTRACT = 12_500_000
WINDOW = "1095D"  # the 3 calendar years to each report
MIN_PERIODS = 52  # reports: 1 year
MAX_GAP_DAYS = 10  # a weekly change needs the previous report within this many days
MAX_STALE_DAYS = 7  # USD/JPY fixing older than this (vs the report date) is not used


def net_pct_open_interest(net: "pd.Series", oi: "pd.Series") -> "pd.Series":
    """Net position as a percentage of total open interest.

    .. math:: \\text{pct}_t = 100 \\cdot \\text{net}_t / \\text{OI}_t

    ``net`` and ``oi`` are aligned on their index (report dates); a date in
    only one of them, or a zero open interest, gives NaN. Units: %.
    """
    import numpy as np

    net, oi = net.align(oi)
    out = 100.0 * net / oi.where(oi != 0)
    return out.replace([np.inf, -np.inf], np.nan).rename("net_pct_oi")


def weekly_change(net: "pd.Series", max_gap_days: int = MAX_GAP_DAYS) -> "pd.Series":
    """Change from the previous report (contracts per week).

    NaN for the first report and wherever the previous report is more than
    ``max_gap_days`` earlier (a missing week would otherwise pass off a
    two-week change as a weekly one). Holiday weeks (Monday reports, 6 or 8
    days apart) still count as one week.
    """
    import pandas as pd

    x = net.dropna().sort_index()
    gap = pd.Series(x.index, index=x.index).diff()
    out = x.diff().where(gap <= pd.Timedelta(days=max_gap_days))
    return out.reindex(net.index).rename("change_wow")


def rolling_percentile(
    x: "pd.Series", window: "int | str" = WINDOW, min_periods: int = MIN_PERIODS, at: "pd.Index | None" = None
) -> "pd.Series":
    """Percent rank (0–100) of each value within its trailing window: the
    latest ``window`` non-NaN values (an int) or the calendar span ``window``
    (e.g. ``"1095D"`` = 3 years) up to and including the current one; fewer
    than ``min_periods`` values gives NaN.

    .. math::

        P_t = 100 \\cdot \\frac{\\#\\{x_i < x_t\\} + \\tfrac12 \\#\\{x_i = x_t\\}}{n}

    over the *n* values of the window, *t* included: the tie rule of
    :mod:`yenflow.analytics.context`, shared by every ranked table (a window
    of identical values scores 50, its unique maximum ``100·(n − ½)/n``).
    ``at`` limits the computation to those dates (NaN elsewhere).
    """
    from yenflow.analytics import context

    if min_periods < 2:
        raise ValueError("`min_periods` must be >= 2")
    v = x.dropna().sort_index()
    out = context.percentile(v, at=at, window=window, min_periods=min_periods)
    return out.reindex(x.index).rename("percentile")


def cot_index(x: "pd.Series", window: "int | str" = WINDOW, min_periods: int = MIN_PERIODS) -> "pd.Series":
    """Classic 0–100 COT index over the trailing window.

    .. math:: I_t = 100 \\cdot \\frac{x_t - \\min_N x}{\\max_N x - \\min_N x}

    min and max over the latest ``window`` non-NaN values including *t*;
    NaN with fewer than ``min_periods`` values or when max = min.
    """
    v = x.dropna().sort_index()
    roll = v.rolling(window, min_periods=min_periods)
    lo, hi = roll.min(), roll.max()
    out = 100.0 * (v - lo) / (hi - lo).where(hi > lo)
    return out.reindex(x.index).rename("cot_index")


def notional_usd_bn(
    net_contracts: "pd.Series",
    usdjpy: "pd.Series | float",
    max_stale_days: int = MAX_STALE_DAYS,
) -> "pd.Series":
    """Net position in billions of US dollars.

    .. math:: N_t = \\text{net}_t \\cdot 12{,}500{,}000 / S_t / 10^9

    ``S_t`` is USD/JPY in JPY per USD (e.g. FRED DEXJPUS): either one number,
    or a Series of fixings joined *as of* the report date — the last fixing
    on or before it, used only if at most ``max_stale_days`` old (else NaN).
    Sign follows ``net``: negative = short yen. Units: USD bn.
    """
    import pandas as pd

    if not isinstance(usdjpy, pd.Series):
        rate = pd.Series(float(usdjpy), index=net_contracts.index)
    else:
        rate = asof_rate(net_contracts.index, usdjpy, max_stale_days)
    out = net_contracts * JPY_PER_CONTRACT / rate.where(rate > 0) / 1e9
    return out.rename("notional_usd_bn")


def asof_rate(dates: "pd.Index", usdjpy: "pd.Series", max_stale_days: int) -> "pd.Series":
    """For each date, the last non-NaN fixing on or before it (NaN if more than
    ``max_stale_days`` old, or if there is none)."""
    import numpy as np
    import pandas as pd

    fix = usdjpy.dropna().sort_index()
    fixed_on = pd.DatetimeIndex(fix.index).as_unit("ns").asi8
    when = pd.DatetimeIndex(dates).as_unit("ns").asi8
    pos = np.searchsorted(fixed_on, when, side="right") - 1
    found = pos >= 0
    pos = np.where(found, pos, 0)
    out = fix.to_numpy(float)[pos] if len(fix) else np.full(len(when), np.nan)
    if len(fix):
        age = when - fixed_on[pos]
        out = np.where(found & (age <= max_stale_days * 86_400 * 10**9), out, np.nan)
    return pd.Series(out, index=dates, dtype="float64")


def positioning_table(
    *frames: "pd.DataFrame",
    usdjpy: "pd.Series | float | None" = None,
    weeks: int = 4,
    window: "int | str" = WINDOW,
    min_periods: int = MIN_PERIODS,
) -> "pd.DataFrame":
    """Latest ``weeks`` reports for every trader group found in ``frames``.

    ``frames`` are tidy observation frames (``series_id, ref_date, value``)
    such as ``CftcTff().parse(...).observations``; pass older vintages
    first, later frames win on the same (series_id, ref_date). Each group
    ``cot.jpy.<report>.<group>.net`` is paired with
    ``cot.jpy.<report>.open_interest``.

    Columns: ``report``, ``group``, ``ref_date``, ``net_contracts``,
    ``change_wow_contracts`` (vs the previous report), ``net_pct_oi`` (%),
    ``net_percentile`` (0–100 over the 3 calendar years to each report,
    at least 52 reports; see :func:`rolling_percentile`) and ``notional_usd_bn`` (NaN
    without ``usdjpy``). The statistics use the full history given, then
    only the last ``weeks`` rows per group are kept.
    """
    import pandas as pd

    wide = _wide(frames)
    parts = []
    for sid in sorted(c for c in wide.columns if c.endswith(".net")):
        _, _, report, group, _ = sid.split(".")
        net = wide[sid].dropna()
        shown = net.index[-weeks:]
        oi = wide.get(f"cot.jpy.{report}.open_interest", pd.Series(dtype="float64"))
        part = pd.DataFrame(
            {
                "report": report,
                "group": group,
                "ref_date": net.index,
                "net_contracts": net.to_numpy(),
                "change_wow_contracts": weekly_change(net).to_numpy(),
                "net_pct_oi": net_pct_open_interest(net, oi).reindex(net.index).to_numpy(),
                "net_percentile": rolling_percentile(net, window, min_periods, at=shown).to_numpy(),
                "notional_usd_bn": (
                    notional_usd_bn(net, usdjpy).to_numpy() if usdjpy is not None else float("nan")
                ),
            }
        )
        parts.append(part.tail(weeks))
    if not parts:
        raise ValueError("`frames` hold no cot.jpy.<report>.<group>.net series")
    return pd.concat(parts, ignore_index=True)


def _wide(frames: "tuple[pd.DataFrame, ...]") -> "pd.DataFrame":
    """One column per series, one row per report date; later frames win."""
    import pandas as pd

    if not frames:
        raise ValueError("pass at least one observation frame")
    long = pd.concat([f[["series_id", "ref_date", "value"]] for f in frames], ignore_index=True)
    long = long[long["series_id"].str.startswith("cot.jpy.")]
    long = long.drop_duplicates(["series_id", "ref_date"], keep="last")
    return long.pivot(index="ref_date", columns="series_id", values="value").sort_index()
