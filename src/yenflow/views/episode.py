"""Markets around an episode: every market the store has over a window and over the same
length before it, and what the store lacks for that window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from yenflow.views.market import make_result
from yenflow.views.params import ParamError, ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

PresetName = Literal["aug-2024", "liberation-day", "jun-2026"]


@dataclass(frozen=True)
class EpisodeParams(ViewParams):
    start: date | None = opt(None, "First day of the window, YYYY-MM-DD", argument=True)
    end: date | None = opt(None, "Last day of the window, YYYY-MM-DD (included)", argument=True)
    preset: PresetName | None = opt(None, "A named episode instead of START END: aug-2024 (the carry unwind), "
                                          "liberation-day (April 2025 tariffs), jun-2026")

    def check(self) -> None:
        if self.preset is not None and (self.start is not None or self.end is not None):
            raise ParamError("--preset", "give either --preset or START END, not both")
        if self.preset is None and (self.start is None or self.end is None):
            raise ParamError("START END", "give the window's first and last day (YYYY-MM-DD), or --preset "
                                          "aug-2024|liberation-day|jun-2026")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ParamError("END", f"{self.end} is before START {self.start}")


@view("episode", EpisodeParams, "Markets around an episode: USD/JPY, JGB and UST yields, Nikkei, TOPIX, S&P 500, "
      "VIX, CFTC positioning, weekly flows and intervention over a window and the same length before it; what "
      "the store lacks is listed.", "yenflow episode --preset aug-2024")
def episode(market: "Market", p: EpisodeParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics import episode as ep
    from yenflow.views.result import Chart, Table

    if p.preset:
        preset = ep.PRESETS[p.preset]
        start, end, title = preset.start, preset.end, preset.title
    else:
        start, end, title = p.start, p.end, ""
    ids = [c for m in ep.MARKETS for c in m.candidates]
    market.load(ids)
    series = {c: market.series(c, role=m.name) for m in ep.MARKETS for c in m.candidates if market.has(c)}
    table, lacking = ep.episode_table(series, start, end)
    a = table.attrs
    span = f"{a['start']:%Y-%m-%d} → {a['end']:%Y-%m-%d}"
    prior = f"{a['prior_start']:%Y-%m-%d} → {a['prior_end']:%Y-%m-%d}"
    conventions = [
        f"window {span} ({(a['end'] - a['start']).days + 1} calendar days, both ends included); prior window "
        f"{prior}, the same length just before it" + (f"; {p.preset}: {title}" if p.preset else ""),
        "levels: change from the last observation before the window (start_date) to the last on or before its end "
        f"(end_date); USD/JPY and equity indices in %, yields in bp, VIX in index points, CFTC net positions in "
        f"contracts (+ = towards net long yen); a base more than {ep.STALE_DAYS} days before the window, or no "
        "observation inside it, puts the market in the lacking list",
        "flows: sum in ¥bn of the periods overlapping the window (a weekly figure counts when its 7 days ending on "
        "its date overlap it; a week straddling the window's start counts in both windows); intervention sums "
        "operation days inside the window (0 when none) while the ledger covers it",
        "USD/JPY: H.10 noon New York; JGB: MOF constant-maturity; UST: Treasury par curve, then H.15 CMT; Nikkei: "
        "Nikkei's file, then FRED's copy; S&P 500 and VIX: FRED; CFTC: report (Tuesday) dates; MOF flows: + = net "
        "buying, Sunday–Saturday weeks",
    ]
    warnings = []
    if lacking:
        warnings.append(f"{len(lacking)} of {len(ep.MARKETS)} markets have no data for {span}: "
                        + ", ".join(m for m, _ in lacking) + " (why: the 'lacking' table)")
    third = sorted({s for s in table["series"] for sid in s.split("+") if sid.startswith("user.")})
    if third:
        warnings.append("user-imported (third-party) series used: " + ", ".join(third))
    units = {"market": "text", "series": "text", "level_unit": "text", "change_unit": "text", "start_date": "date",
             "start_value": "per row: level_unit", "end_date": "date", "end_value": "per row: level_unit",
             "change": "per row: change_unit", "prior_change": "per row: change_unit", "note": "text"}
    missing = pd.DataFrame(lacking, columns=["market", "why"])
    tables = [
        Table("markets", table, units, title=f"Markets over {span} and the {prior} before"
              + (f" — {title}" if title else ""), date_column="end_date",
              decimals={"change": 2, "prior_change": 2, "start_value": 3, "end_value": 3},
              chart=Chart("bar", x="market", y=("change", "prior_change"), y_title="change (unit per row)",
                          zero_line=True, events=False)),
        Table("lacking", missing, {"market": "text", "why": "text"},
              title=f"What the store lacks for {span}"),
    ]
    return make_result(market, "episode", "Markets around an episode" + (f": {p.preset}" if p.preset else ""),
                       p, tables, conventions, warnings)
