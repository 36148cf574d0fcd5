"""Download links of the BOJ flat files, read from the BOJ's own download page.

``https://www.stat-search.boj.or.jp/info/dload_en.html`` lists every flat file
(``bp_m_en.zip``, ``regbp_q_en.zip``, ``qiip_q_en.zip``, ``iip_cy_en.zip``,
``fof2_en.zip``, …) as **relative** links; the page carries no dates. The
flat-file sources fetch the page first and download the files it links, so a
renamed or moved file is noticed (a required file that is no longer linked is
a FetchError naming the page). When the page answers 304 (unchanged since the
last run) the files are taken where the page linked them, next to it; each
file is still fetched with its own conditional GET.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from yenflow.errors import FetchError
from yenflow.sources.base import RawFile

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from yenflow.http import Response

PAGE_URL = "https://www.stat-search.boj.or.jp/info/dload_en.html"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def file_links(page: bytes, page_url: str = PAGE_URL, suffixes: tuple[str, ...] = (".zip",)) -> dict[str, str]:
    """File name → absolute URL of every link on the page ending with ``suffixes``.

    The page is Shift-JIS with a few non-ASCII bytes; undecodable bytes are
    replaced (only the ASCII link targets matter).
    """
    text = page.decode("cp932", errors="replace")
    parser = _Links()
    parser.feed(text)
    out: dict[str, str] = {}
    for href in parser.hrefs:
        path = href.split("#", 1)[0].split("?", 1)[0]
        if path.lower().endswith(suffixes):
            out.setdefault(path.rsplit("/", 1)[-1], urljoin(page_url, href))
    return out


def fetch_linked(
    source: str,
    get: "Callable[..., Response | None]",
    wanted: "Sequence[str]",
    required: "Sequence[str]",
    page_url: str = PAGE_URL,
) -> "Iterator[RawFile]":
    """Download the ``wanted`` files (by name) that the page links.

    ``required`` names must be linked; the others are fetched only when linked.
    """
    page = get(page_url)
    if page is None:  # 304: page unchanged; its links are relative, so the files sit next to it
        targets = {name: urljoin(page_url, name) for name in wanted}
    else:
        links = file_links(page.content, page.url or page_url)
        missing = [n for n in required if n not in links]
        if missing:
            raise FetchError(source, page_url, f"the download page no longer links {', '.join(missing)}")
        targets = {name: links[name] for name in wanted if name in links}
    for name, url in targets.items():
        resp = get(url)
        if resp is not None:
            yield RawFile(name, resp.content, resp.url, resp.etag, resp.last_modified)
