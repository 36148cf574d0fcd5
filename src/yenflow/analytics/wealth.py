"""Japan's external wealth (pure): the net external position and its parts over
time, in yen and in dollars, with changes and "highest since".

Inputs are pandas Series indexed by ``ref_date`` (DatetimeIndex):

* BOJ Flow of Funds amounts outstanding in **JPY 100m** at quarter end
  (``fof.sector.overseas.*``; the Overseas sector is the rest of the world
  seen from Japan, so its figures are Japan's external position turned
  round):

  .. math::

     NIIP_t = -D_t,\\qquad A_t = L^{tot}_t - D_t,\\qquad L^{J}_t = A^{tot}_t

  with :math:`D` the Overseas sector's "difference between financial assets
  and liabilities" (``net_position``), :math:`L^{tot}` its total liabilities
  incl. that difference line (``liabilities_total``), :math:`A^{tot}` its
  total assets (``assets_total``); :math:`NIIP` Japan's net external
  position, :math:`A` Japan's external assets, :math:`L^{J}` Japan's
  external liabilities. Outputs are **JPY tn** (JPY 100m / 10,000).
* USD/JPY in yen per dollar, daily (``fx.usdjpy``, FRED DEXJPUS, the H.10
  noon New York buying rate). **Dollar figures use the period-end rate**: the
  last fixing on or before ``ref_date`` (at most :data:`MAX_STALE_DAYS`
  earlier, else NaN), :math:`USD_{bn} = JPY_{tn} \\cdot 1000 / S_t`; the rate
  and its date are returned beside every dollar figure.
* IMF bilateral positions in **USD bn** (``imf.pip.*``), converted to JPY tn
  the same way (:math:`JPY_{tn} = USD_{bn} \\cdot S_t / 1000`).

Changes are level differences in JPY tn over 1 and 4 periods of the series
(quarters for the Flow of Funds). "Highest/lowest since" of a level and
"largest rise/fall since" of a change follow the one rule set of
:mod:`yenflow.analytics.context` (:func:`~yenflow.analytics.context.since`:
the last earlier date at least as high / as low; NaT = a record).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yenflow.analytics.holdings import dated_values

if TYPE_CHECKING:
    import pandas as pd

JPY_100M_PER_TN = 10_000.0
MAX_STALE_DAYS = 7  # a quarter end on a weekend or holiday takes the last fixing before it


def jpy_tn(s: "pd.Series") -> "pd.Series":
    """JPY 100m → JPY tn (÷ 10,000)."""
    unit = s.attrs.get("unit")
    if unit not in (None, "JPY 100m"):
        raise ValueError(f"expected a series in JPY 100m, got {unit!r}")
    out = dated_values(s, "s") / JPY_100M_PER_TN
    out.attrs["unit"] = "JPY tn"
    return out


def external_position(net_overseas: "pd.Series", assets_overseas: "pd.Series | None" = None,
                      liabilities_overseas: "pd.Series | None" = None) -> "pd.DataFrame":
    """Japan's net external position, external assets and liabilities, JPY tn.

    ``net_overseas`` = ``fof.sector.overseas.net_position`` (JPY 100m);
    ``assets_overseas`` = ``…assets_total``; ``liabilities_overseas`` =
    ``…liabilities_total``. Columns ``net_jpy_tn`` (+ = net creditor),
    ``assets_jpy_tn``, ``liabilities_jpy_tn`` (NaN where an input is absent).
    """
    d = -jpy_tn(net_overseas)
    out = d.to_frame("net_jpy_tn")
    if liabilities_overseas is not None:
        out["assets_jpy_tn"] = (jpy_tn(liabilities_overseas) + d).reindex(out.index)
    if assets_overseas is not None:
        out["liabilities_jpy_tn"] = jpy_tn(assets_overseas).reindex(out.index)
    return out


def period_end_rate(dates: "pd.DatetimeIndex", usdjpy: "pd.Series",
                    max_stale_days: int = MAX_STALE_DAYS) -> "pd.DataFrame":
    """The USD/JPY fixing used for each date: ``usdjpy`` (JPY per USD) and
    ``usdjpy_date``, the last fixing on or before it (NaN/NaT when the last
    one is more than ``max_stale_days`` older)."""
    import numpy as np
    import pandas as pd

    fx = dated_values(usdjpy, "usdjpy")
    dates = pd.DatetimeIndex(dates)
    pos = fx.index.searchsorted(dates, side="right") - 1
    have = pos >= 0
    rate = np.full(len(dates), np.nan)
    when = pd.Series(pd.NaT, index=dates, dtype="datetime64[ns]")
    rate[have] = fx.to_numpy()[pos[have]]
    when[have] = fx.index[pos[have]]
    stale = (dates - pd.DatetimeIndex(when)).days > max_stale_days
    rate[np.asarray(stale)] = np.nan
    when[np.asarray(stale)] = pd.NaT
    return pd.DataFrame({"usdjpy": rate, "usdjpy_date": when.to_numpy()}, index=dates)


def in_usd(jpy_tn_values: "pd.Series", usdjpy: "pd.Series") -> "pd.DataFrame":
    """``value_jpy_tn``, ``usdjpy``, ``usdjpy_date`` and ``value_usd_bn`` = JPY tn × 1000 / rate."""
    x = dated_values(jpy_tn_values, "jpy_tn_values")
    out = period_end_rate(x.index, usdjpy)
    out.insert(0, "value_jpy_tn", x.to_numpy())
    out["value_usd_bn"] = out["value_jpy_tn"] * 1000.0 / out["usdjpy"]
    return out


def usd_bn_in_jpy(usd_bn: "pd.Series", usdjpy: "pd.Series") -> "pd.DataFrame":
    """A dollar position (USD bn) in JPY tn at the period-end rate:
    ``value_usd_bn``, ``usdjpy``, ``usdjpy_date``, ``value_jpy_tn``."""
    x = dated_values(usd_bn, "usd_bn")
    out = period_end_rate(x.index, usdjpy)
    out.insert(0, "value_usd_bn", x.to_numpy())
    out["value_jpy_tn"] = out["value_usd_bn"] * out["usdjpy"] / 1000.0
    return out


def splice_history(quarterly: "pd.Series", fiscal_year_ends: "pd.Series") -> "pd.Series":
    """``quarterly`` levels preceded by the fiscal-year-end (31 March) levels
    dated before its first quarter: one longer level history (for "highest
    since"; changes over it are not all one period long)."""
    import pandas as pd

    q, fy = dated_values(quarterly, "quarterly"), dated_values(fiscal_year_ends, "fiscal_year_ends")
    if q.empty:
        return fy
    return pd.concat([fy[fy.index < q.index[0]], q])


def position_table(levels_jpy_tn: "pd.Series", usdjpy: "pd.Series",
                   history: "pd.Series | None" = None) -> "pd.DataFrame":
    """One row per period of a level in JPY tn: the level, its dollar value at
    the period-end rate (with the rate and its date), the 1- and 4-period
    changes in JPY tn, ``high_since`` / ``low_since`` of the level (over
    ``history`` when given, e.g. :func:`splice_history`, else the series) and
    ``chg_1p_largest_since``: the last earlier period with a 1-period rise
    (fall) at least as large (:func:`yenflow.analytics.context.since`)."""
    from yenflow.analytics.context import since

    x = dated_values(levels_jpy_tn, "levels_jpy_tn")
    out = in_usd(x, usdjpy)
    out["chg_1p_jpy_tn"] = x.diff(1).to_numpy()
    out["chg_4p_jpy_tn"] = x.diff(4).to_numpy()
    long = x if history is None else dated_values(history, "history")
    out["high_since"] = since(long, "high").reindex(out.index).to_numpy()
    out["low_since"] = since(long, "low").reindex(out.index).to_numpy()
    out["chg_1p_largest_since"] = since(x.diff(1), "largest").reindex(out.index).to_numpy()
    out.index.name = "ref_date"
    return out
