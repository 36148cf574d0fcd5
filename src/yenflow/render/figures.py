"""Plotly figures drawn from view results: one table and its chart hint in,
a figure (plotly's JSON figure schema, as a plain dict) out.

Rules every figure follows: each axis says what it measures and in which unit
(dates on time axes, with the row-date meaning: "week to", "month"…); a
missing value is a gap, never a zero (a series is drawn at its own dates and
broken where it skips more than three of its usual steps); a time axis is
fixed to the data's dates so overlays never stretch it; time-series figures
take the events overlay (:func:`event_traces`) on a hidden axis of their own,
toggled from the legend. Figures are dicts so the web app and the report
serialise them without plotly's (slow) validation; ``plotly.graph_objects.Figure``
accepts every one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yenflow.views.result import Chart, json_value

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.result import Table, ViewResult

PALETTE = ("#1f3b73", "#e07b00", "#2a9d8f", "#c0392b", "#7b4fa0", "#6b7b8c", "#b5a000", "#d1477a", "#3a86c8",
           "#8c564b")
EVENT_COLORS = {"BOJ decision": "#c0392b", "MOF intervention": "#2a9d8f", "Weak JGB auction": "#7b4fa0"}
EVENT_AXIS = "y9"
#: event kinds drawn when a chart opens (the others are listed in the legend, a click away)
EVENTS_SHOWN = ("BOJ decision", "MOF intervention")
#: a series is broken where it skips more than this many of its usual steps
GAP_STEPS = 3
HEIGHT = 380
#: category labels longer than this turn a bar chart sideways
LONG_LABEL = 24
#: hover formats by unit
UNIT_FORMAT = {"%": ".3f", "% p.a.": ".3f", "pp p.a.": ".3f", "bp": ".1f", "JPY bn": ",.0f", "JPY tn": ",.2f",
               "USD bn": ",.1f", "JPY 100m": ",.0f", "contracts": ",.0f", "ratio": ".2f", "percentile": ".0f",
               "JPY per USD": ".2f", "index": ".1f", "count": ",.0f"}


def figure(table: "Table", chart: Chart | None = None, result: "ViewResult | None" = None,
           title: str | None = None) -> dict[str, Any] | None:
    """The figure for ``table`` drawn as ``chart`` (default: the table's own
    hint); None when there is nothing to draw. ``result`` supplies the other
    tables a chart refers to (``shade``); ``title`` is drawn in the figure
    (pages title their panels themselves and pass none).

    A time axis spans the dates of the chart's first ``y`` column (its lead
    series): a companion series with a longer history (USD/JPY since 1971
    beside a carry index since 2018) is cut to that span."""
    chart = chart or table.chart
    if chart is None or chart.kind == "none" or table.frame.empty:
        return None
    if chart.kind == "events":
        return {"data": event_traces(table), "layout": {}}
    flat = table.flat()
    x_col = chart.x or table.index_name
    if x_col not in flat.columns:
        return None
    x_is_date = table.units.get(x_col) == "date" or str(flat[x_col].dtype).startswith("datetime")
    if x_is_date and not chart.group and chart.y and chart.y[0] in flat:
        lead = flat.loc[flat[chart.y[0]].notna(), x_col]
        if len(lead):
            flat = flat[(flat[x_col] >= lead.min()) & (flat[x_col] <= lead.max())]
    traces = _traces(flat, table, chart, x_col, x_is_date)
    if not any(_has_values(t) for t in traces):
        return None
    layout = _layout(table, chart, flat, x_col, x_is_date, title)
    if chart.shade and result is not None:
        layout["shapes"] = _shading(result, chart.shade, flat[x_col])
    if chart.kind == "bar" and layout["xaxis"]["type"] == "category" and \
            max((len(str(v)) for v in flat[x_col].dropna()), default=0) > LONG_LABEL:
        traces, layout = _horizontal(traces, layout)
    return {"data": traces, "layout": layout}


def _horizontal(traces: list[dict[str, Any]], layout: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Bars laid sideways, so long category names read in full."""
    out = []
    for t in traces:
        t = {**t, "x": t["y"], "y": t["x"], "orientation": "h",
             "hovertemplate": t["hovertemplate"].replace("%{x}", "%{Y}").replace("%{y", "%{x").replace("%{Y}", "%{y}")}
        out.append(t)
    n = max((len(t["y"]) for t in out), default=1)
    value_axis = {k: v for k, v in layout["yaxis"].items()}
    layout = {**layout, "height": max(HEIGHT, 60 + 28 * n),
              "xaxis": value_axis,
              "yaxis": {"title": layout["xaxis"]["title"], "type": "category", "automargin": True, "autorange": "reversed"}}
    return out, layout


def _has_values(trace: dict[str, Any]) -> bool:
    return any(v is not None for v in trace.get("y", ()))


def _label(chart: Chart, col: str) -> str:
    return dict(chart.labels).get(col, col.replace("_", " "))


def _hover(unit: str, x_is_date: bool) -> str:
    fmt = UNIT_FORMAT.get(unit, ".4~g")
    x = "%{x|%Y-%m-%d}" if x_is_date else "%{x}"
    return f"{x}: %{{y:{fmt}}} {unit}".rstrip()


def _points(x: "pd.Series", y: "pd.Series", x_is_date: bool) -> tuple[list[Any], list[Any]]:
    """x and y lists without missing values, with a ``None`` break where the
    series skips more than :data:`GAP_STEPS` of its usual steps (a gap stays a gap)."""
    import numpy as np
    import pandas as pd

    keep = y.notna().to_numpy() & x.notna().to_numpy()
    xs, ys = x[keep], y[keep]
    xs_out = [json_value(v) for v in xs]
    ys_out = [json_value(v) for v in ys]
    if x_is_date and len(xs) > 2:
        t = pd.to_datetime(xs).to_numpy(dtype="datetime64[D]").astype(np.int64)
        steps = np.diff(t)
        usual = float(np.median(steps)) if len(steps) else 0.0
        breaks = np.flatnonzero(steps > GAP_STEPS * max(usual, 1.0))
        for i in breaks[::-1]:
            xs_out.insert(i + 1, None)
            ys_out.insert(i + 1, None)
    return xs_out, ys_out


def _trace(kind: str, name: str, x: list[Any], y: list[Any], unit: str, x_is_date: bool, color: str,
           axis: str = "y") -> dict[str, Any]:
    t: dict[str, Any] = {"x": x, "y": y, "name": name, "yaxis": axis, "hovertemplate": _hover(unit, x_is_date) +
                         f"<extra>{name}</extra>"}
    if kind == "bar":
        t.update(type="bar", marker={"color": color})
    elif kind == "scatter":
        t.update(type="scatter", mode="markers", marker={"color": color, "size": 6})
    else:
        t.update(type="scatter", mode="lines", line={"color": color, "width": 1.6}, connectgaps=False)
        if kind == "area":
            t.update(fill="tozeroy")
    return t


def _traces(flat: "pd.DataFrame", table: "Table", chart: Chart, x_col: str, x_is_date: bool) -> list[dict[str, Any]]:
    traces: list[dict[str, Any]] = []
    colors = iter(PALETTE * 4)
    if len(chart.band) == 2 and all(c in flat for c in chart.band):
        lo, hi = chart.band
        unit = table.units.get(lo, "")
        x, y_lo = _points(flat[x_col], flat[lo], x_is_date)
        x2, y_hi = _points(flat[x_col], flat[hi], x_is_date)
        band = _label(chart, lo)
        traces.append({"type": "scatter", "mode": "lines", "x": x, "y": y_lo, "line": {"width": 0, "color": "#9fb3c8"},
                       "name": band, "legendgroup": "band", "showlegend": False, "hoverinfo": "skip", "connectgaps": False})
        traces.append({"type": "scatter", "mode": "lines", "x": x2, "y": y_hi, "fill": "tonexty",
                       "fillcolor": "rgba(120,150,190,0.22)", "line": {"width": 0, "color": "#9fb3c8"}, "name": band,
                       "legendgroup": "band", "connectgaps": False,
                       "hovertemplate": _hover(unit, x_is_date) + "<extra>band top</extra>"})
    groups: list[tuple[str, "pd.DataFrame"]] = [("", flat)]
    if chart.group and chart.group in flat:
        numeric = flat[chart.group].dtype.kind in "iuf"
        prefix = chart.group.replace("_", " ") + " " if numeric else ""
        groups = [(f"{prefix}{g:g}" if numeric else str(g), part) for g, part in flat.groupby(chart.group, sort=False)]
    for gname, part in groups:
        for col in chart.y:
            if col not in part:
                continue
            name = gname if gname and len(chart.y) == 1 else " ".join(x for x in (gname, _label(chart, col)) if x)
            x, y = _points(part[x_col], part[col], x_is_date)
            traces.append(_trace(chart.kind, name, x, y, table.units.get(col, ""), x_is_date, next(colors)))
    for col in chart.lines:
        if col in flat:
            x, y = _points(flat[x_col], flat[col], x_is_date)
            traces.append(_trace("line", _label(chart, col), x, y, table.units.get(col, ""), x_is_date, next(colors)))
    for col in chart.secondary:
        if col in flat:
            x, y = _points(flat[x_col], flat[col], x_is_date)
            t = _trace("line", _label(chart, col) + " (right)", x, y, table.units.get(col, ""), x_is_date,
                       next(colors), axis="y2")
            t["line"]["dash"] = "dot"
            traces.append(t)
    return traces


def _axis_unit(table: "Table", cols: tuple[str, ...]) -> str:
    units = sorted({table.units.get(c, "") for c in cols} - {""})
    return ", ".join(units)


def _layout(table: "Table", chart: Chart, flat: "pd.DataFrame", x_col: str, x_is_date: bool,
            title: str | None) -> dict[str, Any]:
    y_title = chart.y_title or _axis_unit(table, chart.y)
    x_unit = _axis_unit(table, (x_col,))
    x_title = chart.x_title or (x_col.replace("_", " ") if x_is_date or x_unit in ("", "text")
                                else f"{x_col.replace('_', ' ')}, {x_unit}")
    xaxis: dict[str, Any] = {"title": {"text": x_title}, "showgrid": True, "gridcolor": "#e6e9ef"}
    if x_is_date:
        import pandas as pd

        xs = pd.to_datetime(flat[x_col].dropna())
        pad = max((xs.max() - xs.min()) * 0.01, pd.Timedelta(days=3))
        xaxis.update(type="date", range=[json_value(xs.min() - pad), json_value(xs.max() + pad)], autorange=False)
    else:
        xaxis["type"] = "linear" if flat[x_col].dtype.kind in "iuf" else "category"
        if xaxis["type"] == "category":
            xaxis.update(tickangle=-35, automargin=True)
    layout: dict[str, Any] = {
        "height": HEIGHT, "margin": {"l": 64, "r": 64 if chart.secondary else 24, "t": 70 if title else 36, "b": 48},
        "xaxis": xaxis,
        "yaxis": {"title": {"text": y_title}, "zeroline": chart.zero_line, "zerolinecolor": "#444",
                  "zerolinewidth": 1, "gridcolor": "#e6e9ef"},
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 11}},
        "hovermode": "x unified" if x_is_date and chart.kind != "bar" and not chart.group else "closest",
        # parts of a whole over time stack; groups side by side on categories (hedge ratios per tenor)
        "barmode": "relative" if chart.group and x_is_date else "group",
        "plot_bgcolor": "#fff", "paper_bgcolor": "#fff", "font": {"family": "system-ui, sans-serif", "size": 12},
        "meta": {"events": bool(chart.events and x_is_date)},
    }
    if title:
        layout["title"] = {"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.98, "yanchor": "top"}
    if chart.secondary:
        layout["yaxis2"] = {"title": {"text": chart.secondary_title or _axis_unit(table, chart.secondary)},
                            "overlaying": "y", "side": "right", "showgrid": False, "tickmode": "auto", "nticks": 6,
                            "tickformat": _tickformat(table, chart.secondary)}
    if chart.events and x_is_date:
        layout[EVENT_AXIS.replace("y", "yaxis")] = {"overlaying": "y", "range": [0, 1], "visible": False,
                                                    "fixedrange": True}
    return layout


def _tickformat(table: "Table", cols: tuple[str, ...]) -> str:
    units = {table.units.get(c, "") for c in cols}
    return ".2f" if units <= {"ratio"} else ""


def _shading(result: "ViewResult", shade: tuple[str, ...], x: "pd.Series") -> list[dict[str, Any]]:
    """Rectangles over the spans (start → end, or → the last x when open) of another table."""
    import pandas as pd

    name, start, end = shade
    try:
        spans = result.table(name).flat()
    except KeyError:
        return []
    last = pd.to_datetime(x).max()
    shapes = []
    for a, b in zip(spans[start], spans[end]):
        if pd.isna(a):
            continue
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": json_value(pd.Timestamp(a)),
                       "x1": json_value(last if pd.isna(b) else pd.Timestamp(b)), "y0": 0, "y1": 1,
                       "fillcolor": "rgba(192,57,43,0.10)", "line": {"width": 0}, "layer": "below"})
    return shapes


def event_traces(events: "Table") -> list[dict[str, Any]]:
    """The events overlay: per kind, one trace of vertical lines (dotted, full
    height on the hidden axis) with a marker and a hover label at the top.
    Legend-toggled as a group; every time-series figure has the axis for it."""
    import pandas as pd

    frame = events.flat()
    traces = []
    for kind, part in frame.groupby("kind", sort=False):
        xs: list[Any] = []
        ys: list[Any] = []
        texts: list[Any] = []
        sizes: list[int] = []
        for d, label in zip(part["date"], part["label"]):
            day = json_value(pd.Timestamp(d))
            xs += [day, day, None]
            ys += [0, 1, None]
            texts += [f"{day}: {label}", f"{day}: {label}", None]
            sizes += [0, 8, 0]
        color = EVENT_COLORS.get(str(kind), "#555")
        shown = str(kind) in EVENTS_SHOWN
        traces.append({"type": "scatter", "mode": "lines+markers", "x": xs, "y": ys, "yaxis": EVENT_AXIS,
                       "name": str(kind), "legendgroup": "events", "text": texts,
                       "hovertemplate": "%{text}<extra></extra>", "connectgaps": False,
                       "line": {"color": color, "width": 1, "dash": "dot"}, "opacity": 0.45,
                       "marker": {"color": color, "size": sizes, "symbol": "triangle-down"},
                       "visible": True if shown else "legendonly", "meta": {"event": True, "shown": shown}})
    return traces


def with_events(fig: dict[str, Any], overlay: list[dict[str, Any]]) -> dict[str, Any]:
    """``fig`` with the events overlay added when it is a time-series figure."""
    if not overlay or not fig.get("layout", {}).get("meta", {}).get("events"):
        return fig
    return {"data": fig["data"] + overlay, "layout": fig["layout"]}
