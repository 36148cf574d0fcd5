"""Read one expected text member out of a downloaded zip, defensively.

CFTC publishes its year files as zips holding a single text file
(``fut_fin_txt_2026.zip`` -> ``FinFutYY.txt``, ``deacot2026.zip`` ->
``annual.txt``). A zip from a mirror or a damaged download is untrusted
input, so :func:`read_member`:

* rejects the whole archive if any member name is absolute (``/x``,
  ``\\x``, ``C:x``) or contains a ``..`` part (path traversal);
* reads only the member whose base name matches ``expected`` (case
  insensitive), or else the archive's single ``*.txt`` member;
* caps the uncompressed size (``max_bytes``, default 64 MiB) and the
  compression ratio (``max_ratio``, default 100, checked once more than
  1 MiB has been inflated), counting the bytes actually inflated rather
  than trusting the sizes the archive declares;
* turns every zip failure (not a zip, truncated, bad CRC, encrypted,
  unsupported compression) into a :class:`~yenflow.errors.ParseError`.

Nothing is ever written to disk.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from yenflow.errors import ParseError

MAX_BYTES = 64 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # tiny members may compress very well; only judge big ones
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
# bad CRC / truncated data / encrypted member / unsupported compression method
_ZIP_FAILURES = (
    zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError
)


def is_zip(raw: bytes, filename: str) -> bool:
    """True when the bytes or the name say this is a zip archive."""
    return raw[:4] == b"PK\x03\x04" or filename.lower().endswith(".zip")


def read_member(
    raw: bytes,
    filename: str,
    *,
    source: str,
    expected: str,
    max_bytes: int = MAX_BYTES,
    max_ratio: float = MAX_RATIO,
) -> tuple[str, bytes]:
    """Return ``(member_name, content)`` of the expected text member of a zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as e:
        raise ParseError(source, filename, "a valid zip archive", found=str(e)) from e
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        for info in infos:
            _check_name(info.filename, filename, source)
        info = _pick(infos, expected, filename, source)
        where = f"{filename}!{info.filename}"
        if info.file_size > max_bytes:
            raise ParseError(
                source, where, f"at most {max_bytes} bytes uncompressed", found=info.file_size
            )
        return info.filename, _inflate(archive, info, where, source, max_bytes, max_ratio)


def _check_name(name: str, filename: str, source: str) -> None:
    parts = re.split(r"[\\/]", name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
        raise ParseError(
            source, filename, "relative zip member names without '..'", found=name
        )


def _pick(
    infos: list[zipfile.ZipInfo], expected: str, filename: str, source: str
) -> zipfile.ZipInfo:
    def base(i: zipfile.ZipInfo) -> str:
        return re.split(r"[\\/]", i.filename)[-1].lower()

    exact = [i for i in infos if base(i) == expected.lower()]
    texts = [i for i in infos if base(i).endswith(".txt")]
    chosen = exact or texts
    if len(chosen) != 1:
        found = [i.filename for i in infos]
        raise ParseError(
            source, filename, f"one member named {expected!r} (or one *.txt member)", found=found
        )
    return chosen[0]


def _inflate(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    where: str,
    source: str,
    max_bytes: int,
    max_ratio: float,
) -> bytes:
    packed = max(info.compress_size, 1)
    out = bytearray()
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                out += chunk
                if len(out) > max_bytes:
                    too_big = f"at most {max_bytes} bytes uncompressed"
                    raise ParseError(source, where, too_big, found=f">{max_bytes}")
                if len(out) > RATIO_FLOOR and len(out) / packed > max_ratio:
                    bomb = f"a compression ratio of at most {max_ratio:g}:1 (zip bomb?)"
                    raise ParseError(source, where, bomb, found=f"{len(out) / packed:.0f}:1 so far")
    except _ZIP_FAILURES as e:
        raise ParseError(source, where, "an intact, unencrypted zip member", found=str(e)) from e
    return bytes(out)
