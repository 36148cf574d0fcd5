"""Settings: where the store lives, which mirror to read, the FRED API key,
and default parameters for any view.

Each setting comes from (highest first): a command-line option, an
environment variable, the config file, the default. The config file is TOML,
in the platform config folder (``yenflow config show`` prints its path; set
``YENFLOW_CONFIG`` to use another file)::

    home = "~/data/yenflow"            # the store folder
    mirror = "/srv/mirror/yenflow"     # read files from here instead of the publishers
    fred_api_key = "…"                 # never printed

    [views.hedge]                      # defaults for any view's parameters
    basis_bp = -30
    [views.answer]
    flow_band_bn = 1000

Settings are declared once here so the docs and ``config show`` list them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yenflow.errors import YenflowError


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    help: str
    secret: bool = False


SETTINGS = (
    Setting("home", "YENFLOW_HOME", "folder holding yenflow.duckdb (default: the user data dir)"),
    Setting("mirror", "YENFLOW_MIRROR", "folder or URL laid out like ../shared/data to read instead of the publishers"),
    Setting("fred_api_key", "FRED_API_KEY", "FRED API key; without it FRED's keyless CSV is used", secret=True),
    Setting("lock_timeout", "YENFLOW_LOCK_TIMEOUT", "seconds to wait while another yenflow process holds the store (default 60)"),
    Setting("contact", "YENFLOW_CONTACT", "your e-mail or URL, sent in the User-Agent so publishers can reach you"),
)

DB_FILENAME = "yenflow.duckdb"
CONFIG_ENV = "YENFLOW_CONFIG"


class ConfigError(YenflowError):
    """The config file cannot be read or holds something yenflow does not know."""


def config_path() -> Path:
    """The config file: $YENFLOW_CONFIG, else ``config.toml`` in the platform config folder."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("yenflow", appauthor=False)) / "config.toml"


_CACHE: dict[tuple[str, int], dict[str, Any]] = {}


def load_file(path: Path | None = None) -> dict[str, Any]:
    """The config file's contents ({} when there is none); one clear error when it is broken.
    Read once per file version (path and modification time)."""
    path = path or config_path()
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return {}
    if key not in _CACHE:
        _CACHE[key] = _read(path)
    return _CACHE[key]


def _read(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file {path}: not valid TOML ({e})") from None
    known = {s.name for s in SETTINGS} | {"views"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"config file {path}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
    if not isinstance(data.get("views", {}), dict):
        raise ConfigError(f"config file {path}: [views] must be a table of [views.<name>] tables")
    return data


def resolve(name: str, value: Any = None) -> tuple[Any, str]:
    """A setting's effective value and where it came from: option, env, file or default."""
    setting = next(s for s in SETTINGS if s.name == name)
    if value is not None:
        return value, "command-line option"
    if os.environ.get(setting.env):
        return os.environ[setting.env], f"environment ({setting.env})"
    data = load_file()
    if data.get(name) is not None:
        return data[name], f"config file ({config_path()})"
    return None, "default"


def view_defaults(view: str) -> dict[str, Any]:
    """Defaults for a view's parameters from the config file's ``[views.<name>]``."""
    table = load_file().get("views", {}).get(view, {})
    if not isinstance(table, dict):
        raise ConfigError(f"config file {config_path()}: [views.{view}] must be a table")
    return dict(table)


def home_dir(home: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: ``home`` if given, else $YENFLOW_HOME, else the config file, else the platform data dir."""
    value, _ = resolve("home", home)
    if value is None:
        from platformdirs import user_data_dir

        value = user_data_dir("yenflow", appauthor=False)
    return Path(value).expanduser()


def db_path(home: str | os.PathLike[str] | None = None) -> Path:
    return home_dir(home) / DB_FILENAME


def mirror(value: str | None = None) -> str | None:
    resolved, _ = resolve("mirror", value)
    return resolved or None


def fred_api_key() -> str | None:
    value, _ = resolve("fred_api_key")
    return value or None


def effective() -> list[dict[str, str]]:
    """Every setting with its effective value and origin; secrets masked (for `yenflow config show`)."""
    rows = []
    for s in SETTINGS:
        value, origin = resolve(s.name)
        if s.name == "home" and value is None:
            value = str(home_dir())
        shown = "(set, hidden)" if s.secret and value else ("" if value is None else str(value))
        rows.append({"setting": s.name, "value": shown, "from": origin, "environment_variable": s.env, "help": s.help})
    for view, table in sorted(load_file().get("views", {}).items()):
        for key, value in sorted(table.items()):
            rows.append({"setting": f"views.{view}.{key}", "value": str(value), "from": f"config file ({config_path()})",
                         "environment_variable": "", "help": f"default for `{view}` parameter {key}"})
    return rows


def lock_timeout() -> float:
    """Seconds to wait for another process's lock on the store (option/env/config, default 60)."""
    value, _ = resolve("lock_timeout")
    try:
        return max(0.0, float(value if value is not None else 60))
    except (TypeError, ValueError):
        return 60.0


def contact() -> str | None:
    value, _ = resolve("contact")
    return value or None
