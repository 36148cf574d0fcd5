"""A loopback "publisher" for every source: one HTTP server on 127.0.0.1 that
answers for each official host (routed by the Host header, the official host
names mapped to 127.0.0.1 by an httpx transport) and serves the real sample
files from ../shared/data at their official paths. Formats with no sample
come from the hand-written fixtures in tests/fixtures. Faults are scripted per
file: a status, a Retry-After, a stall, a broken gzip body.

Where the samples lack the current year's file (Treasury 2026), the newest
year stands in for it, as a mirror lagging by a year would.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from werkzeug import Request, Response

FIXTURES = Path(__file__).parent / "fixtures"
MOF_ITS = "/policy/international_policy/reference/itn_transactions_in_securities/"
UST_YEAR = "/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/{year}/all"
CFTC_ZIP = "/files/dea/history/fut_fin_txt_{year}.zip"
FEIO = "/policy/international_policy/reference/feio/"
FRED_FILES = {
    "DEXJPUS": "fred/DEXJPUS_2025-12_2026-09.csv", "SOFR": "fred/2026_ytd/SOFR.csv", "DFF": "fred/2026_ytd/DFF.csv",
    "DGS2": "fred/2026_ytd/DGS2.csv", "DGS5": "fred/2026_ytd/DGS5.csv", "DGS10": "fred/2026_ytd/DGS10.csv",
    "DGS30": "fred/2026_ytd/DGS30.csv", "DGS3MO": "fred/DGS3MO_1981-2026-05.csv",
    "IR3TIB01JPM156N": "fred/IR3TIB01JPM156N.csv", "IRSTCI01JPM156N": "fred/IRSTCI01JPM156N.csv",
    "DTB3": "fred/DTB3_1954-2026-03.csv", "CPIAUCSL": "fred/2026_extra/CPIAUCSL_2017-06_2026-07.csv",
    "SP500": "fred/2026_extra/SP500.csv", "VIXCLS": "fred/2026_extra/VIXCLS.csv",
    "NIKKEI225": "fred/2026_extra/NIKKEI225.csv",
}
BIS_API = "/api/v2/data/dataflow/BIS/WS_LBS_D_PUB/1.0/"

Fault = Callable[[Request], "Response | None"]


def status(code: int, body: str = "", headers: dict[str, str] | None = None) -> Fault:
    return lambda request: Response(body, status=code, headers=headers or {})


def stall(seconds: float) -> Fault:
    """Answer only after ``seconds`` (then normally)."""
    def fault(request: Request) -> None:
        time.sleep(seconds)
        return None
    return fault


def broken_gzip(request: Request) -> Response:
    return Response(b"\x1f\x8b\x08\x00garbage-not-deflate", headers={"Content-Encoding": "gzip"})


def zip_of(path: Path, member: str = "FinFutYY.txt") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, path.read_bytes())
    return buf.getvalue()


def ust_year_slices(archive: Path) -> dict[int, bytes]:
    """The 1990–2024 archive cut into one file per year (header + that year's rows,
    newest first, no trailing newline, as the archive itself)."""
    lines = archive.read_bytes().split(b"\n")
    header, rows = lines[0], [r for r in lines[1:] if r.strip()]
    out = {}
    for year in range(1990, 2025):
        mine = [r for r in rows if r.split(b",", 1)[0].endswith(b"/%02d" % (year % 100))]
        out[year] = b"\n".join([header, *mine])
    return out


@dataclass
class Publishers:
    """Official files by (host, path); ``faults[(host, path)]`` are used up in order."""

    shared: Path
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    faults: dict[tuple[str, str], list[Fault]] = field(default_factory=dict)
    log: list[tuple[str, str, int]] = field(default_factory=list)  # (host, path?query, status)
    agents: set[str] = field(default_factory=set)
    gzip_hosts: set[str] = field(default_factory=set)  # hosts that gzip their answers

    def __post_init__(self) -> None:
        d, f = self.shared, FIXTURES
        mof = "www.mof.go.jp"
        self.add(mof, "/english/policy/jgbs/reference/interest_rate/historical/jgbcme_all.csv", d / "mof_jgb_yields/jgbcme_all.csv")
        self.add(mof, "/jgbs/reference/interest_rate/data/jgbcm_all.csv", d / "mof_jgb_yields/jgbcm_all.csv")
        self.add(mof, "/english/policy/jgbs/reference/interest_rate/jgbcme.csv", f / "mof_jgb/jgbcme_current_bom.csv")
        self.add(mof, "/jgbs/reference/interest_rate/jgbcm.csv", d / "mof_jgb_yields/jgbcm_current_month_2025-10.csv")
        for name in ("week.csv", "montha1.csv", "monthb2.csv", "monthb3.csv", "monthb4.csv"):
            self.add(mof, MOF_ITS + name, d / "mof_securities_flows" / name)
        self.add(mof, "/jgbs/reference/appendix/jgb_historical_data.xls", d / "mof_auctions/jgb_historical_data.xls")
        self.add(mof, FEIO + "foreign_exchange_intervention_operations.csv", f / "mof_intervention/foreign_exchange_intervention_operations.csv")
        self.files[(mof, FEIO + "data/monthly/index.html")] = b'<a href="20240531.html">May</a> <a href="./20260828.html">Aug</a>'
        for page in ("20240531.html", "20260828.html"):
            self.add(mof, FEIO + "data/monthly/" + page, f / "mof_intervention" / page)
        # auction calendar pages (hand-written: only the links matter) and the result pages they link
        cal = "/jgbs/auction/calendar/"
        self.files[(mof, cal + "2605.htm")] = ('<table><tr><td>5月27日</td><td>40年利付国債</td>'
                                              '<td><a href="nyusatsu/resul20260527.htm">入札結果</a></td></tr></table>').encode("cp932")
        self.files[(mof, cal + "2606.htm")] = ('<table><tr><td>6月2日</td><td>10年利付国債</td>'
                                              '<td><a href="nyusatsu/resul20260602.htm">入札結果</a></td></tr>'
                                              '<tr><td>6月30日</td><td>2年利付国債</td>'
                                              '<td><a href="nyusatsu/resul20260630.htm">入札結果</a></td></tr></table>').encode("cp932")
        for page in ("resul20260527.htm", "resul20260602.htm"):
            self.add(mof, cal + "nyusatsu/" + page, f / "mof_auctions" / page)
        # US Treasury: one file per year; 2025's newest vintage; 2026 not in the samples (2025 stands in)
        ust = "home.treasury.gov"
        for year, body in ust_year_slices(d / "ust_yields/yield-curve-rates-1990-2024.csv").items():
            self.files[(ust, UST_YEAR.format(year=year))] = body
        self.add(ust, UST_YEAR.format(year=2025), d / "ust_yields/daily-treasury-rates_2025_to-2025-12-19.csv")
        self.add(ust, UST_YEAR.format(year=2026), d / "ust_yields/daily-treasury-rates_2025_to-2025-12-19.csv")
        self.add("ticdata.treasury.gov", "/Publish/mfhhis01.txt", d / "tic/mfhhis01.txt")
        self.add("ticdata.treasury.gov", "/resource-center/data-chart-center/tic/Documents/slt_table5.txt", f / "tic/slt_table5.txt")
        for fred_id, rel in FRED_FILES.items():
            self.add("fred.stlouisfed.org", f"/graph/fredgraph.csv?id={fred_id}", d / rel)
        self.files[("www.cftc.gov", CFTC_ZIP.format(year=2025))] = zip_of(d / "cftc_cot/tff_futures_only_2025_partial/FinFutYY.txt")
        self.files[("www.cftc.gov", CFTC_ZIP.format(year=2026))] = zip_of(d / "cftc_cot/tff_futures_only_2026_to-2026-08-04/FinFutYY.txt")
        self.add("publicreporting.cftc.gov", "/resource/6dca-aqww.json", d / "cftc_cot/api_legacy_futures_only/cftc-cot-jpy-legacy-futures-only.json")
        self.add("www.boj.or.jp", "/en/statistics/sj/sjlong.xlsx", d / "boj/flow_of_funds/sjlong.xlsx")
        jsda = "/shiryoshitsu/toukei/tentoubaibai/"
        for name in ("koushasai.xlsx", "koushasai2025.xlsx", "koushasai2024.xlsx"):
            self.add("www.jsda.or.jp", jsda + name, d / "jsda_bond_trading" / name)
        self.add("indexes.nikkei.co.jp", "/nkave/historical/nikkei_stock_average_daily_en.csv", d / "equities/nikkei_stock_average_daily_en.csv")
        # Statistics Bureau CPI (the 2025 base is not in the samples: 404, skipped by the source)
        self.add("www.stat.go.jp", "/data/cpi/2020/csv/zmi2020aa.csv", d / "cpi/zmi2020aa.csv")
        # BIS SDMX API: the query string decides the file (answered whatever lastNObservations asks)
        self.add("stats.bis.org", BIS_API + "Q.S.C.A.TO1.A.5J.A.JP.A..N", d / "bis/lbs/bis-lbs-claims-jp.csv")
        self.add("stats.bis.org", BIS_API + "Q.S.L.A.TO1.A.5J.A.JP.A..N", d / "bis/lbs/bis-lbs-liabilities-jp.csv")
        # BOJ flat files, found through the download page; no IIP sample: a hand-made zip
        boj = "www.stat-search.boj.or.jp"
        self.add(boj, "/info/dload_en.html", d / "boj/dload_en.html")
        self.add(boj, "/info/bp_m_en.zip", d / "boj/bop/bp_m_en.zip")
        self.add(boj, "/info/regbp_q_en.zip", d / "boj/bop/regbp_q_en.zip")
        self.add(boj, "/info/fof2_en.zip", d / "boj/flow_of_funds/fof2_en.zip")
        for name in ("qiip_q_en.zip", "iip_cy_en.zip"):
            self.add(boj, "/info/" + name, f / "boj/iip_cy_en_handmade.zip")
        self.add(mof, "/policy/international_policy/reference/balance_of_payments/bp_trend/bparea/rbp/a-1/6a-20.csv",
                 d / "mof_bop/6a-20.csv")

    def add(self, host: str, path: str, file: Path) -> None:
        self.files[(host, path)] = file.read_bytes()

    def fault(self, host: str, path: str, *faults: Fault) -> None:
        self.faults.setdefault((host, path), []).extend(faults)

    def requests(self, host: str | None = None, contains: str = "") -> list[tuple[str, str, int]]:
        return [e for e in self.log if (host is None or e[0] == host) and contains in e[1]]

    # ------------------------------------------------------------------ serving
    def __call__(self, request: Request) -> Response:
        host = request.host.split(":")[0]
        self.agents.add(request.headers.get("User-Agent", ""))
        resp = self._answer(request, host)
        shown = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        self.log.append((host, shown, resp.status_code))
        return resp

    def _answer(self, request: Request, host: str) -> Response:
        queue = self.faults.get((host, request.path)) or self.faults.get((host, request.full_path.rstrip("?")))
        while queue:
            resp = queue.pop(0)(request)
            if resp is not None:
                return resp
            break
        body = self._body(request, host)
        if body is None:
            return Response("<html>not found</html>", status=404)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        headers = {"ETag": etag}
        if host in self.gzip_hosts and "gzip" in request.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        return Response(body, headers=headers)

    def _body(self, request: Request, host: str) -> bytes | None:
        if host == "www.stat-search.boj.or.jp" and request.path.endswith("/getDataCode"):
            name = "getDataCode_FM01_D.json" if request.args.get("db") == "FM01" else "nodata_M181030I.json"
            return (FIXTURES / "boj" / name).read_bytes()
        return self.files.get((host, request.full_path.rstrip("?"))) or self.files.get((host, request.path))


class ToLoopback(httpx.BaseTransport):
    """Maps every host to the loopback server; the Host header keeps the official name."""

    def __init__(self, base: str) -> None:
        self.base = httpx.URL(base)
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host=self.base.host, port=self.base.port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()
