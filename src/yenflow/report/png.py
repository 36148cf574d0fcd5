"""PNG charts for the report: the same figure the dashboard draws (a plotly
figure dict from :mod:`yenflow.render.figures`) drawn again with matplotlib
(Agg, no browser): same series, axis titles with units, gaps, band, shading
and the events shown by default as dotted vertical lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _values(xs: list[Any], is_date: bool) -> Any:
    import numpy as np
    import pandas as pd

    if is_date:
        return pd.to_datetime(pd.Series(xs, dtype="object"), errors="coerce").to_numpy()
    return np.array([np.nan if v is None else v for v in xs], dtype=object)


def _floats(ys: list[Any]) -> Any:
    import numpy as np

    return np.array([np.nan if v is None else v for v in ys], dtype="float64")


def draw_png(fig: dict[str, Any], path: Path, title: str) -> None:
    """Write ``fig`` as a 1200×560 PNG with ``title``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd

    layout = fig["layout"]
    if layout.get("yaxis", {}).get("type") == "category":
        _draw_sideways(fig, path, title)
        return
    is_date = layout.get("xaxis", {}).get("type") == "date"
    category = layout.get("xaxis", {}).get("type") == "category"
    f, ax = plt.subplots(figsize=(12, 5.6), dpi=100)
    ax2 = ax.twinx() if "yaxis2" in layout else None
    ev = ax.twinx()
    ev.set_ylim(0, 1)
    ev.axis("off")
    cats: list[Any] = []
    bars = [t for t in fig["data"] if t.get("type") == "bar"]
    width = 0.8 / max(len(bars), 1)
    prev_line = None
    for t in fig["data"]:
        if t.get("meta", {}).get("event"):
            if t.get("visible") is True:
                xs = pd.to_datetime([x for x, y in zip(t["x"], t["y"]) if x is not None and y == 1])
                ev.vlines(xs, 0, 1, color=t["line"]["color"], lw=0.8, ls=":", alpha=0.6, label=t["name"])
            continue
        target = ax2 if t.get("yaxis") == "y2" and ax2 is not None else ax
        if category:
            for x in t["x"]:
                if x not in cats and x is not None:
                    cats.append(x)
        x = _values(t["x"], is_date)
        y = _floats(t["y"])
        color = (t.get("marker") or {}).get("color") or (t.get("line") or {}).get("color")
        if t.get("type") == "bar":
            if category:
                pos = [cats.index(v) + (bars.index(t) - (len(bars) - 1) / 2) * width for v in t["x"]]
                target.bar(pos, y, width=width, color=color, label=t["name"])
            else:
                step = pd.Series(pd.to_datetime(x)).diff().median() if is_date else 1
                target.bar(x, y, width=(step * 0.8) if is_date else 0.8, color=color, label=t["name"])
        elif t.get("fill") == "tonexty" and prev_line is not None:
            px, py = prev_line
            target.fill_between(x, py, y, color="#7896be", alpha=0.22, lw=0, label=t["name"])
        elif t.get("showlegend") is False and t.get("legendgroup") == "band":
            prev_line = (x, y)
            continue
        else:
            target.plot(x, y, color=color, lw=1.4, ls=":" if target is ax2 else "-", label=t["name"],
                        marker="o" if t.get("mode") == "markers" else None, ms=3)
    for shape in layout.get("shapes", []):
        ax.axvspan(pd.Timestamp(shape["x0"]), pd.Timestamp(shape["x1"]), color="#c0392b", alpha=0.10, lw=0)
    if category:
        ax.set_xticks(range(len(cats)), [str(c) for c in cats], rotation=30 if len(cats) > 6 else 0, ha="right")
    if is_date:
        rng = layout["xaxis"].get("range")
        if rng:
            ax.set_xlim(pd.Timestamp(rng[0]), pd.Timestamp(rng[1]))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_xlabel(layout["xaxis"]["title"]["text"])
    ax.set_ylabel(layout["yaxis"]["title"]["text"])
    if ax2 is not None:
        ax2.set_ylabel(layout["yaxis2"]["title"]["text"])
    if layout["yaxis"].get("zeroline"):
        ax.axhline(0, color="#444", lw=0.8)
    ax.grid(True, color="#e6e9ef")
    ax.set_title(title, loc="left", fontsize=12)
    handles, labels = [], []
    for a in (ax, ax2, ev):
        if a is not None:
            h, lab = a.get_legend_handles_labels()
            handles += h
            labels += lab
    if handles:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0, -0.14), ncol=min(len(labels), 4), fontsize=8,
                  frameon=False)
    f.tight_layout()
    f.savefig(path)
    plt.close(f)


def _draw_sideways(fig: dict[str, Any], path: Path, title: str) -> None:
    """Horizontal bars (long category names): categories down the y axis, values along x."""
    import matplotlib.pyplot as plt
    import numpy as np

    layout = fig["layout"]
    bars = [t for t in fig["data"] if t.get("type") == "bar"]
    cats: list[Any] = []
    for t in bars:
        cats += [c for c in t["y"] if c not in cats and c is not None]
    f, ax = plt.subplots(figsize=(12, max(4.0, 1.2 + 0.38 * len(cats))), dpi=100)
    height = 0.8 / max(len(bars), 1)
    for i, t in enumerate(bars):
        pos = np.array([cats.index(c) for c in t["y"]]) + (i - (len(bars) - 1) / 2) * height
        ax.barh(pos, _floats(t["x"]), height=height, color=(t.get("marker") or {}).get("color"), label=t["name"])
    ax.set_yticks(range(len(cats)), [str(c) for c in cats])
    ax.invert_yaxis()
    ax.set_xlabel(layout["xaxis"]["title"]["text"])
    ax.axvline(0, color="#444", lw=0.8)
    ax.grid(True, axis="x", color="#e6e9ef")
    ax.set_title(title, loc="left", fontsize=12)
    if len(bars) > 1:
        ax.legend(fontsize=8, frameon=False)
    f.tight_layout()
    f.savefig(path)
    plt.close(f)
