"""Scenario views: the Monte Carlo of Japanese repatriation and carry unwind, and the list of presets.

``yenflow scenario run`` calibrates the starting state from a point-in-time
market snapshot as of the start date (``--as-of``), runs the model
(:mod:`yenflow.scenario`) and returns the horizon quantiles (main table), the
fan chart, the sensitivity table, the calibration fits and every starting
value with its series and date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from yenflow.views.market import make_result
from yenflow.views.params import ParamError, ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

PATH_HELP = "WHEN:LEVEL pairs separated by commas; WHEN = +6m (months after the start) or YYYY-MM-DD"
QUANTILE_UNITS = {f"q{q}": "the row's unit" for q in ("05", "25", "50", "75", "95")}


@dataclass(frozen=True)
class ScenarioRunParams(ViewParams):
    preset: str | None = opt(None, "Named scenario; `yenflow scenario presets` lists them (default: baseline)")
    presets: str | None = opt(None, "TOML file of user presets ([presets.\"NAME\"] tables)", cli="--presets")
    boj: str | None = opt(None, f"BOJ policy-rate path in % ({PATH_HELP}; LEVEL 1.5, or +0.25 / -0.5 from the start)")
    fed: str | None = opt(None, f"Fed policy-rate path in % ({PATH_HELP})")
    basis: str | None = opt(None, f"3M cross-currency basis path in bp, negative = dollar premium ({PATH_HELP})")
    vol: str | None = opt(None, "USD/JPY volatility: calm, normal (realised 63d at the start), stressed, crisis, "
                                f"or a path in % p.a. ({PATH_HELP}; x2 = twice the start)")
    shock: str | None = opt(None, f"Forced foreign-bond sales by Japanese holders, ¥tn in the month given ({PATH_HELP})")
    boj_jgb_sales: float | None = opt(None, "Extra BOJ JGB run-off beyond what is priced at the start, ¥tn a month")
    elasticities: str | None = opt(None, "Weights of the UST flow-elasticity sets, e.g. imf=1,beltran=1,ahmed_rebucci=2")
    set: tuple[str, ...] = opt((), "Fix a parameter (NAME=VALUE) or give its range (NAME=LOW:HIGH); repeatable",
                               cli="--set")
    paths: int | None = opt(None, "Monte Carlo paths [default: 10000]", minimum=1, maximum=10_000_000)
    horizon: str | None = opt(None, "Horizon, e.g. 36m or 3y, at most 120 months [default: 36m]")
    seed: int | None = opt(None, "Random seed: the same seed gives the same result on every backend", minimum=0)
    noise: float | None = opt(None, "Scale of the random market and flow shocks (0 = none) [default: 1]",
                              minimum=0, maximum=5)
    backend: Literal["auto", "numpy", "threads", "processes", "dask"] = opt(
        "auto", "Where the paths run: auto = from 32,768 paths on a multi-core machine threads with the compiled "
                "engine or a process pool with numpy, else one process (the same seed gives the same numbers on "
                "every backend)")
    engine: Literal["auto", "compiled", "numpy"] = opt(
        "auto", "How each path is computed: compiled (numba, about 3.5x as fast, ~0.5 s to load once per process) "
                "or numpy; auto = whichever is estimated faster for the run (both give the same numbers)")
    workers: int | None = opt(None, "Workers: threads, processes, or a local dask cluster [default: all cores]",
                              minimum=1, maximum=256)
    scheduler: str | None = opt(None, "dask.distributed scheduler address (with --backend dask), e.g. tcp://host:8786")
    top: int = opt(6, "Sensitivity rows per outcome", minimum=1, maximum=60)
    detail: bool = opt(False, "Every fan month, the full parameter table and the intervention episodes")

    def check(self) -> None:
        if self.scheduler and self.backend != "dask":
            raise ParamError("--scheduler", "needs --backend dask")


@dataclass(frozen=True)
class ScenarioPresetsParams(ViewParams):
    presets: str | None = opt(None, "TOML file of user presets, listed after the built-in ones", cli="--presets")


def _path_text(option: str, text: str | None) -> tuple | None:
    if text is None:
        return None
    points = []
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        when, sep, value = item.rpartition(":")
        if not sep or not when.strip() or not value.strip():
            raise ParamError(option, f"{item!r} is not WHEN:VALUE (e.g. +6m:1.5 or 2027-06-30:1.5)")
        points.append((when.strip(), value.strip()))
    return tuple(points)


def _settings(p: ScenarioRunParams) -> tuple[tuple[str, Any], ...]:
    out = []
    for item in p.set:
        name, sep, value = item.partition("=")
        if not sep:
            raise ParamError("--set", f"{item!r} is not NAME=VALUE or NAME=LOW:HIGH")
        try:
            parts = [float(v) for v in value.split(":")]
        except ValueError:
            raise ParamError("--set", f"{item!r}: the value must be a number or LOW:HIGH") from None
        if len(parts) not in (1, 2):
            raise ParamError("--set", f"{item!r}: the value must be a number or LOW:HIGH")
        out.append((name.strip(), parts[0] if len(parts) == 1 else tuple(parts)))
    return tuple(out)


def _weights(text: str | None) -> tuple[tuple[str, float], ...] | None:
    if text is None:
        return None
    out = []
    for item in (t.strip() for t in text.split(",") if t.strip()):
        name, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            out.append((name.strip(), float(value)))
        except ValueError:
            raise ParamError("--elasticities", f"{item!r} is not NAME=WEIGHT") from None
    return tuple(out)


def scenario_inputs(p: ScenarioRunParams) -> Any:
    """The scenario inputs from the preset (default baseline) and the options that change it."""
    from yenflow.scenario import presets
    from yenflow.scenario.inputs import parse_horizon

    base = presets.get(p.preset or "baseline", p.presets)
    vol: Any = None
    if p.vol is not None:
        vol = p.vol.strip().lower() if ":" not in p.vol else _path_text("--vol", p.vol)
    overrides = base.overrides + _settings(p) if p.set else None
    return base.with_(
        boj=_path_text("--boj", p.boj), fed=_path_text("--fed", p.fed), basis_bp=_path_text("--basis", p.basis),
        vol=vol, shock_tn=_path_text("--shock", p.shock), boj_jgb_sales_tn=p.boj_jgb_sales,
        elasticity_weights=_weights(p.elasticities), overrides=overrides, paths=p.paths, seed=p.seed, noise=p.noise,
        horizon_months=parse_horizon(p.horizon) if p.horizon else None,
        as_of=p.as_of.date() if p.as_of is not None else None,
    )


def _fan_rows(fan: "pd.DataFrame", horizon: int, detail: bool) -> "pd.DataFrame":
    if detail:
        return fan
    keep = {1, 3, 6, horizon} | {m for m in range(12, horizon + 1, 12)}
    return fan[fan["month"].isin(keep)].reset_index(drop=True)


def _run_table(r: Any) -> "pd.DataFrame":
    import pandas as pd

    info = dict(r.run)
    weights = info.pop("elasticity_weights")
    rows = [("preset", r.inputs.name, "text"), ("description", r.inputs.description, "text"),
            ("start (as of)", str(r.as_of), "date")]
    units = {"paths": "count", "horizon_months": "months", "seed": "number", "backend": "text", "engine": "text",
             "workers": "count",
             "blocks": "count", "block_size": "paths", "seconds": "s"}
    rows += [(k, str(v), units.get(k, "")) for k, v in info.items()]
    rows += [(f"weight of elasticity set {k}", f"{v:.3f}", "share") for k, v in weights.items()]
    return pd.DataFrame(rows, columns=["setting", "value", "unit"])


@view("scenario_run", ScenarioRunParams,
      "Monte Carlo of Japanese repatriation and carry unwind: quantiles of repatriation, UST 10y, USD/JPY and JGB "
      "yields over the horizon, and which parameters drive the spread.",
      'yenflow scenario run --preset "BOJ 1.5% / Fed 3%" --paths 100000', cli="scenario run")
def scenario_run(market: "Market", p: ScenarioRunParams) -> "ViewResult":
    from yenflow.scenario import prepare, run_prepared
    from yenflow.scenario.calibration import calibrate, snapshot
    from yenflow.scenario.inputs import ScenarioError
    from yenflow.views.result import Chart, Table

    try:
        inputs = scenario_inputs(p)
        snap, start = snapshot(market, inputs.as_of)
        cal = calibrate(snap, start)
        r = run_prepared(prepare(snap.store, inputs.with_(as_of=start), cal), p.backend, p.workers, p.scheduler,
                         engine=p.engine)
    except ScenarioError as e:
        raise ParamError("scenario", str(e)) from None
    h = inputs.horizon_months
    horizon_date = r.fan["date"].iloc[-1]
    tables = [
        Table("horizon", r.horizon, {"variable": "text", "unit": "text", "start": "the row's unit", **QUANTILE_UNITS,
                                     "meaning": "text"},
              title=f"{inputs.name}: quantiles across {inputs.paths:,} paths at {horizon_date} ({h} months from "
                    f"{r.as_of})", decimals={"start": 2, **{c: 2 for c in QUANTILE_UNITS}}),
        Table("fan", _fan_rows(r.fan, h, p.detail), {"variable": "text", "unit": "text", "month": "months",
                                                      "date": "date", **QUANTILE_UNITS},
              title="Fan chart: quantiles by month" + ("" if p.detail else " (months 1, 3, 6, every 12th; --detail for all)"),
              date_column="date", decimals={c: 2 for c in QUANTILE_UNITS},
              chart=Chart("line", y=tuple(QUANTILE_UNITS), x="date", y_title="the variable's unit")),
        Table("sensitivity", r.sensitivity[r.sensitivity["rank"] <= p.top].reset_index(drop=True),
              {"outcome": "text", "outcome_unit": "text", "parameter": "text", "parameter_unit": "text",
               "low_value": "the parameter's unit", "high_value": "the parameter's unit",
               "median_if_low": "the outcome's unit", "median_if_high": "the outcome's unit",
               "swing": "the outcome's unit", "rank": "rank"},
              title="Sensitivity: median outcome at the horizon, parameter in its bottom vs top decile of paths",
              decimals={"low_value": 3, "high_value": 3, "median_if_low": 2, "median_if_high": 2, "swing": 2},
              chart=Chart("bar", y=("swing",), x="parameter", zero_line=True)),
        Table("fits", r.fits, {"fit": "text", "dependent": "text", "regressor": "text", "coef": "see regressor",
                               "se": "see regressor", "t": "ratio", "n": "count", "r2": "ratio", "start": "text",
                               "end": "text", "resid_sd": "JPY tn or pp", "theta": "per month", "theta_se": "per month",
                               "theta_note": "text"},
              title="Calibration fits (OLS, HAC standard errors; flows in ¥tn a month, gaps and yields in pp)",
              decimals={"coef": 4, "se": 4, "t": 2, "r2": 3, "resid_sd": 3, "theta": 4, "theta_se": 4}),
        Table("starting_values", r.starting_values, {"input": "text", "value": "see unit", "unit": "text",
                                                     "source": "text", "ref_date": "date", "note": "text"},
              title=f"Starting state as known on {r.as_of}", date_column="ref_date", decimals={"value": 3}),
        Table("run", _run_table(r), {"setting": "text", "value": "see unit", "unit": "text"}, title="Run"),
    ]
    if p.detail:
        tables.append(Table("parameters", r.parameters,
                            {"parameter": "text", "group": "text", "unit": "text", "distribution": "text",
                             "low": "see unit", "high": "see unit", "mean": "see unit", "sd": "see unit",
                             "central": "see unit", "description": "text", "source": "text"},
                            title="Parameters: distribution per path and source"))
        tables.append(Table("fx_episodes", r.fx_episodes, {"episode": "text", "yen_bought_tn": "JPY tn",
                                                           "usdjpy_before": "JPY per USD", "date_before": "date",
                                                           "usdjpy_after": "JPY per USD", "date_after": "date",
                                                           "pct_per_tn": "% per JPY tn"},
                            title="MOF interventions behind the USD/JPY impact range"))
    conventions = [f"scenario: {inputs.description}" if inputs.description else "", *r.conventions]
    return make_result(snap, "scenario_run", f"Scenario: {inputs.name}", p, tables, conventions, r.warnings)


@view("scenario_presets", ScenarioPresetsParams, "The named scenarios: built in, then those of --presets FILE.",
      "yenflow scenario presets", cli="scenario presets", needs_store=False)
def scenario_presets(market: "Market | None", p: ScenarioPresetsParams) -> "ViewResult":
    import pandas as pd

    from yenflow.scenario import presets
    from yenflow.scenario.inputs import ScenarioError
    from yenflow.views.result import Table

    try:
        available = presets.available(p.presets)
        user = set(presets.load_file(p.presets)) if p.presets else set()
        rows = []
        for name, spec in available.items():
            s = presets.from_mapping(name, spec)
            fmt = lambda pts: ", ".join(f"{w}:{v}" for w, v in pts) or "held"  # noqa: E731
            rows.append({"preset": name, "origin": "user" if name in user else "built in",
                         "boj": fmt(s.boj), "fed": fmt(s.fed), "basis_bp": fmt(s.basis_bp),
                         "vol": s.vol if isinstance(s.vol, str) else fmt(s.vol),
                         "shock_tn": fmt(s.shock_tn) if s.shock_tn else "none", "description": s.description})
    except ScenarioError as e:
        raise ParamError("--presets", str(e)) from None
    table = Table("presets", pd.DataFrame(rows), {"preset": "text", "origin": "text", "boj": "%", "fed": "%",
                                                  "basis_bp": "bp", "vol": "% p.a.", "shock_tn": "JPY tn",
                                                  "description": "text"}, title="Scenario presets")
    return make_result(None, "scenario_presets", "Scenario presets", p, [table], conventions=[
        "paths: WHEN:VALUE, WHEN = +Nm (months after the start date) or a date; VALUE a level, +/-change from the "
        "start, or xN (multiple of the start); 'held' = the starting level throughout",
        "run one with: yenflow scenario run --preset NAME [--presets FILE]"])
