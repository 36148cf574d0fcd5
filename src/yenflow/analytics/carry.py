"""USD/JPY carry: rate differential, realised volatility, carry-to-risk, a carry index, drawdowns.

Implements methods.md §5. Inputs are pandas Series on a DatetimeIndex; no I/O.

Units: rates and carry in **% per annum** (carry in percentage points);
volatility in **% per annum**; index levels start at ``base``; returns in
**%**; spot in **yen per dollar**.

Missing days: spot fixings are never forward-filled — a holiday simply
lengthens the next interval (``Δ`` calendar days), and volatility uses returns
between consecutive fixings. Rates are step-like, so they are carried forward
as of each date (:func:`yenflow.analytics.conventions.asof_align`) for at most
``conventions.max_stale_days`` calendar days.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yenflow.analytics.conventions import Conventions, asof_align, resolve

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def carry(r_usd: pd.Series, r_jpy: pd.Series, conventions: Conventions | None = None) -> pd.Series:
    r"""Carry of long USD / short JPY in percentage points: :math:`r_\$ - r_¥`.

    Both rates in % (e.g. SOFR and TONA, or FF and the call rate as in
    HPATKAR). Aligned on the union of their dates, each carried forward as of
    the date; dates where either is unknown are dropped. No day-count
    adjustment (the quoted differential; see :func:`carry_index` for accrual).
    """
    import pandas as pd

    conv = resolve(conventions)
    index = pd.DatetimeIndex(r_usd.dropna().index).union(pd.DatetimeIndex(r_jpy.dropna().index))
    diff = asof_align(r_usd, index, conv.max_stale_days) - asof_align(r_jpy, index, conv.max_stale_days)
    return diff.dropna().rename("carry")


def realised_vol(spot: pd.Series, window: int = 21, annualisation: int = 252) -> pd.Series:
    r"""Rolling realised volatility of daily log returns, annualised, in %.

    .. math::

        \sigma_t = 100\,\sqrt{A}\;\operatorname{std}\big(\ln S_s - \ln S_{s-1}\big)_{s = t-w+1..t}

    ``w`` = ``window`` returns (21 ≈ 1M, 63 ≈ 3M), ``A`` = ``annualisation``
    (252 trading days), sample standard deviation (ddof = 1). Returns are taken
    between consecutive *observed* fixings (NaN holidays dropped, not filled,
    which would add zero returns and bias σ down). The first ``w`` dates are NaN.
    """
    import numpy as np

    if window < 2:
        raise ValueError(f"`window` must be at least 2 returns, got {window}")
    s = spot.dropna().sort_index()
    log_returns = np.log(s).diff()
    vol = log_returns.rolling(window, min_periods=window).std(ddof=1) * np.sqrt(annualisation) * 100.0
    return vol.rename(f"realised_vol_{window}d")


def carry_to_vol(
    carry_pp: pd.Series | float, vol: pd.Series, conventions: Conventions | None = None
) -> pd.Series:
    r"""Carry-to-risk ratio :math:`(r_\$ - r_¥)/\sigma` on ``vol``'s dates (methods §5).

    ``carry_pp`` in pp (a Series is carried forward as of each ``vol`` date),
    ``vol`` in % p.a. — 3M implied vol where available, else
    :func:`realised_vol`. HPATKAR's heuristic (">0.5 attractive, <0.2
    vulnerable") is an author rule of thumb, not a benchmark.
    """
    import pandas as pd

    sigma = vol.dropna()
    if isinstance(carry_pp, pd.Series):
        carry_pp = asof_align(carry_pp, sigma.index, resolve(conventions).max_stale_days)
    ratio = carry_pp / sigma.where(sigma > 0)
    return ratio.dropna().rename("carry_to_vol")


def _applied_rates(s: pd.Series, r_usd: pd.Series, r_jpy: pd.Series, conv: Conventions) -> pd.DataFrame:
    """Rates known on each spot date (the ones that accrue over the next interval)."""
    import pandas as pd

    return pd.DataFrame(
        {
            "r_usd": asof_align(r_usd, s.index, conv.max_stale_days),
            "r_jpy": asof_align(r_jpy, s.index, conv.max_stale_days),
        }
    )


def _usable_span(rates: pd.DataFrame) -> tuple[int, int]:
    """First and last spot positions the index can cover; raises on an interior rate gap."""
    ok = rates.notna().all(axis=1).to_numpy()
    if not ok.any():
        raise ValueError("spot and rates do not overlap: no date where both rates are known")
    first = int(ok.argmax())
    last_ok = len(ok) - 1 - int(ok[::-1].argmax())
    gaps = (~ok[first : last_ok + 1]).nonzero()[0]
    if len(gaps):
        when = rates.index[first + gaps[0]].date()
        raise ValueError(
            f"a rate is missing or stale (> max_stale_days) on {when}; fill the gap or raise the limit"
        )
    return first, min(last_ok + 1, len(ok) - 1)


def carry_index(
    spot: pd.Series,
    r_usd: pd.Series,
    r_jpy: pd.Series,
    base: float = 100.0,
    conventions: Conventions | None = None,
) -> pd.DataFrame:
    r"""Daily total-return index of long USD / short JPY, funded at the yen rate (methods §5).

    .. math::

        x_t = \frac{S_t}{S_{t-1}}\Big(1 + r_{\$,t-1}\frac{\Delta}{360}\Big)
              - \Big(1 + r_{¥,t-1}\frac{\Delta}{365}\Big), \qquad
        I_t = I_{t-1}(1 + x_t), \quad I_0 = \text{base}

    ``S`` spot in yen per dollar on fixing dates only, ``Δ`` calendar days
    between consecutive fixings, ``r$`` (ACT/360) and ``r¥`` (ACT/365F) in %
    as known on the previous fixing date ``t−1``. Exact split of ``x``:

    .. math::

        x = \underbrace{S_t/S_{t-1} - 1}_{\text{spot}}
          + \underbrace{r_\$\Delta/360 - r_¥\Delta/365}_{\text{carry}}
          + \underbrace{(S_t/S_{t-1} - 1)\,r_\$\Delta/360}_{\text{cross}}

    The index starts on the first fixing with both rates known and ends on
    the fixing after the last date both rates are known; an interior rate gap
    longer than ``max_stale_days`` raises ValueError.

    Returns
    -------
    DataFrame on the fixing dates: ``spot, r_usd, r_jpy`` (rates applied over
    the interval ending that day), ``days``, ``spot_return, carry_return,
    cross_return, excess_return`` (in %, NaN on the first row), ``index``,
    ``spot_index`` (:math:`\text{base}\,S_t/S_0`) and ``carry_only_index``
    (the carry component compounded alone).
    """
    import pandas as pd

    conv = resolve(conventions)
    s = spot.dropna().sort_index().astype(float)
    rates = _applied_rates(s, r_usd, r_jpy, conv)
    first, last = _usable_span(rates)
    s, rates = s.iloc[first : last + 1], rates.iloc[first : last + 1].shift(1)
    days = pd.Series(s.index, index=s.index).diff().dt.days.astype(float)
    usd_accrual = rates["r_usd"] / 100.0 * days / conv.usd_basis
    jpy_accrual = rates["r_jpy"] / 100.0 * days / conv.jpy_basis
    spot_ret = s / s.shift(1) - 1.0
    parts = pd.DataFrame(
        {
            "spot_return": spot_ret,
            "carry_return": usd_accrual - jpy_accrual,
            "cross_return": spot_ret * usd_accrual,
        }
    )
    excess = parts.sum(axis=1, min_count=3)
    out = pd.DataFrame({"spot": s, "r_usd": rates["r_usd"], "r_jpy": rates["r_jpy"], "days": days})
    out = out.join(parts * 100.0).assign(excess_return=excess * 100.0)
    out["index"] = base * (1.0 + excess.fillna(0.0)).cumprod()
    out["spot_index"] = base * s / s.iloc[0]
    out["carry_only_index"] = base * (1.0 + parts["carry_return"].fillna(0.0)).cumprod()
    out.attrs.update(
        {
            "base": base,
            "usd_day_count": conv.usd_day_count,
            "jpy_day_count": conv.jpy_day_count,
            "position": "long USD / short JPY, overnight rates, daily roll",
            "unit": "returns in %; rates in % p.a.; spot in JPY per USD",
        }
    )
    return out


def drawdowns(index: pd.Series, top: int | None = 10) -> pd.DataFrame:
    r"""Largest peak-to-trough episodes of an index, non-overlapping, deepest first.

    An episode starts at a running maximum (the *peak*), spans every date the
    index stays below that peak, and ends on the first date it is back at or
    above it (the *recovery*; NaT if it never is). The *trough* is the lowest
    point inside the episode.

    .. math::

        \text{depth\_pct} = \Big(\frac{I_{trough}}{I_{peak}} - 1\Big)\cdot 100 \le 0

    Returns
    -------
    DataFrame with ``peak_date, trough_date, recovery_date, peak_value,
    trough_value, depth_pct, days_to_trough`` (peak → trough) and
    ``days_to_recover`` (trough → recovery, NaN if not recovered), calendar days,
    sorted by depth (most negative first), at most ``top`` rows.
    """
    import numpy as np
    import pandas as pd

    x = index.dropna().sort_index()
    values, dates = x.to_numpy(dtype=float), pd.DatetimeIndex(x.index)
    under = values < np.maximum.accumulate(values) if len(values) else np.array([], dtype=bool)
    edges = np.diff(np.concatenate([[0], under.astype(int), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # ends: exclusive
    rows = [_episode(values, dates, int(start), int(end)) for start, end in zip(starts, ends, strict=True)]
    columns = [
        "peak_date",
        "trough_date",
        "recovery_date",
        "peak_value",
        "trough_value",
        "depth_pct",
        "days_to_trough",
        "days_to_recover",
    ]
    table = pd.DataFrame(rows, columns=columns).sort_values("depth_pct", kind="stable")
    return (table if top is None else table.head(top)).reset_index(drop=True)


def _episode(values: np.ndarray, dates: pd.DatetimeIndex, start: int, end: int) -> dict:
    """One drawdown: peak just before ``start``, underwater through ``end − 1``."""
    import pandas as pd

    peak = start - 1
    trough = start + int(values[start:end].argmin())
    recovered = end < len(values)
    recovery = dates[end] if recovered else pd.NaT
    return {
        "peak_date": dates[peak],
        "trough_date": dates[trough],
        "recovery_date": recovery,
        "peak_value": float(values[peak]),
        "trough_value": float(values[trough]),
        "depth_pct": (values[trough] / values[peak] - 1.0) * 100.0,
        "days_to_trough": (dates[trough] - dates[peak]).days,
        "days_to_recover": float((recovery - dates[trough]).days) if recovered else float("nan"),
    }
