"""Bring-your-own series: a CSV or XLSX a user has (a Bloomberg export, a
basis series, forward points, a third-party re-export) stored with the same
vintage rules as official data and marked user-imported in the catalog.

The import parameters are archived with the raw file, so ``yenflow rebuild``
re-parses it exactly as imported.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from yenflow.errors import ParseError
from yenflow.sources.base import Parsed, SeriesInfo, Source

MISSING = {"", ".", "-", "--", "na", "n/a", "#n/a", "nan", "null", "none"}


@dataclass
class ImportSpec:
    """How to read one series out of a user file.

    ``scale`` multiplies every value (e.g. 10 turns JPY bn into JPY 100m);
    ``where`` keeps rows whose column equals a value; ``negate_where`` flips
    the sign of rows matching (e.g. direction=sell_JPY_buy_USD).
    """

    series_id: str
    unit: str
    name: str | None = None
    frequency: str = "unknown"
    date_col: str | None = None
    value_col: str | None = None
    source_text: str = "user import"
    sheet: str | None = None
    scale: float = 1.0
    where: dict[str, str] = field(default_factory=dict)
    negate_where: dict[str, str] = field(default_factory=dict)
    sum_duplicates: bool = False  # add up rows sharing a date (flows, not levels)

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> "ImportSpec":
        return cls(**params)


class UserImport(Source):
    name = "user"
    title = "User-imported series"
    publisher = "user"
    files = ()
    max_age_days = 10**6

    def __init__(self, spec: ImportSpec) -> None:
        import hashlib
        import json
        from dataclasses import asdict

        self.spec = spec
        self.name = f"user:{spec.series_id}"  # type: ignore[misc]
        # the same file imported with other options must be parsed again
        key = json.dumps(asdict(spec), sort_keys=True).encode()
        self.version = int(hashlib.sha256(key).hexdigest()[:7], 16)  # type: ignore[misc]

    def parse(self, raw: bytes, filename: str) -> Parsed:
        df = _read_table(raw, filename, self.spec.sheet, self.name)
        return Parsed(_tidy(df, self.spec, filename, self.name), [self._info()])

    def _info(self) -> SeriesInfo:
        s = self.spec
        return SeriesInfo(
            id=s.series_id,
            name=s.name or s.series_id,
            unit=s.unit,
            frequency=s.frequency,
            description=f"User-imported series. Source: {s.source_text}",
            notes="user-imported: not an official yenflow source; check provenance before use",
        )


def user_source(params: dict[str, Any]) -> UserImport:
    return UserImport(ImportSpec.from_params(params))


def _read_table(raw: bytes, filename: str, sheet: str | None, source: str) -> Any:
    import pandas as pd

    from yenflow.sources import zipsafe

    is_excel = raw[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0") or filename.lower().endswith((".xlsx", ".xls"))
    if is_excel and zipsafe.is_zip(raw, filename):
        zipsafe.check(raw, filename, source=source)  # before calamine inflates anything
    try:
        if is_excel:
            return pd.read_excel(io.BytesIO(raw), sheet_name=sheet or 0, engine="calamine", dtype=str)
        text = _decode(raw)
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (ValueError, KeyError, pd.errors.ParserError) as e:
        raise ParseError(source, filename, "a CSV or XLSX table with a header row", str(e)) from e


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _column(df: Any, wanted: str | None, fallback: int, what: str, source: str, filename: str) -> str:
    cols = [str(c) for c in df.columns]
    if wanted is None:
        if len(cols) <= fallback:
            raise ParseError(source, filename, f"a {what} column (column {fallback + 1})", cols, row=1)
        return cols[fallback]
    if wanted not in cols:
        raise ParseError(source, filename, f"a {what} column named {wanted!r}", cols, row=1)
    return wanted


def _tidy(df: Any, spec: ImportSpec, filename: str, source: str) -> Any:
    import pandas as pd

    dcol = _column(df, spec.date_col, 0, "date", source, filename)
    vcol = _column(df, spec.value_col, 1, "value", source, filename)
    keep = pd.Series(True, index=df.index)
    for col, val in spec.where.items():
        _column(df, col, 0, "filter", source, filename)
        keep &= df[col].astype(str).str.strip() == val
    negate = pd.Series(False, index=df.index)
    for col, val in spec.negate_where.items():
        _column(df, col, 0, "sign", source, filename)
        negate |= df[col].astype(str).str.strip() == val
    rows = []
    for i in df.index[keep]:
        text = str(df.at[i, vcol]).strip().replace(",", "")
        if text.lower() in MISSING:
            continue
        line = int(i) + 2  # 1-based, after the header row
        try:
            value = float(text)
        except ValueError:
            raise ParseError(source, filename, f"a number in column {vcol!r}", text, row=line) from None
        try:
            when = pd.Timestamp(str(df.at[i, dcol]).strip())
        except ValueError:
            raise ParseError(source, filename, f"a date in column {dcol!r}", df.at[i, dcol], row=line) from None
        if pd.isna(when):
            raise ParseError(source, filename, f"a date in column {dcol!r}", df.at[i, dcol], row=line)
        rows.append((when.normalize(), -value * spec.scale if negate[i] else value * spec.scale))
    out = pd.DataFrame(rows, columns=["ref_date", "value"])
    out = out.groupby("ref_date", as_index=False)["value"].sum() if spec.sum_duplicates else out
    out.insert(0, "series_id", spec.series_id)
    out["ref_date"] = pd.to_datetime(out["ref_date"]).astype("datetime64[ns]")
    return out
