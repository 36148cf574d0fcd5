"""Fan-chart quantiles, horizon table and the sensitivity (tornado) table from a run.

Sensitivity: for each sampled parameter, the median outcome at the horizon
among the paths whose draw is in the parameter's top decile minus the median
among its bottom decile ("swing"). Parameters are ranked by ``|swing|``; the
random market noise is not a parameter, so a small swing means the parameter
moves the outcome little *relative to the others*, not that the outcome is
certain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yenflow.scenario.model import VARIABLE_INDEX, VARIABLES
from yenflow.scenario.runners import QUANTILES

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from yenflow.scenario.parameters import Parameter
    from yenflow.scenario.runners import RawRun

QUANTILE_COLUMNS = tuple(f"q{int(q * 100):02d}" for q in QUANTILES)
#: flow-driven components, so the market noise (not a parameter) does not blur the ranking
SENSITIVITY_OUTCOMES = ("ust10_flow", "usdjpy_flow", "repatriation_jpy.total", "jgb30")


def fan_table(raw: "RawRun", record: tuple[int, ...], dates: list) -> "pd.DataFrame":
    """Long table: one row per variable and recorded month with the five quantiles."""
    import pandas as pd

    rows = []
    for v, (name, unit, _) in enumerate(VARIABLES):
        for i, m in enumerate(record):
            rows.append({"variable": name, "unit": unit, "month": m, "date": dates[m],
                         **dict(zip(QUANTILE_COLUMNS, raw.quantiles[v, i]))})
    return pd.DataFrame(rows)


def horizon_table(raw: "RawRun", start: dict[str, float]) -> "pd.DataFrame":
    import pandas as pd

    starts = {"usdjpy": start["spot"], "jgb10": start["jgb10"], "jgb30": start["jgb30"], "cftc_net": start["cftc_net"],
              "carry_positions": 37.5 * start["carry_scale"]}  # carry: the central draw of carry_stock (30-45)
    rows = []
    for v, (name, unit, desc) in enumerate(VARIABLES):
        rows.append({"variable": name, "unit": unit, "start": starts.get(name, 0.0),
                     **dict(zip(QUANTILE_COLUMNS, raw.quantiles[v, -1])), "meaning": desc})
    return pd.DataFrame(rows)


def _decile_masks(values: "np.ndarray") -> tuple["np.ndarray", "np.ndarray", float, float] | None:
    import numpy as np

    n = len(values)
    k_lo, k_hi = int(0.1 * (n - 1)), int(0.9 * (n - 1))
    part = np.partition(values, (k_lo, k_hi))
    lo, hi = float(part[k_lo]), float(part[k_hi])
    if hi <= lo:
        return None
    return values <= lo, values >= hi, lo, hi


def sensitivity_table(raw: "RawRun", params: list["Parameter"], top: int | None = None) -> "pd.DataFrame":
    """Tornado rows per outcome, ranked by |swing| (median outcome, top vs bottom decile of the parameter)."""
    import numpy as np
    import pandas as pd

    index = {p.name: p for p in params}
    units = {v[0]: v[1] for v in VARIABLES}
    outcomes = raw.horizon[[VARIABLE_INDEX[name] for name in SENSITIVITY_OUTCOMES]]  # (outcomes, paths)
    rows: list[dict[str, Any]] = []
    for j, name in enumerate(raw.param_names):
        masks = _decile_masks(raw.params[j])
        if masks is None:
            continue
        low_mask, high_mask, lo, hi = masks
        lows, highs = np.median(outcomes[:, low_mask], axis=1), np.median(outcomes[:, high_mask], axis=1)
        for outcome, low, high in zip(SENSITIVITY_OUTCOMES, lows.tolist(), highs.tolist()):
            rows.append({"outcome": outcome, "outcome_unit": units[outcome],
                         "parameter": name, "parameter_unit": index[name].unit, "low_value": lo, "high_value": hi,
                         "median_if_low": low, "median_if_high": high, "swing": high - low})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["abs_swing"] = frame["swing"].abs()
    frame = frame.sort_values(["outcome", "abs_swing"], ascending=[True, False], kind="stable")
    frame["rank"] = frame.groupby("outcome").cumcount() + 1
    if top is not None:
        frame = frame[frame["rank"] <= top]
    order = {o: i for i, o in enumerate(SENSITIVITY_OUTCOMES)}
    frame = frame.sort_values(["outcome", "rank"], key=lambda c: c.map(order) if c.name == "outcome" else c, kind="stable")
    return frame.drop(columns="abs_swing").reset_index(drop=True)


def parameter_frame(params: list["Parameter"]) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame([{"parameter": p.name, "group": p.group, "unit": p.unit, "distribution": p.dist, "low": p.low,
                          "high": p.high, "mean": p.mean, "sd": p.sd, "central": p.central, "description": p.description,
                          "source": p.source} for p in params])


def fit_frame(cal: Any) -> "pd.DataFrame":
    import pandas as pd

    rows = []
    for fit in [*cal.flow_fits.values(), cal.foreign_fit, *cal.passthrough.values()]:
        rows.append({"fit": fit.name, "dependent": fit.series, "regressor": fit.regressor, "coef": fit.coef,
                     "se": fit.se, "t": fit.coef / fit.se if fit.se else float("nan"), "n": fit.n, "r2": fit.r2,
                     "start": fit.start, "end": fit.end, "resid_sd": fit.resid_sd, "theta": fit.theta or None,
                     "theta_se": fit.theta_se or None, "theta_note": fit.theta_source})
    return pd.DataFrame(rows)
