"""Point-in-time series for backtests: a transform of a stored series as it
would have been computed on each evaluation date, from what was known then.

The rule is the one :class:`yenflow.views.market.Market` applies to a single
``as_of`` (see its module doc), vectorised over many evaluation instants:

* before the store started recording the series (its first ``seen_at``, *F*),
  a figure counts from the day it was **published** — ``released`` where the
  publisher gives it, else its reference date plus the release lag
  (:func:`yenflow.release_calendar.known_from`) — in its earliest stored
  vintage;
* from *F* on, a figure counts from when the store first **saw** it, in the
  newest vintage seen by then (a revision counts from when it was seen);
* never before its own reference date.

Vectorised by *epochs*: the stored vintages change what is known only at a
few instants (each revision's ``seen_at``). Within an epoch nothing is
revised, so a causal transform (one whose value at a date uses only earlier
dates: rolling sums, momentum, realised vol) is computed once on the epoch's
data, and each evaluation instant takes the value at the last reference date
whose figure — *and every earlier figure* — was known by then (a running
maximum of the knowledge times; if an older figure arrived late, the newer
ones wait for it: conservative, never a look-ahead).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

Transform = Callable[["pd.Series"], "pd.Series"]
#: columns of the rows this module reads (one series, every stored vintage)
ROW_COLUMNS = ("ref_date", "value", "released", "seen_at", "lag_known")
#: optional: ``recorded_from``, when the store first saw the series (rows may start later)


def end_of_day(dates: "pd.DatetimeIndex") -> "pd.DatetimeIndex":
    """Evaluation instants for dates: the last microsecond of each day (what
    ``--as-of YYYY-MM-DD`` means everywhere)."""
    import pandas as pd

    return pd.DatetimeIndex(dates).normalize() + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


def prepare(rows: "pd.DataFrame") -> "pd.DataFrame":
    """The rows sorted by (ref_date, seen_at), with ``first`` (the earliest
    vintage of its date), ``published`` (released, else lag_known, never
    before ref_date; a day) and ``first_seen`` (when its date was first seen)."""
    import numpy as np
    import pandas as pd

    def ns(col: str) -> "np.ndarray":
        return pd.to_datetime(rows[col]).to_numpy(dtype="datetime64[ns]")

    value = rows["value"].to_numpy(dtype="float64")
    recorded = ns("recorded_from") if "recorded_from" in rows else None
    ref, seen, released, lag = ns("ref_date"), ns("seen_at"), ns("released"), ns("lag_known")
    keep = np.flatnonzero(~np.isnan(value))
    order = keep[np.lexsort((seen[keep], ref[keep]))]
    ref, seen, value = ref[order], seen[order], value[order]
    first = np.r_[True, ref[1:] != ref[:-1]] if len(ref) else np.zeros(0, dtype=bool)
    published = np.where(np.isnat(released[order]), lag[order], released[order])
    published = np.where(np.isnat(published) | (published < ref), ref, published)
    group = np.cumsum(first) - 1
    out = pd.DataFrame({"ref_date": ref, "value": value, "seen_at": seen, "first": first,
                        "published": published.astype("datetime64[D]").astype("datetime64[ns]"),
                        "first_seen": seen[first][group] if len(ref) else seen})
    out.attrs["recorded_from"] = (recorded.min() if recorded is not None and len(recorded) else
                                  (seen.min() if len(seen) else None))
    return out


def _pick(values: "np.ndarray", refs: "np.ndarray", avail: "np.ndarray", at: "np.ndarray",
          max_age: "np.timedelta64 | None") -> "tuple[np.ndarray, np.ndarray]":
    """For each instant in ``at``: the value at the last position whose
    running-max availability is ≤ the instant (NaN if none, or older than
    ``max_age``), and that position's reference date (NaT likewise)."""
    import numpy as np

    out = np.full(len(at), np.nan)
    used = np.full(len(at), np.datetime64("NaT"), dtype="datetime64[ns]")
    if not len(values):
        return out, used
    ready = np.maximum.accumulate(avail)
    pos = np.searchsorted(ready, at, side="right") - 1
    ok = pos >= 0
    if max_age is not None:
        ok &= at - refs[np.maximum(pos, 0)] <= max_age
    out[ok] = values[pos[ok]]
    used[ok] = refs[pos[ok]]
    return out, used


def _epoch_values(data: "pd.DataFrame", transform: Transform | None) -> "np.ndarray":
    import pandas as pd

    s = pd.Series(data["value"].to_numpy(dtype="float64"), index=pd.DatetimeIndex(data["ref_date"]))
    if transform is None:
        return s.to_numpy()
    out = transform(s)
    return out.reindex(s.index).to_numpy(dtype="float64")


def evaluate(rows: "pd.DataFrame", at: "pd.DatetimeIndex", transform: Transform | None = None,
             max_age_days: int | None = None) -> "pd.DataFrame":
    """``transform`` of one stored series, as known at each instant of ``at``.

    Parameters
    ----------
    rows : every stored vintage of the series (:data:`ROW_COLUMNS`; ``lag_known``
        = reference date + publisher's lag), or those from some reference date
        on, with ``recorded_from`` (else the first ``seen_at`` of the rows).
    at : evaluation instants (naive UTC; :func:`end_of_day` for dates), sorted.
    transform : a causal function of the series (DatetimeIndex of reference
        dates) returning a series on the same dates; None = the values.
    max_age_days : a value whose reference date is more than this many days
        before the instant is NaN (a source that stopped publishing).

    Returns
    -------
    DataFrame on ``at``: ``value`` and ``ref_date``, the reference date of
    the last figure the value was computed to (NaT where NaN).
    """
    import numpy as np
    import pandas as pd

    at = pd.DatetimeIndex(at)
    values = np.full(len(at), np.nan)
    used = np.full(len(at), np.datetime64("NaT"), dtype="datetime64[ns]")
    r = prepare(rows)
    if r.empty or not len(at):
        return pd.DataFrame({"value": values, "ref_date": used}, index=at)
    at_ns = at.to_numpy(dtype="datetime64[ns]")
    max_age = None if max_age_days is None else np.timedelta64(max_age_days, "D")
    start = np.datetime64(r.attrs["recorded_from"], "ns")
    # before the store recorded the series: earliest vintages, from publication
    pre = at_ns < start
    if pre.any():
        first = r[r["first"]]
        vals = _epoch_values(first, transform)
        values[pre], used[pre] = _pick(vals, first["ref_date"].to_numpy(), first["published"].to_numpy(),
                                       at_ns[pre], max_age)
    # from then on: epochs between revisions, each on the newest vintages seen before its end
    revisions = np.unique(r.loc[~r["first"], "seen_at"].to_numpy())
    bounds = np.r_[start, revisions[revisions > start], np.datetime64("NaT")]
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        mask = at_ns >= lo if np.isnat(hi) else (at_ns >= lo) & (at_ns < hi)
        if not mask.any():
            continue
        data = r if np.isnat(hi) else r[r["seen_at"] < hi]
        data = data.drop_duplicates("ref_date", keep="last")
        vals = _epoch_values(data, transform)
        avail = np.maximum(data["first_seen"].to_numpy(), data["ref_date"].to_numpy())
        values[mask], used[mask] = _pick(vals, data["ref_date"].to_numpy(), avail, at_ns[mask], max_age)
    return pd.DataFrame({"value": values, "ref_date": used}, index=at)


def known_rows(rows: "pd.DataFrame", instant: "pd.Timestamp") -> "pd.DataFrame":
    """The rows a point-in-time read at ``instant`` uses (one per reference
    date): the single-date form of :func:`evaluate`, for checks and tests."""
    import pandas as pd

    r = prepare(rows)
    t = pd.Timestamp(instant)
    if r.empty:
        return r
    if t < pd.Timestamp(r.attrs["recorded_from"]):
        keep = r["first"] & (r["published"] <= t)
    else:
        keep = r["seen_at"] <= t
    keep &= r["ref_date"] <= t
    return r[keep].drop_duplicates("ref_date", keep="last").reset_index(drop=True)
