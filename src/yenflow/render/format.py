"""Cell formatting shared by the console and CSV renderers."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

#: console precision by unit when a table does not set one
UNIT_DECIMALS = {
    "%": 3, "% p.a.": 3, "pp": 3, "pp p.a.": 3, "bp": 1, "JPY bn": 1, "JPY tn": 2, "USD bn": 1,
    "JPY 100m": 0, "contracts": 0, "percentile": 0, "ratio": 2, "z": 2, "JPY per USD": 2, "count": 0,
    "index": 2, "%, y/y": 1, "USD m": 0,
}


def decimals_for(unit: str, explicit: int | None) -> int | None:
    if explicit is not None:
        return explicit
    return UNIT_DECIMALS.get(unit)


def is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return type(v).__name__ in ("NaTType", "NAType")


def console_cell(v: Any, decimals: int | None) -> str:
    """A value for the console: thousands separators, the column's precision,
    ISO dates, "—" for missing."""
    import numpy as np

    if is_missing(v):
        return "—"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, datetime) or type(v).__name__ == "Timestamp":
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) else v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        f = float(v) + 0.0
        if decimals is not None:
            text = f"{f:,.{decimals}f}"
            return text.lstrip("-") if text.strip("-0.,") == "" else text  # no "-0.0"
        if f == 0:
            return "0"
        if abs(f) < 1e-3:
            return f"{f:.3g}"
        return f"{f:,.3f}".rstrip("0").rstrip(".")
    return str(v)


def csv_cell(v: Any, decimals: int | None) -> str:
    """A value for CSV: no separators, ISO dates, empty for missing, no float noise."""
    import numpy as np

    from yenflow.views.result import clean_float

    if is_missing(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, datetime) or type(v).__name__ == "Timestamp":
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = clean_float(float(v), decimals)
        if decimals is not None:
            return f"{f:.{decimals}f}"
        return repr(f) if not float(f).is_integer() else f"{f:.1f}".removesuffix(".0")
    return str(v)
