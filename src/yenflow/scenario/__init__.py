"""Monte Carlo scenarios of Japanese repatriation and carry unwind, and what they do to Treasuries and the yen.

``run_scenario(store, preset="BOJ 1.5% / Fed 3%", paths=100_000)`` calibrates
the starting state from the store as of the start date, samples every
parameter per path, runs the monthly model (:mod:`yenflow.scenario.model`)
with the chosen backend and returns a :class:`ScenarioResult` of DataFrames.
See ``docs/scenario.md`` for every equation, parameter, source and unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from yenflow.scenario.inputs import ScenarioError, ScenarioInputs, validate

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.scenario.calibration import Calibration
    from yenflow.store import Store

__all__ = ["ScenarioError", "ScenarioInputs", "ScenarioResult", "prepare", "run_scenario", "run_prepared"]

CONVENTIONS = (
    "a partial-equilibrium, literature-calibrated model: ranges, not forecasts (methods §10)",
    "repatriation = cumulative net sales of foreign securities by Japanese holders, + = money coming home; "
    "¥tn, and $bn at each month's simulated USD/JPY",
    "hedging: 3M rolling forward, simple annualisation, r$ = SOFR-type leg ACT/360, r¥ = TONA/3M leg ACT/365F, "
    "basis on the JPY leg (negative = dollar premium), as in yenflow.analytics.hedging",
    "policy-rate paths move the money-market legs one for one; UST/JGB yields move by the fitted pass-through",
    "UST 10y change in bp from the start; USD/JPY in yen per dollar; JGB yields in % (MOF constant maturity)",
    "quantiles q05…q95 across paths for each month (exact, numpy linear interpolation); fan months: monthly to 12, "
    "quarterly to 36, half-yearly after",
    "sensitivity: median outcome at the horizon, parameter's top vs bottom decile of paths ('swing')",
)


@dataclass
class ScenarioResult:
    inputs: ScenarioInputs
    as_of: date
    horizon: "pd.DataFrame"
    fan: "pd.DataFrame"
    sensitivity: "pd.DataFrame"
    parameters: "pd.DataFrame"
    fits: "pd.DataFrame"
    starting_values: "pd.DataFrame"
    fx_episodes: "pd.DataFrame"
    run: dict[str, Any]
    conventions: list[str]
    warnings: list[str] = field(default_factory=list)
    raw: Any = None


@dataclass
class Prepared:
    inputs: ScenarioInputs
    calibration: "Calibration"
    job: Any
    dates: list
    params: list
    warnings: list[str]


def prepare(store: "Store", inputs: ScenarioInputs, calibration: "Calibration | None" = None) -> Prepared:
    """Validate, calibrate (unless given) and build the job the runners execute."""
    from yenflow.scenario.calibration import calibrate
    from yenflow.scenario.drivers import build_drivers, start_state
    from yenflow.scenario.parameters import apply_overrides, normalised_weights, parameter_table
    from yenflow.scenario.runners import Job

    validate(inputs)
    cal = calibration if calibration is not None else calibrate(store, inputs.as_of)
    drivers, warnings, dates = build_drivers(inputs, cal)
    params = apply_overrides(parameter_table(cal), inputs.overrides)
    weights = normalised_weights(dict(inputs.elasticity_weights))
    job = Job(start_state(cal), drivers, tuple(params), tuple(weights.items()), inputs.noise)
    return Prepared(inputs, cal, job, dates, params, list(cal.warnings) + warnings)


def run_prepared(prep: Prepared, backend: str = "auto", workers: int | None = None, scheduler: str | None = None,
                 keep_raw: bool = False, engine: str = "auto") -> ScenarioResult:
    import time

    import pandas as pd

    from yenflow.scenario import runners, summary

    t0 = time.perf_counter()
    raw = runners.run(prep.job, prep.inputs.paths, prep.inputs.seed, backend, workers, scheduler, keep_paths=keep_raw,
                      engine=engine)
    elapsed = time.perf_counter() - t0
    cal, inputs = prep.calibration, prep.inputs
    run_info = {"paths": inputs.paths, "horizon_months": inputs.horizon_months, "seed": inputs.seed,
                "backend": raw.backend, "engine": raw.engine, "workers": raw.workers, "blocks": raw.blocks,
                "block_size": runners.BLOCK_SIZE, "seconds": round(elapsed, 3),
                "elasticity_weights": dict(prep.job.weights)}
    return ScenarioResult(
        inputs=inputs, as_of=cal.as_of,
        horizon=summary.horizon_table(raw, cal.start),
        fan=summary.fan_table(raw, prep.job.drivers.record, prep.dates),
        sensitivity=summary.sensitivity_table(raw, prep.params),
        parameters=summary.parameter_frame(prep.params), fits=summary.fit_frame(cal),
        starting_values=pd.DataFrame(cal.observations), fx_episodes=pd.DataFrame(cal.fx_episodes),
        run=run_info, conventions=list(CONVENTIONS), warnings=prep.warnings, raw=raw if keep_raw else None,
    )


def run_scenario(store: "Store", preset: str | None = None, inputs: ScenarioInputs | None = None,
                 presets_file: str | None = None, backend: str = "auto", workers: int | None = None,
                 scheduler: str | None = None, calibration: "Calibration | None" = None, keep_raw: bool = False,
                 engine: str = "auto", **changes: Any) -> ScenarioResult:
    """Run a preset (or explicit ``inputs``), with ``changes`` (paths, horizon_months, seed, as_of, …) applied."""
    from yenflow.scenario import presets

    if preset is not None and inputs is not None:
        raise ScenarioError("give a preset or explicit inputs, not both")
    base = presets.get(preset, presets_file) if preset is not None else (inputs or ScenarioInputs())
    return run_prepared(prepare(store, base.with_(**changes), calibration), backend, workers, scheduler, keep_raw,
                        engine)
