"""Figures drawn from view results: valid plotly figures with titled axes,
gaps kept as gaps, the time axis on the lead series, the events overlay; and
the band and year-to-date analytics behind the flow charts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yenflow.analytics.bands import running_sum_by_year, trailing_quantiles
from yenflow.render.figures import event_traces, figure, with_events
from yenflow.render.pages import PAGES
from yenflow.views.result import Chart, Table


@pytest.mark.slow
def test_every_panel_figure_is_a_valid_plotly_figure(dashboard_db: Path) -> None:
    import plotly.graph_objects as go

    from yenflow.render.html import filtered
    from yenflow.store import Store
    from yenflow.views import registry
    from yenflow.views.market import MissingInputError

    drawn = 0
    with Store(dashboard_db, read_only=True) as store:
        overlay = event_traces(registry.run(store, "events", {}).main)
        for page in PAGES:
            for panel in page.panels:
                if panel.view not in registry.specs() or panel.kind not in ("chart", "auto"):
                    continue
                try:
                    result = registry.run(store, panel.view, dict(panel.params))
                except MissingInputError:
                    continue
                tables = [result.table(panel.table)] if panel.table else list(result.tables)
                for table in tables:
                    fig = figure(filtered(table, dict(panel.where), dict(panel.drop)), panel.chart if len(tables) == 1 else None,
                                 result)
                    if fig is None:
                        continue
                    go.Figure(with_events(fig, overlay))  # raises on anything plotly does not know
                    layout = fig["layout"]
                    assert layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"], (page.slug, panel.view)
                    drawn += 1
    assert drawn >= 25


def _monthly(values: list[float | None], start: str = "2020-01-31") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="ME"), dtype="float64")


def test_a_gap_stays_a_gap() -> None:
    s = _monthly([1.0, 2.0, None, None, None, None, 3.0, 4.0, np.nan, 5.0])
    frame = pd.DataFrame({"x": s})
    frame.index.name = "month"
    fig = figure(Table("t", frame, {"month": "date", "x": "JPY bn"}, kind="series", chart=Chart("line", y=("x",))))
    assert fig is not None
    trace = fig["data"][0]
    # four missing months (more than 3 steps): a break; one missing month: drawn across, never as 0
    assert trace["y"] == [1.0, 2.0, None, 3.0, 4.0, 5.0]
    assert trace["x"][2] is None and 0 not in trace["y"]
    assert fig["layout"]["yaxis"]["title"]["text"] == "JPY bn"
    assert fig["layout"]["xaxis"]["type"] == "date" and fig["layout"]["xaxis"]["title"]["text"] == "month"


def test_the_time_axis_spans_the_lead_series() -> None:
    idx = pd.date_range("2000-01-31", periods=120, freq="ME")
    frame = pd.DataFrame({"index": [np.nan] * 100 + list(range(20)), "spot": np.arange(120.0)}, index=idx)
    frame.index.name = "date"
    fig = figure(Table("t", frame, {"date": "date", "index": "index", "spot": "JPY per USD"}, kind="series",
                       chart=Chart("line", y=("index",), secondary=("spot",))))
    assert fig is not None
    spot = fig["data"][1]
    assert spot["yaxis"] == "y2" and spot["x"][0] == "2008-05-31" and len(spot["x"]) == 20
    assert fig["layout"]["yaxis2"]["title"]["text"] == "JPY per USD"
    lo, hi = fig["layout"]["xaxis"]["range"]
    assert lo < "2008-05-31" < "2009-12-31" < hi and fig["layout"]["xaxis"]["autorange"] is False


def test_events_overlay_is_labelled_and_only_on_time_series() -> None:
    events = pd.DataFrame({"date": pd.to_datetime(["2024-07-31", "2024-04-29", "2024-06-10"]),
                           "kind": ["BOJ decision", "MOF intervention", "Weak JGB auction"],
                           "label": ["BOJ raises", "MOF bought yen: ¥5,919bn", "Weak 30Y"], "value": [0.25, 5918.5, 2.9],
                           "unit": ["%", "JPY bn", "ratio"]})
    traces = event_traces(Table("events", events, {"date": "date"}, date_column="date"))
    by = {t["name"]: t for t in traces}
    assert by["BOJ decision"]["x"] == ["2024-07-31", "2024-07-31", None]
    assert by["BOJ decision"]["text"][1] == "2024-07-31: BOJ raises" and by["BOJ decision"]["visible"] is True
    assert by["Weak JGB auction"]["visible"] == "legendonly"  # a legend click away
    series = pd.DataFrame({"v": [1.0, 2.0]}, index=pd.DatetimeIndex(["2024-01-31", "2024-02-29"], name="date"))
    ts = figure(Table("t", series, {"date": "date", "v": "%"}, kind="series", chart=Chart("line", y=("v",))))
    snap = figure(Table("s", pd.DataFrame({"tenor": ["2Y", "10Y"], "v": [1.0, 2.0]}), {"v": "%"},
                        chart=Chart("bar", x="tenor", y=("v",))))
    assert ts is not None and snap is not None
    assert len(with_events(ts, traces)["data"]) == 4 and len(with_events(snap, traces)["data"]) == 1
    assert snap["layout"]["xaxis"]["type"] == "category"


def test_trailing_quantiles_match_numpy() -> None:
    s = pd.Series([5.0, 1.0, 4.0, np.nan, 2.0, 8.0, 7.0, 3.0], index=pd.date_range("2024-01-06", periods=8, freq="7D"))
    q = trailing_quantiles(s, window=4, quantiles=(0.1, 0.5, 0.9))
    valid = s.dropna().to_numpy()
    # the row of 2024-02-17 (the 7th date) sees the last 4 valid values: 4, 2, 8, 7
    assert q.loc["2024-02-17", "p10"] == pytest.approx(np.percentile(valid[2:6], 10))
    assert q.loc["2024-02-17", "p50"] == pytest.approx(5.5)
    assert np.isnan(q.loc["2024-01-27", "p50"])  # a missing week stays missing
    assert np.isnan(q.loc["2024-01-06", "p50"])  # fewer than half a window


def test_running_sum_by_year_breaks_at_a_missing_period() -> None:
    s = _monthly([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1, np.nan, 1], start="2023-01-31")
    wide = running_sum_by_year(s, years=2, weekly=False)
    assert list(wide.columns) == ["2023", "2024"]
    assert wide.loc[12, "2023"] == 78 and wide.loc[1, "2024"] == 1
    assert np.isnan(wide.loc[2, "2024"]) and np.isnan(wide.loc[3, "2024"])  # never summed across the gap


def test_chart_views_on_the_store(dashboard_db: Path) -> None:
    from yenflow.store import Store
    from yenflow.views import registry

    with Store(dashboard_db, read_only=True) as store:
        hist = registry.run(store, "flow_history", {"years": 0}).table("history").frame
        weekly = store.get("mof.weekly.foreign.total.net")
        # the 13-week sum is the sum of the stored weeks, in ¥bn
        assert hist.loc["2024-08-10", "sum_13"] == pytest.approx(weekly.loc["2024-05-18":"2024-08-10"].sum() / 10)
        assert (hist["band_p10"].dropna() <= hist["band_p90"].dropna()).all()
        ytd = registry.run(store, "flow_history", {"ytd_years": 3}).table("ytd_by_year").frame
        assert ytd.loc[52, "2024"] == pytest.approx(weekly.loc["2024"].sum() / 10)
        rot = registry.run(store, "rotation", {"years": 0}).main.frame
        monthly = store.get("mof.monthly.foreign.equity.net")
        assert rot.loc["2024-12-31", "foreign_equity"] == pytest.approx(monthly.loc["2024"].sum() / 10_000)  # ¥tn
