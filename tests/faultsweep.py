"""Fault injection on the real sample files: mutate each file many ways, run the
source's parse and the pipeline's validate, and classify what happened.

Mutations (each one case): truncations at many byte offsets (inside the last
number, at line boundaries, mid-file), header-only files, one figure ×1000,
a date moved to 2126, deleted footers (the last lines), duplicated rows,
encoding changes (UTF-8 ↔ cp932, UTF-16, Latin-1 mojibake, BOM, line ends),
full-width digits in a figure; for zips the same on the member plus truncated
archives; for workbooks truncations and a figure ×1000 in the sheet XML.

Outcome of a case, compared with the unmutated file's observations:

* ``rejected``: a YenflowError (one line, naming the file);
* ``same``: accepted, exactly the original observations (e.g. a re-encoding);
* ``fewer``: accepted, a strict subset of the original observations with the
  same values (a cut at a row boundary of a file with no footer or end marker:
  indistinguishable from an earlier edition of the file);
* ``wrong``: accepted with any value that differs from the original, or a
  (series, date) the original does not have. Must be 0;
* ``crash``: any other exception (a yenflow bug). Must be 0.

Run the full sweep: ``uv run python tests/faultsweep.py [--data ../shared/data]``.
``tests/test_fault_injection.py`` runs every case for a subset of the files.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

Mutation = tuple[str, bytes]  # (case name, mutated bytes)

# a figure: thousands-separated, decimal or integer (ASCII)
_NUM = re.compile(r"(?<![\w.\-])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w.])")
# date shapes with a four-digit year (the year is group "y")
_DATES = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-\d\d-\d\d"),
    re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/(?P<y>(?:19|20)\d\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)/\d{1,2}/\d{1,2}"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)．\d{1,2}．"),
    re.compile(r"(?<![\d\w])(?P<y>(?:19|20)\d\d)(?=\s*,\s*(?:[１-９]|\d)[0-9０-９]?月)"),
]
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


# ----------------------------------------------------------------- text model
@dataclass
class Text:
    """A text file as the mutations see it."""

    raw: bytes
    encoding: str  # 'utf-8-sig' | 'utf-8' | 'cp932' | 'latin-1'
    text: str

    @classmethod
    def of(cls, raw: bytes) -> "Text | None":
        for enc in ("utf-8", "cp932"):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            bom = text.startswith("\ufeff")
            return cls(raw, "utf-8-sig" if bom else enc, text[1:] if bom else text)
        return None

    def encode(self, text: str) -> bytes:
        prefix = b"\xef\xbb\xbf" if self.encoding == "utf-8-sig" else b""
        enc = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        return prefix + text.encode(enc, errors="replace")

    def lines(self) -> list[str]:
        return self.text.splitlines(keepends=True)


def _figures(line: str) -> list[re.Match]:
    """Non-zero figures of a line that are not part of a date."""
    spans = [(d.start(), d.end()) for pat in _DATES for d in pat.finditer(line)]
    return [m for m in _NUM.finditer(line)
            if not any(a <= m.start() < b for a, b in spans)
            and Decimal(m.group().replace(",", "")) != 0]


def _times_1000(token: str) -> str:
    """``token`` ×1000 in the same style (decimals kept, commas kept)."""
    value = Decimal(token.replace(",", "")) * 1000
    decimals = len(token.split(".", 1)[1]) if "." in token else 0
    if "," in token:
        return f"{value:,.{decimals}f}"
    return f"{value:.{decimals}f}"


def _data_lines(lines: list[str], values: set[float]) -> list[int]:
    """Indices of lines holding at least two figures the parser stored."""
    out = []
    for i, line in enumerate(lines):
        hits = sum(1 for m in _figures(line) if float(m.group().replace(",", "")) in values)
        if hits >= 2 or (hits == 1 and len(_figures(line)) == 1):
            out.append(i)
    return out


def text_mutations(raw: bytes, values: set[float], rng: random.Random) -> Iterator[Mutation]:
    doc = Text.of(raw)
    n = len(raw)
    for frac in (0.05, 0.25, 0.5, 0.75, 0.9, 0.99):
        yield f"truncate@{frac:.0%}", raw[: int(n * frac)]
    for k in (1, 2, 3, 5):
        yield f"truncate-last-{k}-bytes", raw[: n - k]
    if doc is None:
        return
    lines = doc.lines()
    data = _data_lines(lines, values)
    if data:
        first, last = data[0], data[-1]
        yield "header-only", doc.encode("".join(lines[:first]))
        for k in (1, 3, 10):  # deleted footers / last rows, file still ends with a newline
            if len(lines) > k:
                yield f"delete-last-{k}-lines", doc.encode("".join(lines[:-k]))
        if last + 1 < len(lines):
            yield "delete-footer", doc.encode("".join(lines[: last + 1]))
        yield "cut-at-row-boundary-mid-data", doc.encode("".join(lines[: data[len(data) // 2]]))
        last_line = lines[last]
        figs = _figures(last_line)
        if figs:  # the last data row cut inside its last figure
            m = figs[-1]
            if len(m.group()) > 1:
                cut = "".join(lines[:last]) + last_line[: m.end() - 1]
                yield "cut-inside-last-figure", doc.encode(cut)
        for name, idx in (("first", first), ("middle", data[len(data) // 2]), ("last", last)):
            dup = lines[:idx + 1] + [lines[idx]] + lines[idx + 1:]
            yield f"duplicate-{name}-row", doc.encode("".join(dup))
        for case, idx in enumerate(rng.sample(data, min(6, len(data)))):
            figs = [m for m in _figures(lines[idx]) if float(m.group().replace(",", "")) in values]
            if not figs:
                continue
            m = rng.choice(figs)
            new = lines[idx][: m.start()] + _times_1000(m.group()) + lines[idx][m.end():]
            yield f"x1000-{case}", doc.encode("".join(lines[:idx] + [new] + lines[idx + 1:]))
            if case < 2:
                wide = lines[idx][: m.start()] + m.group().translate(_FULLWIDTH) + lines[idx][m.end():]
                yield f"fullwidth-digits-{case}", doc.encode("".join(lines[:idx] + [wide] + lines[idx + 1:]))
        for name, idx in (("first", first), ("last", last)):
            new = _year_2126(lines[idx])
            if new is not None:
                yield f"date-2126-{name}-row", doc.encode("".join(lines[:idx] + [new] + lines[idx + 1:]))
    yield from _encodings(doc)


def _year_2126(line: str) -> str | None:
    for pat in _DATES:
        m = pat.search(line)
        if m:
            return line[: m.start("y")] + "2126" + line[m.end("y"):]
    return None


def _encodings(doc: Text) -> Iterator[Mutation]:
    text = doc.text
    if doc.encoding == "cp932":
        yield "encoding-cp932-to-utf8", text.encode("utf-8")
    elif any(ord(c) > 127 for c in text):
        yield "encoding-utf8-to-cp932", text.encode("cp932", errors="replace")
    yield "encoding-utf16", text.encode("utf-16")
    yield "encoding-latin1-mojibake", doc.raw.decode("latin-1").encode("utf-8")
    if doc.encoding != "utf-8-sig":
        yield "encoding-add-bom", b"\xef\xbb\xbf" + doc.raw
    if "\r\n" in text:
        yield "line-ends-crlf-to-lf", doc.encode(text.replace("\r\n", "\n"))
    else:
        yield "line-ends-lf-to-crlf", doc.encode(text.replace("\n", "\r\n"))


# ----------------------------------------------------------------- containers
def _rezip(raw: bytes, member_bytes: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, member_bytes.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def zip_mutations(raw: bytes, values: set[float], rng: random.Random) -> Iterator[Mutation]:
    n = len(raw)
    for frac in (0.1, 0.5, 0.9, 0.999):
        yield f"zip-truncate@{frac:.1%}", raw[: int(n * frac)]
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        members = [i.filename for i in zf.infolist() if not i.is_dir()]
        member = members[0]
        content = zf.read(member)
    yield "zip-member-truncated-half", _rezip(raw, {member: content[: len(content) // 2]})
    for name, mutated in text_mutations(content, values, rng):
        yield f"member:{name}", _rezip(raw, {member: mutated})


_V = re.compile(rb"<v>(-?\d+(?:\.\d+)?)</v>")


def xlsx_mutations(raw: bytes, values: set[float], rng: random.Random) -> Iterator[Mutation]:
    n = len(raw)
    for frac in (0.1, 0.5, 0.9, 0.999):
        yield f"xlsx-truncate@{frac:.1%}", raw[: int(n * frac)]
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        sheets = {i.filename: zf.read(i.filename) for i in zf.infolist()
                  if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")}
    cells = [(name, m) for name, xml in sheets.items() for m in _V.finditer(xml)
             if float(m.group(1)) in values and float(m.group(1)) != 0]
    for case, (name, m) in enumerate(rng.sample(cells, min(6, len(cells)))):
        xml = sheets[name]
        new = xml[: m.start(1)] + str(Decimal(m.group(1).decode()) * 1000).encode() + xml[m.end(1):]
        yield f"xlsx-x1000-{case}", _rezip(raw, {name: new})


def binary_mutations(raw: bytes, values: set[float], rng: random.Random) -> Iterator[Mutation]:
    n = len(raw)
    for frac in (0.1, 0.5, 0.9, 0.999):
        yield f"truncate@{frac:.1%}", raw[: int(n * frac)]
    yield "zeroed-tail-4k", raw[:-4096] + bytes(4096)


def mutations(name: str, raw: bytes, values: set[float], seed: int = 0) -> Iterator[Mutation]:
    rng = random.Random(f"{seed}:{name}")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        yield from xlsx_mutations(raw, values, rng)
    elif lower.endswith(".zip"):
        yield from zip_mutations(raw, values, rng)
    elif lower.endswith(".xls"):
        yield from binary_mutations(raw, values, rng)
    else:
        yield from text_mutations(raw, values, rng)


# ----------------------------------------------------------------- running
@dataclass
class Report:
    cases: int = 0
    outcomes: Counter = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    fewer: list[str] = field(default_factory=list)
    bad_messages: list[str] = field(default_factory=list)
    by_mutation: dict[str, Counter] = field(default_factory=dict)

    def add(self, where: str, case: str, outcome: str, detail: str = "") -> None:
        self.cases += 1
        self.outcomes[outcome] += 1
        kind = re.sub(r"[-@]?[0-9.]+%?$|-\d+$", "", case.removeprefix("member:"))
        self.by_mutation.setdefault(kind, Counter())[outcome] += 1
        line = f"{where} [{case}] {detail}".strip()
        if outcome == "wrong":
            self.wrong.append(line)
        elif outcome == "crash":
            self.crashes.append(line)
        elif outcome == "fewer":
            self.fewer.append(line)

    def summary(self) -> str:
        o = self.outcomes
        lines = [f"cases tried: {self.cases}",
                 f"rejected with a one-line error: {o['rejected']}",
                 f"accepted, same observations: {o['same']}",
                 f"accepted, fewer observations (same values): {o['fewer']}",
                 f"wrong values stored: {o['wrong']}",
                 f"crashes (not a YenflowError): {o['crash']}",
                 f"error messages not one line naming the file: {len(self.bad_messages)}"]
        lines.append("by mutation (rejected/same/fewer/wrong/crash):")
        for kind, c in sorted(self.by_mutation.items()):
            lines.append(f"  {kind:34s} {c['rejected']:4d} {c['same']:4d} {c['fewer']:4d} "
                         f"{c['wrong']:4d} {c['crash']:4d}")
        return "\n".join(lines)


def _keyed(obs) -> dict[tuple[str, object], float]:
    return dict(zip(zip(obs["series_id"].astype(str), obs["ref_date"]), obs["value"].astype(float)))


def run_file(source: object, name: str, raw: bytes, report: Report,
             validate: Callable, seed: int = 0) -> None:
    """Every mutation of one file through parse + validate, into ``report``."""
    from yenflow.errors import YenflowError

    base = source.parse(raw, name)
    validate(base, source.name, name, lambda _sid: False)
    original = _keyed(base.observations)
    values = set(original.values())
    for case, mutated in mutations(name, raw, values, seed):
        try:
            parsed = source.parse(mutated, name)
            validate(parsed, source.name, name, lambda _sid: False)
        except YenflowError as e:
            msg = str(e)
            if "\n" in msg or name.split("!")[0] not in msg:
                report.bad_messages.append(f"{source.name} {name} [{case}]: {msg[:200]!r}")
            report.add(f"{source.name} {name}", case, "rejected")
            continue
        except Exception as e:  # noqa: BLE001 - that is what we are counting
            report.add(f"{source.name} {name}", case, "crash", f"{type(e).__name__}: {e}"[:300])
            continue
        got = _keyed(parsed.observations)
        changed = [(k, v, original.get(k)) for k, v in got.items() if original.get(k) != v]
        if changed:
            k, v, was = changed[0]
            report.add(f"{source.name} {name}", case, "wrong",
                       f"{len(changed)} values, e.g. {k[0]} {str(k[1])[:10]}: {v} (file: {was})")
        elif len(got) < len(original):
            report.add(f"{source.name} {name}", case, "fewer", f"{len(original) - len(got)} fewer")
        else:
            report.add(f"{source.name} {name}", case, "same")


def sample_files(data: Path, sources: list[str] | None = None) -> Iterator[tuple[object, str, bytes]]:
    """(source, file name, bytes) for every real file each source reads."""
    from yenflow.pipeline import collect_local
    from yenflow.sources import get_source, list_sources

    for sname in sources or list_sources():
        source = get_source(sname)
        for rf in collect_local(source, data) if data.is_dir() else []:
            yield source, rf.name, rf.content


def sweep(data: Path, sources: list[str] | None = None, files: set[str] | None = None) -> Report:
    from yenflow.pipeline import validate

    report = Report()
    for source, name, raw in sample_files(data, sources):
        if files is None or name in files:
            run_file(source, name, raw, report, validate)
    return report


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--sources", nargs="*")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every fewer/wrong/crash case")
    args = ap.parse_args()
    report = sweep(args.data, args.sources)
    print(report.summary())
    for title, items in (("WRONG", report.wrong), ("CRASH", report.crashes),
                         ("BAD MESSAGE", report.bad_messages),
                         ("FEWER", report.fewer if args.verbose else [])):
        for line in items:
            print(f"{title}: {line}")


if __name__ == "__main__":
    main()
