"""JGB auction analytics: bid-to-cover and tails against each tenor's own history.

Input is the per-auction table of :func:`yenflow.sources.mof.auctions.auction_table`
(or of a result page): one row per auction with ``tenor``, ``auction_date``,
``bid_to_cover`` (ratio), ``tail_price`` (JPY per 100) and ``tail_bp`` (bp).

For every auction, ranked against the auctions of the same tenor up to and
including it (methods.md §12; the rules of :mod:`yenflow.analytics.context`):

* ``btc_pct_12`` / ``btc_pct_all``: percentile of its bid-to-cover among
  itself and the previous ``window`` (=12) auctions / all earlier auctions,

  .. math:: p = 100 \\cdot \\frac{\\#\\{x_j < x\\} + \\tfrac12 \\#\\{x_j = x\\}}{n}

  over the ``n`` values :math:`x_j` of the window, ``x`` itself included
  (NaN when fewer than ``min_history`` = 6 earlier values). Low = weak demand.
* ``tail_price_pct_12`` / ``tail_bp_pct_12`` / ``…_all``: the same for the
  tails. High = weak (a long tail means dealers bid far below the average).
* ``btc_weakest_since``: auction date of the most recent earlier auction of
  the tenor with a bid-to-cover as low or lower (NaT = the lowest on record);
  ``btc_strongest_since``: as high or higher (NaT = the highest on record);
  ``tail_widest_since``: most recent earlier auction with a price tail as
  long or longer (``tail_bp`` for tenors without price tails; NaT = widest).
* Weak-auction flags (documented thresholds): ``weak_btc`` when
  ``btc_pct_12 <= 12``: the lowest (3.8) or second lowest (11.5) bid-to-cover
  of the 13 auctions made of itself and the previous 12; ``wide_tail`` when
  ``tail_price_pct_12 >= 88`` (the longest or second longest tail of 13; or
  ``tail_bp_pct_12`` where there is no price tail); ``weak = weak_btc or wide_tail``. 40Y/GX auctions are uniform-yield
  Dutch auctions without a tail, so only ``weak_btc`` applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from yenflow.analytics.context import Direction

WINDOW = 12
MIN_HISTORY = 6
WEAK_BTC_PCT = 12.0  # the lowest or second lowest of 13 (itself and the previous 12)
WIDE_TAIL_PCT = 88.0  # the longest or second longest tail of 13


def trailing_percentile(x: "pd.Series", window: int | None = WINDOW, at: "pd.Index | None" = None) -> "pd.Series":
    """Percentile of each auction of one tenor (``x`` on auction dates; at
    ``at``, all when None) among itself and the ``window`` auctions before it
    (all earlier ones when None); NaN with fewer than :data:`MIN_HISTORY`
    earlier (:func:`yenflow.analytics.context.percentile`)."""
    from yenflow.analytics import context

    n = None if window is None else window + 1
    return context.percentile(x, at=at, window=n, min_periods=MIN_HISTORY + 1).reindex(x.index)


class _Ranker:
    """One tenor's values in auction order, ranked with :mod:`yenflow.analytics.context`'s rules
    (NaN — not published — left out of every window) at the positions of the last ``last`` auctions."""

    def __init__(self, values: "np.ndarray", last: int | None) -> None:
        import numpy as np

        self.n = len(values)
        keep = ~np.isnan(values)
        self.where = np.flatnonzero(keep)  # position in the tenor's table of each kept value
        self.v = values[keep]
        first = 0 if last is None else self.n - last
        self.pos = np.flatnonzero(self.where >= first)  # positions in ``v`` to compute

    def percentile(self, window: int | None) -> "np.ndarray":
        """Percentile among itself and the ``window`` auctions before it (all earlier when None);
        NaN with fewer than :data:`MIN_HISTORY` earlier."""
        import numpy as np

        from yenflow.analytics import context

        starts = np.zeros(len(self.pos), np.int64) if window is None else np.maximum(0, self.pos - window)
        out = np.full(self.n, np.nan)
        out[self.where[self.pos]] = context.percentile_at(self.v, self.pos, starts, MIN_HISTORY + 1)
        return out

    def since(self, direction: "Direction", dates: "np.ndarray") -> "np.ndarray":
        """The date of the last earlier auction that reached each value (NaT when none did)."""
        import numpy as np

        from yenflow.analytics import context

        found = context.since_at(self.v, self.pos, np.zeros(len(self.pos), np.int64), direction)
        out = np.full(self.n, np.datetime64("NaT", "ns"))
        hit = found >= 0
        out[self.where[self.pos[hit]]] = dates[self.where[found[hit]]]
        return out


def _tenor_metrics(group: pd.DataFrame, window: int, last: int | None = None) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    g = group.sort_values("auction_date", kind="stable")
    dates = g["auction_date"].to_numpy(dtype="datetime64[ns]")
    btc = _Ranker(g["bid_to_cover"].to_numpy(dtype="float64"), last)
    cols: dict[str, np.ndarray] = {"btc_pct_12": btc.percentile(window), "btc_pct_all": btc.percentile(None)}
    tails = {}
    for col in ("tail_price", "tail_bp"):
        tails[col] = g[col].to_numpy(dtype="float64")
        r = _Ranker(tails[col], last)
        cols[f"{col}_pct_12"] = r.percentile(window)
        cols[f"{col}_pct_all"] = r.percentile(None)
    cols["btc_weakest_since"] = btc.since("low", dates)
    cols["btc_strongest_since"] = btc.since("high", dates)
    priced = ~np.isnan(tails["tail_price"])
    cols["tail_widest_since"] = _Ranker(tails["tail_price"] if priced.any() else tails["tail_bp"], last).since("high", dates)
    tail_pct = np.where(priced, cols["tail_price_pct_12"], cols["tail_bp_pct_12"])
    cols["weak_btc"] = cols["btc_pct_12"] <= WEAK_BTC_PCT
    cols["wide_tail"] = tail_pct >= WIDE_TAIL_PCT
    cols["weak"] = cols["weak_btc"] | cols["wide_tail"]
    kept = g.drop(columns=[c for c in cols if c in g.columns])  # as assign() would: the new values replace
    return pd.concat([kept, pd.DataFrame(cols, index=g.index)], axis=1)  # one concat, not a column insert each


def auction_metrics(table: pd.DataFrame, window: int = WINDOW, last: int | None = None) -> pd.DataFrame:
    """The table plus the percentile, "since" and flag columns (see module doc).

    Parameters
    ----------
    table : per-auction table (``tenor``, ``auction_date``, ``bid_to_cover``,
        ``tail_price``, ``tail_bp``).
    window : number of trailing auctions for the ``*_pct_12`` columns.
    last : compute the metrics only for the last ``last`` auctions of each
        tenor (the others get NaN/NaT); all when None.
    """
    import pandas as pd

    parts = [_tenor_metrics(g, window, last) for _, g in table.groupby("tenor", sort=True)]
    if not parts:
        return table.copy()
    out = pd.concat(parts, ignore_index=True)
    for col in ("btc_weakest_since", "btc_strongest_since", "tail_widest_since"):
        out[col] = out[col].astype("datetime64[ns]")
    return out


def _with_metrics(table: pd.DataFrame) -> pd.DataFrame:
    return table if "btc_pct_12" in table.columns else auction_metrics(table)


def latest_auctions(table: pd.DataFrame, tenor: str | None = None, last: int = 6
                    ) -> pd.DataFrame:
    """The ``last`` most recent auctions per tenor (or of one ``tenor``), with metrics,
    oldest first within each tenor."""
    if tenor is not None:
        table = table[table["tenor"] == tenor]
        if table.empty:
            raise ValueError(f"no auctions for `tenor` {tenor!r}")
    df = table if "btc_pct_12" in table.columns else auction_metrics(table, last=last)
    df = df.sort_values(["tenor", "auction_date"], kind="stable")
    return df.groupby("tenor", sort=True).tail(last).reset_index(drop=True)


def weakest_auctions(table: pd.DataFrame, tenor: str, n: int = 5,
                     by: str = "bid_to_cover") -> pd.DataFrame:
    """The ``n`` weakest auctions of ``tenor`` in the whole history: lowest
    bid-to-cover (``by='bid_to_cover'``) or longest tail (``'tail_price'``/``'tail_bp'``)."""
    if by not in ("bid_to_cover", "tail_price", "tail_bp"):
        raise ValueError(f"`by` must be bid_to_cover, tail_price or tail_bp, not {by!r}")
    df = _with_metrics(table)
    df = df[(df["tenor"] == tenor) & df[by].notna()]
    ascending = by == "bid_to_cover"
    return df.sort_values([by, "auction_date"], ascending=[ascending, False],
                          kind="stable").head(n).reset_index(drop=True)
