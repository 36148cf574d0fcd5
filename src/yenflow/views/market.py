"""A market snapshot: the series a view needs, read in one batched query, as
the store knew them at ``as_of``.

Point in time. With ``as_of=None`` every series is read in its latest
vintage. With ``as_of`` set:

* for a series this store was already recording at ``as_of`` (its first
  vintage was seen by then), exactly what the store had recorded by then: the
  newest vintage seen at or before ``as_of``, and no figure it had not seen;
* for a series the store started recording later (a store built after the
  fact), a reconstruction: a figure counts if it had been *published* by
  ``as_of`` — its ``released`` date where the publisher gives one (CFTC
  Fridays, BOJ decision dates), else its reference date plus the publisher's
  release lag (:mod:`yenflow.release_calendar`) — in the earliest vintage the
  store holds, and :meth:`Market.warnings` says so.

A snapshot records which series a view read (:meth:`Market.inputs`), so every
result can list its inputs with their units and last dates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Iterable

from yenflow.errors import UnknownSeriesError, YenflowError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from yenflow.store import Store
    from yenflow.views.result import Input


class MissingInputError(YenflowError):
    """A view needs a series the store does not have (or not as of the date asked)."""


CATALOG_COLUMNS = ("id", "source", "name", "unit", "frequency", "user_imported")


class Market:
    """Point-in-time, cached reads of stored series for one view run."""

    def __init__(self, store: "Store", as_of: datetime | date | None = None) -> None:
        from yenflow.views.params import parse_datetime

        self.store = store
        self.as_of: datetime | None = None if as_of is None else parse_datetime(as_of, "--as-of")
        self._catalog: dict[str, tuple[Any, ...]] | None = None
        self._info: dict[str, dict[str, Any]] = {}
        # per series: the column arrays of the read it came with, and its [start, end) rows in them
        self._rows: dict[str, tuple[dict[str, "np.ndarray"], int, int]] = {}
        self._series: dict[str, "pd.Series"] = {}
        self._roles: dict[str, str] = {}
        self._stand_ins: dict[str, date] = {}  # series read in a vintage first recorded after as_of

    # ------------------------------------------------------------------ catalog
    def catalog(self) -> dict[str, tuple[Any, ...]]:
        """Every catalog row by id — (id, source, name, unit, frequency, user_imported) —
        read once per snapshot (as dicts: :meth:`info`; descriptions and notes: :meth:`details`)."""
        if self._catalog is None:
            rows = self.store.con.execute("SELECT id, source, name, unit, frequency, user_imported FROM series").fetchall()
            self._catalog = {r[0]: r for r in rows}
        return self._catalog

    def details(self, series_id: str) -> dict[str, Any]:
        """The catalog row with its description and notes (one query, on demand)."""
        row = dict(self.info(series_id))
        found = self.store.con.execute("SELECT description, notes FROM series WHERE id = ?", [series_id]).fetchall()
        row["description"], row["notes"] = found[0] if found else (None, None)
        return row

    def has(self, series_id: str) -> bool:
        return series_id in self.catalog()

    def info(self, series_id: str) -> dict[str, Any]:
        """The catalog row of one id as a dict (id, source, name, unit, frequency, user_imported)."""
        found = self._info.get(series_id)
        if found is None:
            try:
                found = self._info[series_id] = dict(zip(CATALOG_COLUMNS, self.catalog()[series_id]))
            except KeyError:
                raise UnknownSeriesError(series_id) from None
        return found

    def ids(self, prefix: str = "", pattern: str | None = None) -> list[str]:
        """Catalog ids starting with ``prefix`` (and matching the regex ``pattern``), sorted."""
        import re

        rx = re.compile(pattern) if pattern else None
        return sorted(i for i in self.catalog() if i.startswith(prefix) and (rx is None or rx.search(i)))

    # -------------------------------------------------------------------- reads
    def load(self, series_ids: Iterable[str]) -> None:
        """Read every id not yet cached in one query (unknown ids are skipped)."""
        import numpy as np

        todo = [s for s in dict.fromkeys(series_ids) if s not in self._rows and self.has(s)]
        if not todo:
            return
        arrays, codes, uniques = self._read(todo)
        bounds = np.searchsorted(codes, np.arange(len(uniques) + 1))
        found = {str(u): i for i, u in enumerate(uniques)}
        for sid in todo:
            i = found.get(sid)
            self._rows[sid] = (arrays, 0, 0) if i is None else (arrays, int(bounds[i]), int(bounds[i + 1]))

    def _column(self, series_id: str, column: str) -> "np.ndarray":
        """One column of a loaded series (a view of the read's array: no copy)."""
        arrays, start, end = self._rows[series_id]
        return arrays[column][start:end]

    def observations(self, series_ids: Iterable[str], role: str = "",
                     columns: tuple[str, ...] = ("ref_date", "value", "period_start", "released", "seen_at"),
                     ) -> "pd.DataFrame":
        """Long frame (series_id and ``columns``: ref_date, value, period_start, released, seen_at) of the ids."""
        import pandas as pd

        ids = list(series_ids)
        for sid in ids:
            self.info(sid)
        self.load(ids)
        for sid in ids:
            self._use(sid, role)
        import numpy as np

        sizes = [end - start for _, start, end in (self._rows[sid] for sid in ids)]
        data: dict[str, Any] = {"series_id": np.repeat(np.array(ids, dtype=object), sizes)}
        for c in columns:
            data[c] = np.concatenate([self._column(sid, c) for sid in ids]) if ids else []
        return pd.DataFrame(data)

    def series(self, series_id: str, role: str = "") -> "pd.Series":
        """One series (float values on a DatetimeIndex ``ref_date``); ``attrs``
        holds its catalog row. Raises :class:`UnknownSeriesError` if not stored."""
        import pandas as pd

        self.info(series_id)
        self._use(series_id, role)
        if series_id not in self._series:
            self.load([series_id])
            s = pd.Series(self._column(series_id, "value").astype("float64"),
                          index=pd.DatetimeIndex(self._column(series_id, "ref_date"), name="ref_date"), name=series_id)
            attrs: dict[Any, Any] = dict(self.info(series_id))
            s.attrs = attrs
            self._series[series_id] = s
        return self._series[series_id].copy()

    def need(self, series_id: str, why: str, role: str = "") -> "pd.Series":
        """:meth:`series`, or a :class:`MissingInputError` saying what to run."""
        if not self.has(series_id):
            raise MissingInputError(
                f"{why} needs series {series_id!r}, which is not in the store; run `yenflow update` "
                "(or `yenflow update --from DIR`) or `yenflow import`")
        s = self.series(series_id, role)
        if s.dropna().empty:
            raise MissingInputError(f"{why} needs series {series_id!r}, which has no value"
                                    + (f" published by {self.as_of:%Y-%m-%d}" if self.as_of else ""))
        return s

    def get(self, series_id: str, role: str = "") -> "pd.Series | None":
        """The series, or None when the store does not have it."""
        return self.series(series_id, role) if self.has(series_id) else None

    def spliced(self, primary: str, fallback: str, role: str = "") -> "pd.Series | None":
        """``primary``'s values, with ``fallback``'s on the dates ``primary`` has none (e.g. the Treasury
        par curve extended by FRED's H.15 copy of the same yields); ``None`` if neither has a value.
        NaNs are dropped; ``attrs`` are the primary's (the fallback's when only it has values).
        Same values as ``primary.combine_first(fallback).dropna()``, without its index-union cost."""
        import numpy as np
        import pandas as pd

        parts = [s.dropna() for s in (self.get(primary, role), self.get(fallback, role)) if s is not None]
        parts = [s for s in parts if len(s)]
        if len(parts) < 2:
            return parts[0] if parts else None
        first, second = parts
        extra = second[~second.index.isin(first.index)]
        if extra.empty:
            return first
        index = np.concatenate([first.index.to_numpy(), extra.index.to_numpy()])
        order = np.argsort(index, kind="stable")
        out = pd.Series(np.concatenate([first.to_numpy(), extra.to_numpy()])[order],
                        index=pd.DatetimeIndex(index[order], name=first.index.name), name=first.name)
        out.attrs = dict(first.attrs)
        return out

    def vintage_rows(self, series_ids: Iterable[str], role: str = "", since: "date | None" = None) -> "pd.DataFrame":
        """Every stored vintage of the ids (``series_id, ref_date, value,
        released, seen_at``; reference dates from ``since`` on), ``lag_known``,
        the day each figure was due by its publisher's release lag, and
        ``recorded_from``, when the store first saw the series (any date) —
        the inputs of a point-in-time evaluation over many dates
        (:mod:`yenflow.analytics.pointintime` applies this class's rule to
        each). One query; ids not in the store are skipped."""
        import numpy as np
        import pandas as pd

        from yenflow.release_calendar import known_from

        ids = [s for s in dict.fromkeys(series_ids) if self.has(s)]
        df = self.store.con.execute(
            """WITH first AS (SELECT series_id, min(seen_at) AS recorded_from FROM observations
                              WHERE series_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY series_id)
               SELECT o.series_id, o.ref_date, o.value, o.released, o.seen_at, f.recorded_from
               FROM observations o JOIN first f USING (series_id)
               WHERE o.ref_date >= ?::DATE ORDER BY o.series_id, o.ref_date, o.seen_at""",
            [ids, since or date(1, 1, 1)]).df()
        df["ref_date"] = pd.to_datetime(df["ref_date"]).astype("datetime64[ns]")
        lag = np.full(len(df), np.datetime64("NaT"), dtype="datetime64[ns]")
        source = df["series_id"].map({sid: self.info(sid)["source"] for sid in ids}).to_numpy()
        for src in pd.unique(source):
            mask = source == src
            lag[mask] = known_from(str(src), df["ref_date"][mask]).to_numpy(dtype="datetime64[ns]")
        df["lag_known"] = lag
        self.load(ids)
        for sid in ids:
            self._use(sid, role)
        return df

    # ------------------------------------------------------------------ inputs
    def _use(self, series_id: str, role: str) -> None:
        if series_id not in self._roles or (role and not self._roles[series_id]):
            self._roles[series_id] = role

    def inputs(self) -> "tuple[Input, ...]":
        """Every series read so far, with unit, last date and source."""
        import pandas as pd

        from yenflow.views.result import Input

        out = []
        for sid, role in self._roles.items():
            meta = self.info(sid)
            last = None
            if sid in self._rows and len(dates := self._column(sid, "ref_date")):
                last = pd.Timestamp(dates.max()).date()
            out.append(Input(sid, meta["unit"] or "", last, meta["source"], role, meta["name"] or ""))
        return tuple(out)

    def warnings(self) -> list[str]:
        """Warnings the snapshot itself raises (vintages recorded after ``as_of``)."""
        used = {sid: d for sid, d in self._stand_ins.items() if sid in self._roles}
        if not used or self.as_of is None:
            return []
        first = min(used.values())
        names = ", ".join(sorted(used)[:6]) + (f" and {len(used) - 6} more" if len(used) > 6 else "")
        return [f"this store started recording {names} after {self.as_of:%Y-%m-%d} (on {first:%Y-%m-%d}): shown as "
                "published by then (release dates or the publishers' release lags), in the earliest vintage stored"]

    # ------------------------------------------------------------- the query
    def _read(self, ids: list[str]) -> "tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]":
        """The rows of ``ids`` known at ``as_of``, one per (series, date), sorted, as column arrays
        (``ref_date, value, period_start, released, seen_at``; NULL = NaN/NaT); with the sorted series
        codes and their ids. One plain scan: picking the vintage in numpy is several times faster than
        a window function, and numpy arrays skip building a DataFrame."""
        import numpy as np

        # each row carries the position of its id in ``ids`` (an integer: no string column to build)
        sql = """SELECT k.code, o.ref_date, o.value, o.period_start, o.released, o.seen_at FROM observations o
                 JOIN (SELECT unnest(?::VARCHAR[]) AS id, unnest(range(len(?::VARCHAR[]))) AS code) k
                   ON o.series_id = k.id"""
        params: list[object] = [ids, ids]
        if self.as_of is not None:
            sql += " WHERE o.ref_date <= ?::DATE"
            params.append(self.as_of.date())
        fetched = self.store.con.execute(sql, params).fetchnumpy()
        cols = {c: _filled(fetched[c]) for c in READ_COLUMNS}
        codes, uniques = _filled(fetched["code"]).astype(np.int64), np.asarray(ids, dtype=object)
        days = cols["ref_date"].astype("datetime64[D]").astype(np.int64)
        seen = cols["seen_at"].astype("datetime64[us]").astype(np.int64)
        order = np.lexsort((seen, days, codes))
        codes, days, seen = codes[order], days[order], seen[order]
        cols = {c: a[order] for c, a in cols.items()}
        if self.as_of is not None:
            keep = self._known(cols, codes, np.asarray(uniques), days, seen)
        else:
            keep = np.ones(len(codes), dtype=bool)
        # the newest vintage per (series, date) among those kept: the last kept row of each key
        idx = np.flatnonzero(keep)
        k_codes, k_days = codes[idx], days[idx]
        last = np.r_[(k_codes[1:] != k_codes[:-1]) | (k_days[1:] != k_days[:-1]), True] if len(idx) else np.array([], bool)
        idx = idx[last]
        return {c: a[idx] for c, a in cols.items()}, codes[idx], np.asarray(uniques)

    def _known(self, cols: "dict[str, np.ndarray]", codes: "np.ndarray", uniques: "np.ndarray", days: "np.ndarray",
               seen: "np.ndarray") -> "np.ndarray":
        """Rows usable at ``as_of`` (module doc): for series recorded by then, vintages
        seen by then; for the others, the earliest vintage of each figure published by then."""
        import numpy as np
        import pandas as pd

        from yenflow.release_calendar import known_from

        assert self.as_of is not None  # only called for point-in-time reads
        as_of_us = np.int64(pd.Timestamp(self.as_of).value // 1000)
        first_seen = np.full(len(uniques), np.iinfo(np.int64).max)
        np.minimum.at(first_seen, codes, seen)
        recorded = first_seen[codes] <= as_of_us
        keep = recorded & (seen <= as_of_us)
        rebuilt = np.flatnonzero(~recorded)
        if len(rebuilt):
            # earliest vintage per figure: the first row of each (series, date) key
            first_of_key = np.r_[True, (codes[1:] != codes[:-1]) | (days[1:] != days[:-1])]
            rebuilt = rebuilt[first_of_key[rebuilt]]
            cat = self.catalog()
            part = pd.DataFrame({"ref_date": cols["ref_date"][rebuilt], "released": cols["released"][rebuilt]})
            source = pd.Series([cat[str(uniques[c])][1] for c in codes[rebuilt]], index=part.index)
            known = pd.Series(pd.NaT, index=part.index, dtype="datetime64[ns]")
            for src, idx in source.groupby(source).groups.items():
                known.loc[idx] = known_from(str(src), part.loc[idx, "ref_date"]).to_numpy()
            released = pd.to_datetime(part["released"])
            known = released.where(released.notna(), known)
            keep[rebuilt] = (known <= pd.Timestamp(self.as_of.date())).to_numpy()
            for c in np.unique(codes[~recorded]):
                self._stand_ins[str(uniques[c])] = pd.Timestamp(int(first_seen[c]), unit="us").date()
        result: "np.ndarray" = keep
        return result

#: the columns a snapshot read returns, as arrays
READ_COLUMNS = ("ref_date", "value", "period_start", "released", "seen_at")


def _filled(column: Any) -> "np.ndarray":
    """A fetched column with NULLs as NaN/NaT (DuckDB returns masked arrays where a column has NULLs)."""
    import numpy as np

    if not np.ma.isMaskedArray(column):
        return np.asarray(column)
    kind = column.dtype.kind
    fill = np.datetime64("NaT") if kind == "M" else np.nan if kind == "f" else None
    if fill is None:
        raise YenflowError(f"unexpected NULL in a {column.dtype} column of the observations table")
    return np.ma.filled(column, fill)


def make_result(market: "Market | None", view: str, title: str, params: Any, tables: "Iterable[Any]",
                conventions: Iterable[str] = (), warnings: Iterable[str] = ()) -> "Any":
    """A :class:`~yenflow.views.result.ViewResult` with the snapshot's inputs and warnings added."""
    from yenflow.views.result import ViewResult

    snapshot_warnings = market.warnings() if market is not None else []
    return ViewResult(
        view=view, title=title, params=params.as_dict(), as_of=None if market is None else market.as_of,
        tables=tuple(tables), conventions=tuple(c for c in conventions if c),
        warnings=tuple(dict.fromkeys([*warnings, *snapshot_warnings])),
        inputs=market.inputs() if market is not None else (),
    )
