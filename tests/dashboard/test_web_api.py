"""The dashboard's HTTP API: every endpoint's status and JSON shape, values on
named dates checked against the raw files, errors naming the parameter, no
path traversal, fragments for every panel."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from yenflow.render.pages import PAGES

pytestmark = pytest.mark.shared_data

SHAPE = {"view", "title", "params", "as_of", "version", "tables", "conventions", "warnings", "inputs"}
#: parameters a view needs before it can run
NEEDS = {"series_values": {"series_ids": "jgb.10y"}, "vintages": {"series_id": "fx.usdjpy", "date": "2019-02-20"},
         "episode": {"preset": "aug-2024"}}


def views(client: Any) -> list[dict[str, Any]]:
    r = client.get("/api/views")
    assert r.status_code == 200
    return r.json()["views"]


def test_hello_and_openapi_list_every_view(client: Any) -> None:
    assert client.get("/api/hello").json() == {"ok": True}
    spec = client.get("/openapi.json").json()
    names = [v["name"] for v in views(client)]
    assert {"answer", "flows", "hedge", "events", "curves", "flow_history"} <= set(names)
    for name in names:
        path = spec["paths"][f"/api/views/{name}.json"]["get"]
        assert {p["name"] for p in path["parameters"]} >= {"as_of"}
    hedge = {p["name"]: p for p in spec["paths"]["/api/views/hedge.json"]["get"]["parameters"]}
    assert hedge["bond_tenor"]["schema"]["enum"] == ["1", "2", "3", "5", "7", "10", "20", "30"]
    assert hedge["hedge_ratio"]["schema"] == {"type": "number", "minimum": 0.0, "maximum": 1.0}
    # no API docs page: it would load its scripts from a CDN
    assert client.get("/docs").status_code == 404


@pytest.mark.slow
def test_every_view_answers_in_the_one_json_shape(client: Any) -> None:
    for v in views(client):
        r = client.get(f"/api/views/{v['name']}.json", params=NEEDS.get(v["name"], {}))
        body = r.json()
        if r.status_code == 404:  # the sample data lacks what this view needs: said in one line
            assert body["ok"] is False and body["error"], v["name"]
            continue
        assert r.status_code == 200, (v["name"], body)
        assert set(body) == SHAPE, v["name"]
        assert body["view"] == v["name"]
        for t in body["tables"]:
            assert {"name", "title", "kind", "units", "date_column", "rows"} <= set(t)
            assert all(set(row) == set(t["units"]) for row in t["rows"])


def test_csv_and_figure_endpoints(client: Any) -> None:
    r = client.get("/api/views/flow_history.csv", params={"table": "history", "years": 1})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:3] == ["week_to", "value", "sum_13"]
    assert len(rows) > 50
    fig = client.get("/api/figures/flow_history.json", params={"years": 1}).json()
    assert fig["layout"]["yaxis"]["title"]["text"] == "net buying, JPY bn"
    assert any(t["type"] == "bar" and any(y is not None for y in t["y"]) for t in fig["data"])
    bad = client.get("/api/views/flow_history.csv", params={"table": "nope"})
    assert bad.status_code == 422 and bad.json()["parameter"] == "table"


def _raw_weekly_foreign_total(shared: Path, period: str) -> float:
    """MOF week.csv: the last column (non-residents, total, net; ¥100m) of the row of ``period``."""
    text = (shared / "mof_securities_flows" / "week.csv").read_bytes().decode("cp932")
    for row in csv.reader(io.StringIO(text)):
        if row and row[0].strip() == period:
            return float(row[-1].replace(",", "").strip())
    raise AssertionError(f"no row {period} in week.csv")


def test_flow_history_matches_the_raw_weekly_file(client: Any, shared_data: Path) -> None:
    # week.csv line 1038: "2024．8．4～8．10", last column (foreigners, total, net) "25,229" ¥100m
    raw = _raw_weekly_foreign_total(shared_data, "2024．8．4～8．10")
    assert raw == 25229
    body = client.get("/api/views/flow_history.json", params={"years": 0, "as_of": "2024-12-31"}).json()
    rows = {r["week_to"]: r for r in body["tables"][0]["rows"]}
    assert rows["2024-08-10"]["value"] == pytest.approx(raw / 10)  # ¥bn
    assert body["tables"][0]["units"]["value"] == "JPY bn"


def _raw_jgb(shared: Path, day: str) -> dict[str, float]:
    with (shared / "mof_jgb_yields" / "jgbcme_all.csv").open(encoding="ascii", errors="replace") as f:
        rows = list(csv.reader(f))
    header = rows[1]
    for row in rows[2:]:
        if row and row[0] == day:
            return {h: float(v) for h, v in zip(header[1:], row[1:]) if v not in ("-", "")}
    raise AssertionError(day)


def _raw_ust_par(shared: Path, day: datetime) -> dict[str, float]:
    with (shared / "ust_yields" / "yield-curve-rates-1990-2024.csv").open() as f:
        for row in csv.DictReader(f):
            if datetime.strptime(row["Date"], "%m/%d/%y") == day:
                return {k: float(v) for k, v in row.items() if k != "Date" and v}
    raise AssertionError(day)


def test_curves_on_a_named_date_match_the_raw_files(client: Any, shared_data: Path) -> None:
    # jgbcme_all.csv line 12788 (2024/8/5): 10Y 0.781, 30Y 1.956; Treasury par 8/5/24: 10 Yr 3.78, 30 Yr 4.06
    jgb = _raw_jgb(shared_data, "2024/8/5")
    ust = _raw_ust_par(shared_data, datetime(2024, 8, 5))
    body = client.get("/api/views/curves.json", params={"date": "2024-08-05"}).json()
    rows = {r["tenor"]: r for r in body["tables"][0]["rows"]}
    assert rows["10Y"]["jgb_latest"] == jgb["10Y"] == 0.781
    assert rows["30Y"]["jgb_latest"] == jgb["30Y"]
    assert rows["10Y"]["ust_latest"] == ust["10 Yr"] == 3.78
    assert rows["30Y"]["ust_latest"] == ust["30 Yr"]
    dates = {r["curve"]: r["date"] for r in body["tables"][1]["rows"]}
    assert dates == {"jgb_latest": "2024-08-05", "jgb_1m_ago": "2024-07-05", "jgb_1y_ago": "2023-08-04",
                     "ust_latest": "2024-08-05", "ust_1m_ago": "2024-07-05", "ust_1y_ago": "2023-08-04"}
    # one year earlier, from the raw files too
    assert rows["10Y"]["jgb_1y_ago"] == _raw_jgb(shared_data, "2023/8/4")["10Y"]


def test_events_match_the_raw_intervention_file(client: Any, shared_data: Path) -> None:
    # interventions_daily_1991-2026_derived.csv line 381: 2024-04-29, USD/JPY, sell_USD_buy_JPY, 5918.5 (¥bn)
    with (shared_data / "mof_intervention" / "interventions_daily_1991-2026_derived.csv").open() as f:
        raw = [r for r in csv.DictReader(f) if r["date"] == "2024-04-29"]
    assert [float(r["amount_yen_billions"]) for r in raw] == [5918.5]
    body = client.get("/api/views/events.json", params={"start": "2024-04-01", "end": "2024-08-31"}).json()
    rows = body["tables"][0]["rows"]
    iv = [r for r in rows if r["kind"] == "MOF intervention" and r["date"] == "2024-04-29"]
    assert len(iv) == 1 and iv[0]["value"] == pytest.approx(5918.5) and "bought yen" in iv[0]["label"]
    boj = [r for r in rows if r["kind"] == "BOJ decision"]
    # decided 2024-07-31 (the released date), effective 2024-08-01, target 0.25 %
    assert [(r["date"], r["value"]) for r in boj] == [("2024-07-31", 0.25)]
    assert "effective 2024-08-01" in boj[0]["label"]
    # as of 2024-07-30 the July decision is not known yet
    before = client.get("/api/views/events.json", params={"start": "2024-04-01", "as_of": "2024-07-30"}).json()
    assert not [r for r in before["tables"][0]["rows"] if r["kind"] == "BOJ decision"]


@pytest.mark.parametrize("params, parameter", [
    ({"bond_tenor": "11"}, "bond_tenor"),
    ({"hedge_ratio": "2"}, "hedge_ratio"),
    ({"as_of": "yesterday"}, "as_of"),
    ({"tenor": "10"}, "tenor"),  # an unknown parameter is named too
    ({"start": "2024-02-01", "end": "2024-01-01"}, "start"),
])
def test_bad_parameters_get_a_4xx_naming_the_parameter(client: Any, params: dict[str, str], parameter: str) -> None:
    r = client.get("/api/views/hedge.json", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["ok"] is False and body["status"] == 422 and body["parameter"] == parameter
    assert body["error"].startswith(f"{parameter}: ")


def test_missing_views_and_pages(client: Any) -> None:
    r = client.get("/api/views/nonesuch.json")
    assert r.status_code == 404 and "not available in this build" in r.json()["error"]
    assert client.get("/nonesuch").status_code == 404
    assert client.get("/fragment/flows/99").status_code == 404
    r = client.get("/fragment/hedging/0", params={"bond_tenor": "11"})
    assert r.status_code == 422 and "bond_tenor" in r.text
    r = client.get("/fragment/flows/0", params={"bogus": "1"})
    assert r.status_code == 422 and "bogus" in r.text


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/cli.py", "/static/..%2F..%2F..%2Fetc%2Fpasswd",
    "/static/%2e%2e%2f%2e%2e%2fconfig.py", "/static/style.css/../../app.py", "/static/", "/static/.."])
def test_no_path_traversal_through_static(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 or (r.status_code == 200 and r.headers["content-type"].startswith("text/html")
                                    and "def create_app" not in r.text), path
    assert "def create_app" not in r.text and "root:" not in r.text


def test_static_serves_plotly_from_the_installed_package(client: Any) -> None:
    import plotly

    r = client.get("/static/plotly.min.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.content == (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


def test_pages_load_nothing_from_outside(client: Any) -> None:
    for page in PAGES:
        html = client.get(f"/{page.slug}").text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), page.slug


@pytest.mark.slow
def test_every_panel_fragment_renders(client: Any) -> None:
    for page in PAGES:
        for i, panel in enumerate(page.panels):
            r = client.get(f"/fragment/{page.slug}/{i}")
            assert r.status_code == 200, (page.slug, i, r.text[:300])
            assert 'class="panel' in r.text
            if "not available in this build" in r.text:
                continue
            assert "notice error" not in r.text, (page.slug, i, r.text[:500])
            for script in r.text.split('<script type="application/json" class="figure">')[1:]:
                fig = json.loads(script.split("</script>")[0])
                assert any(any(y is not None for y in t.get("y", [])) for t in fig["data"]), (page.slug, i)
                assert fig["layout"]["yaxis"]["title"]["text"], (page.slug, i)
                assert fig["layout"]["xaxis"]["title"]["text"], (page.slug, i)


def test_a_view_not_in_this_build_is_a_clear_panel(client: Any) -> None:
    from yenflow.render.pages import Page, Panel
    from yenflow.views.registry import specs
    from yenflow.web.app import _panel

    html, status = _panel(client.app.state.service, Page("t", "T", "", ()), Panel("no_such_view"), {}, "t-0")
    assert status == 200 and "Not available in this build" in html and "<code>no_such_view</code>" in html
    for page in PAGES:  # every planned view missing from this build gets the same panel
        for i, panel in enumerate(page.panels):
            if panel.view not in specs():
                assert "Not available in this build" in client.get(f"/fragment/{page.slug}/{i}").text


def test_the_story_names_its_stand_ins(client: Any) -> None:
    story = next(p for p in PAGES if p.slug == "story")
    html = "".join(client.get(f"/fragment/story/{i}").text for i in range(len(story.panels)))
    assert html.count('<script type="application/json" class="figure">') >= 5
    assert "stand in for 3M OIS" in html and "third-party re-exports" in html


def test_large_answers_are_gzipped_for_other_machines_only(dashboard_db: Path) -> None:
    """Over loopback an uncompressed body is quicker for the client than inflating it; across a network
    the compressed one is (the same bytes once inflated either way)."""
    import warnings

    from yenflow.web.app import GZIP_FROM, create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    app = create_app(dashboard_db)
    path = "/api/views/series_values.json?series_ids=jgb.10y"
    remote = TestClient(app, client=("192.0.2.7", 50000)).get(path, headers={"Accept-Encoding": "gzip"})
    local = TestClient(app, client=("127.0.0.1", 50000)).get(path, headers={"Accept-Encoding": "gzip"})
    assert remote.status_code == local.status_code == 200
    assert len(local.content) > GZIP_FROM
    assert remote.headers["content-encoding"] == "gzip" and "content-encoding" not in local.headers
    assert int(remote.headers["content-length"]) < len(remote.content) // 4  # sent compressed
    assert remote.content == local.content and remote.headers["vary"] == local.headers["vary"] == "Accept-Encoding"


def test_panels_drawing_the_same_run_fold_its_warnings_after_the_first(client: Any) -> None:
    # the Scenarios page draws one scenario run in four panels: its warnings are listed once, then folded
    outlook = next(p for p in PAGES if p.slug == "outlook")
    same = [i for i, p in enumerate(outlook.panels) if p.view == "scenario_run"]
    assert len(same) >= 2
    first, second = (client.get(f"/fragment/outlook/{i}").text for i in same[:2])
    warnings = re.findall(r'<p class="warning">⚠ ([^<]+)</p>', first)
    assert warnings and "warning-repeat" not in first
    title = outlook.panels[same[0]].title
    assert f"the same {len(warnings)} warnings as “{title}” above" in second
    # folded, not lost: the same lines are inside the collapsed block
    assert re.findall(r'<p class="warning">⚠ ([^<]+)</p>', second.split("warning-repeat", 1)[1]) == warnings
    # another view's panel on the page lists its own
    other = next(i for i, p in enumerate(outlook.panels) if p.view != "scenario_run")
    assert "warning-repeat" not in client.get(f"/fragment/outlook/{other}").text


def test_a_single_repeated_warning_is_shown_as_is() -> None:
    import pandas as pd

    from yenflow.render.html import panel_html
    from yenflow.render.pages import Panel
    from yenflow.views.result import Table, ViewResult

    table = Table("t", pd.DataFrame({"a": [1.0]}), {"a": "%"})
    panel = Panel("demo", kind="table")
    for warnings, folded in ((("only one",), False), (("one", "two"), True)):
        result = ViewResult("demo", "Demo", {}, None, (table,), warnings=warnings)
        html = panel_html(panel, result, warned_above="First panel")
        assert ("warning-repeat" in html) == folded
        assert re.findall(r'<p class="warning">⚠ ([^<]+)</p>', html) == list(warnings)  # listed either way
        if folded:
            assert "the same 2 warnings as “First panel” above" in html


def test_wide_panels_span_the_page(client: Any) -> None:
    overview = next(p for p in PAGES if p.slug == "overview")
    html = client.get("/overview").text
    for i, panel in enumerate(overview.panels):
        assert (f'class="slot wide" id="slot-overview-{i}"' in html) == panel.wide, i
    assert any(p.wide for p in overview.panels) and not all(p.wide for p in overview.panels)


def test_a_panel_drawing_several_tables_names_each_chart(client: Any) -> None:
    outlook = next(p for p in PAGES if p.slug == "outlook")
    i = next(i for i, p in enumerate(outlook.panels) if p.view == "signals" and p.params.get("components"))
    html = client.get(f"/fragment/outlook/{i}").text
    charts = html.split('<div class="chart" data-table="')[1:]
    assert len(charts) >= 2
    # the heading just before each chart is its table's title (the components' charts are all labelled "z")
    headings = re.findall(r'<h3 class="table-title">([^<]+)</h3>\s*<div class="chart" data-table="([^"]+)"', html)
    assert [t for _, t in headings] == [c.split('"', 1)[0] for c in charts]
    titled = dict((t, h) for h, t in headings)
    assert titled["composite"].startswith("Sell-Japan composite as known on each date")
    assert "USD/JPY carry to volatility" in titled["component_carry_to_vol"]
    # a panel with one table keeps the panel title alone
    single = next(i for i, p in enumerate(outlook.panels) if p.view == "signals" and p.table == "composite")
    assert '<h3 class="table-title">' not in client.get(f"/fragment/outlook/{single}").text
