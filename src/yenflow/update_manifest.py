"""What a `--from` folder looked like at the last complete ``yenflow update --from DIR``, so that the same
command re-run with nothing changed answers "nothing new" in about a tenth of a second: without the CLI
framework, DuckDB, pandas or the views, without reading or hashing a file, without opening the store.

It is git's index. After a run in which every source was ok (or had no files), ``<home>/update-manifest.json``
records every file the run's globs found (:func:`yenflow.pipeline.collect_local`'s walk) with its size, mtime,
ctime and inode; a fingerprint of yenflow's own code (so an edited parser disables it); the store file's stat
after the run closed it (so any other write — an import, a rebuild, a restore — disables it); and what the
run's summary needs. A later plain ``update --from DIR --no-monitor`` whose files all stat the same is the run
the store already holds: it prints what a normal run with nothing new prints, logs the run, and writes nothing
else. ctime is in the key because no user tool sets it (``touch -d``, ``cp -p``, ``rsync -t`` set mtime and bump
ctime), and the inode because tools that replace a file write a new one.

A file changed within one clock tick of being recorded keeps its stat: git's "racy" rule. A file whose mtime
or ctime is later than 2 s before the recorded run started (the run itself, anything after, the future) is
taken as changed, and the normal path runs (and records a manifest that is no longer racy).

Any doubt — another command line, a link under DIR, an alerts file, a config file that does not load, a
missing, unreadable or stale manifest, a system whose st_ctime is not the change time (Windows), any
exception — returns None and the normal path runs, unchanged.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

    from yenflow.pipeline import SourceResult

NAME = "update-manifest.json"
FORMAT = 1
RACY_NS = 2_000_000_000  # a file changed less than this before the run (or later) is not trusted
ALERT_RULES = "alerts.toml"  # yenflow.alerts.RULES_FILE, not imported here (it loads the views)
PLAIN = {"sources": None, "allow_shrink": False}  # the options of the runs the fast path stands in for
NOT_REREAD = "(every file's size, times and inode match the last complete run: not re-read)"


class Stale(Exception):
    """Why the manifest does not describe the folder and the store now (the normal path runs)."""


# ---------------------------------------------------------------------------- recording (after a normal run)
def forget(home: Path) -> None:
    """Remove the manifest (an update is about to change the store, or did not finish cleanly)."""
    try:
        (home / NAME).unlink(missing_ok=True)
    except OSError:
        pass


def save(home: Path, folder: str | None, names: list[str], selected: list[str] | None, allow_shrink: bool,
         results: "list[SourceResult]", started: "datetime") -> None:
    """After an update that closed the store: record the folder's state if the run read a local folder and
    every source was ok or had no files; otherwise remove any manifest. Never raises."""
    try:
        clean = len(results) == len(names) and all(r.ok and not r.error and not r.unreachable for r in results)
        if folder is None or folder.startswith(("http://", "https://")) or not clean:
            forget(home)
            return
        import json

        from yenflow.sources import get_source

        patterns = list(dict.fromkeys(g for n in names for spec in get_source(n).files for g in spec.local_globs))
        data = {
            "format": FORMAT, "yenflow": _installed_version(), "folder": str(Path(folder)),
            "root": os.path.realpath(folder), "options": {"sources": selected or None, "allow_shrink": allow_shrink},
            "code": _code_fingerprint(), "store": _store_stat(home), "patterns": patterns,
            "files": _walk(folder, patterns), "started_ns": int(started.timestamp() * 1e9), "written_ns": _now_ns(),
            "sources": [{"source": r.source, "status": r.status, "files": r.files_new + r.files_skipped + r.files_not_modified,
                         "notes": r.notes, "hint": r.hint} for r in results],
        }
        tmp = home / f"{NAME}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, home / NAME)
    except Exception:  # a link under DIR (Stale), a full disk…: no manifest, the next run is a normal one
        forget(home)


# ---------------------------------------------------------------------------- checking (before the CLI starts)
def trusted(home: Path, folder: str) -> list[dict[str, Any]]:
    """The last complete run's per-source records, if a plain ``update --from folder`` now would find exactly
    the files it ingested, with the same code and an untouched store; raises :class:`Stale` (saying why) else."""
    import json

    try:
        m = json.loads((home / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise Stale(f"no readable manifest ({type(e).__name__})") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise Stale("another manifest format")
    if m.get("yenflow") is None or m["yenflow"] != _installed_version():
        raise Stale("another yenflow version")
    if m.get("folder") != str(Path(folder)) or m.get("root") != os.path.realpath(folder):
        raise Stale("another folder")
    if m.get("options") != PLAIN:
        raise Stale(f"the last run had other options ({m.get('options')})")
    if m.get("code") != _code_fingerprint():
        raise Stale("yenflow's code changed")
    if m.get("store") != _store_stat(home):
        raise Stale("the store changed since")
    files = _walk(folder, m["patterns"])
    if files != m.get("files"):
        before = m.get("files") or {}
        changed = sorted(set(files) ^ set(before)) or sorted(k for k in files if files[k] != before[k])
        raise Stale(f"files changed: {', '.join(changed[:3])}")
    since = m["started_ns"] - RACY_NS
    racy = sorted(rel for rel, (_, mtime, ctime, _) in files.items() if max(mtime, ctime) >= since)
    if racy:
        raise Stale(f"racy: {', '.join(racy[:3])} changed within 2 s of the last run (or later)")
    return list(m["sources"])


def plain_update(args: list[str]) -> tuple[str, str | None] | None:
    """``(DIR, HOME or None)`` when ``args`` are exactly ``update --from DIR [--home HOME] --no-monitor`` (any
    order, ``--opt=value`` too, ``--no-answer`` for ``--no-monitor``); None for any other command line."""
    if not args or args[0] != "update":
        return None
    opts: dict[str, str] = {}
    rest = iter(args[1:])
    for arg in rest:
        name, eq, value = arg.partition("=")
        if name in ("--from", "--home"):
            value = value if eq else next(rest, "")
            if not value or value.startswith("-"):
                return None
        elif arg in ("--no-monitor", "--no-answer"):
            name = "--no-monitor"
        else:
            return None
        if name in opts:
            return None
        opts[name] = value
    if "--from" not in opts or "--no-monitor" not in opts:  # the answer after a run needs the store
        return None
    return opts["--from"], opts.get("--home")


def fast_update(args: list[str]) -> int | None:
    """A plain ``update --from DIR --no-monitor`` when :func:`trusted` says nothing changed: under the run lock,
    print and log what the normal run prints and logs (exit code 0). None: run the normal path."""
    try:
        plain = plain_update(args)
        if plain is None or os.name != "posix":  # elsewhere st_ctime is the creation time: it misses rewrites
            return None
        folder, home_option = plain
        if folder.startswith(("http://", "https://")) or not os.path.isdir(folder):
            return None
        import time
        from datetime import datetime, timezone

        from yenflow import config, runlog

        config.load_file()  # a config file that does not load: the normal path says so
        home = config.home_dir(home_option)
        if not (home / NAME).is_file() or os.path.lexists(home / ALERT_RULES):  # alerts run after every update
            return None
        started, t0 = datetime.now(timezone.utc), time.perf_counter()
        with runlog.run_lock(home):  # another update running: the normal path reports it (exit 75)
            records = trusted(home, folder)
            results = _results(records)
    except Exception:
        return None
    if not sys.stderr.isatty():  # on a terminal the normal run's progress bar is gone when it ends
        for i, r in enumerate(results, 1):
            print(f"[{i}/{len(results)}] {r.source}", file=sys.stderr)
    from yenflow.update_summary import print_summary

    rec = runlog.record(results, started, time.perf_counter() - t0, 0)
    runlog.append(home, rec)
    print_summary(results)
    print(NOT_REREAD)
    print(rec.line(), file=sys.stderr)
    return 0


def _results(records: list[dict[str, Any]]) -> "list[SourceResult]":
    """The results a normal run with nothing new reports: every file unchanged, no rows."""
    from yenflow.pipeline import NO_FILES, OK, SourceResult

    out = []
    for rec in records:
        if rec["status"] not in (OK, NO_FILES):
            raise Stale(f"{rec['source']}: {rec['status']}")
        out.append(SourceResult(rec["source"], rec["status"], files_skipped=int(rec["files"]), notes=list(rec["notes"]),
                                hint=rec["hint"]))
    return out


# ---------------------------------------------------------------------------- the facts compared
def _walk(folder: str, patterns: list[str]) -> dict[str, list[int]]:
    """``{path under folder: [size, mtime_ns, ctime_ns, inode]}`` of every regular file the globs find (no
    ``_derived``), as :func:`yenflow.pipeline.collect_local` finds them. A link, or a folder on the way that is
    one, raises :class:`Stale`: the normal path decides what to follow and names what it skips."""
    from yenflow.pipeline import local_matches

    base = Path(folder)
    out: dict[str, list[int]] = {}
    checked: set[Path] = set()
    for path in local_matches(base, patterns):
        rel = path.relative_to(base)
        for parent in rel.parents:
            if parent.parts and parent not in checked:
                if os.path.islink(base / parent):
                    raise Stale(f"{parent} is a link")
                checked.add(parent)
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            raise Stale(f"{rel} is a link")
        if stat.S_ISREG(st.st_mode):
            out[rel.as_posix()] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    return out


def _store_stat(home: Path) -> dict[str, list[int] | None]:
    """The store file and its write-ahead log (None when absent): size, mtime, ctime, inode."""
    from yenflow.config import DB_FILENAME

    out: dict[str, list[int] | None] = {}
    for name in (DB_FILENAME, DB_FILENAME + ".wal"):
        try:
            st = os.stat(home / name)
            out[name] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        except FileNotFoundError:
            out[name] = None
    return out


def _code_fingerprint() -> str:
    """A digest of the path, size, mtime and ctime of every file of the installed yenflow package (bytecode
    caches aside): any edit to a parser, a source's globs or a bundled table changes it."""
    import hashlib

    root = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha256()
    folders = [root]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                if e.is_dir(follow_symlinks=False):
                    if e.name != "__pycache__":
                        folders.append(e.path)
                else:
                    st = e.stat()
                    digest.update(f"{e.path[len(root):]}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\n".encode())
    return digest.hexdigest()


def _installed_version() -> str | None:
    """yenflow's installed version, from the name of the first ``yenflow-<version>.dist-info`` on sys.path (where
    importlib.metadata finds it; importing that costs ~30 ms); None when there is not exactly one there."""
    for entry in sys.path:
        try:
            names = [n for n in os.listdir(entry or ".") if n.startswith("yenflow-") and n.endswith(".dist-info")]
        except OSError:
            continue
        if names:
            return names[0][len("yenflow-"):-len(".dist-info")] if len(names) == 1 else None
    return None


def _now_ns() -> int:
    import time

    return time.time_ns()
