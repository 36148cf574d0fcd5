"""Results cache: a view's result (and what was rendered from it) per
(view, parameters, store version), so repeated requests answer in
microseconds and a changed store file is recomputed once.

Concurrent requests for the same key wait for one computation. While the
store is locked by a writer, the newest result for the same (view,
parameters) from an earlier store version is served instead, marked stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable

MAX_ENTRIES = 256


@dataclass
class Entry:
    value: Any
    version: tuple[int, ...]
    rendered: dict[Hashable, Any] = field(default_factory=dict)  # (format, extra) → bytes/str

    def render(self, what: Hashable, fn: Callable[[Any], Any]) -> Any:
        if what not in self.rendered:
            self.rendered[what] = fn(self.value)
        return self.rendered[what]


class ResultCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[tuple[Hashable, tuple[int, ...]], Entry] = OrderedDict()
        self._latest: dict[Hashable, Entry] = {}  # newest entry per key, any version
        self._lock = threading.Lock()
        self._computing: dict[tuple[Hashable, tuple[int, ...]], threading.Lock] = {}
        self.max_entries = max_entries

    def get(self, key: Hashable, version: tuple[int, ...]) -> Entry | None:
        with self._lock:
            e = self._entries.get((key, version))
            if e is not None:
                self._entries.move_to_end((key, version))
            return e

    def latest(self, key: Hashable) -> Entry | None:
        """The newest entry for ``key`` whatever the store version (served while the store is locked)."""
        with self._lock:
            return self._latest.get(key)

    def get_or_compute(self, key: Hashable, version: tuple[int, ...], compute: Callable[[], Any]) -> Entry:
        """The entry for (key, version), computing it once even when many requests ask at the same time."""
        e = self.get(key, version)
        if e is not None:
            return e
        with self._lock:
            gate = self._computing.setdefault((key, version), threading.Lock())
        with gate:
            e = self.get(key, version)
            if e is not None:
                return e
            try:
                e = Entry(compute(), version)
            finally:
                with self._lock:
                    self._computing.pop((key, version), None)
            with self._lock:
                self._entries[(key, version)] = e
                self._latest[key] = e
                while len(self._entries) > self.max_entries:
                    (old_key, _), old = self._entries.popitem(last=False)
                    if self._latest.get(old_key) is old:
                        del self._latest[old_key]
            return e
