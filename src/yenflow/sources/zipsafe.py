"""Zip containers (``.zip``, ``.xlsx``) checked before any reader opens them.

A zip from a publisher, a mirror or a user's folder is untrusted input: a few
megabytes can declare, or actually inflate to, gigabytes (a "zip bomb"), and
reader libraries (python-calamine for workbooks) inflate what they are given.
So every source that reads a zip container calls :func:`check` on the raw bytes
first, or :func:`read_member` to get one text member out. Both refuse, with a
:class:`~yenflow.errors.ParseError` naming the source, the file and the limit:

* anything that is not an intact zip (not a zip, truncated, bad CRC, encrypted,
  unsupported compression);
* more than :attr:`Limits.members` members;
* member names that are absolute (``/x``, ``\\x``, ``C:x``) or contain ``..``;
* a member declaring more than :attr:`Limits.member_bytes` uncompressed, or all
  members together more than :attr:`Limits.total_bytes`;
* a member over 1 MiB whose compression ratio exceeds :attr:`Limits.ratio`
  (real xlsx sheets and CFTC text compress 4-20:1);
* a member that inflates to more (or less) than it declares, whose deflate
  stream does not end exactly where its compressed data ends, or whose CRC-32
  does not match: every member's raw deflate stream is inflated here, 1 MiB at
  a time and never beyond its declared size + 1 MiB, so the check costs time
  proportional to the declared sizes (already capped) and about 1 MiB of
  memory, and what the reader library inflates afterwards is what was checked
  (``zipfile`` alone stops reading at the declared size and would not see a
  stream that goes on inflating past it).

Nothing is written to disk.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from yenflow.errors import ParseError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

MIB = 1024 * 1024
_CHUNK = MIB
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    """What a zip container may hold. The defaults leave a wide margin over the
    largest real files (JSDA workbooks: 142 members, 5.6 MB inflated, ratio ≤ 20;
    CFTC year zips: one 2 MB member, ratio ≤ 5)."""

    members: int = 10_000
    member_bytes: int = 256 * MIB
    total_bytes: int = 512 * MIB
    ratio: float = 100.0
    ratio_floor: int = MIB  # tiny members may compress very well; only judge big ones


DEFAULT = Limits()


def is_zip(raw: bytes, filename: str = "") -> bool:
    """True when the bytes (or the name) say this is a zip container (.zip, .xlsx)."""
    return raw[:4] == b"PK\x03\x04" or filename.lower().endswith((".zip", ".xlsx"))


def check(raw: bytes, filename: str, *, source: str, limits: Limits = DEFAULT) -> None:
    """Refuse ``raw`` unless it is an intact zip within ``limits`` (see the module doc)."""
    with _open(raw, filename, source) as archive:
        infos = _members(archive, filename, source, limits)
    view = memoryview(raw)
    for info in infos:
        _inflate(view, info, filename, source, keep=False)


def read_member(raw: bytes, filename: str, *, source: str, expected: str,
                limits: Limits = DEFAULT) -> tuple[str, bytes]:
    """``(member_name, content)`` of the member named ``expected`` (base name, any
    case), or else of the archive's single ``*.txt`` member, after :func:`check`-ing
    the whole archive."""
    with _open(raw, filename, source) as archive:
        infos = _members(archive, filename, source, limits)
    chosen = _pick(infos, expected, filename, source)
    view = memoryview(raw)
    content = b""
    for info in infos:
        data = _inflate(view, info, filename, source, keep=info is chosen)
        if info is chosen:
            content = data
    return chosen.filename, content


def _open(raw: bytes, filename: str, source: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as e:
        what = ("a readable .xlsx workbook (a zip archive" if filename.lower().endswith(".xlsx")
                else "a valid zip archive (")
        raise ParseError(source, filename, f"{what}; truncated download?)", found=str(e)) from e


def _members(archive: zipfile.ZipFile, filename: str, source: str,
             limits: Limits) -> list[zipfile.ZipInfo]:
    """The file members, after the count, name and declared-size checks."""
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(archive.infolist()) > limits.members:
        raise ParseError(source, filename, f"at most {limits.members} zip members",
                         found=len(archive.infolist()))
    total = 0
    for info in infos:
        _check_name(info.filename, filename, source)
        where = f"{filename}!{info.filename}"
        if info.file_size > limits.member_bytes:
            raise ParseError(source, where, f"at most {limits.member_bytes} bytes uncompressed "
                             "(zip bomb?)", found=info.file_size)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.ratio:
            raise ParseError(source, where, f"a compression ratio of at most {limits.ratio:g}:1 "
                             "(zip bomb?)", found=f"{ratio:.0f}:1")
        total += info.file_size
    if total > limits.total_bytes:
        raise ParseError(source, filename, f"at most {limits.total_bytes} bytes uncompressed in "
                         "all members (zip bomb?)", found=total)
    return infos


def _check_name(name: str, filename: str, source: str) -> None:
    parts = re.split(r"[\\/]", name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
        raise ParseError(source, filename, "relative zip member names without '..'", found=name)


def _pick(infos: list[zipfile.ZipInfo], expected: str, filename: str,
          source: str) -> zipfile.ZipInfo:
    def base(i: zipfile.ZipInfo) -> str:
        return re.split(r"[\\/]", i.filename)[-1].lower()

    exact = [i for i in infos if base(i) == expected.lower()]
    texts = [i for i in infos if base(i).endswith(".txt")]
    chosen = exact or texts
    if len(chosen) != 1:
        raise ParseError(source, filename, f"one member named {expected!r} (or one *.txt member)",
                         found=[i.filename for i in infos])
    return chosen[0]


def _inflate(raw: memoryview, info: zipfile.ZipInfo, filename: str, source: str,
             keep: bool) -> bytes:
    """Inflate one member from its raw deflate stream, 1 MiB at a time, and refuse it
    unless it produces exactly its declared size, ends its stream where its
    compressed data ends and matches its CRC. Returns its bytes if ``keep``."""
    where = f"{filename}!{info.filename}"

    def refuse(expected: str, found: object = None) -> ParseError:
        return ParseError(source, where, expected, found=found)

    if info.flag_bits & 0x1:
        raise refuse("an unencrypted zip member", "encrypted")
    data = _compressed(raw, info, where, source)
    if info.compress_type == zipfile.ZIP_STORED:
        chunks: "Iterator[bytes]" = (data[i:i + _CHUNK] for i in range(0, len(data), _CHUNK))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _deflate_chunks(data, info.file_size, refuse)
    else:
        raise refuse("a stored or deflated zip member", f"compression method {info.compress_type}")
    out, crc, seen = bytearray(), 0, 0
    for chunk in chunks:
        seen += len(chunk)
        if seen > info.file_size:
            raise refuse(f"{info.file_size} bytes as the archive declares (zip bomb?)",
                         f"more than {info.file_size}")
        crc = zlib.crc32(chunk, crc)
        if keep:
            out += chunk
    if seen != info.file_size:
        raise refuse(f"{info.file_size} bytes as the archive declares (truncated?)", seen)
    if crc != info.CRC:
        raise refuse("an intact zip member (its CRC-32 does not match)", f"{crc:08x}")
    return bytes(out)


def _compressed(raw: memoryview, info: zipfile.ZipInfo, where: str, source: str) -> memoryview:
    """The member's compressed bytes, located through its local header."""
    start = info.header_offset
    if raw[start:start + 4].tobytes() != b"PK\x03\x04":
        raise ParseError(source, where, "an intact zip member (no local header at its offset)")
    name_len, extra_len = int.from_bytes(raw[start + 26:start + 28], "little"), int.from_bytes(
        raw[start + 28:start + 30], "little")
    begin = start + 30 + name_len + extra_len
    if begin + info.compress_size > len(raw):
        raise ParseError(source, where, "an intact zip member (truncated?)",
                         found=f"{len(raw) - begin} of {info.compress_size} compressed bytes")
    return raw[begin:begin + info.compress_size]


def _deflate_chunks(data: memoryview, declared: int,
                    refuse: "Callable[..., ParseError]") -> "Iterator[bytes]":
    """Inflated chunks of at most 1 MiB; never more than ``declared`` + 1 MiB in all."""
    d = zlib.decompressobj(-15)
    produced = 0
    pos = 0
    try:
        while True:
            if d.unconsumed_tail:
                chunk = d.decompress(d.unconsumed_tail, _CHUNK)
            elif pos < len(data):
                chunk = d.decompress(data[pos:pos + _CHUNK], _CHUNK)
                pos += _CHUNK
            else:
                break
            produced += len(chunk)
            yield chunk
            if produced > declared or d.eof:
                break
    except zlib.error as e:
        raise refuse("an intact deflate stream", str(e)) from e
    if produced <= declared and not d.eof:
        raise refuse("a complete deflate stream (truncated?)", f"{produced} bytes")
    if d.eof and (d.unused_data or d.unconsumed_tail or pos < len(data)):
        raise refuse("no bytes after the member's deflate stream", "trailing data")
