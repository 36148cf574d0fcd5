"""The main job online: `yenflow update` with no --from, every official host
mapped to a loopback "publisher" (tests/publishers.py) serving the sample files
at their official paths, with faults scripted per file. Every source's own
fetch path runs; the store ends equal to `update --from ../shared/data` where
the files are the same; conditional GETs make the second run cost 304s."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

import publishers as pub
from yenflow import http
from yenflow.cli import app
from yenflow.pipeline import update
from yenflow.sources import list_sources
from yenflow.store import Store

DAY = date(2026, 6, 16)  # a day in the year; the New Year is tested on its own
MOF = "www.mof.go.jp"


@pytest.fixture
def threaded_server() -> HTTPServer:
    """A loopback server answering requests in parallel (a stalled answer does not hold the others)."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def web(request: pytest.FixtureRequest, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> pub.Publishers:
    threaded = "stalled" in request.node.name
    httpserver = request.getfixturevalue("threaded_server" if threaded else "httpserver")
    publishers = pub.Publishers(shared_data)
    httpserver.expect_request(__import__("re").compile(".*")).respond_with_handler(publishers)
    monkeypatch.setattr(http, "TRANSPORT", lambda host: pub.ToLoopback(httpserver.url_for("/")))
    monkeypatch.setattr(http, "PACE_SECONDS", 0.0)  # politeness is tested on its own (test_http_session)
    monkeypatch.delenv("YENFLOW_MIRROR", raising=False)
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    from functools import partialmethod

    from yenflow.sources.boj.api import BojApi

    monkeypatch.setattr(BojApi, "__init__", partialmethod(BojApi.__init__, pause=0.0))
    return publishers


def _latest(store: Store) -> dict[tuple[str, object], float]:
    rows = store.con.execute(
        """SELECT series_id, ref_date, value FROM observations
           QUALIFY row_number() OVER (PARTITION BY series_id, ref_date ORDER BY seen_at DESC) = 1"""
    ).fetchall() if not store.read_only else store.sql(
        """SELECT series_id, ref_date, value FROM observations
           QUALIFY row_number() OVER (PARTITION BY series_id, ref_date ORDER BY seen_at DESC) = 1"""
    ).itertuples(index=False)
    return {(s, str(d)[:10]): v for s, d, v in rows}


#: sources whose loopback files are not (all) in ../shared/data: fixtures for formats with no sample
#: (TIC: the current slt_table5.txt is a fixture with the July-2026 release, which revises 2025 months)
NOT_IN_FOLDER = {"boj.api", "mof.intervention", "mof.jgb_auction_pages", "ustreasury.tic", "boj.flat_files"}  # hand-made fixtures online


@pytest.mark.slow
def test_every_source_updates_online_with_faults(web: pub.Publishers, tmp_path: Path, real_store: Store) -> None:
    web.gzip_hosts = {"fred.stlouisfed.org", "ticdata.treasury.gov"}  # compressed answers are read too
    web.fault(MOF, pub.MOF_ITS + "monthb3.csv", pub.status(404))  # one file of a three-file source is missing
    web.fault(MOF, pub.MOF_ITS + "week.csv", pub.status(503), pub.status(503))  # then served
    web.fault("fred.stlouisfed.org", "/graph/fredgraph.csv?id=DGS10", pub.status(429, headers={"Retry-After": "1"}))
    web.fault(MOF, "/jgbs/reference/interest_rate/data/jgbcm_all.csv", pub.broken_gzip)  # then a good body
    store = Store(tmp_path / "s.duckdb")
    results = {r.source: r for r in update(store, today=DAY)}
    assert set(results) == set(list_sources())
    partial = {k: r.error for k, r in results.items() if r.status == "partial"}
    failed = {k: r.error for k, r in results.items() if r.status not in ("ok", "partial")}
    assert not failed, failed
    assert list(partial) == ["mof.securities_by_investor"]
    assert "monthb3.csv: HTTP 404" in partial["mof.securities_by_investor"]
    assert results["mof.securities_by_investor"].files_new == 2  # monthb2 and monthb4 are stored
    # every source fetched something online, including the ones that used to be folder-only
    loaded = {k for k, r in results.items() if r.files_new}
    # folder-only, and `yenflow sources` says why: BoP 6pi (no confirmed URL), IMF PIP (query not recorded),
    # JPX (no fixed URL; J-Quants needs a key)
    assert loaded == set(list_sources()) - {"mof.bop_portfolio", "imf.pip", "jpx.investor_types"}
    # the auction calendar led to the result pages up to the day (not to 2026-06-30's, still to come)
    assert [p for _, p, _ in web.requests(MOF, "nyusatsu/")] == [
        "/jgbs/auction/calendar/nyusatsu/resul20260527.htm", "/jgbs/auction/calendar/nyusatsu/resul20260602.htm"]
    # the Treasury history came year by year from the per-year endpoint (1990 on), once
    assert len(web.requests("home.treasury.gov")) == 2026 - 1990 + 1
    # the same values as `update --from ../shared/data` wherever the same files were read
    online, folder = _latest(store), _latest(real_store)
    sources = dict(store.con.execute("SELECT id, source FROM series").fetchall())
    same = {k: v for k, v in online.items() if sources[k[0]] not in NOT_IN_FOLDER}
    differ = {k: (v, folder.get(k)) for k, v in same.items() if folder.get(k) != v}
    assert not differ, list(differ.items())[:5]
    # spot checks read off the raw files: jgbcme_all.csv 2026/6/30 10Y = 2.69; DEXJPUS 2026-07-30 = 159.47
    assert online[("jgb.10y", "2026-06-30")] == pytest.approx(2.69)
    assert online[("fx.usdjpy", "2026-07-30")] == pytest.approx(159.47)
    # a good second run: 304s and nothing parsed, except the file that was missing
    web.log.clear()
    again = {r.source: r for r in update(store, today=DAY)}
    assert all(r.ok for r in again.values()), {k: r.error for k, r in again.items() if not r.ok}
    assert again["mof.securities_by_investor"].files_new == 1  # monthb3.csv now
    assert sum(r.files_new for r in again.values()) == 1
    assert sum(r.files_not_modified for r in again.values()) >= 30
    # once-only files (past Treasury years, auction result pages, last fiscal year's JSDA file) are not asked again
    assert len(web.requests("home.treasury.gov")) == 1
    assert not web.requests(MOF, "nyusatsu/") and not web.requests("www.jsda.or.jp", "koushasai2025")
    assert all("+" in agent and "yenflow/" in agent for agent in web.agents)  # a User-Agent with a contact


def test_new_year_rollover(web: pub.Publishers, tmp_path: Path) -> None:
    """In the first days of January the new year's files do not exist yet: 'not
    yet published', not an error; last year's final files are fetched again."""
    store = Store(tmp_path / "s.duckdb")
    names = ["ustreasury.par_curve", "cftc.tff"]
    assert all(r.ok for r in update(store, names, today=date(2026, 12, 30)))
    # the CFTC answers the new year's zip with an HTML page (an invalid ZIP), the Treasury with 404
    web.files[("www.cftc.gov", pub.CFTC_ZIP.format(year=2027))] = b"<html>File not found</html>"
    web.log.clear()
    results = {r.source: r for r in update(store, names, today=date(2027, 1, 4))}
    for r in results.values():
        assert r.status == "ok", r.error
        assert any("not published yet" in n for n in r.notes), r.notes
    assert "2027" in " ".join(results["cftc.tff"].notes) and "not a ZIP yet" in " ".join(results["cftc.tff"].notes)
    assert "HTTP 404" in " ".join(results["ustreasury.par_curve"].notes)
    asked = [p for _, p, _ in web.log]
    assert pub.CFTC_ZIP.format(year=2026) in asked and any("/2026/all" in p for p in asked)  # last year's, again
    # after the window, a missing current-year file is an error again
    web.log.clear()
    late = {r.source: r for r in update(store, names, today=date(2027, 3, 1))}
    assert late["ustreasury.par_curve"].status == "FAILED" and "HTTP 404" in late["ustreasury.par_curve"].error


def test_jsda_previous_fiscal_year_fetched_once_after_april(web: pub.Publishers, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    web.files.pop(("www.jsda.or.jp", "/shiryoshitsu/toukei/tentoubaibai/koushasai2025.xlsx"))
    r, = update(store, ["jsda.bond_trading"], today=date(2026, 4, 10))
    assert r.ok and any("not published yet" in n for n in r.notes)  # the yearly file comes out later
    web.add("www.jsda.or.jp", "/shiryoshitsu/toukei/tentoubaibai/koushasai2025.xlsx",
            web.shared / "jsda_bond_trading/koushasai2025.xlsx")
    r, = update(store, ["jsda.bond_trading"], today=date(2026, 5, 20))
    assert r.ok and r.files_new == 1  # FY2025 (April 2025 – March 2026)
    assert store.get("jsda.net_buying.foreigners.super_long").index.min() <= __import__("pandas").Timestamp("2025-04-30")
    web.log.clear()
    r, = update(store, ["jsda.bond_trading"], today=date(2026, 6, 20))
    assert r.ok and [p for _, p, _ in web.log] == ["/shiryoshitsu/toukei/tentoubaibai/koushasai.xlsx"]


def test_stalled_fred_is_host_down_with_the_api_key_hint(web: pub.Publishers, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "READ_TIMEOUT", 0.3)
    for fred_id in pub.FRED_FILES:
        web.fault("fred.stlouisfed.org", f"/graph/fredgraph.csv?id={fred_id}", pub.stall(0.6), pub.stall(0.6))
    store = Store(tmp_path / "s.duckdb")
    weekly, fred, nikkei = update(store, ["mof.securities_weekly", "fred", "nikkei.stock_average"], today=DAY)
    assert fred.status == "FAILED" and "stalled" in fred.error and fred.unreachable
    assert "FRED_API_KEY" in fred.hint
    # two timeouts on the first series, then the host is skipped: no other series was asked for
    untouched = [k for k, q in web.faults.items() if k[0] == "fred.stlouisfed.org" and len(q) == 2]
    assert len(untouched) == len(pub.FRED_FILES) - 1
    assert weekly.ok and nikkei.ok and nikkei.files_new == 1


@pytest.mark.slow
def test_cli_update_online(web: pub.Publishers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command as run from cron, on the machine's date: the files of that date's periods are there."""
    monkeypatch.setenv("YENFLOW_HOME", str(tmp_path / "home"))
    today = date.today()
    for year in (today.year - 1, today.year):
        web.files[("home.treasury.gov", pub.UST_YEAR.format(year=year))] = web.files[("home.treasury.gov", pub.UST_YEAR.format(year=2026))]
        web.files[("www.cftc.gov", pub.CFTC_ZIP.format(year=year))] = web.files[("www.cftc.gov", pub.CFTC_ZIP.format(year=2026))]
    for url in __import__("yenflow.sources.mof.auction_results_page", fromlist=["x"]).calendar_urls(today):
        web.files.setdefault((MOF, url.removeprefix("https://" + MOF)), b"<table></table>")
    r = CliRunner().invoke(app, ["update"])
    import traceback
    assert r.exit_code == 0, "".join(traceback.format_exception(*r.exc_info)) if r.exc_info else r.output
    # the main job ends with the answer to the three questions, from the freshly stored data
    assert "Is Japanese money coming home?" in r.output and "Is the yen carry trade unwinding?" in r.output
    assert "yenflow serve" in r.output
    web.fault(MOF, pub.MOF_ITS + "week.csv", *[pub.status(500)] * 4)
    r = CliRunner().invoke(app, ["update", "mof.securities_weekly", "nikkei.stock_average", "--no-monitor"])
    assert r.exit_code == 1
    assert re.search(r"^mof.securities_weekly +FAILED ", r.output, re.M)
    assert "week.csv: HTTP 500 after 3 attempts" in r.output
