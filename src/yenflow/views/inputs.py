"""Market inputs read from the store, with the choice of series made explicit.

Every function returns the data and a label saying which series it used, so
outputs can state their inputs (e.g. "r¥ = rate.jpy.3m_interbank (OECD monthly
average, applied from the following month)").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yenflow.errors import YenflowError

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.store import Store

CURVE_TENORS = (1, 2, 3, 5, 7, 10, 20, 30)
JGB_TENORS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40)
#: JPY short-rate legs in order of preference (daily TONA first)
JPY_RATE_PREFERENCE = ("rate.jpy.tona", "user.rate.jpy.tona", "rate.jpy.3m_interbank")
USD_RATE_DEFAULT = "rate.sofr"


class MissingInputError(YenflowError):
    """An analytic needs a series the store does not have."""


def need(store: "Store", series_id: str, why: str) -> "pd.Series":
    if not store.has_series(series_id):
        raise MissingInputError(
            f"{why} needs series {series_id!r}, which is not in the store; "
            "run `yenflow update` (or `yenflow update --from DIR`) or `yenflow import`"
        )
    return store.get(series_id)


def ust_curve(store: "Store", tenors: tuple[int, ...] = CURVE_TENORS) -> "pd.DataFrame":
    """UST yields (%) by tenor, columns ``"2Y"``…: Treasury par curve, with FRED's
    H.15 constant-maturity series (the same Treasury numbers) filling dates the
    par-curve files do not cover yet."""
    import pandas as pd

    cols = {}
    for t in tenors:
        par = store.get(f"ust.par.{t}y") if store.has_series(f"ust.par.{t}y") else None
        cmt = store.get(f"ust.cmt.{t}y") if store.has_series(f"ust.cmt.{t}y") else None
        parts = [s for s in (par, cmt) if s is not None and not s.empty]
        if parts:
            merged = parts[0] if len(parts) == 1 else parts[0].combine_first(parts[1])
            cols[f"{t}Y"] = merged
    if not cols:
        raise MissingInputError("the UST curve needs ust.par.* or ust.cmt.* series; run `yenflow update`")
    return pd.DataFrame(cols).sort_index()


def jgb_curve(store: "Store", tenors: tuple[int, ...] = JGB_TENORS) -> "pd.DataFrame":
    """MOF JGB constant-maturity yields (%) by tenor, columns ``"10Y"``…"""
    import pandas as pd

    cols = {f"{t}Y": store.get(f"jgb.{t}y") for t in tenors if store.has_series(f"jgb.{t}y")}
    if not cols:
        raise MissingInputError("the JGB curve needs jgb.* series; run `yenflow update`")
    return pd.DataFrame(cols).sort_index()


def usd_rate(store: "Store", series_id: str | None = None) -> "tuple[pd.Series, str]":
    sid = series_id or USD_RATE_DEFAULT
    s = need(store, sid, "the USD money-market leg")
    return s, f"{sid} ({s.attrs.get('name', sid)}, ACT/360)"


def jpy_rate(store: "Store", daily_index: "pd.DatetimeIndex", series_id: str | None = None) -> "tuple[pd.Series, str]":
    """The JPY money-market leg on ``daily_index``. A monthly series (OECD 3M
    interbank) is applied from the month after the one it averages, never
    looking ahead (:func:`align_monthly_to_daily`)."""
    from yenflow.analytics.conventions import align_monthly_to_daily

    candidates = (series_id,) if series_id else JPY_RATE_PREFERENCE
    for sid in candidates:
        if store.has_series(sid):
            s = store.get(sid)
            if s.attrs.get("frequency") == "monthly":
                return (
                    align_monthly_to_daily(s, daily_index),
                    f"{sid} ({s.attrs.get('name', sid)}, monthly average applied from the next month, ACT/365F)",
                )
            return s, f"{sid} ({s.attrs.get('name', sid)}, ACT/365F)"
    raise MissingInputError(
        f"the JPY money-market leg needs one of {', '.join(candidates)}; run `yenflow update` or import a TONA series"
    )


def basis_input(store: "Store", basis_bp: float, series_id: str | None) -> "tuple[float | pd.Series, str]":
    """The cross-currency basis in % p.a. (negative = dollar premium), from a
    constant in bp or a series in bp (e.g. a user-imported Bloomberg basis)."""
    if series_id:
        s = need(store, series_id, "the basis")
        if s.attrs.get("unit") != "bp":
            raise MissingInputError(f"basis series {series_id!r} must be in bp, it is in {s.attrs.get('unit')!r}")
        return s / 100.0, f"{series_id} (bp, user series)"
    return basis_bp / 100.0, f"constant {basis_bp:+g} bp"
