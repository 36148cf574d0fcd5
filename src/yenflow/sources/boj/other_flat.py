"""Any other BOJ flat file, source ``boj.flat_files``: the IIP zips and drop-ins.

Online, the BOJ download page (:mod:`flat_links`) is read and the
international investment position files it links are fetched:
``qiip_q_en.zip`` (IIP quarterly and gross external debt) and
``iip_cy_en.zip`` (IIP, calendar years). From a folder, this source also reads
**any BOJ flat file a user drops into** ``boj/flat/`` (``cgpi_m_en.zip``,
``co.zip``, a bare ``*.csv`` of the same layout…).

Every series of such a file is stored as ``boj.flat.<code>`` (the BOJ code,
lower case) with the file's own name and unit (``100 million Yen`` →
``JPY 100m``, ``Billion yen`` → ``JPY bn``; a series without a unit is
``unknown``), dated by :mod:`flat_file`'s period rules. These files have no
selection and no identity checks: they are stored as published. The
balance-of-payments and flow-of-funds files are refused here (they belong to
``boj.bop_flat`` and ``boj.fof_flat``, which name and check their series).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from yenflow.errors import ParseError
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source
from yenflow.sources.boj import flat_file as ff
from yenflow.sources.boj.bop_flat import BOP_STATISTIC, REGIONAL_STATISTIC
from yenflow.sources.boj.fof_flat import STATISTIC as FOF_STATISTIC
from yenflow.sources.boj.flat_links import PAGE_URL, fetch_linked

if TYPE_CHECKING:
    from datetime import date
    from collections.abc import Callable, Iterator

    import pandas as pd

    from yenflow.http import Response
    from yenflow.sources.base import RawFile

SOURCE_NAME = "boj.flat_files"
BASE = "https://www.stat-search.boj.or.jp/info/"
OWNED = {BOP_STATISTIC: "boj.bop_flat (folder boj/bop/)", REGIONAL_STATISTIC: "boj.bop_flat (folder boj/bop/)",
         FOF_STATISTIC: "boj.fof_flat (folder boj/flow_of_funds/)"}
NOTE = ("Stored as published from a BOJ Time-Series Data Search flat file (no selection, no checks); "
        "id = boj.flat.<BOJ code>.")


def _owner(statistic: str) -> str | None:
    # 'Balance of Payments' is a prefix of neither of the others, but check the longest first
    for stat in sorted(OWNED, key=len, reverse=True):
        if statistic.startswith(stat):
            return OWNED[stat]
    return None


def _infos(table: ff.FlatTable, ids: list[str]) -> list[SeriesInfo]:
    where = {"monthly": "month end", "quarterly": "quarter end", "daily": "day",
             "annual": "31 March of YYYY+1 (fiscal year)" if table.fiscal else "31 December"}[table.frequency]
    return [
        SeriesInfo(sid, name or code, ff.catalog_unit(unit, "unknown"), table.frequency,
                   f"BOJ {code} '{name}' ({table.statistic}, {table.member}); ref_date = {where}.", NOTE)
        for sid, code, name, unit in zip(ids, table.codes, table.names, table.units)
    ]


def parse_other_flat(raw: bytes, filename: str) -> Parsed:
    """Every series of a BOJ flat file other than BoP and flow of funds."""
    import pandas as pd

    frames: list[pd.DataFrame] = []
    infos: list[SeriesInfo] = []
    for table in ff.read_flat_file(raw, filename, SOURCE_NAME):
        where = filename if table.member == filename else f"{filename}!{table.member}"
        owner = _owner(table.statistic)
        if owner is not None:
            raise ParseError(SOURCE_NAME, where, f"a BOJ flat file other than {table.statistic!r}, "
                             f"which {owner} reads", table.statistic, row=2)
        ids = [f"boj.flat.{code.lower()}" for code in table.codes]
        frames.append(ff.observations(table, [ff.Pick(i, sid) for i, sid in enumerate(ids)]))
        infos += _infos(table, ids)
    return Parsed(pd.concat(frames, ignore_index=True), infos)


class BojOtherFlatFiles(Source):
    """BOJ IIP flat files (online) and any BOJ flat file dropped into ``boj/flat/`` (``boj.flat.*``)."""

    name: ClassVar[str] = SOURCE_NAME
    title: ClassVar[str] = "BOJ flat files: international investment position, and any file dropped in boj/flat/"
    publisher: ClassVar[str] = "Bank of Japan"
    # globbed mirror paths: a mirror laid out like ../shared/data has none of these files
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec("qiip_q", BASE + "qiip_q_en.zip", "boj/iip/qiip_q_en*.zip", ("boj/iip/qiip_q_en*.zip",)),
        FileSpec("iip_cy", BASE + "iip_cy_en.zip", "boj/iip/iip_cy_en*.zip", ("boj/iip/iip_cy_en*.zip",)),
        FileSpec("drop_in", None, "boj/flat/*", ("boj/flat/*.zip", "boj/flat/*.csv")),
    )
    #: the BOJ download page the file links are read from
    page_url: ClassVar[str] = PAGE_URL
    max_age_days: ClassVar[int] = 190

    def fetch(self, get: "Callable[..., Response | None]", today: "date | None" = None) -> "Iterator[RawFile]":
        wanted = [spec.url.rsplit("/", 1)[-1] for spec in self.files if spec.url]
        yield from fetch_linked(self.name, get, wanted, required=(), page_url=self.page_url)

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_other_flat(raw, filename)
