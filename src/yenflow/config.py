"""Where the store lives and which mirror to read from.

Settings come from (highest first): a CLI option, an environment variable,
the default. They are declared once here so docs and tests can list them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    help: str


SETTINGS = (
    Setting("home", "YENFLOW_HOME", "folder holding yenflow.duckdb (default: the user data dir)"),
    Setting("mirror", "YENFLOW_MIRROR", "folder or URL laid out like ../shared/data to read instead of the publishers"),
    Setting("fred_api_key", "FRED_API_KEY", "FRED API key; without it FRED's keyless CSV is used"),
    Setting("lock_timeout", "YENFLOW_LOCK_TIMEOUT", "seconds to wait while another yenflow process holds the store (default 60)"),
    Setting("contact", "YENFLOW_CONTACT", "your e-mail or URL, sent in the User-Agent so publishers can reach you"),
)

DB_FILENAME = "yenflow.duckdb"


def home_dir(home: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: ``home`` if given, else $YENFLOW_HOME, else the platform data dir."""
    if home is None:
        home = os.environ.get("YENFLOW_HOME")
    if home is None:
        from platformdirs import user_data_dir

        home = user_data_dir("yenflow", appauthor=False)
    return Path(home).expanduser()


def db_path(home: str | os.PathLike[str] | None = None) -> Path:
    return home_dir(home) / DB_FILENAME


def mirror(value: str | None = None) -> str | None:
    return value or os.environ.get("YENFLOW_MIRROR") or None


def lock_timeout() -> float:
    """Seconds to wait for another process's lock on the store ($YENFLOW_LOCK_TIMEOUT, default 60)."""
    try:
        return max(0.0, float(os.environ.get("YENFLOW_LOCK_TIMEOUT", "60")))
    except ValueError:
        return 60.0
