"""Console rendering: rich tables for short results, plain aligned text for
long ones (rich costs ~0.2 ms a cell: a 20-year daily history would take
seconds). Units sit under the column names; conventions and warnings follow
the tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from yenflow.render.format import console_cell, decimals_for

if TYPE_CHECKING:
    from rich.console import Console

    from yenflow.views.result import Table, ViewResult

#: above this many cells a table is printed as plain text
RICH_MAX_CELLS = 2500

UNIT_LABELS = {"JPY bn": "¥bn", "JPY tn": "¥tn", "USD bn": "$bn", "JPY 100m": "¥100m", "JPY per USD": "¥ per $",
               "text": "", "date": "", "": ""}


def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


def console(out: TextIO) -> "Console":
    """A rich console on ``out``; when it is not a terminal, wide enough not to squash tables."""
    from rich.console import Console

    c = Console(file=out)
    return c if c.is_terminal else Console(file=out, width=220)


def write_console(result: "ViewResult", out: TextIO) -> None:
    con = console(out)
    for i, table in enumerate(result.tables):
        title = table.title or (result.title if i == 0 else table.name)
        if table.frame.empty:
            con.print(f"{title}: no rows", highlight=False, markup=False)
            continue
        n_cells = len(table.frame) * (len(table.frame.columns) + 1)
        if n_cells <= RICH_MAX_CELLS:
            _rich_table(table, title, con)
        else:
            out.write(plain_table(table, title))
            out.flush()
    notes = list(result.conventions)
    if result.as_of is not None:
        notes.insert(0, f"as of {result.as_of:%Y-%m-%d %H:%M} UTC: figures published by then, in the vintage the "
                        "store had recorded (see warnings)")
    for line in notes:
        con.print(line, style="dim", highlight=False, soft_wrap=True, markup=False)
    for line in result.warnings:
        con.print(f"⚠ {line}", style="yellow", highlight=False, soft_wrap=True, markup=False)


def _rich_table(table: "Table", title: str, con: "Console") -> None:
    import pandas as pd
    from rich.cells import cell_len
    from rich.table import Table as RichTable
    from rich.text import Text

    flat = table.flat()
    grouped = "section" in flat.columns
    cols = [c for c in flat.columns if not (grouped and c == "section")]
    decimals = {c: decimals_for(table.units.get(c, ""), table.decimals.get(c)) for c in cols}
    headers = [(c, unit_label(table.units.get(c, ""))) for c in cols]
    rows: list[tuple[bool, list[str]]] = []  # (is a section heading, cells)
    section = None
    for rec in flat.to_dict("records"):
        if grouped and rec["section"] != section:
            section = rec["section"]
            rows.append((True, [str(section)]))
        rows.append((False, [console_cell(rec[c], decimals[c]) for c in cols]))
    widths = [max(cell_len(name), cell_len(unit)) for name, unit in headers]
    for _, cells in rows:
        for j, text in enumerate(cells):
            widths[j] = max(widths[j], cell_len(text))
    # Columns sized from their cells when the table fits the console: the same table, without rich
    # measuring and wrapping every cell again (about a third of its time). Otherwise rich fits it.
    fits = sum(widths) + 3 * len(widths) + 1 <= con.width
    rt = RichTable(title=Text(title), header_style="bold", title_justify="left")
    for (name, unit), c, w in zip(headers, cols, widths):
        numeric = pd.api.types.is_numeric_dtype(flat[c]) and not pd.api.types.is_bool_dtype(flat[c])
        sizing = {"width": w, "no_wrap": True} if fits else {}
        rt.add_column(f"{name}\n{unit}" if unit else name, justify="right" if numeric else "left", **sizing)
    for heading, cells in rows:
        rt.add_row(*([Text(cells[0], style="bold")] if heading else [Text(t) for t in cells]))
    con.print(rt)


def plain_table(table: "Table", title: str) -> str:
    """Aligned text: a title line, two header lines (names, units), the rows."""
    import pandas as pd

    flat = table.flat()
    cols = [str(c) for c in flat.columns]
    texts = []
    for c in cols:
        d = decimals_for(table.units.get(c, ""), table.decimals.get(c))
        texts.append([console_cell(v, d) for v in flat[c].tolist()])
    units = [unit_label(table.units.get(c, "")) for c in cols]
    widths = [max(len(c), len(u), *(len(t) for t in col)) for c, u, col in zip(cols, units, texts)]
    numeric = [pd.api.types.is_numeric_dtype(flat[c]) for c in cols]

    def line(cells: list[str]) -> str:
        return "  ".join(t.rjust(w) if num else t.ljust(w) for t, w, num in zip(cells, widths, numeric)).rstrip()

    rows = [title, line(cols), line(units), line(["-" * w for w in widths])]
    rows += [line([col[i] for col in texts]) for i in range(len(flat))]
    return "\n".join(rows) + "\n"
