"""Alerts: a TOML file of conditions on any stored series, any figure of a
view, or the sell-Japan signal; the matches; their log; the webhook.

Rules file (``alerts.toml`` in the store folder, else the example shipped
with yenflow, :data:`EXAMPLE_FILE`)::

    [webhook]                       # optional: POST the new matches as JSON
    url = "https://hooks.example.com/yenflow"
    timeout_seconds = 10

    [[rule]]
    name = "Foreigners sold over ¥1tn of Japanese bonds in a week"
    series = "mof.weekly.foreign.bonds.net"   # a stored series (`yenflow series`)
    below = -10000                            # in the series' unit: JPY 100m
    unit = "JPY 100m"                         # optional, checked against the catalog
    every = true                              # every week that meets it

    [[rule]]
    name = "Hedged 30Y UST beats JGB 30Y"
    view = "hedge"                            # a view (`yenflow <view> --help`)
    params = { bond_tenor = 30 }              # its parameters (Python names)
    column = "pickup_bp"                      # the column to test
    above = 0

    [[rule]]
    name = "Sell-Japan composite high"
    signal = "composite"                      # or a component
    above = 0.75

A rule has a unique ``name``, exactly one target (``series``, ``view`` or
``signal``) and exactly one of ``above`` / ``below`` (strictly greater /
smaller). It **matches** on each date since ``--since`` whose value meets the
condition when the value before did not (the condition *starts* to hold);
with ``every = true`` on every such date. Matches already in the log
(``alerts.jsonl`` in the store folder: rule, target, date) are not new; new
ones are appended there and posted to the webhook — one POST, bounded
retries, a failure reported and never fatal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yenflow.views.params import ParamError

if TYPE_CHECKING:
    import pandas as pd

EXAMPLE_FILE = "alerts_example.toml"
RULES_FILE = "alerts.toml"
LOG_FILE = "alerts.jsonl"
TARGETS = ("series", "view", "signal")
FIELDS = {"name", "series", "view", "signal", "above", "below", "unit", "every", "params", "table", "column", "row"}
WEBHOOK_ATTEMPTS = 2
WEBHOOK_TIMEOUT = 10.0


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # series | view | signal
    target: str
    op: str  # above | below
    threshold: float
    unit: str | None = None
    every: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    table: str | None = None
    column: str | None = None
    row: str | None = None

    @property
    def condition(self) -> str:
        return f"{'>' if self.op == 'above' else '<'} {self.threshold:g}"

    def met(self, values: "pd.Series") -> "pd.Series":
        return values > self.threshold if self.op == "above" else values < self.threshold


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    webhook: str | None
    timeout: float
    where: str


class RulesError(ParamError):
    """A rules file is not valid (one line naming the file, the rule and the field)."""

    def __init__(self, where: str, message: str, rule: str | None = None, fld: str | None = None) -> None:
        at = f"{where}: " + (f"{rule}: " if rule else "") + (f"{fld}: " if fld else "")
        super().__init__("--rules", at + message)


def example_text() -> str:
    from importlib.resources import files

    return (files("yenflow") / EXAMPLE_FILE).read_text(encoding="utf-8")


def parse_rules(text: str, where: str) -> Rules:
    """Rules from TOML text; :class:`RulesError` on the first problem."""
    import tomllib

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RulesError(where, f"not valid TOML ({e})") from None
    unknown = sorted(set(doc) - {"rule", "webhook"})
    if unknown:
        raise RulesError(where, f"unknown table {unknown[0]!r}; a rules file has [[rule]] entries and an optional [webhook]")
    raw = doc.get("rule", [])
    if not isinstance(raw, list) or not raw:
        raise RulesError(where, "no rules: add [[rule]] entries (see the example: `yenflow alerts --help`)")
    rules, names = [], set()
    for i, r in enumerate(raw, start=1):
        rule = _rule(r, i, where)
        if rule.name in names:
            raise RulesError(where, f"a second rule is named {rule.name!r}; names must be unique", f"rule {i}", "name")
        names.add(rule.name)
        rules.append(rule)
    url, timeout = _webhook(doc.get("webhook"), where)
    return Rules(tuple(rules), url, timeout, where)


def _rule(r: Any, i: int, where: str) -> Rule:
    label = f"rule {i}"
    if not isinstance(r, dict):
        raise RulesError(where, "must be a table", label)
    name = r.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RulesError(where, "required: a short text naming the rule", label, "name")
    label = f"rule {i} ({name!r})"
    extra = sorted(set(r) - FIELDS)
    if extra:
        raise RulesError(where, f"unknown field; a rule takes {', '.join(sorted(FIELDS))}", label, extra[0])
    targets = [t for t in TARGETS if t in r]
    if len(targets) != 1:
        raise RulesError(where, "give exactly one of series, view, signal", label, "/".join(targets) or "series")
    kind = targets[0]
    target = r[kind]
    if not isinstance(target, str) or not target.strip():
        raise RulesError(where, "must be a non-empty text", label, kind)
    ops = [o for o in ("above", "below") if o in r]
    if len(ops) != 1:
        raise RulesError(where, "give exactly one of above, below (a number)", label, "/".join(ops) or "above")
    value = r[ops[0]]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise RulesError(where, f"must be a number, got {value!r}", label, ops[0])
    for key, tp, words in (("unit", str, "a text"), ("every", bool, "true or false"), ("params", dict, "a table"),
                           ("table", str, "a text"), ("column", str, "a text"), ("row", str, "a text")):
        if key in r and not isinstance(r[key], tp):
            raise RulesError(where, f"must be {words}, got {r[key]!r}", label, key)
    if kind == "view" and "column" not in r:
        raise RulesError(where, "required for a view rule: the column to test", label, "column")
    if kind != "view":
        for key in ("params", "table", "column", "row"):
            if key in r:
                raise RulesError(where, f"only for view rules (this is a {kind} rule)", label, key)
    return Rule(name.strip(), kind, target.strip(), ops[0], float(value), r.get("unit"), bool(r.get("every", False)),
                dict(r.get("params", {})), r.get("table"), r.get("column"), r.get("row"))


def _webhook(w: Any, where: str) -> tuple[str | None, float]:
    if w is None:
        return None, WEBHOOK_TIMEOUT
    if not isinstance(w, dict):
        raise RulesError(where, "must be a table with url (and timeout_seconds)", fld="webhook")
    extra = sorted(set(w) - {"url", "timeout_seconds"})
    if extra:
        raise RulesError(where, "unknown field; the webhook takes url and timeout_seconds", fld=f"webhook.{extra[0]}")
    url = w.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise RulesError(where, f"must be an http(s) URL, got {url!r}", fld="webhook.url")
    timeout = w.get("timeout_seconds", WEBHOOK_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 120:
        raise RulesError(where, f"must be a number of seconds from 0 to 120, got {timeout!r}", fld="webhook.timeout_seconds")
    return url, float(timeout)


def load_rules(path: str | Path | None, home: Path | None) -> Rules:
    """The rules of ``path``; else ``alerts.toml`` in the store folder; else the shipped example."""
    if path is None and home is not None and (home / RULES_FILE).is_file():
        path = home / RULES_FILE
    if path is None:
        return parse_rules(example_text(), f"{EXAMPLE_FILE} (the example shipped with yenflow)")
    p = Path(path).expanduser()
    if not p.is_file():
        raise ParamError("--rules", f"{str(path)!r} is not a file")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RulesError(p.name, "not UTF-8 text") from None
    return parse_rules(text, p.name)


# --------------------------------------------------------------------- matching

def matches(rule: Rule, values: "pd.Series", since: "pd.Timestamp") -> "pd.Series":
    """The values on the dates since ``since`` where the rule matches (module doc)."""
    v = values.dropna().sort_index()
    met = rule.met(v)
    starts = met & ~met.shift(1, fill_value=False) if not rule.every else met
    hit = starts & (v.index >= since)
    return v[hit]


# -------------------------------------------------------------------- log, webhook

def key(row: dict[str, Any]) -> tuple[str, str, str]:
    return (str(row["rule"]), str(row["target"]), str(row["date"])[:10])


def read_log(path: Path) -> set[tuple[str, str, str]]:
    """Keys of the matches already logged (unreadable lines are skipped)."""
    seen: set[tuple[str, str, str]] = set()
    if not path.is_file():
        return seen
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            seen.add(key(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            continue
    return seen


def append_log(path: Path, rows: list[dict[str, Any]]) -> None:
    """Append one JSON object per match (rule, target, date, value, unit, condition, logged_at)."""
    from datetime import datetime, timezone

    if not rows:
        return
    stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({**row, "logged_at": stamp}, ensure_ascii=False) + "\n")


def post(url: str, rows: list[dict[str, Any]], timeout: float = WEBHOOK_TIMEOUT, attempts: int = WEBHOOK_ATTEMPTS) -> str:
    """POST the matches as ``{"source": "yenflow", "alerts": [...]}``; returns a
    one-line outcome. Never raises for a network or server failure."""
    from yenflow import http
    from yenflow.errors import FetchError

    try:
        status = http.post_json(url, {"source": "yenflow", "alerts": rows}, timeout=timeout, attempts=attempts,
                                source="alerts webhook")
    except FetchError as e:
        return f"webhook failed: {e}; the matches are kept in {LOG_FILE}"
    return f"webhook: posted {len(rows)} new match{'es' if len(rows) != 1 else ''} to {http.scrub(url)} (HTTP {status})"


def new_matches(result: Any) -> list[dict[str, Any]]:
    """The new matches of an alerts view result, as JSON-ready dicts (without the ``new`` flag)."""
    return [{k: v for k, v in row.items() if k != "new"} for row in result.table("matches").rows() if row["new"]]


def deliver(result: Any, home: Path, webhook: str | None, timeout: float = WEBHOOK_TIMEOUT) -> list[str]:
    """Append the new matches to the log in ``home`` and post them to ``webhook``;
    returns one line per outcome (a failed post included: never raised)."""
    rows = new_matches(result)
    if not rows:
        return []
    append_log(home / LOG_FILE, rows)
    lines = [f"logged {len(rows)} new match{'es' if len(rows) != 1 else ''} in {home / LOG_FILE}"]
    if webhook:
        lines.append(post(webhook, rows, timeout))
    return lines
