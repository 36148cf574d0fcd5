"""Scenario inputs: policy-rate, basis and volatility paths, horizon, paths, seed — and their checks.

A *path* is a list of ``(when, value)`` points, a step function: each value
holds from its date until the next point. ``when`` is an ISO date
(``"2027-06-30"``) or an offset from the start date (``"+6m"``, ``"+0m"`` is
the start). ``value`` is a level (``1.5``), a change from the starting level
(``"+0.25"``, ``"-0.5"``) or a multiple of it (``"x2"``, for volatility).

Months: month ``t`` (1…horizon) is the date ``as_of + t`` calendar months; a
point applies from the first month whose date is on or after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from yenflow.errors import YenflowError

MAX_HORIZON_MONTHS = 120
MAX_PATHS = 10_000_000
VOL_REGIMES = ("calm", "normal", "stressed", "crisis")
BACKENDS = ("auto", "numpy", "threads", "processes", "dask")

_OFFSET_RE = re.compile(r"^\+(\d+)m$")
_HORIZON_RE = re.compile(r"^\s*(\d+)\s*([my]?)\s*$", re.IGNORECASE)


class ScenarioError(YenflowError):
    """A scenario input is invalid (the message names the input and what is allowed)."""


PathPoint = tuple[str, "float | str"]


@dataclass(frozen=True)
class ScenarioInputs:
    """Everything a scenario run depends on besides the store.

    Rates in %, basis in bp (negative = dollar premium), volatility in % p.a.,
    BOJ JGB sales and the repatriation shock in ¥tn per month.
    ``boj``/``fed``: policy-rate paths (``()`` = held at the starting level).
    ``vol``: a regime name (``calm``, ``normal`` = realised 63-day vol at the
    start, ``stressed``, ``crisis``) or a path. ``shock``: forced sales of
    foreign bonds by Japanese holders (¥tn in the month given), spread over the
    sectors by their foreign-bond holdings. ``overrides``: parameter name →
    fixed value or ``(low, high)`` range. ``noise`` scales every random shock
    (0 = deterministic paths, the sampled parameters still differ).
    """

    name: str = "custom"
    description: str = ""
    as_of: date | None = None
    horizon_months: int = 36
    paths: int = 10_000
    seed: int = 20240805
    boj: tuple[PathPoint, ...] = ()
    fed: tuple[PathPoint, ...] = ()
    basis_bp: tuple[PathPoint, ...] = ()
    vol: str | tuple[PathPoint, ...] = "normal"
    boj_jgb_sales_tn: float = 0.0
    shock_tn: tuple[PathPoint, ...] = ()
    elasticity_weights: tuple[tuple[str, float], ...] = ()
    overrides: tuple[tuple[str, Any], ...] = ()
    noise: float = 1.0

    def with_(self, **changes: Any) -> "ScenarioInputs":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def parse_horizon(value: int | str) -> int:
    """``36``, ``"36m"`` or ``"3y"`` → months."""
    if isinstance(value, int):
        return value
    m = _HORIZON_RE.match(str(value))
    if not m:
        raise ScenarioError(f"horizon {value!r}: expected a number of months like 36m or years like 3y")
    n = int(m.group(1))
    return n * 12 if m.group(2).lower() == "y" else n


def validate(inputs: ScenarioInputs) -> None:
    """One-line :class:`ScenarioError` for the first invalid input."""
    if not isinstance(inputs.paths, int) or inputs.paths <= 0:
        raise ScenarioError(f"paths must be a positive whole number, got {inputs.paths!r}")
    if inputs.paths > MAX_PATHS:
        raise ScenarioError(f"paths {inputs.paths:,} is beyond the limit of {MAX_PATHS:,}")
    h = inputs.horizon_months
    if not isinstance(h, int) or h <= 0:
        raise ScenarioError(f"horizon must be a positive number of months, got {h!r}")
    if h > MAX_HORIZON_MONTHS:
        raise ScenarioError(f"horizon {h} months is beyond the limit of {MAX_HORIZON_MONTHS} months")
    if not 0.0 <= inputs.noise <= 5.0:
        raise ScenarioError(f"noise scale must be between 0 and 5, got {inputs.noise}")
    if isinstance(inputs.vol, str) and inputs.vol not in VOL_REGIMES:
        raise ScenarioError(f"volatility regime {inputs.vol!r} is unknown; choose one of {', '.join(VOL_REGIMES)} or give a path")
    if not isinstance(inputs.seed, int) or inputs.seed < 0:
        raise ScenarioError(f"seed must be a non-negative whole number, got {inputs.seed!r}")


# --------------------------------------------------------------------------- months and paths


def month_dates(as_of: date, horizon: int) -> list[date]:
    """Dates of months 0…horizon: ``as_of`` plus ``t`` calendar months (day clamped to month end)."""
    import pandas as pd

    start = pd.Timestamp(as_of)
    return [(start + pd.DateOffset(months=t)).date() for t in range(horizon + 1)]


def _point_date(label: str, when: str, as_of: date) -> date:
    m = _OFFSET_RE.match(str(when).strip())
    if m:
        return month_dates(as_of, int(m.group(1)))[-1]
    try:
        return date.fromisoformat(str(when).strip())
    except ValueError:
        raise ScenarioError(f"{label} path: {when!r} is neither a date (YYYY-MM-DD) nor an offset like +6m") from None


def _point_value(label: str, value: float | str, start: float) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    try:
        if text[:1] in "+-":
            return start + float(text)
        if text[:1] in "x×":
            return start * float(text[1:])
        return float(text)
    except ValueError:
        raise ScenarioError(f"{label} path: value {value!r} is not a level, a change like +0.25 or a multiple like x2") from None


def resolve_path(label: str, points: tuple[PathPoint, ...], start: float, as_of: date, horizon: int,
                 bounds: tuple[float, float]) -> tuple["list[float]", list[str]]:
    """Monthly values for months 0…horizon from a step path; warnings for points past the horizon.

    Raises :class:`ScenarioError` when dates are before the start or not in
    increasing order, or a value is outside ``bounds``.
    """
    months = month_dates(as_of, horizon)
    values = [start] * (horizon + 1)
    warnings: list[str] = []
    previous: date | None = None
    for when, raw in points:
        d = _point_date(label, when, as_of)
        if d < as_of:
            raise ScenarioError(f"{label} path: {d} is before the start date {as_of}")
        if previous is not None and d <= previous:
            raise ScenarioError(f"{label} path: dates must be in increasing order; {d} comes after {previous}")
        previous = d
        v = _point_value(label, raw, start)
        if not bounds[0] <= v <= bounds[1]:
            raise ScenarioError(f"{label} path: {v:g} at {d} is outside the allowed {bounds[0]:g} to {bounds[1]:g}")
        if d > months[-1]:
            warnings.append(f"{label} path: the point at {d} is past the horizon ({months[-1]}) and is ignored")
            continue
        first = next(t for t, m in enumerate(months) if m >= d)
        for t in range(first, horizon + 1):
            values[t] = v
    return values, warnings


def resolve_flows(label: str, points: tuple[PathPoint, ...], as_of: date, horizon: int) -> "list[float]":
    """Monthly amounts (not a step path): each point's amount falls in the one month it names."""
    months = month_dates(as_of, horizon)
    out = [0.0] * (horizon + 1)
    for when, raw in points:
        d = _point_date(label, when, as_of)
        if d <= as_of or d > months[-1]:
            raise ScenarioError(f"{label}: {d} must fall after the start {as_of} and within the horizon ({months[-1]})")
        t = next(t for t, m in enumerate(months) if m >= d)
        out[t] += _point_value(label, raw, 0.0)
    return out


@dataclass(frozen=True)
class PathSpec:
    """Bounds used when checking each kind of path."""

    label: str
    bounds: tuple[float, float]
    unit: str


PATH_SPECS = {
    "boj": PathSpec("BOJ policy rate", (-1.0, 10.0), "%"),
    "fed": PathSpec("Fed policy rate", (-1.0, 15.0), "%"),
    "basis_bp": PathSpec("cross-currency basis", (-300.0, 100.0), "bp"),
    "vol": PathSpec("USD/JPY volatility", (1.0, 80.0), "% p.a."),
}
