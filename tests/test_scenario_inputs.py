"""Scenario inputs: one-line errors for bad inputs, path resolution, TOML presets (no store needed)."""

from __future__ import annotations

from datetime import date

import pytest

from yenflow.errors import YenflowError
from yenflow.scenario import presets
from yenflow.scenario.inputs import (
    ScenarioError,
    ScenarioInputs,
    month_dates,
    parse_horizon,
    resolve_flows,
    resolve_path,
    validate,
)
from yenflow.scenario.parameters import ELASTICITY_SETS, Parameter, apply_overrides, normalised_weights

START = date(2026, 6, 30)


def _one_line(excinfo) -> str:
    message = str(excinfo.value)
    assert "\n" not in message and isinstance(excinfo.value, YenflowError)
    return message


@pytest.mark.parametrize("paths", [0, -5])
def test_non_positive_paths(paths):
    with pytest.raises(ScenarioError) as e:
        validate(ScenarioInputs(paths=paths))
    assert _one_line(e) == f"paths must be a positive whole number, got {paths}"


def test_horizon_beyond_the_limit():
    with pytest.raises(ScenarioError) as e:
        validate(ScenarioInputs(horizon_months=121))
    assert _one_line(e) == "horizon 121 months is beyond the limit of 120 months"
    assert parse_horizon("36m") == 36 and parse_horizon("3y") == 36 and parse_horizon(24) == 24
    with pytest.raises(ScenarioError) as e:
        parse_horizon("three years")
    assert "36m" in _one_line(e)


def test_unknown_preset_lists_the_choices():
    with pytest.raises(ScenarioError) as e:
        presets.get("BOJ 3%")
    assert _one_line(e) == ("unknown preset 'BOJ 3%'; choose one of: 'baseline', 'BOJ 1.5% / Fed 3%', "
                            "'August-2024-style carry unwind', 'disorderly repatriation'")


def test_policy_path_dates_out_of_order():
    with pytest.raises(ScenarioError) as e:
        resolve_path("BOJ policy rate", (("2027-06-30", 1.5), ("2027-01-31", 1.25)), 1.0, START, 36, (-1, 10))
    assert _one_line(e) == "BOJ policy rate path: dates must be in increasing order; 2027-01-31 comes after 2027-06-30"
    with pytest.raises(ScenarioError) as e:
        resolve_path("Fed policy rate", (("2026-01-31", 3.0),), 3.6, START, 36, (-1, 15))
    assert _one_line(e) == "Fed policy rate path: 2026-01-31 is before the start date 2026-06-30"
    with pytest.raises(ScenarioError) as e:
        resolve_path("BOJ policy rate", (("+3m", 25.0),), 1.0, START, 36, (-1, 10))
    assert "outside the allowed -1 to 10" in _one_line(e)
    with pytest.raises(ScenarioError) as e:
        resolve_path("BOJ policy rate", (("next year", 1.5),), 1.0, START, 36, (-1, 10))
    assert "neither a date" in _one_line(e)


def test_paths_are_step_functions_on_the_month_grid():
    dates = month_dates(START, 12)
    assert dates[1] == date(2026, 7, 30) and dates[2] == date(2026, 8, 30) and dates[8] == date(2027, 2, 28)
    values, warnings = resolve_path("BOJ policy rate", (("+3m", 1.25), ("2027-01-15", "+0.5"), ("2030-01-01", 2.0)),
                                    1.0, START, 12, (-1, 10))
    # +3m = 2026-09-30 applies from month 3; 2027-01-15 from the first month on/after it (month 7, 2027-01-30)
    assert values == [1.0, 1.0, 1.0, 1.25, 1.25, 1.25, 1.25, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]
    assert warnings == ["BOJ policy rate path: the point at 2030-01-01 is past the horizon (2027-06-30) and is ignored"]
    vol, _ = resolve_path("USD/JPY volatility", (("+1m", "x2"), ("+2m", "x1.5")), 8.0, START, 3, (1, 80))
    assert vol == [8.0, 16.0, 12.0, 12.0]
    assert resolve_flows("shock", (("+1m", 5.0), ("+1m", 2.0), ("+3m", 1.0)), START, 3) == [0.0, 7.0, 0.0, 1.0]


def test_toml_presets_load_and_replace_builtins(tmp_path):
    f = tmp_path / "presets.toml"
    f.write_text(
        '[presets."BOJ 2% shock"]\n'
        'description = "BOJ to 2% within six months"\n'
        'horizon = "2y"\n'
        'boj = [["+3m", 1.5], ["+6m", 2.0]]\n'
        'vol = [["+1m", "x1.5"]]\n'
        'shock_tn = [["+1m", 3.0]]\n'
        'elasticity_weights = { beltran = 1 }\n'
        '[presets."BOJ 2% shock".overrides]\n'
        'carry_kappa = [2.0, 3.0]\n'
        'threshold_mult = 0.5\n', encoding="utf-8")
    names = list(presets.available(f))
    assert names[-1] == "BOJ 2% shock" and "baseline" in names
    s = presets.get("BOJ 2% shock", f)
    assert s.horizon_months == 24 and s.boj == (("+3m", 1.5), ("+6m", 2.0)) and s.vol == (("+1m", "x1.5"),)
    assert s.shock_tn == (("+1m", 3.0),) and dict(s.elasticity_weights) == {"beltran": 1.0}
    assert dict(s.overrides) == {"carry_kappa": (2.0, 3.0), "threshold_mult": 0.5}
    bad = tmp_path / "bad.toml"
    bad.write_text('[presets."x"]\nbojj = []\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        presets.get("x", bad)
    assert _one_line(e).startswith("preset 'x': unknown field 'bojj'")
    broken = tmp_path / "broken.toml"
    broken.write_text("[presets\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        presets.available(broken)
    assert "not valid TOML" in _one_line(e)
    with pytest.raises(ScenarioError) as e:
        presets.available(tmp_path / "missing.toml")
    assert _one_line(e).endswith("missing.toml not found")


def test_builtin_presets_are_valid_inputs():
    for name in presets.BUILTIN:
        s = presets.get(name)
        validate(s)
        assert s.name == name and s.description


def test_overrides_and_weights_are_checked():
    p = [Parameter("carry_kappa", "d", "u", "uniform", 1.5, 3.0, "s", "carry")]
    assert apply_overrides(p, (("carry_kappa", 2.0),))[0].dist == "fixed"
    assert apply_overrides(p, (("carry_kappa", (2.0, 2.5)),))[0].low == 2.0
    with pytest.raises(ScenarioError) as e:
        apply_overrides(p, (("carry_kapa", 2.0),))
    assert _one_line(e).startswith("unknown parameter 'carry_kapa'")
    with pytest.raises(ScenarioError) as e:
        apply_overrides(p, (("carry_kappa", (3.0, 2.0)),))
    assert "low <= high" in _one_line(e)
    w = normalised_weights({"imf": 1, "beltran": 3})
    assert w == {"imf": 0.25, "beltran": 0.75, "ahmed_rebucci": 0.0}
    assert normalised_weights({}) == pytest.approx({s.key: 1.0 / 3 for s in ELASTICITY_SETS})
    with pytest.raises(ScenarioError) as e:
        normalised_weights({"warnock": 1})
    assert _one_line(e).startswith("unknown elasticity set 'warnock'")
