"""Render DataFrames as a rich table, CSV or JSON (the --format option)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

Format = Literal["table", "csv", "json"]


def _cell(v: object, decimals: int | None) -> str:
    import pandas as pd

    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return "—"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d") if v == v.normalize() else v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, float):
        v = v + 0.0  # no "-0"
        if v == 0:
            return "0"
        return f"{v:,.{decimals}f}" if decimals is not None else f"{v:,.4g}" if abs(v) < 1e-3 and v else f"{v:,.3f}".rstrip("0").rstrip(".")
    return str(v)


def render(
    df: "pd.DataFrame",
    fmt: Format = "table",
    *,
    title: str | None = None,
    caption: str | None = None,
    index: bool = True,
    decimals: dict[str, int] | None = None,
) -> None:
    """Print ``df``; tables go through rich, csv/json to stdout unchanged."""
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=index))
        return
    if fmt == "json":
        out = df.reset_index() if index else df
        sys.stdout.write(out.to_json(orient="records", date_format="iso", indent=2) + "\n")
        return
    from rich.table import Table

    decimals = decimals or {}
    table = Table(title=title, header_style="bold")
    cols = ([df.index.name or ""] if index else []) + [str(c) for c in df.columns]
    import pandas as pd

    texty = {str(c) for c in df.columns if not pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_datetime64_any_dtype(df[c])}
    for i, c in enumerate(cols):
        table.add_column(c, justify="left" if (index and i == 0) or c in texty else "right")
    for idx, row in df.iterrows():
        cells = [_cell(idx, None)] if index else []
        cells += [_cell(v, decimals.get(str(c))) for c, v in row.items()]
        table.add_row(*cells)
    console = get_console()
    console.print(table)
    if caption:
        console.print(caption, highlight=False, soft_wrap=True)


def get_console() -> "Console":
    """A rich console; when output is not a terminal, wide enough not to squash tables."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=200)
