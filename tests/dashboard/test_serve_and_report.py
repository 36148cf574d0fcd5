"""`yenflow serve` binds 127.0.0.1 unless told otherwise (and warns when it
is); `yenflow report` writes an HTML that opens offline, PNG charts, CSVs and
a Markdown summary whose answers are the answer view's."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.shared_data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> set[str]:
    """Local addresses listening on ``port`` (from /proc/net/tcp and tcp6)."""
    out = set()
    for name in ("tcp", "tcp6"):
        p = Path("/proc/net") / name
        if not p.exists():
            continue
        for line in p.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:
                out.add(addr)
    return out


def _serve(home: Path, *args: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "yenflow", "serve", "--home", str(home), "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode() if proc.stderr else "serve exited")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/hello", timeout=1).status_code == 200:
                return proc, port
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise AssertionError("yenflow serve did not answer")


def test_serve_binds_loopback_by_default(dashboard_home: Path) -> None:
    proc, port = _serve(dashboard_home)
    try:
        assert _listening(port) == {"0100007F"}  # 127.0.0.1 only
        page = httpx.get(f"http://127.0.0.1:{port}/overview", timeout=10)
        assert page.status_code == 200 and "/static/plotly.min.js" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert b"http://127.0.0.1:" in proc.stdout.read()


def test_serve_warns_when_told_to_listen_beyond_loopback(dashboard_home: Path) -> None:
    proc, port = _serve(dashboard_home, "--host", "0.0.0.0")
    try:
        assert _listening(port) == {"00000000"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert "Warning: listening on 0.0.0.0" in proc.stderr.read().decode()


def test_serve_get_answers_one_request(dashboard_home: Path) -> None:
    from typer.testing import CliRunner

    from yenflow.cli import app

    r = CliRunner().invoke(app, ["serve", "--home", str(dashboard_home), "--get", "/api/views/hedge.json?bond_tenor=4"])
    assert r.exit_code == 1 and '"parameter":"bond_tenor"' in r.output


@pytest.fixture(scope="module")
def report(dashboard_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from yenflow.report import build_report
    from yenflow.store import Store
    from yenflow.views.params import parse_datetime

    out = tmp_path_factory.mktemp("report")
    with Store(dashboard_db, read_only=True) as store:
        files = build_report(store, out, parse_datetime("2024-08-09", "--as-of"))
    return files


def test_report_files(report: Any) -> None:
    assert report.html.exists() and report.summary.exists()
    assert len(report.charts) >= 12 and len(report.data) >= 12
    for png in report.charts:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, png
    html = report.html.read_text(encoding="utf-8")
    markup = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)  # plotly.js's own strings name URLs
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", markup)
    assert "<script src=" not in html and "<link" not in markup
    assert "connect-src" not in html and "default-src 'none'" in html  # the page may fetch nothing
    assert html.count('<script type="application/json" class="figure">') == len(report.charts)
    # a view run drawn in two panels lists its warnings under the first and folds them under the next
    from yenflow.render.pages import REPORT_SECTIONS, page

    refs = [page(slug).panels[i] for _, section in REPORT_SECTIONS for slug, i in section]
    runs = [(p.view, repr(sorted(p.params.items()))) for p in refs]
    repeated = len(runs) - len(set(runs))
    assert html.count('class="warning-repeat"') <= repeated
    for folded in re.findall(r"the same \d+ warnings? as “([^”]+)” above", html):
        assert folded in html.split("warning-repeat", 1)[0]  # names a panel drawn earlier


def test_report_summary_gives_the_answers_as_of_the_date(report: Any, dashboard_db: Path) -> None:
    from yenflow.store import Store
    from yenflow.views import registry

    with Store(dashboard_db, read_only=True) as store:
        answer = registry.run(store, "answer", {"as_of": "2024-08-09"})
    text = report.summary.read_text(encoding="utf-8")
    for _, a in answer.table("answers").flat().iterrows():
        assert f"### {a['question']} **{a['answer']}**" in text
    # the August-2024 unwind, as known on 2024-08-09
    assert "### Is the yen carry trade unwinding? **unwinding**" in text
    assert "## What moved this week" in text and "## Records" in text and "## Stale sources and inputs" in text


@pytest.mark.slow
@pytest.mark.browser
def test_report_opens_offline_and_draws_every_chart(report: Any, browser: Any, artifacts: Path) -> None:
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(report.html.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=120_000)
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('.chart')).map(d =>
        d.querySelectorAll('.main-svg').length > 0 && (d.data || []).some(t => (t.y || []).some(v => v !== null)))""")
    page.screenshot(path=str(artifacts / "report-offline.png"), full_page=True)
    context.close()
    assert drawn and all(drawn) and len(drawn) == len(report.charts)
    assert [u for u in requests if not u.startswith("file:")] == []
    assert errors == []
