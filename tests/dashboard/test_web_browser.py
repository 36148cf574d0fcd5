"""The dashboard in a real browser (Debian's chromium driven by Playwright):
every page loads without console errors, every chart draws data, no request
leaves 127.0.0.1, the as-of control changes what is drawn, events toggle.
Screenshots go to test-artifacts/ (printed at the end of the run)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from yenflow.render.pages import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.shared_data, pytest.mark.slow]

#: every chart on the page: drawn by plotly (.main-svg) with at least one trace holding a value
CHARTS_JS = """() => Array.from(document.querySelectorAll('.chart')).map(d => ({
    svg: d.querySelectorAll('.main-svg').length,
    traces: (d.data || []).filter(t => !(t.meta && t.meta.event)).length,
    values: (d.data || []).filter(t => !(t.meta && t.meta.event))
        .reduce((n, t) => n + (t.y || []).filter(v => v !== null && v !== undefined).length, 0),
    lastX: (() => { const t = (d.data || [])[0]; if (!t) return null;
        const xs = (t.x || []).filter(v => v !== null); return xs.length ? xs[xs.length - 1] : null; })(),
    title: d.closest('section').querySelector('h2').textContent }))"""


class Tab:
    """A browser page that records console errors and every request's URL (and blocks any not on the server)."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.outside: list[str] = []
        self.errors: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(base) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str) -> list[dict[str, Any]]:
        self.page.goto(self.base + path)
        self.page.wait_for_selector("body[data-ready='1']", timeout=180_000)
        return self.page.evaluate(CHARTS_JS)


@pytest.fixture(scope="module")
def tab(browser: Any, live_server: Any) -> Iterator[Tab]:
    t = Tab(browser, live_server.url)
    yield t
    t.context.close()


@pytest.mark.parametrize("slug", [p.slug for p in PAGES])
def test_every_page_loads_and_draws(tab: Tab, slug: str, artifacts: Path) -> None:
    tab.errors.clear()
    charts = tab.open(f"/{slug}")
    tab.page.screenshot(path=str(artifacts / f"page-{slug}.png"), full_page=True)
    assert tab.errors == [], tab.errors
    assert tab.outside == []
    for c in charts:
        assert c["svg"] >= 1 and c["traces"] >= 1 and c["values"] > 0, (slug, c)
    expected = sum(1 for _ in tab.page.query_selector_all("script.figure"))
    assert len(charts) == expected
    if slug in ("overview", "flows", "rates", "hedging", "carry", "stress", "holdings", "story"):
        assert charts, f"{slug} draws no chart"
    assert not tab.page.query_selector_all(".panel.failed"), slug


def test_as_of_redraws_the_page_as_the_store_knew_it(tab: Tab, artifacts: Path) -> None:
    latest = tab.open("/flows")
    with tab.page.expect_navigation(url="**/flows?as_of=2024-08-09**"):
        tab.page.fill("#as-of", "2024-08-09")  # fill fires "change": the control submits the form
        tab.page.dispatch_event("#as-of", "change")  # a second change of the same date must not abort it
    tab.page.wait_for_selector("body[data-ready='1']", timeout=180_000)
    then = tab.page.evaluate(CHARTS_JS)
    tab.page.screenshot(path=str(artifacts / "page-flows-as-of-2024-08-09.png"), full_page=True)
    assert tab.errors == [] and tab.outside == []
    # the weekly chart ends with the last MOF week published by 2024-08-09 (the week to 2024-08-03, out on 08-08)
    assert latest[0]["lastX"] > "2026-01-01"
    assert then[0]["lastX"] == "2024-08-03"
    assert "Shown as the store knew it on 2024-08-09" in tab.page.inner_text(".asof-banner")
    overview = tab.open("/overview?as_of=2024-08-09")
    tab.page.screenshot(path=str(artifacts / "page-overview-as-of-2024-08-09.png"), full_page=True)
    assert overview and all(c["values"] > 0 for c in overview)
    assert "from the data to 2024-08-0" in tab.page.inner_text("#slot-overview-0")


def test_events_are_drawn_labelled_and_toggle(tab: Tab) -> None:
    tab.open("/carry")
    count = """() => { const d = document.querySelector('.chart'); return (d.data || [])
        .filter(t => t.meta && t.meta.event && t.visible === true).map(t => t.name); }"""
    shown = tab.page.evaluate(count)
    assert set(shown) == {"BOJ decision", "MOF intervention"}
    labels = tab.page.evaluate("""() => document.querySelector('.chart').data
        .filter(t => t.meta && t.meta.event).flatMap(t => t.text).filter(x => x)""")
    assert any("2024-07-31: BOJ raises its policy rate target to 0.25 %" in x for x in labels)
    tab.page.uncheck("#events-toggle")
    assert tab.page.evaluate(count) == []
    tab.page.check("#events-toggle")
    assert set(tab.page.evaluate(count)) == {"BOJ decision", "MOF intervention"}


def test_hedging_controls_redraw(tab: Tab) -> None:
    tab.open("/hedging?bond_tenor=5&basis_bp=-30")
    legend = tab.page.evaluate("() => document.querySelector('.chart').data.map(t => t.name)")
    assert "UST 5Y FX-hedged" in legend and "JGB 5Y" in legend
    assert tab.page.input_value("select[name=bond_tenor]") == "5"
    assert tab.errors == []
