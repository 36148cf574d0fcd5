"""The registry of views: name → parameters class, function, CLI command.

Views register themselves with :func:`view` when their module is imported;
:func:`specs` imports every view module (cheap: pandas is imported inside the
functions) so the CLI, the web API and the report can list them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping

from yenflow.errors import YenflowError
from yenflow.views.params import ParamError, ViewParams, parse

if TYPE_CHECKING:
    from yenflow.store import Store
    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

#: modules holding views, imported on first use of the registry
VIEW_MODULES = (
    "yenflow.views.data",
    "yenflow.views.monitor",
    "yenflow.views.answer",
    "yenflow.views.flows",
    "yenflow.views.rates",
    "yenflow.views.carry",
    "yenflow.views.auctions",
    "yenflow.views.intervention",
    "yenflow.views.holdings",
    "yenflow.views.headline",
    "yenflow.views.wealth",
    "yenflow.views.by_country",
    "yenflow.views.style",
    "yenflow.views.inflation",
    "yenflow.views.carry_size",
    "yenflow.views.equity_flows",
    "yenflow.views.episode",
    "yenflow.views.scenario",
    "yenflow.views.signals",
    "yenflow.views.alerts",
    "yenflow.views.events",
    "yenflow.views.curves",
    "yenflow.views.flow_history",
)

ViewFunction = Callable[["Market", Any], "ViewResult"]


def with_config_defaults(spec: "ViewSpec", raw: dict[str, Any]) -> ViewParams:
    """Parameters from ``raw``, with the config file's ``[views.<name>]`` as defaults;
    a bad default is reported against the config file."""
    from yenflow.config import ConfigError, config_path, view_defaults
    from yenflow.views.params import fields_of, option_name

    defaults = view_defaults(spec.name)
    given = {k: v for k, v in raw.items() if v is not None}
    try:
        return parse(spec.params, {**defaults, **given})
    except ParamError as e:
        names = {option_name(f): f.name for f, _, _ in fields_of(spec.params)}
        field_name = names.get(e.option, e.option)
        if field_name in defaults and field_name not in given:
            raise ConfigError(f"config file {config_path()}: [views.{spec.name}] {field_name}: "
                              f"{e.message} ({e.option} on the command line)") from None
        raise


@dataclass(frozen=True)
class ViewSpec:
    name: str
    params: type[ViewParams]
    function: ViewFunction
    summary: str
    example: str
    cli: str | None  # command name, None when the view has no command of its own
    needs_store: bool = True


_REGISTRY: dict[str, ViewSpec] = {}


def view(name: str, params: type[ViewParams], summary: str, example: str, cli: str | None = "",
         needs_store: bool = True) -> Callable[[ViewFunction], ViewFunction]:
    """Register a view function ``fn(market, params) -> ViewResult``.
    ``cli=""`` names the command after the view (underscores → hyphens)."""

    def deco(fn: ViewFunction) -> ViewFunction:
        command = name.replace("_", "-") if cli == "" else cli
        _REGISTRY[name] = ViewSpec(name, params, fn, summary, example, command, needs_store)
        return fn

    return deco


def specs() -> dict[str, ViewSpec]:
    """Every view, in :data:`VIEW_MODULES` order (then registration order): the same order of
    commands and docs whichever view module was imported first."""
    for module in VIEW_MODULES:
        importlib.import_module(module)
    rank = {m: i for i, m in enumerate(VIEW_MODULES)}
    ordered = sorted(_REGISTRY.values(), key=lambda s: rank.get(s.function.__module__, len(rank)))
    return {s.name: s for s in ordered}


def get(name: str) -> ViewSpec:
    all_specs = specs()
    try:
        return all_specs[name]
    except KeyError:
        raise ParamError("view", f"{name!r} is not a view; one of: {', '.join(sorted(all_specs))}") from None


def run(store: "Store | None", name: str, params: "ViewParams | Mapping[str, Any] | None" = None) -> "ViewResult":
    """Run view ``name`` on ``store`` with typed or raw (string) parameters."""
    from yenflow.views.market import Market

    spec = get(name)
    p = params if isinstance(params, ViewParams) else with_config_defaults(spec, dict(params or {}))
    if not isinstance(p, spec.params):
        raise YenflowError(f"view {name!r} takes {spec.params.__name__}, got {type(p).__name__}")
    market = Market(store, p.as_of) if store is not None else None
    return spec.function(market, p)  # type: ignore[arg-type]
