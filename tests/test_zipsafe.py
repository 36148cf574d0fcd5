"""Zip containers (xlsx workbooks, CFTC zips, user imports) are checked before any
reader library opens them: decompression bombs are refused with one line, fast and
without inflating them.

The bombs are built here: a member of 1 GiB of zeros, deflated (~1 MB: 1,024
copies of one fully-flushed 1 MiB block), with honest sizes and CRC; the same
member with headers that lie about its size; a member inflating 1,000:1.
"""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from yenflow.errors import ParseError
from yenflow.sources import zipsafe

GIB = 1024 ** 3
_BLOCK = bytes(1 << 20)


def _deflated_zeros(mib: int) -> tuple[bytes, int]:
    """(raw deflate stream of ``mib`` MiB of zeros, its CRC-32), built without ever
    holding the inflated bytes: after a full flush every 1 MiB block compresses to
    the same bytes."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(_BLOCK) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(_BLOCK) + c.flush(zlib.Z_FULL_FLUSH)
    stream = first + block * (mib - 1) + c.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(_BLOCK, crc)
    return stream, crc


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already-deflated members: (name, deflate stream, CRC, declared size)."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in members:
        offset = len(out)
        fname = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size,
                           len(fname), 0) + fname + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                               len(data), size, len(fname), 0, 0, 0, 0, 0, offset) + fname
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      len(out), 0)
    return bytes(out + central + end)


def _stored(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, c.compress(data) + c.flush(), zlib.crc32(data), len(data)


_XLSX_PARTS = [
    _stored("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/content-types"/>'),
    _stored("xl/workbook.xml", b'<?xml version="1.0"?><workbook/>'),
]


@pytest.fixture(scope="module")
def gib_of_zeros() -> tuple[bytes, int]:
    return _deflated_zeros(1024)


@pytest.fixture(scope="module")
def xlsx_bomb(gib_of_zeros: tuple[bytes, int]) -> bytes:
    """A workbook-shaped zip whose sheet really inflates to 1 GiB (and says so)."""
    stream, crc = gib_of_zeros
    return _zip([*_XLSX_PARTS, ("xl/worksheets/sheet1.xml", stream, crc, GIB)])


def test_the_bomb_is_small_and_real(xlsx_bomb: bytes) -> None:
    assert len(xlsx_bomb) < 1_200_000
    info = zipfile.ZipFile(__import__("io").BytesIO(xlsx_bomb)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size == GIB and info.file_size / info.compress_size > 1000
    # its first megabyte inflates to zeros: a valid deflate stream, not just a lying header
    with zipfile.ZipFile(__import__("io").BytesIO(xlsx_bomb)).open(info) as fh:
        assert fh.read(1 << 20) == _BLOCK


def _refuse_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the reader library is ever handed the bytes."""
    import python_calamine

    def never(*_a: object, **_k: object) -> None:
        raise AssertionError("calamine opened a zip that zipsafe should have refused")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", never)


@pytest.mark.parametrize(
    ("source_path", "filename"),
    [("yenflow.sources.jsda.bond_trading:JsdaBondTrading", "koushasai.xlsx"),
     ("yenflow.sources.boj.flow_of_funds:BojFlowOfFunds", "sjlong.xlsx"),
     ("yenflow.sources.mof.auctions:MofJgbAuctions", "jgb_historical_data.xls")],
    ids=["jsda-xlsx", "boj-fof-xlsx", "auctions-xls-name"],
)
def test_xlsx_bomb_refused_before_calamine(xlsx_bomb: bytes, monkeypatch: pytest.MonkeyPatch,
                                           source_path: str, filename: str) -> None:
    from importlib import import_module

    _refuse_calamine(monkeypatch)
    module, cls = source_path.split(":")
    source = getattr(import_module(module), cls)()
    tracemalloc.start()
    with pytest.raises(ParseError) as err:
        source.parse(xlsx_bomb, filename)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    msg = str(err.value)
    assert msg == (f"[{source.name}] {filename}!xl/worksheets/sheet1.xml: expected at most "
                   f"268435456 bytes uncompressed (zip bomb?); found {GIB}")
    assert peak < 20 * 1024 * 1024  # never inflated: a few MB of Python objects at most


def test_cftc_zip_bomb_refused(gib_of_zeros: tuple[bytes, int]) -> None:
    from yenflow.sources.cftc.cot import CftcTff

    stream, crc = gib_of_zeros
    bomb = _zip([("FinFutYY.txt", stream, crc, GIB)])
    with pytest.raises(ParseError, match=r"^\[cftc\.tff\] fut_fin_txt_2026\.zip!FinFutYY\.txt: "
                                         r"expected at most 268435456 bytes uncompressed"):
        CftcTff().parse(bomb, "fut_fin_txt_2026.zip")


def test_user_import_xlsx_bomb_refused(xlsx_bomb: bytes, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from yenflow.pipeline import import_file
    from yenflow.store import Store

    _refuse_calamine(monkeypatch)
    path = tmp_path / "basis.xlsx"
    path.write_bytes(xlsx_bomb)
    with Store(tmp_path / "yenflow.duckdb") as store:
        result = import_file(store, path, {"series_id": "user.basis", "unit": "bp"})
        assert not result.ok
        assert result.error.startswith("[user:user.basis] basis.xlsx!xl/worksheets/sheet1.xml: "
                                       "expected at most 268435456 bytes uncompressed (zip bomb?)")
        assert store.con.execute("SELECT count(*) FROM observations").fetchone()[0] == 0


@pytest.mark.slow
def test_lying_header_inflates_no_more_than_declared(gib_of_zeros: tuple[bytes, int]) -> None:
    """A member that declares 1 KiB (with the CRC of 1 KiB of zeros, so that its first
    KiB checks out) but whose deflate stream goes on to 1 GiB: refused after inflating
    at most 1 MiB, although ``zipfile`` alone would stop at 1 KiB and accept it."""
    stream, _ = gib_of_zeros
    lying = _zip([("FinFutYY.txt", stream, zlib.crc32(bytes(1024)), 1024)])
    with zipfile.ZipFile(__import__("io").BytesIO(lying)) as zf:
        assert zf.read("FinFutYY.txt") == bytes(1024)  # the naive check passes
    tracemalloc.start()
    with pytest.raises(ParseError, match=r"x\.zip!FinFutYY\.txt: expected 1024 bytes as the "
                                         r"archive declares \(zip bomb\?\)"):
        zipsafe.check(lying, "x.zip", source="cftc.tff")
    assert tracemalloc.get_traced_memory()[1] < 20 * 1024 * 1024
    tracemalloc.stop()


def test_ratio_bomb_refused() -> None:
    stream, crc = _deflated_zeros(64)  # 64 MiB in ~66 KB: about 1,000:1
    bomb = _zip([("FinFutYY.txt", stream, crc, 64 << 20)])
    with pytest.raises(ParseError, match=r"expected a compression ratio of at most 100:1 "
                                         r"\(zip bomb\?\); found '\d{3,4}:1'"):
        zipsafe.check(bomb, "fut_fin_txt_2026.zip", source="cftc.tff")


def test_member_count_and_total_size_limits() -> None:
    members = [_stored(f"xl/worksheets/sheet{i}.xml", b"<x/>" * 100) for i in range(12)]
    raw = _zip(members)
    zipsafe.check(raw, "k.xlsx", source="jsda.bond_trading")  # within the defaults
    with pytest.raises(ParseError, match=r"k\.xlsx: expected at most 10 zip members; found 12"):
        zipsafe.check(raw, "k.xlsx", source="jsda.bond_trading", limits=zipsafe.Limits(members=10))
    with pytest.raises(ParseError, match=r"k\.xlsx: expected at most 4000 bytes uncompressed in "
                                         r"all members \(zip bomb\?\); found 4800"):
        zipsafe.check(raw, "k.xlsx", source="jsda.bond_trading",
                      limits=zipsafe.Limits(total_bytes=4000))


def test_real_containers_pass(shared_data: Path) -> None:
    """Every real xlsx and zip in the sample data is within the limits."""
    paths = [*sorted((shared_data / "jsda_bond_trading").glob("*.xlsx")),
             shared_data / "boj" / "flow_of_funds" / "sjlong.xlsx",
             shared_data / "cftc_cot" / "fut_fin_txt_2023.zip"]
    for path in paths:
        zipsafe.check(path.read_bytes(), path.name, source="test")
    name, content = zipsafe.read_member(paths[-1].read_bytes(), paths[-1].name, source="cftc.tff",
                                        expected="FinFutYY.txt")
    assert name == "FinFutYY.txt" and len(content) == 1_696_342  # unzip -l fut_fin_txt_2023.zip
