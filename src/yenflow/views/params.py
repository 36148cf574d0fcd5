"""Typed view parameters, declared once and validated in one place.

Each view has a frozen dataclass of parameters. A field's type says what it
takes (``int``, ``float``, ``str``, ``bool``, ``date``, ``datetime``, a
``Literal`` of allowed values, ``tuple[str, ...]``, or ``X | None``); its
:func:`opt` metadata gives the help text, the CLI option name and bounds. The
CLI builds its options from these classes, the web API its query parameters,
and :func:`parse` turns raw strings from either into a validated instance,
raising :class:`ParamError` — one line naming the option and what is allowed.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal, Mapping, TypeVar

from yenflow.errors import YenflowError


class ParamError(YenflowError):
    """A parameter is not one the view accepts (exit code 2 on the CLI, HTTP 422 on the web)."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        self.message = message
        super().__init__(f"{option}: {message}")


@dataclass(frozen=True)
class Opt:
    """Metadata of one parameter."""

    help: str
    cli: str | None = None  # option name on the CLI (default: --field-name)
    short: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    argument: bool = False  # positional on the CLI
    cli_hidden: bool = False  # not offered on the CLI (set by the command itself)


def opt(default: Any, help: str, **meta: Any) -> Any:
    """A dataclass field with :class:`Opt` metadata."""
    return field(default=default, metadata={"opt": Opt(help, **meta)})


@dataclass(frozen=True)
class ViewParams:
    """Parameters every view takes."""

    as_of: datetime | None = opt(
        None, "Show it as the store knew it then: figures published by this date (or UTC time), "
              "in the vintage the store had recorded by then (YYYY-MM-DD or YYYY-MM-DDTHH:MM).")

    def check(self) -> None:
        """Cross-field checks (start ≤ end…); raise :class:`ParamError`."""

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


P = TypeVar("P", bound=ViewParams)


def option_name(f: "dataclasses.Field[Any]") -> str:
    meta: Opt | None = f.metadata.get("opt")
    if meta is not None and meta.cli:
        return meta.cli
    return "--" + f.name.replace("_", "-")


def fields_of(cls: type[ViewParams]) -> "list[tuple[dataclasses.Field[Any], Any, Opt]]":
    """(field, resolved type, metadata) of every parameter of ``cls``."""
    hints = typing.get_type_hints(cls)
    return [(f, hints[f.name], f.metadata.get("opt") or Opt("")) for f in dataclasses.fields(cls)]


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def choices(tp: Any) -> tuple[Any, ...] | None:
    """The allowed values of a ``Literal`` type (or ``None``)."""
    tp, _ = _unwrap_optional(tp)
    return typing.get_args(tp) if typing.get_origin(tp) is Literal else None


def describe(tp: Any, meta: Opt, default: Any) -> str:
    """Help text with the allowed values, bounds and default spelled out."""
    parts = [meta.help.rstrip(".") + "."]
    allowed = choices(tp)
    if allowed:
        parts.append("One of: " + ", ".join(str(a) for a in allowed) + ".")
    if meta.minimum is not None and meta.maximum is not None:
        parts.append(f"From {meta.minimum:g} to {meta.maximum:g}.")
    elif meta.minimum is not None:
        parts.append(f"At least {meta.minimum:g}.")
    if default is not None and default is not dataclasses.MISSING and default != () and default is not False:
        parts.append(f"[default: {default}]")
    return " ".join(parts)


def parse(cls: type[P], raw: Mapping[str, Any]) -> P:
    """Build ``cls`` from raw values (strings from a CLI or a URL, or Python
    values); absent or ``None`` keys take the default. Unknown keys are an error."""
    known = {f.name: (f, tp, meta) for f, tp, meta in fields_of(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        allowed = ", ".join(sorted(known))
        raise ParamError(unknown[0], f"unknown parameter; this view takes {allowed}")
    values = {}
    for name, (f, tp, meta) in known.items():
        value = raw.get(name)
        if value is None or (isinstance(value, (list, tuple)) and not value and name not in raw):
            continue
        values[name] = convert(value, tp, meta, option_name(f))
    params = cls(**values)
    params.check()
    return params


def convert(value: Any, tp: Any, meta: Opt, option: str) -> Any:
    """One raw value → the field's type, with bounds checked."""
    inner, optional = _unwrap_optional(tp)
    if value is None:
        if optional:
            return None
        raise ParamError(option, "a value is required")
    allowed = choices(inner)
    if allowed is not None:
        return _choice(value, allowed, option)
    if typing.get_origin(inner) is tuple:
        items = value if isinstance(value, (list, tuple)) else [v for v in str(value).split(",") if v]
        item_tp = typing.get_args(inner)[0]
        return tuple(convert(v, item_tp, Opt(""), option) for v in items)
    if inner is bool:
        return _bool(value, option)
    if inner is int:
        return _bounded(_int(value, option), meta, option)
    if inner is float:
        return _bounded(_float(value, option), meta, option)
    if inner is datetime:
        return parse_datetime(value, option)
    if inner is date:
        return parse_date(value, option)
    if inner is str:
        text = str(value).strip()
        if not text:
            raise ParamError(option, "must not be empty")
        return text
    raise TypeError(f"unsupported parameter type {tp!r}")  # a yenflow bug, caught by tests


def _choice(value: Any, allowed: tuple[Any, ...], option: str) -> Any:
    for a in allowed:
        if str(value).strip().lower() == str(a).lower():
            return a
    raise ParamError(option, f"{value!r} is not allowed; one of: {', '.join(str(a) for a in allowed)}")


def _bool(value: Any, option: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ParamError(option, f"{value!r} is not true or false")


def _int(value: Any, option: str) -> int:
    if isinstance(value, bool):
        raise ParamError(option, "must be a whole number")
    if isinstance(value, int):
        return value
    try:
        f = float(str(value).strip())
    except ValueError:
        raise ParamError(option, f"{value!r} is not a whole number") from None
    if f != int(f):
        raise ParamError(option, f"{value!r} is not a whole number")
    return int(f)


def _float(value: Any, option: str) -> float:
    try:
        f = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        raise ParamError(option, f"{value!r} is not a number") from None
    if f != f or f in (float("inf"), float("-inf")):
        raise ParamError(option, f"{value!r} is not a finite number")
    return f


def _bounded(x: Any, meta: Opt, option: str) -> Any:
    if meta.minimum is not None and x < meta.minimum:
        raise ParamError(option, f"{x:g} is below the minimum {meta.minimum:g}" + _range(meta))
    if meta.maximum is not None and x > meta.maximum:
        raise ParamError(option, f"{x:g} is above the maximum {meta.maximum:g}" + _range(meta))
    return x


def _range(meta: Opt) -> str:
    if meta.minimum is not None and meta.maximum is not None:
        return f" (allowed: {meta.minimum:g} to {meta.maximum:g})"
    return ""


def parse_date(value: Any, option: str) -> date:
    """``YYYY-MM-DD`` (or a date) → date; anything else is a ParamError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ParamError(option, f"{text!r} is not a date (YYYY-MM-DD)") from None


def parse_datetime(value: Any, option: str) -> datetime:
    """``YYYY-MM-DD`` (end of that day, UTC) or ``YYYY-MM-DDTHH:MM[:SS]`` (UTC) → naive UTC datetime."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time(23, 59, 59, 999999))
    text = str(value).strip()
    if len(text) == 10:
        return datetime.combine(parse_date(text, option), time(23, 59, 59, 999999))
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ParamError(option, f"{text!r} is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC)") from None
    if dt.tzinfo is not None:
        from datetime import timezone

        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


def check_range(start: date | None, end: date | None, start_opt: str = "--start", end_opt: str = "--end") -> None:
    if start is not None and end is not None and start > end:
        raise ParamError(start_opt, f"{start} is after {end_opt} {end}")
