"""From scenario inputs and the calibration to the model's monthly drivers and starting state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yenflow.scenario.inputs import PATH_SPECS, ScenarioInputs, month_dates, resolve_flows, resolve_path
from yenflow.scenario.model import Drivers, Start
from yenflow.scenario.parameters import SECTORS

if TYPE_CHECKING:
    from yenflow.scenario.calibration import Calibration

#: monthly probability of a random volatility jump, by regime (assumption; a path uses "normal")
JUMP_PROB = {"calm": 0.02, "normal": 0.04, "stressed": 0.08, "crisis": 0.15}


def record_months(horizon: int) -> tuple[int, ...]:
    """Months written to the fan charts: monthly to 12, quarterly to 36, half-yearly after, and the horizon."""
    months = [m for m in range(1, horizon + 1) if m <= 12 or (m <= 36 and m % 3 == 0) or m % 6 == 0]
    if months[-1] != horizon:
        months.append(horizon)
    return tuple(months)


def start_state(cal: "Calibration") -> Start:
    s = cal.start
    return Start(
        ust10=s["ust10"], jgb10=s["jgb10"], jgb30=s["jgb30"], spot=s["spot"], r_usd=s["r_usd"], r_jpy=s["r_jpy"],
        fed=s["fed"], boj=s["boj"], vol=s["vol"], basis_bp=s["basis_bp"], jgb_outstanding=s["jgb_outstanding"],
        foreign_jgb=s["foreign_jgb"], foreign_equity=s["foreign_equity"], cftc_net=s["cftc_net"],
        carry_scale=s["carry_scale"],
        portfolio=tuple(cal.sectors[k][0] for k in SECTORS), foreign=tuple(cal.sectors[k][1] for k in SECTORS),
        flow_sd=tuple(cal.flow_fits[k].resid_sd for k in SECTORS), foreign_flow_sd=cal.foreign_fit.resid_sd,
        ust_sd_bp=cal.noise_bp["ust10"], jgb10_sd_bp=cal.noise_bp["jgb10"], jgb30_sd_bp=cal.noise_bp["jgb30"],
    )


def build_drivers(inputs: ScenarioInputs, cal: "Calibration") -> tuple[Drivers, list[str], list]:
    """Monthly drivers, warnings, and the month dates (index 0 = start)."""
    from yenflow.scenario.calibration import VOL_REGIME_LEVELS

    as_of, h, s = cal.as_of, inputs.horizon_months, cal.start
    warnings: list[str] = []

    def path(key: str, points: tuple, start: float) -> list[float]:
        spec = PATH_SPECS[key]
        values, w = resolve_path(spec.label, points, start, as_of, h, spec.bounds)
        warnings.extend(w)
        return values

    fed = path("fed", inputs.fed, s["fed"])
    boj = path("boj", inputs.boj, s["boj"])
    basis = path("basis_bp", inputs.basis_bp, s["basis_bp"])
    if isinstance(inputs.vol, str):
        level = s["vol"] if inputs.vol == "normal" else VOL_REGIME_LEVELS[inputs.vol]
        vol = [s["vol"]] + [level] * h
        jump = JUMP_PROB[inputs.vol]
    else:
        vol = path("vol", inputs.vol, s["vol"])
        jump = JUMP_PROB["normal"]
    shock = resolve_flows("repatriation shock", inputs.shock_tn, as_of, h)
    sales = [0.0] + [inputs.boj_jgb_sales_tn] * h
    drivers = Drivers(tuple(fed), tuple(boj), tuple(basis), tuple(vol), tuple(sales), tuple(shock), jump,
                      record_months(h))
    return drivers, warnings, month_dates(as_of, h)
