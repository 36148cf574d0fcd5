"""Covered interest parity, FX hedging cost, hedged yields and break-evens (USD/JPY).

Implements methods.md §1–§3 and the carry break-even of §5. Inputs are
floats or pandas Series on a DatetimeIndex (daily or monthly); Series are
aligned *as of* each date (rates carried forward at most
``conventions.max_stale_days``, see :func:`yenflow.analytics.conventions.asof_align`).
No I/O.

Units: rates, yields, basis, hedge cost and pickup in **% per annum**; gaps
in **bp** where the name ends in ``_bp``; spot in **yen per dollar**.

Notation (methods.md §0): ``S`` spot, ``F`` outright forward for ``d`` days,
``r$`` USD money-market rate (ACT/360, ``B$ = 360``), ``r¥`` JPY rate
(ACT/365F, ``B¥ = 365``), ``b`` cross-currency basis on the JPY leg (negative
= dollar premium), ``h`` hedge ratio.

Two sides of one forward:

* the **yen investor** holding USD bonds sells dollars forward; hedging cost
  ``HC = −(F/S − 1)·365/d`` (simple) or ``−[(F/S)^(365/d) − 1]`` (compound);
* the **dollar investor** holding JGBs buys dollars forward; pickup
  ``P = (S/F − 1)·360/d`` (simple, methods eq. 4) or ``(S/F)^(365/d) − 1``.

``P`` and ``HC`` are *not* identical: ``S/F − 1 = (1 − F/S)·(S/F)`` (a
second-order base effect, ≈ HC²·d/365) and the dollar investor annualises
ACT/360 (×360/365, ≈ −4 bp at a 2.9 pp cost). ``convention="mirror"`` states the
pickup exactly as the yen investor's hedging cost — the identity "one side's
cost is the other side's pickup" then holds to the last bit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from yenflow.analytics.conventions import (
    BP_PER_PP,
    Conventions,
    asof_align,
    bond_tenor_label,
    resolve,
    tenor_days,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    import pandas as pd

    Number: TypeAlias = "float | pd.Series"

Annualisation = Literal["simple", "compound"]
PickupConvention = Literal["investor", "yield_basis", "mirror"]

_ANNUALISATIONS = ("simple", "compound")


# --------------------------------------------------------------------------- helpers


def _align(target: Any, max_stale_days: int | None, **inputs: Any) -> tuple[dict[str, Any], Any]:
    """As-of align every Series in ``inputs`` on one DatetimeIndex.

    The index is ``target``'s (its non-NaN dates) when ``target`` is a Series,
    else the union of all input Series' dates. Scalars pass through. Returns
    the aligned inputs and the index (``None`` when everything is scalar).
    """
    import pandas as pd

    series = {k: v for k, v in inputs.items() if isinstance(v, pd.Series)}
    if not series:
        return dict(inputs), None
    if isinstance(target, pd.Series):
        index = pd.DatetimeIndex(target.dropna().index)
    else:
        index = pd.DatetimeIndex([])
        for s in series.values():
            index = index.union(pd.DatetimeIndex(s.dropna().index))
    out = {k: asof_align(v, index, max_stale_days) if k in series else v for k, v in inputs.items()}
    return out, index


def _days(tenor: str | int, actual_days: bool, index: Any, conv: Conventions) -> int | pd.Series:
    """Tenor length: fixed (``"3M"`` → 91) or actual calendar days from each date."""
    if not actual_days:
        return tenor_days(tenor, conventions=conv)
    if index is None:
        raise ValueError(
            "`actual_days=True` needs Series inputs on a DatetimeIndex (or pass `tenor` as days)"
        )
    return tenor_days(tenor, start=index, conventions=conv)


def _check_annualisation(annualisation: str) -> None:
    if annualisation not in _ANNUALISATIONS:
        raise ValueError(f"`annualisation` must be one of {_ANNUALISATIONS}, got {annualisation!r}")


def _annualise(gross: Any, days: Any, basis: int, annualisation: str, conv: Conventions) -> Any:
    """Annualised % return of a ``d``-day gross factor ``g``.

    simple: ``(g − 1)·B/d``; compound: ``g^(C/d) − 1`` with ``C = conv.compound_basis`` (365).
    """
    _check_annualisation(annualisation)
    if annualisation == "simple":
        return (gross - 1.0) * basis / days * 100.0
    return (gross ** (conv.compound_basis / days) - 1.0) * 100.0


def _ratio(r_usd: Any, r_jpy: Any, basis: Any, days: Any, conv: Conventions) -> Any:
    """``F/S`` of eq. (1) on already-aligned inputs (rates in %)."""
    jpy_leg = 1.0 + (r_jpy + basis) / 100.0 * days / conv.jpy_basis
    usd_leg = 1.0 + r_usd / 100.0 * days / conv.usd_basis
    return jpy_leg / usd_leg


def _decompose(r_usd: Any, r_jpy: Any, basis: Any, total: Any, scale: int, conv: Conventions) -> dict:
    """Split a hedge cost / pickup into first-order parts plus an exact cross term.

    With ``A`` the annualisation basis of ``total`` (365 for the yen side and
    for compound; 360 for the dollar investor's simple pickup):
    ``short_rate_diff = r$·A/B$ − r¥·A/B¥``, ``basis_effect = −b·A/B¥``,
    ``cross_term = total − short_rate_diff − basis_effect``.
    """
    short = r_usd * scale / conv.usd_basis - r_jpy * scale / conv.jpy_basis
    basis_effect = -basis * scale / conv.jpy_basis
    return {
        "short_rate_diff": short,
        "basis_effect": basis_effect,
        "cross_term": total - short - basis_effect,
    }


# --------------------------------------------------------------------------- CIP


def forward_ratio(
    r_usd: Number,
    r_jpy: Number,
    days: int | pd.Series,
    basis: Number = 0.0,
    conventions: Conventions | None = None,
) -> Number:
    r"""Outright-to-spot ratio ``F/S`` implied by covered interest parity with basis.

    .. math::

        \frac{F}{S} = \frac{1 + (r_¥ + b)\,d/B_¥}{1 + r_\$\,d/B_\$}      \qquad \text{(methods eq. 1)}

    where ``r$``, ``r¥`` are the money-market rates for ``d`` days in %
    (divided by 100 inside), ``b`` the basis on the JPY leg in %, ``B$ = 360``
    (ACT/360) and ``B¥ = 365`` (ACT/365F) unless ``conventions`` says otherwise.
    ``F/S < 1`` (forward discount) whenever ``r¥ + b < r$·B¥/B$``.

    Series inputs are aligned as of their union of dates.
    """
    conv = resolve(conventions)
    x, _ = _align(None, conv.max_stale_days, r_usd=r_usd, r_jpy=r_jpy, basis=basis, days=days)
    return _ratio(x["r_usd"], x["r_jpy"], x["basis"], x["days"], conv)


def forward_points(
    spot: Number,
    r_usd: Number,
    r_jpy: Number,
    days: int | pd.Series,
    basis: Number = 0.0,
    conventions: Conventions | None = None,
) -> Number:
    r"""Forward points in pips of 0.01 yen: ``FP = (F − S)·100 = S·(F/S − 1)·100``.

    ``F/S`` from :func:`forward_ratio`; ``S`` in yen per dollar. Negative
    points (forward discount) are the normal USD/JPY state while ``r$ > r¥``.
    """
    conv = resolve(conventions)
    x, _ = _align(None, conv.max_stale_days, spot=spot, r_usd=r_usd, r_jpy=r_jpy, basis=basis, days=days)
    ratio = _ratio(x["r_usd"], x["r_jpy"], x["basis"], x["days"], conv)
    return x["spot"] * (ratio - 1.0) * 100.0


def implied_jpy_rate(
    fs_ratio: Number, r_usd: Number, days: int | pd.Series, conventions: Conventions | None = None
) -> Number:
    r"""Forward-implied yen rate in % (methods §1).

    .. math::

        r_¥^{impl} = \Big[\frac{F}{S}\,(1 + r_\$\,d/B_\$) - 1\Big]\frac{B_¥}{d}
    """
    conv = resolve(conventions)
    x, _ = _align(None, conv.max_stale_days, fs=fs_ratio, r_usd=r_usd, days=days)
    grown = x["fs"] * (1.0 + x["r_usd"] / 100.0 * x["days"] / conv.usd_basis)
    return (grown - 1.0) * conv.jpy_basis / x["days"] * 100.0


def implied_basis(
    fs_ratio: Number,
    r_usd: Number,
    r_jpy: Number,
    days: int | pd.Series,
    conventions: Conventions | None = None,
) -> Number:
    r"""Cross-currency basis in % implied by a forward: ``b = r¥_impl − r¥`` (methods §1).

    Exact inverse of :func:`forward_ratio`: ``forward_ratio(r$, r¥, d,
    implied_basis(F/S, r$, r¥, d)) == F/S``. Negative = dollar premium.
    """
    return implied_jpy_rate(fs_ratio, r_usd, days, conventions) - r_jpy


# --------------------------------------------------------------------------- hedge cost


def hedge_cost_from_ratio(
    fs_ratio: Number,
    days: int | pd.Series,
    annualisation: Annualisation = "simple",
    conventions: Conventions | None = None,
) -> Number:
    r"""Yen investor's annualised hedging cost in % from a forward/spot ratio.

    .. math::

        HC_{simple} = -\Big(\frac{F}{S} - 1\Big)\frac{B_¥}{d}, \qquad
        HC_{compound} = -\Big[\Big(\frac{F}{S}\Big)^{365/d} - 1\Big]

    ``B¥ = 365``. Positive = the hedge costs money (``F < S``). Example
    (WSJ 2019-06-26): ``F = 104.42``, ``S = 106.96``, ``d = 365`` → 2.3747 %.
    """
    conv = resolve(conventions)
    return -_annualise(fs_ratio, days, conv.jpy_basis, annualisation, conv)


def ratio_from_hedge_cost(
    hc: Number,
    days: int | pd.Series,
    annualisation: Annualisation = "simple",
    conventions: Conventions | None = None,
) -> Number:
    """Inverse of :func:`hedge_cost_from_ratio`: the ``F/S`` that produces ``hc`` (%)."""
    conv = resolve(conventions)
    _check_annualisation(annualisation)
    if annualisation == "simple":
        return 1.0 - hc / 100.0 * days / conv.jpy_basis
    return (1.0 - hc / 100.0) ** (days / conv.compound_basis)


def hedge_cost(
    r_usd: Number,
    r_jpy: Number,
    basis: Number = 0.0,
    tenor: str | int = "3M",
    annualisation: Annualisation = "simple",
    actual_days: bool = False,
    conventions: Conventions | None = None,
) -> Number:
    r"""Annualised cost in % of rolling a ``tenor`` USD/JPY hedge, yen investor (methods eq. 2).

    .. math::

        HC = -\Big(\frac{F}{S} - 1\Big)\frac{365}{d}
        \;\approx\; r_\$\frac{365}{360} - r_¥ - b

    with ``F/S`` from :func:`forward_ratio`; ``d`` = 91 for ``"3M"``, 30 for
    ``"1M"`` (``actual_days=True``: calendar days from each date). A more
    negative basis ``b`` raises the cost. See :func:`hedge_cost_decomposition`
    for the exact split.
    """
    conv = resolve(conventions)
    x, index = _align(None, conv.max_stale_days, r_usd=r_usd, r_jpy=r_jpy, basis=basis)
    days = _days(tenor, actual_days, index, conv)
    ratio = _ratio(x["r_usd"], x["r_jpy"], x["basis"], days, conv)
    return hedge_cost_from_ratio(ratio, days, annualisation, conv)


def hedge_cost_decomposition(
    r_usd: Number,
    r_jpy: Number,
    basis: Number = 0.0,
    tenor: str | int = "3M",
    annualisation: Annualisation = "simple",
    actual_days: bool = False,
    conventions: Conventions | None = None,
) -> pd.DataFrame:
    r"""Hedging cost split into rate differential, basis and cross term (all in %).

    Exact identity: ``hedge_cost = short_rate_diff + basis_effect + cross_term``.

    .. math::

        \text{short\_rate\_diff} = r_\$\frac{365}{360} - r_¥, \qquad
        \text{basis\_effect} = -b, \qquad
        \text{cross\_term} = HC - \text{short\_rate\_diff} - \text{basis\_effect}

    The first two are the first-order (linear) terms of :math:`HC`: the rate
    differential restated on the yen ACT/365F basis (``r$`` is scaled by
    365/360, not used raw — raw ``r$ − r¥`` would leave ≈1.4 % of ``r$`` in the
    residual). For simple annualisation the cross term is exactly
    :math:`-HC\cdot r_\$\,d/360` (the dollar leg's discounting, a product of
    rates); for compound it also holds the compounding convexity.

    Returns
    -------
    DataFrame with columns ``short_rate_diff, basis, basis_effect, cross_term,
    hedge_cost`` (one row when all inputs are scalars).
    """
    conv = resolve(conventions)
    x, index = _align(None, conv.max_stale_days, r_usd=r_usd, r_jpy=r_jpy, basis=basis)
    days = _days(tenor, actual_days, index, conv)
    total = hedge_cost_from_ratio(
        _ratio(x["r_usd"], x["r_jpy"], x["basis"], days, conv), days, annualisation, conv
    )
    scale = conv.jpy_basis if annualisation == "simple" else conv.compound_basis
    parts = _decompose(x["r_usd"], x["r_jpy"], x["basis"], total, scale, conv)
    return _frame(
        index,
        {**parts, "basis": x["basis"], "hedge_cost": total},
        ["short_rate_diff", "basis", "basis_effect", "cross_term", "hedge_cost"],
    )


def implied_basis_from_cost(
    hc: Number,
    r_usd: Number,
    r_jpy: Number,
    tenor: str | int = "3M",
    annualisation: Annualisation = "simple",
    conventions: Conventions | None = None,
) -> Number:
    """Basis in % that makes :func:`hedge_cost` equal a quoted hedging cost ``hc`` (%).

    Inverts the cost to ``F/S`` (:func:`ratio_from_hedge_cost`) and then applies
    :func:`implied_basis`; exact, no first-order approximation.
    """
    conv = resolve(conventions)
    x, _ = _align(None, conv.max_stale_days, hc=hc, r_usd=r_usd, r_jpy=r_jpy)
    days = tenor_days(tenor, conventions=conv)
    ratio = ratio_from_hedge_cost(x["hc"], days, annualisation, conv)
    return implied_basis(ratio, x["r_usd"], x["r_jpy"], days, conv)


def usd_pickup(
    r_usd: Number,
    r_jpy: Number,
    basis: Number = 0.0,
    tenor: str | int = "3M",
    annualisation: Annualisation = "simple",
    convention: PickupConvention = "investor",
    actual_days: bool = False,
    conventions: Conventions | None = None,
) -> Number:
    r"""Dollar investor's annualised FX-hedge pickup in % (buys USD forward; methods eq. 4).

    .. math::

        P_{investor} = \Big(\frac{S}{F} - 1\Big)\frac{B_\$}{d}\ \text{(simple)},\quad
        \Big(\frac{S}{F}\Big)^{365/d} - 1\ \text{(compound)};\qquad
        P_{mirror} = HC

    ``"investor"`` is the return the dollar investor actually earns on the
    forward, annualised ACT/360. ``"mirror"`` restates it as the yen investor's
    :func:`hedge_cost` (same ``annualisation``), so cost and pickup are equal by
    construction. Exact link between the two (simple):
    ``P_investor·d/B$ = HC·(d/B¥)·(S/F)``.
    """
    conv = resolve(conventions)
    x, index = _align(None, conv.max_stale_days, r_usd=r_usd, r_jpy=r_jpy, basis=basis)
    days = _days(tenor, actual_days, index, conv)
    ratio = _ratio(x["r_usd"], x["r_jpy"], x["basis"], days, conv)
    return _pickup_from_ratio(ratio, days, annualisation, convention, conv)


def _pickup_from_ratio(
    ratio: Any, days: Any, annualisation: Annualisation, convention: str, conv: Conventions
) -> Any:
    """``P`` from ``F/S``: investor ``(S/F − 1)·B$/d`` (money-market ACT/360),
    yield_basis ``(S/F − 1)·B¥/d`` (the calendar-year basis of the JGB yield it
    is added to), compound ``(S/F)^(365/d) − 1`` for both; mirror ``= HC``."""
    if convention == "mirror":
        return hedge_cost_from_ratio(ratio, days, annualisation, conv)
    if convention not in ("investor", "yield_basis"):
        raise ValueError(f"`convention` must be 'investor', 'yield_basis' or 'mirror', got {convention!r}")
    basis = conv.usd_basis if convention == "investor" else conv.jpy_basis
    return _annualise(1.0 / ratio, days, basis, annualisation, conv)


# --------------------------------------------------------------------------- hedged yields


def _frame(index: Any, columns: dict, order: list[str]) -> pd.DataFrame:
    import pandas as pd

    if index is None:
        return pd.DataFrame({k: [float(columns[k])] for k in order})
    return pd.DataFrame({k: columns[k] for k in order}, index=index).dropna()


def _hedged(local: Any, carry: Any, hedge_ratio: float, expected_fx: Any, annualisation: str) -> dict:
    """Combine a local yield with a hedge carry for hedge ratio ``h``.

    simple:   ``y + h·c + (1 − h)·E``
    compound: ``(1 + y)(1 + k) − 1 = y + k + y·k`` with ``k = h·c + (1 − h)·E``
    (hedged and unhedged shares held for a year; in %, so ``y·k/100``).
    """
    unhedged_fx = (1.0 - hedge_ratio) * expected_fx
    fx_part = hedge_ratio * carry + unhedged_fx
    compounding = 0.0 * local if annualisation == "simple" else local * fx_part / 100.0
    return {
        "unhedged_fx": unhedged_fx,
        "compounding": compounding,
        "hedged_yield": local + fx_part + compounding,
    }


def _check_hedge_ratio(hedge_ratio: float) -> None:
    if not 0.0 <= hedge_ratio <= 1.0:
        raise ValueError(f"`hedge_ratio` must be between 0 and 1, got {hedge_ratio}")


def _attrs(investor: str, conv: Conventions, days: Any, inputs: Mapping[str, Any], **settings: Any) -> dict:
    """Conventions recorded in ``df.attrs``: what the numbers assume."""
    import pandas as pd

    def leg_name(value: Any, default: str) -> str:
        return str(value.name) if isinstance(value, pd.Series) and value.name is not None else default

    basis, legs, basis_source = inputs["basis"], settings.pop("legs"), settings.pop("basis_source")
    if basis_source is None:
        no_basis = not isinstance(basis, pd.Series) and basis == 0
        basis_source = "none (b = 0)" if no_basis else "user-supplied"
    default_legs = {"usd": leg_name(inputs["r_usd"], "r_usd"), "jpy": leg_name(inputs["r_jpy"], "r_jpy")}
    return {
        "investor": investor,
        "tenor": str(settings["tenor"]),
        "days": days if isinstance(days, int) else "actual calendar days",
        "hedge": f"rolling {settings['tenor']} FX forward: carry snapshot, not a locked term return",
        "legs": dict(legs) if legs else default_legs,
        "usd_day_count": conv.usd_day_count,
        "jpy_day_count": conv.jpy_day_count,
        "basis_source": basis_source,
        "hedge_ratio": settings["hedge_ratio"],
        "annualisation": settings["annualisation"],
        "expected_fx": "series" if isinstance(inputs["expected_fx"], pd.Series) else inputs["expected_fx"],
        "unit": "% p.a.",
    }


def _table(
    local: Any,
    carry_name: str,
    carry: Any,
    sign: float,
    x: dict,
    scale: int,
    conv: Conventions,
    hedge_ratio: float,
    annualisation: str,
    index: Any,
) -> pd.DataFrame:
    """Columns of a hedged-yield frame; ``sign`` = −1 when ``carry`` is a cost."""
    cols = {
        "local_yield": local,
        "basis": x["basis"],
        carry_name: carry,
        **_decompose(x["r_usd"], x["r_jpy"], x["basis"], carry, scale, conv),
        **_hedged(local, sign * carry, hedge_ratio, x["e"], annualisation),
    }
    order = [
        "local_yield",
        "short_rate_diff",
        "basis",
        "basis_effect",
        "cross_term",
        carry_name,
        "unhedged_fx",
        "compounding",
        "hedged_yield",
    ]
    return _frame(index, cols, order)


def hedged_yield_jpy_investor(
    y_usd: Number,
    r_usd: Number,
    r_jpy: Number,
    basis: Number = 0.0,
    tenor: str | int = "3M",
    hedge_ratio: float = 1.0,
    annualisation: Annualisation = "simple",
    expected_fx: Number = 0.0,
    actual_days: bool = False,
    basis_source: str | None = None,
    legs: Mapping[str, str] | None = None,
    conventions: Conventions | None = None,
) -> pd.DataFrame:
    r"""Yen-hedged yield of a USD bond for a Japanese investor (methods eq. 3), in % p.a.

    .. math::

        y_{\$\to¥} = y_\$ - h\cdot HC + (1 - h)\,E[\Delta S/S]
        \quad\text{(simple)}, \qquad
        (1 + y_\$)\,(1 - h\cdot HC + (1 - h)\,E) - 1 \quad\text{(compound)}

    ``y$`` is the bond yield as quoted (UST BEY, not converted), ``HC`` from
    :func:`hedge_cost` with the same ``annualisation``, ``h`` the hedge ratio,
    ``E`` = ``expected_fx``, the expected % p.a. change in ``S`` (USD
    appreciation positive) earned on the unhedged share. A rolling-hedge *carry
    snapshot*: it assumes today's short-rate gap persists.

    Returns
    -------
    DataFrame on ``y_usd``'s dates (rows with any input missing dropped) with
    columns ``local_yield, short_rate_diff, basis, basis_effect, cross_term,
    hedge_cost, unhedged_fx, compounding, hedged_yield``. Exact identities:
    ``hedge_cost = short_rate_diff + basis_effect + cross_term`` and
    ``hedged_yield = local_yield − h·hedge_cost + unhedged_fx + compounding``
    (``compounding = 0`` for simple). ``df.attrs`` records tenor, days, legs,
    day counts, basis source, hedge ratio and annualisation.
    """
    conv, x, index, days, ratio = _prepare(
        y_usd, r_usd, r_jpy, basis, expected_fx, tenor, hedge_ratio, annualisation, actual_days, conventions
    )
    hc = hedge_cost_from_ratio(ratio, days, annualisation, conv)
    scale = conv.jpy_basis if annualisation == "simple" else conv.compound_basis
    frame = _table(x["y"], "hedge_cost", hc, -1.0, x, scale, conv, hedge_ratio, annualisation, index)
    return _with_attrs(
        frame, "JPY-based investor holding USD bonds, selling USD forward", conv, days,
        {"basis": basis, "r_usd": r_usd, "r_jpy": r_jpy, "expected_fx": expected_fx},
        tenor=tenor, hedge_ratio=hedge_ratio, annualisation=annualisation, basis_source=basis_source, legs=legs,
    )


def _prepare(local: Any, r_usd: Any, r_jpy: Any, basis: Any, expected_fx: Any, tenor: str | int,
             hedge_ratio: float, annualisation: str, actual_days: bool,
             conventions: Conventions | None) -> tuple[Conventions, dict, Any, Any, Any]:
    """Checks, aligns the inputs on the bond's dates and computes F/S (both sides share it)."""
    conv = resolve(conventions)
    _check_hedge_ratio(hedge_ratio)
    _check_annualisation(annualisation)
    x, index = _align(local, conv.max_stale_days, y=local, r_usd=r_usd, r_jpy=r_jpy, basis=basis, e=expected_fx)
    days = _days(tenor, actual_days, index, conv)
    return conv, x, index, days, _ratio(x["r_usd"], x["r_jpy"], x["basis"], days, conv)


def _with_attrs(frame: pd.DataFrame, investor: str, conv: Conventions, days: Any,
                inputs: Mapping[str, Any], **settings: Any) -> pd.DataFrame:
    frame.attrs.update(_attrs(investor, conv, days, inputs, **settings))
    return frame


def hedged_yield_usd_investor(
    y_jpy: Number,
    r_usd: Number,
    r_jpy: Number,
    basis: Number = 0.0,
    tenor: str | int = "3M",
    hedge_ratio: float = 1.0,
    annualisation: Annualisation = "simple",
    convention: PickupConvention = "investor",
    expected_fx: Number = 0.0,
    actual_days: bool = False,
    basis_source: str | None = None,
    legs: Mapping[str, str] | None = None,
    conventions: Conventions | None = None,
) -> pd.DataFrame:
    r"""Dollar-hedged JGB yield for a USD-based investor (methods eq. 4), in % p.a.

    .. math::

        y_{¥\to\$} = y_¥ + h\cdot P + (1 - h)\,E \quad\text{(simple)}, \qquad
        (1 + y_¥)(1 + h\cdot P + (1 - h)\,E) - 1 \quad\text{(compound)}

    ``P`` is :func:`usd_pickup` (``convention="investor"``: ``(S/F − 1)·360/d``;
    ``"yield_basis"``: ``(S/F − 1)·365/d``, on the JGB yield's calendar-year
    basis, so that ``short_rate_diff = r$·365/360 − r¥``;
    ``"mirror"``: exactly the yen investor's :func:`hedge_cost`), ``E`` the
    expected % p.a. change in the dollar value of the yen (yen appreciation
    positive) on the unhedged share.

    Returns
    -------
    DataFrame with ``local_yield, short_rate_diff, basis, basis_effect,
    cross_term, hedge_pickup, unhedged_fx, compounding, hedged_yield``;
    ``hedge_pickup = short_rate_diff + basis_effect + cross_term`` and
    ``hedged_yield = local_yield + h·hedge_pickup + unhedged_fx + compounding``.
    """
    conv, x, index, days, ratio = _prepare(
        y_jpy, r_usd, r_jpy, basis, expected_fx, tenor, hedge_ratio, annualisation, actual_days, conventions
    )
    pickup = _pickup_from_ratio(ratio, days, annualisation, convention, conv)
    if annualisation == "compound":
        scale = conv.compound_basis
    else:
        scale = conv.usd_basis if convention == "investor" else conv.jpy_basis
    frame = _table(x["y"], "hedge_pickup", pickup, 1.0, x, scale, conv, hedge_ratio, annualisation, index)
    frame = _with_attrs(
        frame, "USD-based investor holding JGBs, buying USD forward", conv, days,
        {"basis": basis, "r_usd": r_usd, "r_jpy": r_jpy, "expected_fx": expected_fx},
        tenor=tenor, hedge_ratio=hedge_ratio, annualisation=annualisation, basis_source=basis_source, legs=legs,
    )
    frame.attrs["pickup_convention"] = convention
    return frame


# --------------------------------------------------------------------------- break-evens


def breakeven_table(
    ust_yields: Mapping[str | int, float],
    jgb_yields: Mapping[str | int, float],
    hc: float | Mapping[str | int, float],
    hedge_ratios: Sequence[float] = (1.0, 0.75, 0.5, 0.0),
    expected_fx: float = 0.0,
) -> pd.DataFrame:
    r"""JGB yield at which a yen investor is indifferent to a (partly) hedged UST, per tenor.

    .. math::

        y_¥^* = y_\$ - h\cdot HC + (1 - h)\,E[\Delta S/S], \qquad
        \text{gap\_bp} = (y_¥^* - y_¥)\cdot 100

    (methods §2, "JGB break-even"; additive, as in eq. 3). ``hc`` is one hedge
    cost in % (e.g. 3M rolling) or a mapping per tenor (tenor-matched hedges).
    A positive gap means the hedged UST still beats the JGB (kanryu's GAP has
    the same sign). Tenors are matched as ``"2Y", "5Y", "10Y", ...``; only tenors
    present in both curves are returned.

    Returns
    -------
    Long DataFrame: ``tenor, hedge_ratio, ust_yield, jgb_yield, hedge_cost,
    breakeven_jgb_yield, gap_bp``.
    """
    import pandas as pd

    ust = {bond_tenor_label(k): float(v) for k, v in ust_yields.items()}
    jgb = {bond_tenor_label(k): float(v) for k, v in jgb_yields.items()}
    if isinstance(hc, Mapping):
        costs = {bond_tenor_label(k): float(v) for k, v in hc.items()}
    else:
        costs = dict.fromkeys(ust, float(hc))
    tenors = [t for t in ust if t in jgb and t in costs]
    if not tenors:
        raise ValueError(f"no tenor in common: ust {sorted(ust)}, jgb {sorted(jgb)}")
    rows = []
    for tenor in tenors:
        cost = costs[tenor]
        for h in hedge_ratios:
            _check_hedge_ratio(h)
            star = ust[tenor] - h * cost + (1.0 - h) * expected_fx
            rows.append(
                {
                    "tenor": tenor,
                    "hedge_ratio": float(h),
                    "ust_yield": ust[tenor],
                    "jgb_yield": jgb[tenor],
                    "hedge_cost": cost,
                    "breakeven_jgb_yield": star,
                    "gap_bp": (star - jgb[tenor]) * BP_PER_PP,
                }
            )
    return pd.DataFrame(rows)


def fx_breakeven_move(
    y_usd: Number,
    y_jpy: Number,
    spot: Number,
    horizon_years: float = 1.0,
) -> pd.DataFrame:
    r"""USD/JPY level that wipes out the unhedged carry over ``horizon_years`` (methods §5).

    Long USD funded in yen, simple interest over :math:`\tau` years:

    .. math::

        S^* = S\,\frac{1 + y_¥\,\tau}{1 + y_\$\,\tau}, \qquad
        \text{move\_pct} = \Big(\frac{S^*}{S} - 1\Big)\cdot 100
        \approx -(y_\$ - y_¥)\,\tau

    ``y$``, ``y¥`` in % (bond yields or money-market rates — say which in the
    caller), ``S`` in yen per dollar. Example (methods §5): ~3.8 % carry at
    161 → break-even ≈ 155.

    Returns
    -------
    DataFrame with ``spot, carry, breakeven_spot, move_pct, approx_move_pct``
    (one row for scalar inputs).
    """
    x, index = _align(None, None, y_usd=y_usd, y_jpy=y_jpy, spot=spot)
    tau = float(horizon_years)
    if tau <= 0:
        raise ValueError(f"`horizon_years` must be positive, got {horizon_years}")
    star = x["spot"] * (1.0 + x["y_jpy"] / 100.0 * tau) / (1.0 + x["y_usd"] / 100.0 * tau)
    cols = {
        "spot": x["spot"],
        "carry": x["y_usd"] - x["y_jpy"],
        "breakeven_spot": star,
        "move_pct": (star / x["spot"] - 1.0) * 100.0,
        "approx_move_pct": -(x["y_usd"] - x["y_jpy"]) * tau,
    }
    frame = _frame(index, cols, list(cols))
    frame.attrs.update({"horizon_years": tau, "unit": "spot in JPY per USD; carry and moves in %"})
    return frame
