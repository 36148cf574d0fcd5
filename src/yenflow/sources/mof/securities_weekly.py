"""MOF International Transactions in Securities, weekly (``week.csv``).

対外及び対内証券売買契約等の状況（週次・指定報告機関ベース）: cross-border securities
contracts reported by designated major investors, Sunday→Saturday weeks since
2005-01-02, in **100 million yen** (億円, ``SeriesInfo.unit = "JPY 100m"``).

Series ``mof.weekly.<side>.<asset>.<measure>``:

* side ``resident`` = residents' acquisition/disposition of foreign securities
  (対外, portfolio investment assets); ``foreign`` = non-residents'
  acquisition/disposition of Japanese securities (対内, liabilities).
* asset ``equity`` (株式・投資ファンド持分), ``bonds`` (中長期債, long-term debt),
  ``bills`` (短期債, short-term debt) with measures ``acq``/``disp``/``net``;
  ``subtotal`` (equity + bonds) and ``total`` with ``net`` only.
* ``net``, ``subtotal`` and ``total``: MOF's **published** figures, stored as
  printed. Checks (else ValidationError naming the line): acq − disp within ±1
  of the published net (rounding), subtotal and total the sum of the published
  parts within ±3. Positive = net purchase.
* ``debt`` (net only, **derived by yenflow**): bonds net + bills net, long- plus
  short-term debt securities; MOF publishes no such column.
* ``ref_date`` = the Saturday ending the week, ``period_start`` = its Sunday.

File quirks handled: cp932 with an LF inside the quoted header cell
``"期間\\nPeriod"``; period labels ``2026．9．6～9．12`` with full-width
separators and drifting spaces (``2005．1．2～ 1．8``, trailing space 2017-18);
year-crossing weeks state the end year (``2006．12．31～ 2007．1．6``); numbers
``"30,037 "`` quoted with commas and a trailing space. Columns are located by
their labels; a week that is not Sunday→Saturday, or out of order, is a
ParseError naming the line. The file must end with its footnotes (備考).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source
from yenflow.sources.mof import its_common as its
from yenflow.sources.mof import its_table as table

if TYPE_CHECKING:
    from collections.abc import Iterator

NAME = "mof.securities_weekly"
ASSETS = ("equity", "bonds", "subtotal", "bills", "total")
_WEEK = re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})~(?:(\d{4})\.)?(\d{1,2})\.(\d{1,2})$")


def series_id(side: str, asset: str, measure: str) -> str:
    return f"mof.weekly.{side}.{asset}.{measure}"


def _week(label: str, ctx: its.Ctx, line: int) -> tuple[date, date]:
    """(Sunday, Saturday) from '2006.12.31~2007.1.6' (already normalised)."""
    m = _WEEK.match(label)
    if not m:
        raise ctx.error("a week label like 2026．9．6～9．12", label, line)
    y1, m1, d1, y2, m2, d2 = m.groups()
    try:
        start = date(int(y1), int(m1), int(d1))
        end = date(int(y2 or y1), int(m2), int(d2))
    except ValueError as e:
        raise ctx.error("a valid calendar date in the week label", label, line) from e
    if start.weekday() != 6 or end - start != timedelta(days=6):
        raise ctx.error("a Sunday→Saturday week (7 days)", label, line)
    return start, end


def _info(side: str, asset: str, measure: str) -> SeriesInfo:
    short = its.flow_text(side, asset, measure)[0]
    derived = " (derived)" if asset == its.DERIVED_DEBT else ""
    return SeriesInfo(
        id=series_id(side, asset, measure),
        name=f"MOF weekly: {short}{derived}",
        unit=its.UNIT,
        frequency="weekly",
        description=its.flow_description(
            side, asset, measure,
            "Sunday–Saturday week; ref_date = the Saturday, period_start = the Sunday"),
        notes=its.FLOW_NOTES + " The latest week is revised in the following release.",
    )


def all_series() -> list[SeriesInfo]:
    return [_info(side, asset, measure)
            for side in ("resident", "foreign") for asset, measures in its.FLOW_SERIES
            for measure in measures]


class MofSecuritiesWeekly(Source):
    """MOF weekly portfolio flows, outward and inward (``mof.weekly.*``)."""

    name = NAME
    title = "MOF International Transactions in Securities (weekly)"
    publisher = "Ministry of Finance Japan"
    max_age_days = 10
    version = 2  # 2: nets as MOF prints them; derived debt (bonds + bills) net
    files = (FileSpec("week", its.BASE_URL + "week.csv", its.FOLDER + "week.csv",
                      (its.FOLDER + "week.csv",)),)

    def parse(self, raw: bytes, filename: str) -> Parsed:
        import numpy as np

        ctx = its.Ctx(NAME, filename)
        rows = its.read_rows(raw, ctx)
        its.check_unit(rows, ctx)
        layout = its.locate_flows(rows, ctx, ASSETS)
        weeks = list(_week_rows(rows, layout, ctx))
        keys, cols = list(layout.cols), list(layout.cols.values())
        values, blank = table.read_figures(
            [w[1] for w in weeks], cols, [w[0] for w in weeks], ctx, missing_ok=False,
            describe=lambda j: f"a number for {'.'.join(keys[j])} (column {cols[j] + 1})")
        if blank.any():  # all-blank weeks: not yet published, only at the end
            first = int(np.argmax(blank))
            if not blank[first:].all():
                i = first + int(np.argmax(~blank[first:]))
                raise ctx.error(f"no figures after the blank week of {weeks[first][2]}",
                                str(weeks[i][2]), weeks[i][0])
        kept = [w for w, b in zip(weeks, blank) if not b]
        fig = table.Figures(keys, values[~blank], np.array([w[0] for w in kept], dtype=np.int64))
        table.check_nets(fig, ctx, lambda p: " ".join(p), lambda p: its.NET_TOLERANCE)
        table.check_flow_sums(fig, ctx)
        table.add_derived_debt(fig)
        starts = np.array([w[2] for w in kept], dtype="datetime64[D]")
        ends = np.array([w[3] for w in kept], dtype="datetime64[D]")
        obs = table.frame(fig, lambda k: series_id(*k), starts, ends)
        return Parsed(obs, all_series(), published=its.last_updated(rows))


def _week_rows(rows: list[its.Row], layout: its.FlowLayout,
               ctx: its.Ctx) -> Iterator[tuple[int, list[str], date, date]]:
    """(line, cells, Sunday, Saturday) of each week row, in order, up to the footnotes."""
    label_end = min(layout.first_value.values())
    previous: date | None = None
    for line, cells in rows[layout.data_start:]:
        label = its.norm("".join(cells[:label_end]))
        if label.startswith(its.FOOTER):
            break
        if not _WEEK.match(label) and not its.has_digit(cells[label_end:]):
            continue  # blank or English header row
        its.check_width(cells, layout.width, ctx, line)
        start, end = _week(label, ctx, line)
        if previous is not None and start <= previous:
            raise ctx.error(f"a week after the one starting {previous}", label, line)
        previous = start
        yield line, cells, start, end
    else:
        raise ctx.error("the footnotes (備考) after the last week (truncated file?)",
                        row=rows[-1][0])
    if previous is None:
        raise ctx.error("at least one week row after the header", row=rows[-1][0])
