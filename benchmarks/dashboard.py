"""How fast the dashboard answers, and how much memory it holds.

    uv run python benchmarks/dashboard.py [--home DIR] [--requests 200]

Builds a store from ../shared/data (or uses --home), starts `yenflow serve` in
its own process on 127.0.0.1, then prints:

1. per `/api/views/{name}.json` endpoint (default parameters): the first
   (uncached) answer, then p50/p95 over N requests alternating with N requests
   to `/api/hello` of the same app, and the ratio of the p95s (target: p95 ≤ 2×
   hello and ≤ 50 ms);
2. time to the first chart of the Overview in chromium (the page's first
   `.main-svg`), on a cold server and again warm;
3. the server's resident memory (VmRSS) after every page has been loaded
   (target ≤ 300 MB).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _store import sample_home
#: parameters a view cannot run without
NEEDS = {"series_values": "?series_ids=jgb.10y", "vintages": "?series_id=fx.usdjpy&date=2019-02-20",
         "episode": "?preset=aug-2024"}
EXTRA_ENV: dict[str, str] = dict(a.split("=", 1) for a in __import__("os").environ.get("BENCH_ENV", "").split() if a)
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int) -> subprocess.Popen:
    import httpx

    import os

    proc = subprocess.Popen([sys.executable, "-m", "yenflow", "serve", "--home", str(home), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **EXTRA_ENV})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/hello", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    sys.exit("the server did not start")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(client: object, path: str) -> float:
    t0 = time.perf_counter()
    r = client.get(path)  # type: ignore[attr-defined]
    ms = (time.perf_counter() - t0) * 1000
    if r.status_code >= 500:
        sys.exit(f"{path}: HTTP {r.status_code}")
    return ms


def paired(client: object, path: str, n: int) -> tuple[float, float, float, float]:
    """p50 and p95 of ``path`` and of /api/hello, requests alternating so both see the same machine load."""
    ours, hello = [], []
    for _ in range(n):
        ours.append(timed(client, path))
        hello.append(timed(client, "/api/hello"))
    q, h = statistics.quantiles(ours, n=100), statistics.quantiles(hello, n=100)
    return statistics.median(ours), q[94], statistics.median(hello), h[94]


def first_chart_ms(url: str) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(".chart .main-svg", timeout=120_000)
        ms = (time.perf_counter() - t0) * 1000
        page.wait_for_selector("body[data-ready='1']", timeout=120_000)
        browser.close()
    return ms


def main() -> None:

    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with sample_home(args.home) as home:
        measure(home, args.requests)


def measure(home: Path, requests: int) -> None:
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(home, port)
    try:
        print(f"server RSS at start: {rss_mb(server.pid):.0f} MB")
        can_browse = shutil.which("chromium") is not None
        if can_browse:
            cold = first_chart_ms(base + "/overview")
            warm = first_chart_ms(base + "/overview")
        with httpx.Client(base_url=base, timeout=120) as client:
            names = [v["name"] for v in client.get("/api/views").json()["views"]]
            print(f"{'endpoint':<46} {'first':>8} {'p50':>8} {'p95':>8} {'hello p95':>10} {'ratio':>7}  target")
            worst, slowest = 0.0, 0.0
            for name in names:
                path = f"/api/views/{name}.json" + NEEDS.get(name, "")
                t0 = time.perf_counter()
                status = client.get(path).status_code
                first = (time.perf_counter() - t0) * 1000
                p50, p95, h50, h95 = paired(client, path, requests)
                ratio = p95 / h95
                worst, slowest = max(worst, ratio), max(slowest, p95)
                ok = "ok" if ratio <= 2 and p95 <= 50 else "MISSED"
                print(f"{path:<46} {first:>6.0f}ms {p50:>6.2f}ms {p95:>6.2f}ms {h95:>8.2f}ms {ratio:>6.2f}x  {ok}"
                      + ("" if status == 200 else f" (HTTP {status})"))
            for page in ("overview", "flows", "rates", "hedging", "carry", "stress", "holdings", "story", "outlook",
                         "data"):
                html = client.get(f"/{page}").text
                for src in [x.split('"')[0] for x in html.split('data-src="')[1:]]:
                    client.get(src.replace("&amp;", "&"))
        print(f"\nworst p95 ratio to hello-world: {worst:.2f}x (target ≤ 2×); slowest p95 {slowest:.1f} ms (target ≤ 50 ms)")
        if can_browse:
            print(f"Overview, time to first chart in chromium: cold server {cold:.0f} ms, warm {warm:.0f} ms")
        else:
            print("Overview, time to first chart: chromium not installed (apt-get install -y chromium)")
        print(f"server RSS with every page loaded (full history): {rss_mb(server.pid):.0f} MB (target ≤ 300 MB)")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
