"""Named scenarios, built in and from a user TOML file.

A preset is a table of :class:`~yenflow.scenario.inputs.ScenarioInputs`
fields. Paths use offsets from the start date, so a preset applies from any
``--as-of``. TOML layout (``yenflow scenario run --presets FILE --preset NAME``)::

    [presets."BOJ 2% shock"]
    description = "BOJ to 2% within six months, Fed unchanged"
    horizon = "36m"                         # or a number of months
    boj = [["+3m", 1.5], ["+6m", 2.0]]      # levels, "+0.25" changes or dates "2027-06-30"
    fed = []
    basis_bp = [["+1m", -40]]
    vol = "stressed"                        # calm | normal | stressed | crisis, or a path [["+1m", "x2"]]
    boj_jgb_sales_tn = 0.0                  # extra BOJ JGB run-off, ¥tn per month
    shock_tn = [["+1m", 5.0]]               # forced foreign-bond sales, ¥tn in that month
    elasticity_weights = { imf = 1, beltran = 1, ahmed_rebucci = 2 }
    noise = 1.0
    [presets."BOJ 2% shock".overrides]     # parameter = value, or [low, high]
    carry_kappa = [2.0, 3.0]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yenflow.scenario.inputs import ScenarioError, ScenarioInputs, parse_horizon

BUILTIN: dict[str, dict[str, Any]] = {
    "baseline": {
        "description": "Policy rates, basis and volatility held at their starting levels; flows respond only to noise "
                       "and to each other",
    },
    "BOJ 1.5% / Fed 3%": {
        "description": "BOJ to 1.5% in two 25 bp steps (+3m, +6m); Fed to 3% by +9m",
        "boj": [["+3m", 1.25], ["+6m", 1.5]],
        "fed": [["+3m", 3.375], ["+6m", 3.125], ["+9m", 3.0]],
    },
    "August-2024-style carry unwind": {
        "description": "A BOJ hike of 15 bp, volatility doubling for a month then fading, the Fed cutting 100 bp "
                       "over six months (as from July 2024)",
        "boj": [["+1m", "+0.15"]],
        "fed": [["+3m", "-0.5"], ["+5m", "-0.75"], ["+6m", "-1.0"]],
        "vol": [["+1m", "x2.0"], ["+2m", "x1.6"], ["+3m", "x1.3"], ["+4m", "x1.0"]],
    },
    "disorderly repatriation": {
        "description": "BOJ to 2% within a year, basis to −60 bp, stressed volatility, ¥5tn a month of forced "
                       "foreign-bond sales for six months, elasticities tilted to the high estimates",
        "boj": [["+2m", "+0.5"], ["+6m", "+0.75"], ["+12m", "+1.0"]],
        "basis_bp": [["+1m", -60]],
        "vol": "stressed",
        "shock_tn": [[f"+{m}m", 5.0] for m in range(1, 7)],
        "elasticity_weights": {"imf": 0.2, "beltran": 0.3, "ahmed_rebucci": 0.5},
        "overrides": {"threshold_mult": [0.5, 1.0]},
    },
}

_FIELDS = {"description", "as_of", "horizon", "boj", "fed", "basis_bp", "vol", "boj_jgb_sales_tn", "shock_tn",
           "elasticity_weights", "overrides", "noise", "paths", "seed"}


def _points(name: str, key: str, value: Any) -> tuple:
    if not isinstance(value, (list, tuple)) or not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in value):
        raise ScenarioError(f"preset {name!r}: {key} must be a list of [when, value] pairs, got {value!r}")
    return tuple((str(w), v) for w, v in value)


def from_mapping(name: str, spec: dict[str, Any]) -> ScenarioInputs:
    """Scenario inputs from one preset table (built-in or TOML)."""
    from datetime import date

    unknown = set(spec) - _FIELDS
    if unknown:
        raise ScenarioError(f"preset {name!r}: unknown field {sorted(unknown)[0]!r}; allowed: {', '.join(sorted(_FIELDS))}")
    kw: dict[str, Any] = {"name": name, "description": str(spec.get("description", ""))}
    for key in ("boj", "fed", "basis_bp", "shock_tn"):
        if key in spec:
            kw[key] = _points(name, key, spec[key])
    if "vol" in spec:
        kw["vol"] = spec["vol"] if isinstance(spec["vol"], str) else _points(name, "vol", spec["vol"])
    if "horizon" in spec:
        kw["horizon_months"] = parse_horizon(spec["horizon"])
    if "as_of" in spec:
        try:
            kw["as_of"] = spec["as_of"] if isinstance(spec["as_of"], date) else date.fromisoformat(str(spec["as_of"]))
        except ValueError:
            raise ScenarioError(f"preset {name!r}: as_of {spec['as_of']!r} is not a date YYYY-MM-DD") from None
    for key in ("boj_jgb_sales_tn", "noise"):
        if key in spec:
            kw[key] = float(spec[key])
    for key in ("paths", "seed"):
        if key in spec:
            kw[key] = spec[key]
    if "elasticity_weights" in spec:
        kw["elasticity_weights"] = tuple((str(k), float(v)) for k, v in dict(spec["elasticity_weights"]).items())
    if "overrides" in spec:
        kw["overrides"] = tuple((str(k), tuple(v) if isinstance(v, list) else v) for k, v in dict(spec["overrides"]).items())
    return ScenarioInputs(**kw)


def load_file(path: str | Path) -> dict[str, dict[str, Any]]:
    """User presets from a TOML file (``[presets."NAME"]`` tables)."""
    import tomllib

    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"preset file {p} not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"preset file {p}: not valid TOML ({e})") from None
    presets = data.get("presets")
    if not isinstance(presets, dict) or not presets:
        raise ScenarioError(f'preset file {p}: expected one or more [presets."NAME"] tables')
    return presets


def available(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Built-in presets, then the user's (a user preset may replace a built-in one of the same name)."""
    out = dict(BUILTIN)
    if path:
        out.update(load_file(path))
    return out


def get(name: str, path: str | Path | None = None) -> ScenarioInputs:
    presets = available(path)
    if name not in presets:
        raise ScenarioError(f"unknown preset {name!r}; choose one of: {', '.join(repr(n) for n in presets)}")
    return from_mapping(name, presets[name])
