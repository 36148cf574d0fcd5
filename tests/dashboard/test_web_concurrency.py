"""The server keeps answering while another process writes the store: 50
parallel requests during `yenflow rebuild` (which drops every observation and
re-parses the archive — the most half-written a store can be) get zero
errors and only whole answers, each identical to the store before or after."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from dashboard.liveserver import LiveServer

pytestmark = pytest.mark.shared_data

WARM = [
    "/api/views/answer.json", "/api/views/flows.json?last=52", "/api/views/hedge.json?start=2020-01-01",
    "/api/views/curves.json", "/api/views/carry.json?history=true", "/api/views/events.json",
    "/api/views/flow_history.json?weekly=false", "/api/views/spreads.json", "/api/views/cot.json?weeks=8",
    "/fragment/overview/1", "/fragment/rates/0",
]
#: not asked before the write starts: these wait for the writer, then are computed
COLD = ["/api/views/rotation.json?years=3", "/api/views/investors.json?asset=equity"]


#: `yenflow rebuild` (pipeline.rebuild on a read-write store) that says when it holds the file
WRITER = """
import sys
import time
from yenflow.pipeline import rebuild
from yenflow.store import Store
with Store(sys.argv[1]) as store:
    print("holding the store", flush=True)
    rebuild(store)
"""


def _own_copy(dashboard_db: Path, tmp_path: Path) -> Path:
    """A copy of the shared dashboard store that this test's writer may change."""
    db = tmp_path / "home" / "yenflow.duckdb"
    db.parent.mkdir()
    shutil.copy(dashboard_db, db)
    return db


def _body(r: httpx.Response) -> Any:
    if r.headers["content-type"].startswith("application/json"):
        return json.loads(r.content)  # a half-written body would not parse
    return r.text.replace("<p class='warning'>The store is being updated: showing the figures from before the "
                          "update.</p>", "")


@pytest.mark.slow
def test_fifty_parallel_requests_while_the_store_is_rebuilt(dashboard_db: Path, tmp_path: Path) -> None:
    from yenflow.web.app import create_app

    db = _own_copy(dashboard_db, tmp_path)
    with LiveServer(create_app(db)) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        before = {u: _body(c.get(u)) for u in WARM}
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        assert writer.stdout is not None and writer.stdout.readline() == b"holding the store\n"
        urls = [(WARM + COLD)[i % (len(WARM) + len(COLD))] for i in range(50)]

        def get(u: str) -> tuple[httpx.Response, bool]:
            r = c.get(u)
            return r, writer.poll() is None  # answered while the writer still held the store?

        with ThreadPoolExecutor(50) as pool:
            done = list(pool.map(get, urls))
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
        after = {u: _body(c.get(u)) for u in WARM + COLD}
    responses = [r for r, _ in done]
    assert [r.status_code for r in responses] == [200] * 50
    # every answer the server already had came back while the writer still held the store
    late = [u for u, (_, during) in zip(urls, done) if u in WARM and not during]
    assert not late, f"answered only after the writer finished: {late}"
    for u, r in zip(urls, responses):
        body = _body(r)
        assert body == after[u] or body == before.get(u), f"{u}: neither the store before nor after the rebuild"
    # the rebuild reproduces the same figures: before and after agree where both were asked
    assert all(before[u] == after[u] for u in WARM if u.startswith("/api/views/") and "status" not in u)


#: a writer that changes the file, then keeps holding it for a few seconds
HOLDER = """
import sys, time
from yenflow.store import Store
with Store(sys.argv[1]) as store:
    store.con.execute("CREATE TABLE scratch AS SELECT 1 AS x")
    print("changed and holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@pytest.mark.slow
def test_a_locked_store_serves_the_last_answer_then_the_new_one(dashboard_db: Path, tmp_path: Path) -> None:
    from yenflow.web.app import create_app

    db = _own_copy(dashboard_db, tmp_path)
    with LiveServer(create_app(db)) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        first = c.get("/api/views/curves.json")
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "4"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert holder.stdout is not None and holder.stdout.readline() == b"changed and holding\n"
        t0 = time.monotonic()
        during = c.get("/api/views/curves.json")  # the file changed: recompute, but the writer holds it
        quick = time.monotonic() - t0
        assert holder.poll() is None
        waited = c.get("/api/views/spreads.json")  # never computed: waits for the writer, then answers
        assert holder.wait(timeout=60) == 0
        again = c.get("/api/views/curves.json")
    assert during.status_code == 200 and during.headers["x-yenflow-stale"].startswith("store is being updated")
    assert during.content == first.content and quick < 2.0
    assert waited.status_code == 200 and waited.json()["view"] == "spreads"
    assert "x-yenflow-stale" not in again.headers and again.json() == first.json()
