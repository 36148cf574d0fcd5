"""Intervention ledger, episodes and USD/JPY around them (methods.md §13).

Input: an operations frame, one row per operation, as returned by
:func:`yenflow.sources.mof.intervention.operations` (official CSV) or
:func:`~yenflow.sources.mof.intervention.derived_operations` (derived file):
``date`` (JST trade date), ``pair`` (``usdjpy``…), ``direction``
(``'yen_buying'`` | ``'yen_selling'`` | ``'other'`` for non-yen pairs) and
``amount`` (JPY 100m, unsigned). :func:`operations_from_series` rebuilds it
from the signed ``intervention.<pair>.amount`` observations.

Conventions
-----------
* All amounts in **JPY 100m** (億円). ``yen_bought`` / ``yen_sold`` are
  unsigned; ``net_yen_bought = yen_bought − yen_sold`` (positive = the MOF
  bought yen, i.e. sold reserves). ``other`` = non-yen pairs (USD/DEM 1991,
  USD/IDR 1997-98), counted in ``gross`` only.
* **Episode**: a run of intervention days in ONE yen direction where each
  day follows the previous one with at most ``max_gap`` (=3) business days
  without intervention in between (business days = Monday-Friday; Japanese
  holidays count as business days because MOF does intervene on them, e.g.
  2024-04-29 Shōwa Day). A change of direction always starts a new episode.
  2024-04-29 (Mon) and 2024-05-01 (Wed) are one episode (one business day
  between); 2022-09-22 and 2022-10-21 are two.
* **MOF reporting periods** (``by="period"``): MOF's monthly totals count the
  operations *settled* in the calendar month. USD/JPY settles two business
  days after the trade, a business day being one when both Tokyo and New
  York are open (:func:`settlement_dates`; holiday calendars of the Japan
  Exchange Group and the Federal Reserve from the ``holidays`` package), so a
  reporting period runs from the first trade date settling in the month to
  the last: trades on 2024-04-26 (Fri, before Shōwa Day) settle on
  2024-05-01, and MOF's May-2024 total covers 2024-04-26 → 2024-05-29.
* **USD/JPY around an episode** (given a daily USD/JPY Series, JPY per USD,
  e.g. FRED DEXJPUS, noon New York): ``usdjpy_before`` = last observation
  strictly before the first day; ``usdjpy_first`` = observation on the first
  day (NaN if none); ``usdjpy_after`` = last observation on or before the
  first day + ``after`` (=5) business days. ``move_yen = after − before``
  (negative = yen strengthened), ``move_pct = 100 × (after / before − 1)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

YEN_BUYING, YEN_SELLING, OTHER = "yen_buying", "yen_selling", "other"
MAX_GAP_BDAYS = 3
AFTER_BDAYS = 5
_FREQ = {"day": "D", "month": "M", "year": "Y"}


SETTLEMENT_LAG_BDAYS = 2


def _joint_holidays(years: range) -> "list[object]":
    import holidays

    tokyo = holidays.financial_holidays("JPX", years=years)
    new_york = holidays.financial_holidays("FED", years=years)
    return sorted(set(tokyo) | set(new_york))


def settlement_dates(trade_dates: "pd.Series | pd.DatetimeIndex", lag: int = SETTLEMENT_LAG_BDAYS) -> "pd.DatetimeIndex":
    """Spot settlement (T + ``lag`` days on which Tokyo and New York are both open)
    of USD/JPY trades made on ``trade_dates`` (any day: MOF trades on Japanese holidays too)."""
    import numpy as np
    import pandas as pd

    days = pd.DatetimeIndex(trade_dates).to_numpy().astype("datetime64[D]")
    if not len(days):
        return pd.DatetimeIndex([])
    years = range(int(str(days.min())[:4]), int(str(days.max())[:4]) + 2)
    calendar = np.busdaycalendar(holidays=np.array(_joint_holidays(years), dtype="datetime64[D]"))
    return pd.DatetimeIndex(np.busday_offset(days, lag, roll="backward", busdaycal=calendar).astype("datetime64[ns]"))


def reporting_periods(first: "pd.Timestamp", last: "pd.Timestamp") -> "pd.DataFrame":
    """Every MOF reporting month between two trade dates: ``period`` (the
    settlement month's last day), ``trade_from`` and ``trade_to`` (the first
    and last calendar day whose trades settle in that month)."""
    import pandas as pd

    days = pd.date_range(pd.Timestamp(first) - pd.Timedelta(days=40), pd.Timestamp(last) + pd.Timedelta(days=40))
    settle = settlement_dates(days)
    frame = pd.DataFrame({"trade": days, "period": settle.to_period("M").to_timestamp(how="end").normalize()})
    out = frame.groupby("period")["trade"].agg(trade_from="min", trade_to="max").reset_index()
    return out.iloc[1:-1].reset_index(drop=True)  # the edge months are incomplete


def _check_ops(ops: pd.DataFrame) -> None:
    missing = {"date", "pair", "direction", "amount"} - set(ops.columns)
    if missing:
        raise ValueError("`ops` needs columns date, pair, direction, amount; "
                         f"missing {sorted(missing)}")
    bad = set(ops["direction"]) - {YEN_BUYING, YEN_SELLING, OTHER}
    if bad:
        raise ValueError(f"`ops.direction` must be yen_buying/yen_selling/other, not {sorted(bad)}")


def ledger(ops: pd.DataFrame, by: str = "day") -> pd.DataFrame:
    """Totals per day, month or year (``by``), with cumulative yen bought/sold.

    Columns: ``period`` (the day, or the last day of the month/year: periods
    are labelled by their end, as the store dates them), ``period_start``,
    ``days`` (intervention days), ``yen_bought``, ``yen_sold``,
    ``net_yen_bought``, ``other``, ``gross``, ``cum_yen_bought``,
    ``cum_yen_sold``, ``cum_net_yen_bought`` (all JPY 100m).
    """
    import pandas as pd

    if by not in _FREQ and by != "period":
        raise ValueError(f"`by` must be one of {sorted(_FREQ) + ['period']}, not {by!r}")
    _check_ops(ops)
    if by == "period":
        settle = settlement_dates(pd.to_datetime(ops["date"]))
        label = pd.Series(settle.to_period("M").to_timestamp(how="end").normalize(), index=ops.index)
    else:
        label = pd.to_datetime(ops["date"]).dt.to_period(_FREQ[by]).dt.end_time.dt.normalize()
    df = ops.assign(
        period=label,
        yen_bought=ops["amount"].where(ops["direction"] == YEN_BUYING, 0.0),
        yen_sold=ops["amount"].where(ops["direction"] == YEN_SELLING, 0.0),
        other=ops["amount"].where(ops["direction"] == OTHER, 0.0),
    )
    out = df.groupby("period", as_index=False).agg(
        days=("date", "nunique"), yen_bought=("yen_bought", "sum"),
        yen_sold=("yen_sold", "sum"), other=("other", "sum"), gross=("amount", "sum"))
    out["net_yen_bought"] = out["yen_bought"] - out["yen_sold"]
    out["cum_yen_bought"] = out["yen_bought"].cumsum()
    out["cum_yen_sold"] = out["yen_sold"].cumsum()
    out["cum_net_yen_bought"] = out["net_yen_bought"].cumsum()
    out["period"] = out["period"].astype("datetime64[ns]")
    if by == "period":
        spans = reporting_periods(pd.to_datetime(ops["date"]).min(), pd.to_datetime(ops["date"]).max())
        out["period_start"] = out["period"].map(spans.set_index("period")["trade_from"]).astype("datetime64[ns]")
        out["period_end"] = out["period"].map(spans.set_index("period")["trade_to"]).astype("datetime64[ns]")
    else:
        out["period_start"] = out["period"].dt.to_period(_FREQ[by]).dt.start_time.astype("datetime64[ns]")
    cols = ["period", "period_start"] + (["period_end"] if by == "period" else []) + ["days", "yen_bought", "yen_sold", "net_yen_bought", "other", "gross",
            "cum_yen_bought", "cum_yen_sold", "cum_net_yen_bought"]
    return out[cols]


def _bdays_between(a: object, b: object) -> int:
    """Business days strictly between dates a < b (Mon-Fri)."""
    import numpy as np

    start, end = np.datetime64(a, "D") + 1, np.datetime64(b, "D")
    return int(np.busday_count(start, end)) if start < end else 0


def episodes(ops: pd.DataFrame, max_gap: int = MAX_GAP_BDAYS) -> pd.DataFrame:
    """Intervention episodes (see module doc), oldest first.

    Columns: ``episode`` (1, 2, …), ``start``, ``end``, ``direction``,
    ``days`` (intervention days), ``amount`` (JPY 100m), ``pairs``
    (comma-separated), ``cum_yen_bought`` / ``cum_yen_sold`` (running totals
    over episodes, JPY 100m).
    """
    import pandas as pd

    _check_ops(ops)
    yen = ops[ops["direction"] != OTHER]
    days = (yen.groupby([pd.to_datetime(yen["date"]), "direction"])
            .agg(amount=("amount", "sum"), pairs=("pair", lambda p: ",".join(sorted(set(p)))))
            .reset_index().sort_values("date", kind="stable"))
    ids, current, prev = [], 0, None
    for row in days.itertuples(index=False):
        if (prev is None or row.direction != prev.direction
                or _bdays_between(prev.date, row.date) > max_gap):
            current += 1
        ids.append(current)
        prev = row
    days["episode"] = ids
    out = days.groupby("episode", as_index=False).agg(
        start=("date", "min"), end=("date", "max"), direction=("direction", "first"),
        days=("date", "nunique"), amount=("amount", "sum"),
        pairs=("pairs", lambda p: ",".join(sorted(set(",".join(p).split(","))))))
    out["cum_yen_bought"] = out["amount"].where(out["direction"] == YEN_BUYING, 0.0).cumsum()
    out["cum_yen_sold"] = out["amount"].where(out["direction"] == YEN_SELLING, 0.0).cumsum()
    for col in ("start", "end"):
        out[col] = out[col].astype("datetime64[ns]")
    return out


def _level_before(fx: pd.Series, day: pd.Timestamp) -> float:
    prior = fx[fx.index < day]
    return float(prior.iloc[-1]) if len(prior) else float("nan")


def _level_on_or_before(fx: pd.Series, day: pd.Timestamp) -> float:
    prior = fx[fx.index <= day]
    return float(prior.iloc[-1]) if len(prior) else float("nan")


def episode_fx(episode_table: pd.DataFrame, usdjpy: pd.Series, after: int = AFTER_BDAYS
               ) -> pd.DataFrame:
    """Add USD/JPY levels and moves around each episode (see module doc).

    Parameters
    ----------
    episode_table : output of :func:`episodes`.
    usdjpy : USD/JPY in JPY per USD indexed by date (NaN dropped).
    after : business days after the first day for ``usdjpy_after``.
    """
    import numpy as np
    import pandas as pd

    fx = usdjpy.dropna().sort_index()
    fx.index = pd.to_datetime(fx.index)
    out = episode_table.copy()
    before, first, later = [], [], []
    for start in out["start"]:
        target = pd.Timestamp(np.busday_offset(np.datetime64(start, "D"), after, roll="forward"))
        before.append(_level_before(fx, start))
        first.append(float(fx[start]) if start in fx.index else float("nan"))
        last_seen = fx.index.max() if len(fx) else start
        later.append(_level_on_or_before(fx, target) if target <= last_seen else float("nan"))
    out["usdjpy_before"], out["usdjpy_first"], out["usdjpy_after"] = before, first, later
    out["move_first_yen"] = out["usdjpy_first"] - out["usdjpy_before"]
    out["move_yen"] = out["usdjpy_after"] - out["usdjpy_before"]
    out["move_pct"] = 100.0 * (out["usdjpy_after"] / out["usdjpy_before"] - 1.0)
    return out


def operations_from_series(obs: pd.DataFrame) -> pd.DataFrame:
    """Operations frame from signed ``intervention.<pair>.amount`` observations
    (``intervention.total.amount`` and other series are ignored)."""
    import pandas as pd

    pat = r"^intervention\.([a-z]{3}jpy)\.amount$"
    sel = obs[obs["series_id"].str.match(pat) & (obs["value"] != 0)]
    return pd.DataFrame({
        "date": pd.to_datetime(sel["ref_date"]).astype("datetime64[ns]"),
        "pair": sel["series_id"].str.extract(pat)[0].astype(str),
        "direction": (sel["value"] > 0).map({True: YEN_BUYING, False: YEN_SELLING}),
        "amount": sel["value"].abs().astype("float64"),
    }).sort_values("date", kind="stable").reset_index(drop=True)
