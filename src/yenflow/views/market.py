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
    import pandas as pd

    from yenflow.store import Store
    from yenflow.views.result import Input


class MissingInputError(YenflowError):
    """A view needs a series the store does not have (or not as of the date asked)."""


class Market:
    """Point-in-time, cached reads of stored series for one view run."""

    def __init__(self, store: "Store", as_of: datetime | date | None = None) -> None:
        from yenflow.views.params import parse_datetime

        self.store = store
        self.as_of: datetime | None = None if as_of is None else parse_datetime(as_of, "--as-of")
        self._catalog: dict[str, dict[str, Any]] | None = None
        self._frames: dict[str, "pd.DataFrame"] = {}
        self._series: dict[str, "pd.Series"] = {}
        self._roles: dict[str, str] = {}
        self._stand_ins: dict[str, date] = {}  # series read in a vintage first recorded after as_of

    # ------------------------------------------------------------------ catalog
    def catalog(self) -> dict[str, dict[str, Any]]:
        """Every catalog row by id (one query per snapshot)."""
        if self._catalog is None:
            rows = self.store.con.execute(
                "SELECT id, source, name, unit, frequency, description, notes, user_imported FROM series").fetchall()
            cols = ("id", "source", "name", "unit", "frequency", "description", "notes", "user_imported")
            self._catalog = {r[0]: dict(zip(cols, r)) for r in rows}
        return self._catalog

    def has(self, series_id: str) -> bool:
        return series_id in self.catalog()

    def info(self, series_id: str) -> dict[str, Any]:
        try:
            return self.catalog()[series_id]
        except KeyError:
            raise UnknownSeriesError(series_id) from None

    def ids(self, prefix: str = "", pattern: str | None = None) -> list[str]:
        """Catalog ids starting with ``prefix`` (and matching the regex ``pattern``), sorted."""
        import re

        rx = re.compile(pattern) if pattern else None
        return sorted(i for i in self.catalog() if i.startswith(prefix) and (rx is None or rx.search(i)))

    # -------------------------------------------------------------------- reads
    def load(self, series_ids: Iterable[str]) -> None:
        """Read every id not yet cached in one query (unknown ids are skipped)."""
        todo = [s for s in dict.fromkeys(series_ids) if s not in self._frames and self.has(s)]
        if not todo:
            return
        long = self._read(todo)
        groups = dict(tuple(long.groupby("series_id", sort=False))) if len(long) else {}
        empty = long.iloc[:0]
        for sid in todo:
            self._frames[sid] = groups.get(sid, empty).drop(columns="series_id").reset_index(drop=True)

    def observations(self, series_ids: Iterable[str], role: str = "") -> "pd.DataFrame":
        """Long frame (series_id, ref_date, value, period_start, released, seen_at) of the ids."""
        import pandas as pd

        ids = list(series_ids)
        for sid in ids:
            self.info(sid)
        self.load(ids)
        for sid in ids:
            self._use(sid, role)
        parts = [self._frames[sid].assign(series_id=sid) for sid in ids]
        cols = ["series_id", "ref_date", "value", "period_start", "released", "seen_at"]
        if not parts:
            return pd.DataFrame(columns=cols)
        return pd.concat(parts, ignore_index=True)[cols]

    def series(self, series_id: str, role: str = "") -> "pd.Series":
        """One series (float values on a DatetimeIndex ``ref_date``); ``attrs``
        holds its catalog row. Raises :class:`UnknownSeriesError` if not stored."""
        import pandas as pd

        self.info(series_id)
        self._use(series_id, role)
        if series_id not in self._series:
            self.load([series_id])
            f = self._frames[series_id]
            s = pd.Series(f["value"].to_numpy(dtype="float64"),
                          index=pd.DatetimeIndex(f["ref_date"], name="ref_date"), name=series_id)
            s.attrs = dict(self.info(series_id))
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

    # ------------------------------------------------------------------ inputs
    def _use(self, series_id: str, role: str) -> None:
        if series_id not in self._roles or (role and not self._roles[series_id]):
            self._roles[series_id] = role

    def inputs(self) -> "tuple[Input, ...]":
        """Every series read so far, with unit, last date and source."""
        from yenflow.views.result import Input

        out = []
        for sid, role in self._roles.items():
            meta = self.info(sid)
            f = self._frames.get(sid)
            last = None
            if f is not None and len(f):
                last = f["ref_date"].max().date()
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
    def _read(self, ids: list[str]) -> "pd.DataFrame":
        if self.as_of is None:
            sql = """SELECT series_id, ref_date, value, period_start, released, seen_at FROM observations
                     WHERE series_id IN (SELECT unnest(?::VARCHAR[]))
                     QUALIFY row_number() OVER (PARTITION BY series_id, ref_date ORDER BY seen_at DESC) = 1
                     ORDER BY series_id, ref_date"""
            df = self.store.con.execute(sql, [ids]).df()
            return _typed(df)
        sql = """SELECT series_id, ref_date, value, period_start, released, seen_at,
                        min(seen_at) OVER (PARTITION BY series_id) AS first_seen
                 FROM observations
                 WHERE series_id IN (SELECT unnest(?::VARCHAR[])) AND ref_date <= ?::DATE
                 QUALIFY row_number() OVER (PARTITION BY series_id, ref_date
                     ORDER BY (seen_at <= ?) DESC,
                              CASE WHEN seen_at <= ? THEN seen_at END DESC NULLS LAST,
                              seen_at ASC) = 1
                 ORDER BY series_id, ref_date"""
        df = _typed(self.store.con.execute(sql, [ids, self.as_of.date(), self.as_of, self.as_of]).df())
        return self._published(df)

    def _published(self, df: "pd.DataFrame") -> "pd.DataFrame":
        """The rows known at ``as_of`` (module doc); notes the reconstructed series."""
        import pandas as pd

        from yenflow.release_calendar import known_from

        if df.empty:
            return df.drop(columns="first_seen")
        as_of = pd.Timestamp(self.as_of)
        recorded = df["first_seen"] <= as_of
        keep = recorded & (df["seen_at"] <= as_of)
        rebuilt = df[~recorded]
        if len(rebuilt):
            cat = self.catalog()
            source = rebuilt["series_id"].map(lambda s: cat[s]["source"])
            known = pd.Series(pd.NaT, index=rebuilt.index, dtype="datetime64[ns]")
            for src, idx in source.groupby(source).groups.items():
                known.loc[idx] = known_from(str(src), rebuilt.loc[idx, "ref_date"]).to_numpy()
            released = pd.to_datetime(rebuilt["released"])
            known = released.where(released.notna(), known)
            keep.loc[rebuilt.index] = (known <= pd.Timestamp(self.as_of.date())).to_numpy()
            first = rebuilt.groupby("series_id")["first_seen"].min()
            for sid, ts in first.items():
                self._stand_ins[str(sid)] = pd.Timestamp(ts).date()
        return df[keep.to_numpy()].drop(columns="first_seen").reset_index(drop=True)


def _typed(df: "pd.DataFrame") -> "pd.DataFrame":
    import pandas as pd

    df["ref_date"] = pd.to_datetime(df["ref_date"])
    return df


def open_market(store: "Store", as_of: Any = None) -> Market:
    return Market(store, as_of)


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
