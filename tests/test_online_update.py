"""The main job online: `yenflow update` with no --from, every publisher URL
answered by a real HTTP server on 127.0.0.1 serving the sample files (and, for
formats with no sample, the hand-written fixtures). Exercises each source's own
fetch path, conditional GETs on the second run, and the CLI's exit code."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from yenflow import http
from yenflow.cli import app
from yenflow.pipeline import update
from yenflow.sources import list_sources
from yenflow.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


def _routes(shared: Path) -> dict[str, Path]:
    """Official file name (or FRED id / BOJ db) → the file served for it."""
    d = shared
    return {
        "jgbcme_all.csv": d / "mof_jgb_yields/jgbcme_all.csv",
        "jgbcm_all.csv": d / "mof_jgb_yields/jgbcm_all.csv",
        "jgbcme.csv": FIXTURES / "mof_jgb/jgbcme_current_bom.csv",
        "jgbcm.csv": d / "mof_jgb_yields/jgbcm_current_month_2025-10.csv",
        "week.csv": d / "mof_securities_flows/week.csv",
        "montha1.csv": d / "mof_securities_flows/montha1.csv",
        "monthb2.csv": d / "mof_securities_flows/monthb2.csv",
        "monthb3.csv": d / "mof_securities_flows/monthb3.csv",
        "monthb4.csv": d / "mof_securities_flows/monthb4.csv",
        "jgb_historical_data.xls": d / "mof_auctions/jgb_historical_data.xls",
        "foreign_exchange_intervention_operations.csv": FIXTURES / "mof_intervention/foreign_exchange_intervention_operations.csv",
        "20240531.html": FIXTURES / "mof_intervention/20240531.html",
        "20260828.html": FIXTURES / "mof_intervention/20260828.html",
        "mfhhis01.txt": d / "tic/mfhhis01.txt",
        "slt_table5.txt": FIXTURES / "tic/slt_table5.txt",
        "koushasai.xlsx": d / "jsda_bond_trading/koushasai.xlsx",
        "nikkei_stock_average_daily_en.csv": d / "equities/nikkei_stock_average_daily_en.csv",
        "6dca-aqww.json": d / "cftc_cot/api_legacy_futures_only/cftc-cot-jpy-legacy-futures-only.json",
        # the current year's files do not exist in the samples: an older year stands in
        "all": d / "ust_yields/daily-treasury-rates_2025_to-2025-12-19.csv",
        "zip": d / "cftc_cot/fut_fin_txt_2023.zip",
        # FRED ids
        "DEXJPUS": d / "fred/DEXJPUS_2025-12_2026-09.csv",
        "SOFR": d / "fred/2026_ytd/SOFR.csv",
        "DFF": d / "fred/2026_ytd/DFF.csv",
        "DGS2": d / "fred/2026_ytd/DGS2.csv",
        "DGS5": d / "fred/2026_ytd/DGS5.csv",
        "DGS10": d / "fred/2026_ytd/DGS10.csv",
        "DGS30": d / "fred/2026_ytd/DGS30.csv",
        "DGS3MO": FIXTURES / "fred/DGS10_new.csv",  # no 3M sample: any fredgraph CSV exercises the path
        "IR3TIB01JPM156N": d / "fred/IR3TIB01JPM156N.csv",
        "IRSTCI01JPM156N": d / "fred/IRSTCI01JPM156N.csv",
        # BOJ API: a documented page for FM01, "no data" for the rest
        "FM01": FIXTURES / "boj/getDataCode_FM01_D.json",
    }


def _handler(shared: Path, log: list[str]):
    routes = _routes(shared)

    def serve(request: Request) -> Response:
        path = request.path.split("/", 2)[-1]  # drop the /<host> prefix
        name = path.rsplit("/", 1)[-1]
        if name == "fredgraph.csv":
            name = request.args.get("id", "")
        elif name == "getDataCode":
            name = request.args.get("db", "")
        elif name.startswith("fut_fin_txt_"):
            name = "zip"
        elif name == "index.html" and "monthly" in path:
            return Response('<a href="20240531.html">May</a> <a href="./20260828.html">Aug</a>')
        log.append(name)
        target = routes.get(name)
        if target is None:
            if request.path.endswith("getDataCode"):
                return Response((FIXTURES / "boj/nodata_M181030I.json").read_bytes(), content_type="application/json")
            return Response("not found", status=404)
        body = target.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, headers={"ETag": etag})

    return serve


class ToLoopback(httpx.BaseTransport):
    """Sends every request to the loopback server, the official host kept as the
    first path segment (and in the Host header)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = httpx.URL(f"{self.base}/{request.url.host}{request.url.raw_path.decode()}")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def official_web(httpserver: HTTPServer, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Route every official https URL to the loopback server (host kept in the path)."""
    log: list[str] = []
    httpserver.expect_request(__import__("re").compile(".*")).respond_with_handler(_handler(shared_data, log))
    monkeypatch.setattr(http, "TRANSPORT", lambda host: ToLoopback(httpserver.url_for("/")))
    monkeypatch.setattr(http, "PACE_SECONDS", 0.0)
    monkeypatch.delenv("YENFLOW_MIRROR", raising=False)
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    from functools import partialmethod

    from yenflow.sources.boj.api import BojApi

    monkeypatch.setattr(BojApi, "__init__", partialmethod(BojApi.__init__, pause=0.0))
    return log


def test_every_source_updates_online(official_web: list[str], tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    results = {r.source: r for r in update(store)}
    failed = {k: r.error for k, r in results.items() if not r.ok}
    assert not failed, failed
    assert set(results) == set(list_sources())
    loaded = {k for k, r in results.items() if r.files_new}
    # every source with an official URL fetched something (BoP 6pi, flow of funds and the
    # auction result pages have no stable URL: folder or mirror only)
    assert loaded >= set(list_sources()) - {"mof.bop_portfolio", "boj.flow_of_funds", "mof.jgb_auction_pages"}
    assert store.get("jgb.10y").loc["2026-06-30"] == pytest.approx(2.69)
    assert store.get("fx.usdjpy").loc["2026-07-30"] == pytest.approx(159.47)
    # TIC: the history file (Japan Dec 2025 = 1185.5) and the current slt_table5 (a hand-written fixture
    # with the July-2026 release values of sources.md §10: Japan 1103.9) — where they disagree both stay
    assert store.get("tic.holdings.japan").loc["2026-07-31"] == pytest.approx(1103.9)
    assert 1185.5 in set(store.vintages("tic.holdings.japan", "2025-12-31")["value"])
    # second run: the server answers 304 to the conditional GETs, nothing is parsed again
    again = update(store)
    assert all(r.ok for r in again)
    assert sum(r.files_new for r in again) == 0
    assert sum(r.files_not_modified for r in again) >= 20


def test_cli_main_job_online(official_web: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YENFLOW_HOME", str(tmp_path / "home"))
    r = CliRunner().invoke(app, ["update"])
    import traceback
    assert r.exit_code == 0, "".join(traceback.format_exception(*r.exc_info)) if r.exc_info else r.output
    assert "yenflow monitor" in r.output and "JGB 10Y" in r.output and "Foreigners → Japanese equity" in r.output
