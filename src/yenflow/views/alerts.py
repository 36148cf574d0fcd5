"""The alerts view: every rule of a rules file evaluated on the store (as of a
date), one row per match (:mod:`yenflow.alerts`). Reads only: the ``alerts``
command logs and posts the new matches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ParamError, ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.alerts import Rule, Rules
    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

DEFAULT_DAYS = 45
UNITS = {"rule": "text", "kind": "text", "target": "text", "date": "date", "value": "in unit column", "unit": "text",
         "condition": "text", "new": "yes/no"}


@dataclass(frozen=True)
class AlertsParams(ViewParams):
    rules: str | None = opt(None, "Rules file, TOML (default: alerts.toml in the store folder, else the example shipped "
                                  "with yenflow)")
    since: date | None = opt(None, f"Matches dated on or after this day (default: {DEFAULT_DAYS} days before the latest "
                                   "market date in the store, or before --as-of)")


def home_of(market: "Market") -> "Any":
    return market.store.path.parent if getattr(market.store, "path", None) is not None else None


def _label(rules: "Rules", rule: "Rule") -> str:
    return f"rule {rules.rules.index(rule) + 1} ({rule.name!r})"


def _check_unit(rules: "Rules", rule: "Rule", unit: str) -> None:
    from yenflow.alerts import RulesError

    if rule.unit is not None and rule.unit != unit:
        raise RulesError(rules.where, f"{rule.unit!r} does not match the target's unit {unit!r}", _label(rules, rule), "unit")


def _series_values(market: "Market", rules: "Rules", rule: "Rule") -> "tuple[pd.Series, str]":
    from yenflow.alerts import RulesError

    if not market.has(rule.target):
        raise RulesError(rules.where, f"{rule.target!r} is not in the store (see `yenflow series`)", _label(rules, rule),
                         "series")
    s = market.series(rule.target, role=f"alert: {rule.name}")
    return s, s.attrs.get("unit") or ""


def _view_values(market: "Market", rules: "Rules", rule: "Rule", since: "pd.Timestamp") -> "tuple[pd.Series, str]":
    import pandas as pd

    from yenflow.alerts import RulesError
    from yenflow.views import registry
    from yenflow.views.params import fields_of, parse

    label = _label(rules, rule)
    try:
        spec = registry.get(rule.target)
    except ParamError as e:
        raise RulesError(rules.where, e.message, label, "view") from None
    if rule.target == "alerts":
        raise RulesError(rules.where, "a rule cannot watch the alerts themselves", label, "view")
    raw = {**rule.params, "as_of": market.as_of}
    names = {f.name for f, _, _ in fields_of(spec.params)}
    if "start" in names and "start" not in raw:  # a view with a history: read it from before --since
        raw["start"] = (since - pd.Timedelta(days=35)).date()
    try:
        params = parse(spec.params, raw)
    except ParamError as e:
        raise RulesError(rules.where, e.message, label, f"params.{e.option.lstrip('-').replace('-', '_')}") from None
    result = spec.function(market, params)
    tables = [t for t in result.tables if (rule.table is None or t.name == rule.table)]
    tables = [t for t in tables if rule.column in t.columns()]
    if not tables:
        have = sorted({c for t in result.tables for c in t.columns()})
        raise RulesError(rules.where, f"{rule.column!r} is not a column of {rule.target}"
                         + (f" table {rule.table!r}" if rule.table else "") + f"; columns: {', '.join(have)}", label,
                         "column")
    t = tables[0]
    flat = t.flat()
    if t.kind == "series":
        values = pd.Series(flat[rule.column].to_numpy(dtype="float64"), index=pd.DatetimeIndex(flat.iloc[:, 0]))
    else:
        if rule.row is not None:
            flat = flat[flat.iloc[:, 0].astype(str) == rule.row]
        if len(flat) != 1:
            raise RulesError(rules.where, f"table {t.name!r} has {len(flat)} rows; name one with row = \"…\" (its "
                                          "first column)", label, "row")
        when = flat[t.date_column].iloc[0] if t.date_column in flat else (market.as_of or pd.Timestamp.now()).date()
        values = pd.Series([float(flat[rule.column].iloc[0])], index=pd.DatetimeIndex([pd.Timestamp(when)]))
    return values, t.units.get(rule.column, "")


def _signal_values(market: "Market", rules: "Rules", rule: "Rule", since: "pd.Timestamp", end: "pd.Timestamp"
                   ) -> "tuple[pd.Series, str]":
    import pandas as pd

    from yenflow.alerts import RulesError
    from yenflow.analytics.signals import BY_NAME, default_weights
    from yenflow.views.signals import build

    if rule.target != "composite" and rule.target not in BY_NAME:
        raise RulesError(rules.where, f"{rule.target!r} is not a signal; one of: composite, {', '.join(BY_NAME)}",
                         _label(rules, rule), "signal")
    sig = build(market, since - pd.Timedelta(days=14), end, default_weights())
    s = sig.composite if rule.target == "composite" else sig.z.get(rule.target, pd.Series(dtype="float64"))
    return s.loc[since - pd.Timedelta(days=14): end], "z"


@view("alerts", AlertsParams, "Alert rules (TOML) checked on the store: conditions on any series, view figure or the "
      "sell-Japan signal; one row per match.", "yenflow alerts --since 2026-06-01", cli=None)
def alerts(market: "Market", p: AlertsParams) -> "ViewResult":
    import pandas as pd

    from yenflow.alerts import LOG_FILE, key, load_rules, matches, read_log
    from yenflow.views.monitor import monitor_date
    from yenflow.views.result import Table

    home = home_of(market)
    rules = load_rules(p.rules, home)
    try:
        end = monitor_date(market)
    except MissingInputError:  # no daily market series: the as-of date, else today
        end = pd.Timestamp((market.as_of or pd.Timestamp.now(tz="UTC").tz_localize(None)).date())
    since = pd.Timestamp(p.since) if p.since else end - pd.Timedelta(days=DEFAULT_DAYS)
    seen = read_log(home / LOG_FILE) if home is not None else set()
    rows, warnings = [], []
    for rule in rules.rules:
        if rule.kind == "series":
            values, unit = _series_values(market, rules, rule)
        elif rule.kind == "view":
            values, unit = _view_values(market, rules, rule, since)
        else:
            values, unit = _signal_values(market, rules, rule, since, end)
        _check_unit(rules, rule, unit)
        values = values.loc[:end]
        if values.dropna().loc[since:].empty:
            last = values.dropna().index.max()
            warnings.append(f"{rule.name}: no value since {since:%Y-%m-%d}"
                            + (f" (latest {last:%Y-%m-%d})" if pd.notna(last) else ""))
        target = rule.target if rule.kind != "view" else f"{rule.target}.{rule.column}" + "".join(
            f" {k}={v}" for k, v in rule.params.items())
        for when, value in matches(rule, values, since).items():
            row = {"rule": rule.name, "kind": rule.kind, "target": target, "date": pd.Timestamp(when), "value": float(value),
                   "unit": unit, "condition": rule.condition}
            row["new"] = key(row) not in seen
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(UNITS)).sort_values(["date", "rule"], kind="stable").reset_index(drop=True)
    title = f"Alerts since {since:%Y-%m-%d} ({len(frame)} match{'es' if len(frame) != 1 else ''}, {int(frame['new'].sum())} new)"
    conventions = [
        f"rules: {rules.where} ({len(rules.rules)} rules); a rule matches on a date when its condition starts to hold "
        "(every = true: on every date it holds); values in the target's unit (series: the catalog's; signals: z)",
        f"dates: the date each figure refers to; checked from {since:%Y-%m-%d} to {end:%Y-%m-%d}, on figures "
        "published by then (point in time with --as-of)",
        f"new: not yet in {LOG_FILE} in the store folder; `yenflow alerts` appends the new matches there and posts them "
        "to the rules file's webhook (`yenflow update` does the same with alerts.toml after every update)",
    ]
    table = Table("matches", frame, UNITS, title=title, date_column="date")
    return make_result(market, "alerts", title, p, [table], conventions, warnings)
