"""Event study: what followed a signal's extremes, with honest uncertainty.

On a weekly grid of signal dates *t* (Fridays), an *event* is a week whose
signal is extreme (chosen by the caller, e.g. in the top decile of its own
trailing 3 years). For each target market series and horizon *h* weeks:

* ``change`` after *t*: from the last close on or before *t* to the last
  close on or before *t* + 7·h days — in % for a price (USD/JPY), in bp for a
  yield (``(y_{t+h} − y_t) × 100``);
* ``mean_after``: the mean change over the event weeks; ``mean_all``: over
  every week with a change; ``excess = mean_after − mean_all``;
* ``n_events`` weeks, ``n_episodes`` runs of event weeks (a new episode
  starts when more than *h* weeks separate two events: their windows do not
  overlap);
* 95 % intervals by the **moving-block bootstrap** (Künsch 1989): the weekly
  pairs (event?, change) are resampled in blocks of ``L = max(h, ⌈n^{1/3}⌉)``
  consecutive weeks, which keeps the overlap of *h*-week windows and the
  clustering of events inside each block; ``B`` resamples from a generator
  seeded with (seed, target, horizon), so a row's interval does not depend on
  which other rows are computed; percentile interval (2.5 %, 97.5 %). Resamples without an event
  are dropped (counted).

The evidence is called **weak** when fewer than :data:`MIN_EPISODES` separate
episodes were seen or the excess's interval includes zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MIN_EPISODES = 10
RESAMPLES = 2000
SEED = 20260617
Kind = Literal["pct", "bp"]


@dataclass(frozen=True)
class Target:
    name: str  # e.g. "usdjpy"
    series: "pd.Series"  # daily closes
    kind: Kind  # pct for prices, bp for yields
    words: str


def forward_change(prices: "pd.Series", dates: "pd.DatetimeIndex", weeks: int, kind: Kind) -> "pd.Series":
    """Change from the last close on or before each date to the last close on or
    before the date + 7·``weeks`` days (NaN when the later close is not in the
    data yet, or either close is more than 7 days stale)."""
    import numpy as np
    import pandas as pd

    s = prices.dropna().sort_index()
    dates = pd.DatetimeIndex(dates)

    def level(when: "pd.DatetimeIndex") -> "np.ndarray":
        pos = s.index.searchsorted(when, side="right") - 1
        ok = pos >= 0
        vals = np.where(ok, s.to_numpy()[np.clip(pos, 0, None)], np.nan)
        age: np.ndarray = np.asarray((when - pd.DatetimeIndex(s.index)[np.clip(pos, 0, None)]).days)
        return np.where(ok & (age <= 7), vals, np.nan)

    start = level(dates)
    end = level(dates + pd.Timedelta(days=7 * weeks))
    if len(s):
        end = np.where(dates + pd.Timedelta(days=7 * weeks) <= s.index[-1], end, np.nan)
    change = (end / start - 1.0) * 100.0 if kind == "pct" else (end - start) * 100.0
    return pd.Series(change, index=dates)


def episodes(events: "np.ndarray", gap: int) -> int:
    """Runs of True in ``events`` separated by more than ``gap`` False weeks."""
    import numpy as np

    idx = np.flatnonzero(events)
    if not len(idx):
        return 0
    return int(1 + (np.diff(idx) > gap).sum())


def block_length(n: int, weeks: int) -> int:
    """Block length in weeks: the horizon (so a block holds whole overlapping
    windows), at least the cube root of the sample (the usual rate)."""
    import numpy as np

    return max(weeks, int(np.ceil(n ** (1.0 / 3.0)))) if n else weeks


def bootstrap(events: "np.ndarray", change: "np.ndarray", block: int, resamples: int,
              rng: "np.random.Generator") -> "tuple[np.ndarray, np.ndarray, int]":
    """Moving-block bootstrap of (mean after events, excess over the mean of all
    weeks); returns both arrays over the usable resamples and how many were
    dropped for having no event."""
    import numpy as np

    n = len(change)
    block = min(block, n)
    n_blocks = int(np.ceil(n / block))
    starts = rng.integers(0, n - block + 1, size=(resamples, n_blocks))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]).reshape(resamples, -1)[:, :n]
    e, y = events[idx], change[idx]
    k = e.sum(axis=1)
    after = np.where(k > 0, (y * e).sum(axis=1) / np.maximum(k, 1), np.nan)
    excess = after - y.mean(axis=1)
    keep = k > 0
    return after[keep], excess[keep], int((~keep).sum())


def study(events: "pd.Series", targets: "list[Target]", horizons: tuple[int, ...], resamples: int = RESAMPLES,
          seed: int = SEED) -> "pd.DataFrame":
    """One row per (target, horizon): sample sizes, means, intervals, a verdict (module doc).

    ``events``: boolean Series on the weekly signal dates (NaN signal = False).
    """
    import numpy as np
    import pandas as pd

    rows = []
    for i, t in enumerate(targets):
        for h in horizons:
            rng = np.random.default_rng([seed, i, h])  # each row its own stream: the same row, the same interval
            change = forward_change(t.series, pd.DatetimeIndex(events.index), h, t.kind)
            ok = change.notna().to_numpy()
            e = events.to_numpy(dtype=bool)[ok]
            y = change.to_numpy()[ok]
            row = {"target": t.name, "horizon_weeks": h, "unit": "%" if t.kind == "pct" else "bp",
                   "n_weeks": int(len(y)), "n_events": int(e.sum()), "n_episodes": episodes(e, h)}
            row.update(_stats(e, y, h, resamples, rng))
            row["reading"] = reading(row, t.words)
            rows.append(row)
    return pd.DataFrame(rows)


def _stats(e: "np.ndarray", y: "np.ndarray", h: int, resamples: int, rng: "np.random.Generator") -> dict[str, Any]:
    import numpy as np

    nan = float("nan")
    out = {"mean_after": nan, "ci_low": nan, "ci_high": nan, "mean_all": float(y.mean()) if len(y) else nan,
           "excess": nan, "excess_ci_low": nan, "excess_ci_high": nan, "share_up": nan, "block_weeks": 0,
           "resamples_used": 0}
    if not e.any():
        return out
    out["mean_after"] = float(y[e].mean())
    out["excess"] = out["mean_after"] - out["mean_all"]
    out["share_up"] = float((y[e] > 0).mean() * 100.0)
    block = block_length(len(y), h)
    after, excess, _ = bootstrap(e, y, block, resamples, rng)
    out["block_weeks"] = block
    out["resamples_used"] = int(len(after))
    if len(after):
        out["ci_low"], out["ci_high"] = (float(v) for v in np.percentile(after, [2.5, 97.5]))
        out["excess_ci_low"], out["excess_ci_high"] = (float(v) for v in np.percentile(excess, [2.5, 97.5]))
    return out


def weak(row: dict[str, Any]) -> bool:
    lo, hi = row["excess_ci_low"], row["excess_ci_high"]
    return row["n_episodes"] < MIN_EPISODES or not (lo == lo and hi == hi) or lo <= 0 <= hi


def reading(row: dict[str, Any], words: str) -> str:
    """One plain sentence for a row of :func:`study`."""
    h, unit = row["horizon_weeks"], row["unit"]
    if not row["n_events"]:
        return f"No extreme week had a {h}-week {words} change to measure."

    def fmt(v: float) -> str:
        return f"{v:+.2f} %" if unit == "%" else f"{v:+.1f} bp"

    text = (f"After {row['n_events']} extreme weeks ({row['n_episodes']} episodes) {words} moved {fmt(row['mean_after'])} "
            f"on average over {h} weeks, vs {fmt(row['mean_all'])} over all weeks; excess {fmt(row['excess'])} "
            f"(95 % interval {fmt(row['excess_ci_low'])} to {fmt(row['excess_ci_high'])}).")
    if row["n_episodes"] < MIN_EPISODES:
        return text + f" Weak evidence: only {row['n_episodes']} separate episodes."
    if weak(row):
        return text + " Weak evidence: the interval includes zero."
    return text + " The excess is distinguishable from zero at 95 %."
