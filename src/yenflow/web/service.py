"""What every route needs: a view's result for raw query parameters, from
the cache or from one read-only run on the store; errors turned into one
JSON shape. Routes parse, call :meth:`ViewService.result`, render."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from yenflow.errors import UnknownSeriesError, YenflowError
from yenflow.views.params import ParamError, option_name
from yenflow.web.cache import Entry, ResultCache
from yenflow.web.storeaccess import StoreBusy, open_read_only, store_version

if TYPE_CHECKING:
    from yenflow.views.registry import ViewSpec

#: how long a request without an earlier result waits for a writer to finish
LOCK_WAIT_S = 30.0
#: how long a request that could show an earlier result waits before showing it
STALE_WAIT_S = 0.3


class NotInBuild(YenflowError):
    """The view is not registered in this build."""


@dataclasses.dataclass
class Answer:
    """A cache entry and whether it predates the store's current version (served during an update)."""

    entry: Entry
    stale: bool = False

    @property
    def value(self) -> Any:
        return self.entry.value


def field_name(spec: "ViewSpec", option: str) -> str:
    """The query parameter a ParamError's option stands for (``--tenor`` → ``bond_tenor``)."""
    for f in dataclasses.fields(spec.params):
        if option in (option_name(f), f.name, f.name.upper()):
            return f.name
    return option.lstrip("-").replace("-", "_")


def web_param_error(spec: "ViewSpec", e: ParamError) -> ParamError:
    """The same error, naming the query parameter instead of the CLI option."""
    name = field_name(spec, e.option)
    return ParamError(name, e.message)


class ViewService:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.cache = ResultCache()

    def spec(self, name: str) -> "ViewSpec":
        from yenflow.views.registry import specs

        found = specs().get(name)
        if found is None:
            raise NotInBuild(f"view {name!r} is not available in this build")
        return found

    def result(self, name: str, raw: Mapping[str, Any]) -> Answer:
        """The view's result (or the error it raised, also cached) for raw parameters.

        Raises ParamError (named after the query parameter), NotInBuild, or
        StoreBusy when the store stays locked and no earlier result exists."""
        from yenflow.views.params import parse

        spec = self.spec(name)
        try:
            params = parse(spec.params, raw)
        except ParamError as e:
            raise web_param_error(spec, e) from None
        key = (name, tuple(sorted((k, _hashable(v)) for k, v in params.as_dict().items())))
        version = store_version(self.db_path) if spec.needs_store else (0,)
        entry = self.cache.get(key, version)
        if entry is not None:
            return Answer(entry)
        earlier = self.cache.latest(key)
        try:
            return Answer(self.cache.get_or_compute(key, version, lambda: self._run(spec, params, earlier is not None)))
        except StoreBusy:
            if earlier is None:
                raise
            return Answer(earlier, stale=True)

    def _run(self, spec: "ViewSpec", params: Any, can_wait_less: bool) -> Any:
        from yenflow.views import registry

        try:
            if not spec.needs_store:
                return registry.run(None, spec.name, params)
            with open_read_only(self.db_path, STALE_WAIT_S if can_wait_less else LOCK_WAIT_S) as store:
                return registry.run(store, spec.name, params)
        except StoreBusy:
            raise
        except ParamError as e:
            return web_param_error(spec, e)
        except YenflowError as e:  # missing inputs, unknown series: part of the answer, cached with it
            return e


def _hashable(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def error_status(e: BaseException) -> int:
    """HTTP status of a library error: 422 bad parameter, 404 missing view or data, 503 store busy, 500 otherwise."""
    from yenflow.views.market import MissingInputError

    if isinstance(e, ParamError):
        return 422
    if isinstance(e, (NotInBuild, MissingInputError, UnknownSeriesError)):
        return 404
    if isinstance(e, StoreBusy):
        return 503
    return 500


def error_body(e: BaseException) -> dict[str, Any]:
    """The one JSON error shape: ``{"ok": false, "status", "error", "parameter"}``."""
    status = error_status(e)
    return {"ok": False, "status": status, "error": str(e),
            "parameter": e.option if isinstance(e, ParamError) else None}
