"""The "sell Japan" composite (``yenflow signals``) and its backtest
(``yenflow backtest``), point in time by construction.

:func:`build` reads every stored vintage of the inputs once
(:meth:`Market.vintage_rows`) and computes each raw part on a daily grid of
business days *as it would have been known on each day*
(:mod:`yenflow.analytics.pointintime`: release dates and lags before the
store was recording, the vintages it saw after), then standardises and
combines them (:mod:`yenflow.analytics.signals`). The composite on a date
is the same number whether it is asked for on its own (``--date``) or read
off the backtest's history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ParamError, ViewParams, check_range, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

#: a value older than this (calendar days from its reference date) no longer counts
MAX_AGE_DAYS = {"daily": 10, "weekly": 21, "monthly": 75, "auction": 35}
#: history the z-scores need before the first date shown (3-year window + a year of raw warm-up)
WARM_UP_DAYS = 4 * 366
#: history of the inputs read before the grid's first date (the raw parts' own look-back: 12 auctions of the
#: 40Y, auctioned every two months, span two years)
HISTORY_DAYS = 3 * 366
#: series read in full whatever the dates: auctions (each ranked among its tenor's previous 12, which took the
#: 30Y four years in the early 2000s), the BOJ target (a step: its last decision may be years old), the
#: intervention record and USD/JPY (the zone is the fixing of the last intervention, however old)
FULL_HISTORY = ("auction.", "rate.boj.", "intervention.", "user.intervention.", "fx.usdjpy")
JPY_LEGS = ("rate.jpy.tona", "user.rate.jpy.tona", "rate.jpy.3m_interbank")
INTERVENTION_IDS = ("intervention.usdjpy.amount", "user.intervention.usdjpy.amount")
FLOWS = {"foreign_bonds_sold_4w": ("mof.weekly.foreign.bonds.net", -1.0),
         "foreign_equity_sold_4w": ("mof.weekly.foreign.equity.net", -1.0),
         "resident_bonds_bought_4w": ("mof.weekly.resident.bonds.net", 1.0)}
TARGETS = (("usdjpy", "USD/JPY", "pct"), ("jgb_10y", "the JGB 10Y yield", "bp"), ("jgb_30y", "the JGB 30Y yield", "bp"),
           ("ust_10y", "the UST 10Y yield", "bp"))


def input_ids() -> list[str]:
    from yenflow.analytics.signals import AUCTION_TENORS

    ids = [f"auction.jgb.{t}.{f}" for t in AUCTION_TENORS for f in ("bid_to_cover", "tail_price", "tail_bp")]
    ids += [sid for sid, _ in FLOWS.values()]
    ids += ["jgb.10y", "jgb.30y", "ust.par.10y", "ust.cmt.10y", "ust.par.30y", "ust.cmt.30y", "ust.par.3m", "ust.cmt.3m",
            "rate.sofr", *JPY_LEGS, "fx.usdjpy", *INTERVENTION_IDS, "cot.jpy.tff.lev_funds.net", "cot.jpy.tff.open_interest",
            "rate.boj.policy_target"]
    return ids


@dataclass
class Signals:
    """Everything :func:`build` computes, on one daily grid of dates."""

    dates: "pd.DatetimeIndex"
    parts: "pd.DataFrame"  # raw parts, point in time
    part_dates: "pd.DataFrame"  # reference date of the newest input behind each part value
    z: "pd.DataFrame"  # components
    composite: "pd.Series"
    contributions: "pd.DataFrame"
    weights: dict[str, float]
    legs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Reader:
    """Point-in-time values of stored series on the grid."""

    def __init__(self, market: "Market", dates: "pd.DatetimeIndex") -> None:
        import pandas as pd

        from yenflow.analytics.pointintime import end_of_day

        self.market, self.dates = market, dates
        self.at = end_of_day(dates)
        if market.as_of is not None:  # --as-of a time of day: nothing the store saw after it
            self.at = self.at.where(self.at <= pd.Timestamp(market.as_of), pd.Timestamp(market.as_of))
        # figures from HISTORY_DAYS before the first date: what the transforms look back over (12 auctions of a
        # bi-monthly tenor, 13-week momentum, 63-day vol, 4-week sums), so a short grid reads a short history
        since = (dates[0] - pd.Timedelta(days=HISTORY_DAYS)).date() if len(dates) else None
        ids = input_ids()
        full = [sid for sid in ids if sid.startswith(FULL_HISTORY)]
        rows = pd.concat([market.vintage_rows(full, role="sell-Japan signal"),
                          market.vintage_rows([s for s in ids if s not in full], role="sell-Japan signal", since=since)])
        self.rows = {sid: g for sid, g in rows.groupby("series_id", sort=False)}

    def has(self, sid: str) -> bool:
        return sid in self.rows and not self.rows[sid].empty

    def pit(self, sid: str, max_age: int | None, transform: Any = None) -> "tuple[pd.Series, pd.Series]":
        """(values, reference dates used) on the grid; NaN when the series is not stored."""
        import numpy as np
        import pandas as pd

        from yenflow.analytics.pointintime import evaluate

        if not self.has(sid):
            return pd.Series(np.nan, index=self.dates), pd.Series(pd.NaT, index=self.dates, dtype="datetime64[ns]")
        out = evaluate(self.rows[sid], self.at, transform, max_age)
        return pd.Series(out["value"].to_numpy(), index=self.dates), pd.Series(out["ref_date"].to_numpy(), index=self.dates)

    def first_of(self, *sids: str, max_age: int) -> "tuple[pd.Series, pd.Series, list[str]]":
        """The first series (in order) with a value on each date; and which were used."""
        import numpy as np
        import pandas as pd

        value = pd.Series(np.nan, index=self.dates)
        when = pd.Series(pd.NaT, index=self.dates, dtype="datetime64[ns]")
        used = []
        for sid in sids:
            v, d = self.pit(sid, max_age)
            fill = value.isna() & v.notna()
            if fill.any():
                used.append(sid)
                value[fill], when[fill] = v[fill], d[fill]
        return value, when, used


def build(market: "Market", start: "pd.Timestamp", end: "pd.Timestamp", weights: dict[str, float]) -> Signals:
    """Raw parts, components, composite and contributions on every business
    day from ``start`` − :data:`WARM_UP_DAYS` to ``end``, each as known that day."""
    import pandas as pd

    from yenflow.analytics import signals as sg

    dates = pd.bdate_range(pd.Timestamp(start) - pd.Timedelta(days=WARM_UP_DAYS), pd.Timestamp(end))
    rd = _Reader(market, dates)
    parts: dict[str, pd.Series] = {}
    when: dict[str, pd.Series] = {}
    legs: list[str] = []
    warnings: list[str] = []
    _auctions(rd, parts, when)
    for part, (sid, sign) in FLOWS.items():
        parts[part], when[part] = rd.pit(sid, MAX_AGE_DAYS["weekly"], lambda s, sign=sign: sg.flow_sum(s, sign=sign))
    r_usd, r_jpy = _rates(rd, parts, when, legs, warnings)
    _hedged_gap(rd, parts, when, r_usd, r_jpy)
    _yen(rd, parts, when, r_usd, r_jpy, legs, warnings)
    net, net_d = rd.pit("cot.jpy.tff.lev_funds.net", MAX_AGE_DAYS["weekly"])
    oi, _ = rd.pit("cot.jpy.tff.open_interest", MAX_AGE_DAYS["weekly"])
    parts["lev_funds_net_short_pct_oi"], when["lev_funds_net_short_pct_oi"] = sg.net_short_pct_oi(net, oi), net_d
    level, level_d = rd.pit("rate.boj.policy_target", None)
    parts["boj_move_13w_steps"], when["boj_move_13w_steps"] = sg.policy_steps(level), level_d
    raw = pd.DataFrame(parts).drop(columns=[], errors="ignore")
    raw = raw.loc[:, raw.notna().any()]
    z = sg.component_values({c: raw[c] for c in raw.columns})
    comp, contrib = sg.composite(z, weights)
    return Signals(dates, raw, pd.DataFrame(when), z, comp, contrib, weights, legs, warnings)


def _auctions(rd: _Reader, parts: dict, when: dict) -> None:
    import pandas as pd

    from yenflow.analytics import signals as sg

    btc, tail, dates = {}, {}, []
    for tenor in sg.AUCTION_TENORS:
        sid = f"auction.jgb.{tenor}.bid_to_cover"
        if not rd.has(sid):
            continue
        btc[tenor], d = rd.pit(sid, MAX_AGE_DAYS["auction"], sg.auction_percentile)
        dates.append(d)
        for field_ in ("tail_price", "tail_bp"):
            if rd.has(f"auction.jgb.{tenor}.{field_}"):
                tail[tenor], _ = rd.pit(f"auction.jgb.{tenor}.{field_}", MAX_AGE_DAYS["auction"], sg.auction_percentile)
                break
    if btc:
        parts["auction_weakness_pct"] = sg.auction_weakness(btc, tail)
        when["auction_weakness_pct"] = pd.concat(dates, axis=1).max(axis=1)


def _rates(rd: _Reader, parts: dict, when: dict, legs: list[str], warnings: list[str]) -> "tuple[pd.Series, pd.Series]":
    """The USD 3M rate (ACT/360) and the JPY short rate, point in time, with the legs named."""
    tbill, _, used_usd = rd.first_of("ust.par.3m", "ust.cmt.3m", max_age=MAX_AGE_DAYS["daily"])
    sofr, _ = rd.pit("rate.sofr", MAX_AGE_DAYS["daily"])
    r_usd = (tbill * 360.0 / 365.0).combine_first(sofr)
    stand_in = tbill.isna() & sofr.notna() & (tbill.index > tbill.last_valid_index()) if tbill.notna().any() else sofr.notna()
    daily, _, used_d = rd.first_of(*JPY_LEGS[:2], max_age=MAX_AGE_DAYS["daily"])
    monthly, _ = rd.pit(JPY_LEGS[2], MAX_AGE_DAYS["monthly"])
    r_jpy = daily.combine_first(monthly)
    jpy_words = [*used_d, *([f"{JPY_LEGS[2]} (OECD 3M interbank, monthly average)"] if monthly.notna().any() else [])]
    legs.append("r$ = 3M T-bill (" + " then ".join(used_usd or ["not stored"]) + "; bond-equivalent × 360/365 to "
                "ACT/360), overnight SOFR where no bill yield is current; r¥ = " + " then ".join(jpy_words or ["not stored"])
                + " (ACT/365F)")
    if stand_in.any():
        first = stand_in[stand_in].index[0]
        warnings.append(f"r$ from {first:%Y-%m-%d}: overnight SOFR stands in for the 3M T-bill, whose stored series "
                        "ends earlier")
    if not used_d and monthly.notna().any():
        warnings.append("r¥ is the fallback rate.jpy.3m_interbank (OECD monthly average, bank credit): no daily TONA is "
                        "stored; import one (README) for a desk-quality hedge cost")
    return r_usd, r_jpy


def _hedged_gap(rd: _Reader, parts: dict, when: dict, r_usd: "pd.Series", r_jpy: "pd.Series") -> None:
    import pandas as pd

    from yenflow.analytics import signals as sg

    for tenor in (10, 30):
        ust, ust_d, _ = rd.first_of(f"ust.par.{tenor}y", f"ust.cmt.{tenor}y", max_age=MAX_AGE_DAYS["daily"])
        jgb, jgb_d = rd.pit(f"jgb.{tenor}y", MAX_AGE_DAYS["daily"])
        ok = ust.notna() & jgb.notna() & r_usd.notna() & r_jpy.notna()
        if not ok.any():
            continue
        name = f"hedged_gap_{tenor}y_bp"
        parts[name] = sg.hedged_gap_bp(ust.where(ok), jgb, r_usd, r_jpy).where(ok)
        when[name] = pd.concat([ust_d, jgb_d], axis=1).min(axis=1).where(ok)


def _yen(rd: _Reader, parts: dict, when: dict, r_usd: "pd.Series", r_jpy: "pd.Series", legs: list[str],
         warnings: list[str]) -> None:
    from yenflow.analytics import signals as sg
    from yenflow.analytics.carry import realised_vol

    daily = MAX_AGE_DAYS["daily"]
    spot, spot_d = rd.pit("fx.usdjpy", daily)
    parts["usdjpy_13w_pct"], when["usdjpy_13w_pct"] = rd.pit("fx.usdjpy", daily, sg.momentum_pct)
    zone = _intervention_zone(rd, legs, warnings)
    if zone is not None:
        parts["usdjpy_vs_intervention_pct"] = sg.distance_pct(spot, zone).where(zone.notna())
        when["usdjpy_vs_intervention_pct"] = spot_d.where(zone.notna())
    vol, vol_d = rd.pit("fx.usdjpy", daily, lambda s: realised_vol(s, 63))
    parts["carry_to_vol63"] = (r_usd - r_jpy) / vol.where(vol > 0)
    when["carry_to_vol63"] = vol_d.where(parts["carry_to_vol63"].notna())


def _intervention_zone(rd: _Reader, legs: list[str], warnings: list[str]) -> "pd.Series | None":
    """USD/JPY fixing on the last yen-buying intervention day whose record had
    been published by each date (MOF's calendar: daily detail after the
    quarter), official figures first, then an imported history."""
    import pandas as pd

    from yenflow.analytics.signals import latest_known
    from yenflow.release_calendar import known_from

    got = [rd.rows[s] for s in INTERVENTION_IDS if rd.has(s)]
    if not got or not rd.has("fx.usdjpy"):
        warnings.append("yen_weakness uses USD/JPY momentum only: no intervention record in the store (run `yenflow "
                        "update mof.intervention`, or import MOF's history: README)")
        return None
    ops = pd.concat(got).sort_values("seen_at").drop_duplicates("ref_date", keep="first")
    bought = ops[ops["value"] > 0]
    fx = rd.rows["fx.usdjpy"].sort_values("seen_at").drop_duplicates("ref_date", keep="first").set_index("ref_date")["value"]
    fx = fx.sort_index()
    levels = pd.Series(fx.reindex(fx.index.union(bought["ref_date"])).ffill().reindex(bought["ref_date"]).to_numpy(),
                       index=pd.DatetimeIndex(bought["ref_date"]))
    known = known_from("mof.intervention", bought["ref_date"]).to_numpy()
    released = pd.to_datetime(bought["released"]).to_numpy()
    known = pd.Series(released).where(pd.notna(released), pd.Series(known)).to_numpy()
    legs.append("intervention zone: USD/JPY (first published H.10 fixing) on the last yen-buying intervention day, counted "
                "from when MOF's daily record of it was due (about 6 weeks after the quarter), official and imported alike")
    return latest_known(levels, pd.Series(known, index=levels.index), rd.dates)


# ===================================================================== views

@dataclass(frozen=True)
class SignalsParams(ViewParams):
    date: date | None = opt(None, "Date of the signal (default: the as-of date, else the latest market date in the store)")
    components: bool = opt(False, "Show what drives it: every component, its parts and their history")
    last: int = opt(13, "Weeks of history to show", minimum=1, maximum=2000)
    weights: str | None = opt(None, "TOML file of component weights (default: signal_weights.toml shipped with yenflow)")

    def check(self) -> None:
        if self.date is not None and self.as_of is not None and self.date > self.as_of.date():
            raise ParamError("--date", f"{self.date} is after --as-of {self.as_of:%Y-%m-%d}: a signal cannot use "
                                       "figures published later")


def load_weights(path: str | None) -> "tuple[dict[str, float], str]":
    """Weights from ``path`` (or the shipped file) and a label for conventions."""
    from pathlib import Path

    from yenflow.analytics import signals as sg

    if path is None:
        return sg.default_weights(), f"the default {sg.DEFAULT_WEIGHTS_FILE} (every component 1)"
    p = Path(path).expanduser()
    if not p.is_file():
        raise ParamError("--weights", f"{path!r} is not a file")
    try:
        return sg.parse_weights(p.read_text(encoding="utf-8"), p.name), str(p)
    except sg.WeightsError as e:
        raise ParamError("--weights", str(e)) from None
    except UnicodeDecodeError:
        raise ParamError("--weights", f"{p.name} is not UTF-8 text") from None


def signal_date(market: "Market", requested: date | None) -> "pd.Timestamp":
    import pandas as pd

    from yenflow.views.monitor import monitor_date

    return pd.Timestamp(requested) if requested is not None else monitor_date(market)


def conventions_for(sig: Signals, weights_label: str) -> list[str]:
    from yenflow.analytics.signals import COMPONENTS

    used = [f"{c.name} {sig.weights.get(c.name, 0):g}" for c in COMPONENTS]
    return [
        "point in time: every input counts from the day it was published (release dates, else the publisher's "
        "release lag: MOF weekly flows the Thursday after the week, CFTC the Friday after the Tuesday, JGB auctions "
        "the same day, BOJ decisions their date…) and, once this store was recording it, from when the store saw "
        "it, in the vintage seen by then",
        "component = mean of its parts' z-scores: (x − mean)/std over the 3 calendar years to each date as known "
        "then (≥ 252 business days; clipped ±4); boj_policy is in 25 bp steps over 13 weeks instead; positive = "
        "pressure to sell Japan",
        f"composite = Σ weight·z / Σ weight over the components with a value (needs half the weight); weights: "
        f"{', '.join(used)} ({weights_label}); contribution = weight·z / Σ weight (they add up to the composite)",
        "a value whose newest input is older than 10 days (daily data), 21 days (weekly), 35 days (auctions) or 75 "
        "days (monthly) no longer counts",
        *sig.legs,
        "flows in JPY 100m as MOF publishes them (+ = net buying); yields in %, gaps in bp; USD/JPY in yen per dollar",
    ]


def _at(sig: Signals, when: "pd.Timestamp") -> "pd.Timestamp":
    import pandas as pd

    upto = sig.dates[sig.dates <= when]
    if not len(upto):
        raise MissingInputError(f"no business day on or before {when:%Y-%m-%d}")
    return pd.Timestamp(upto[-1])


def _weekly(index: "pd.DatetimeIndex", when: "pd.Timestamp", last: int) -> "pd.DatetimeIndex":
    """The last ``last`` Fridays up to ``when``, and ``when`` itself."""
    import pandas as pd

    fridays = index[(index.day_of_week == 4) & (index <= when)]
    return pd.DatetimeIndex(fridays[-last:]).union(pd.DatetimeIndex([when]))


def _composite_table(sig: Signals, rows: "pd.DatetimeIndex") -> "pd.DataFrame":
    import pandas as pd

    from yenflow.analytics import context

    comp = sig.composite
    pct = context.percentile(comp.dropna(), at=rows, window="1095D", min_periods=252)
    contrib = sig.contributions.reindex(rows)
    top = contrib.abs().idxmax(axis=1, skipna=True) if contrib.notna().any().any() else pd.Series(None, index=rows)
    out = pd.DataFrame({"composite": comp.reindex(rows), "percentile_3y": pct.reindex(rows),
                        "components": sig.z.reindex(rows).notna().sum(axis=1)}, index=rows)
    out["top_driver"] = [t if isinstance(t, str) else "" for t in top.reindex(rows)]
    out["top_contribution"] = [contrib.at[d, t] if isinstance(t, str) else float("nan") for d, t in zip(rows, out["top_driver"])]
    out.index.name = "date"
    return out


def _components_table(sig: Signals, when: "pd.Timestamp") -> "pd.DataFrame":
    import pandas as pd

    from yenflow.analytics.signals import COMPONENTS

    rows = []
    for c in COMPONENTS:
        z = sig.z.at[when, c.name] if c.name in sig.z else float("nan")
        dates = [sig.part_dates.at[when, p.name] for p in c.parts if p.name in sig.part_dates]
        dates = [d for d in dates if pd.notna(d)]
        rows.append({"component": c.name, "z": z, "weight": sig.weights.get(c.name, 0.0),
                     "contribution": sig.contributions.at[when, c.name] if c.name in sig.contributions else float("nan"),
                     "newest_input": min(dates) if dates else pd.NaT, "what": c.title})
    out = pd.DataFrame(rows)
    return out.sort_values("contribution", key=lambda s: -s.abs().fillna(-1), kind="stable").reset_index(drop=True)


def _parts_table(sig: Signals, when: "pd.Timestamp") -> "pd.DataFrame":
    import pandas as pd

    from yenflow.analytics.signals import COMPONENTS, standardise

    rows = []
    for c in COMPONENTS:
        for p in c.parts:
            have = p.name in sig.parts
            raw = sig.parts.at[when, p.name] if have else float("nan")
            z = standardise(sig.parts[p.name]).at[when] if have and c.standardised else (raw if have else float("nan"))
            rows.append({"component": c.name, "part": p.name, "raw": raw, "unit": p.unit, "z": z,
                         "input_date": sig.part_dates.at[when, p.name] if have else pd.NaT, "definition": p.words})
    return pd.DataFrame(rows)


def _component_history(sig: Signals, comp: Any, rows: "pd.DatetimeIndex") -> "tuple[pd.DataFrame, dict[str, str]]":
    import pandas as pd

    out = pd.DataFrame({"z": sig.z[comp.name].reindex(rows) if comp.name in sig.z else float("nan"),
                        "contribution": sig.contributions[comp.name].reindex(rows) if comp.name in sig.contributions
                        else float("nan")}, index=rows)
    units = {"date": "date", "z": "z" if comp.standardised else "25 bp steps", "contribution": "z"}
    for p in comp.parts:
        out[p.name] = sig.parts[p.name].reindex(rows) if p.name in sig.parts else float("nan")
        units[p.name] = p.unit
    out.index.name = "date"
    return out, units


def _stale(sig: Signals, when: "pd.Timestamp") -> list[str]:
    import pandas as pd

    from yenflow.analytics.signals import COMPONENTS

    out = []
    for c in COMPONENTS:
        if c.name in sig.z and pd.notna(sig.z.at[when, c.name]):
            continue
        last = None
        for p in c.parts:
            if p.name in sig.parts:
                s = sig.parts[p.name].loc[:when].dropna()
                if len(s):
                    last = max(last, s.index[-1]) if last is not None else s.index[-1]
        out.append(f"{c.name} has no value on {when:%Y-%m-%d}: " + (
            f"its inputs stop counting after {last:%Y-%m-%d} (newest figure too old, or under a year of history)"
            if last is not None else "its inputs are not in the store, or not published by then")
            + "; the composite is the weighted mean of the others")
    return out


@view("signals", SignalsParams, "The \"sell Japan\" composite as known on a date, and (--components) what drives it: "
      "auctions, foreign flows, repatriation, hedged gaps, the yen, carry, CFTC positioning, the BOJ.",
      "yenflow signals --components")
def signals(market: "Market", p: SignalsParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics.signals import BY_NAME, COMPONENTS
    from yenflow.views.result import Chart, Table

    weights, label = load_weights(p.weights)
    when = signal_date(market, p.date)
    sig = build(market, when - pd.Timedelta(days=7 * p.last + 7), when, weights)
    when = _at(sig, when)
    if pd.isna(sig.composite.get(when)):
        raise MissingInputError(f"no composite on {when:%Y-%m-%d}: fewer than half of the components (by weight) had "
                                "figures published by then; run `yenflow update` (or ask for an earlier --date)")
    rows = _weekly(sig.dates, when, p.last)
    main = _composite_table(sig, rows)
    units = {"date": "date", "composite": "z", "percentile_3y": "percentile", "components": "count", "top_driver": "text",
             "top_contribution": "z"}
    title = f"Sell-Japan composite as known on each date (z; + = pressure to sell Japan), to {when:%Y-%m-%d}"
    tables = [Table("composite", main, units, kind="series", title=title, date_column="date", decimals={"composite": 2,
                    "percentile_3y": 0, "top_contribution": 2},
                    chart=Chart("line", y=("composite",), y_title="z", zero_line=True))]
    if p.components:
        tables.append(Table("components", _components_table(sig, when),
                            {"component": "text", "z": "z", "weight": "weight", "contribution": "z", "newest_input": "date",
                             "what": "text"}, title=f"What drives it on {when:%Y-%m-%d} (largest contribution first)",
                            decimals={"z": 2, "contribution": 2, "weight": 2}))
        tables.append(Table("parts", _parts_table(sig, when),
                            {"component": "text", "part": "text", "raw": "in unit column", "unit": "text", "z": "z",
                             "input_date": "date",
                             "definition": "text"}, title="Each part: raw value (its unit), z-score, newest input",
                            date_column="input_date", decimals={"z": 2}))
        for c in COMPONENTS:
            hist, hunits = _component_history(sig, BY_NAME[c.name], rows)
            tables.append(Table(f"component_{c.name}", hist, hunits, kind="series", title=f"{c.title} ({c.name})",
                                date_column="date", decimals={"z": 2, "contribution": 2},
                                chart=Chart(c.chart, y=("z",), y_title="z" if c.standardised else "25 bp steps",
                                            zero_line=True)))
    conventions = ["percentile_3y: the composite among its values of the 3 years to each date "
                   "(as known then); the composite is the same whether asked for on its date or read from `yenflow backtest`",
                   *conventions_for(sig, label)]
    warnings = [*sig.warnings, *_stale(sig, when)]
    return make_result(market, "signals", "The sell-Japan composite", p, tables, conventions, warnings)


# ------------------------------------------------------------------ backtest

@dataclass(frozen=True)
class BacktestParams(ViewParams):
    signal: str = opt("composite", "Signal: composite or a component (auction_weakness, foreign_jgb_selling, …)",
                      argument=True)
    horizon: tuple[str, ...] = opt(("1w", "4w", "13w"), "Horizons in weeks after the signal (e.g. 4w; several: 1w,4w,13w)")
    top_pct: float = opt(10.0, "Extreme = in the top (or bottom, --side low) this % of the signal's own trailing 3 years",
                         minimum=1, maximum=50)
    side: Literal["high", "low"] = opt("high", "high: sell-Japan extremes; low: the opposite end")
    start: date | None = opt(None, "First signal date (default: the first with a composite)")
    end: date | None = opt(None, "Last signal date (default: the as-of date, else the latest market date)")
    resamples: int = opt(2000, "Block-bootstrap resamples", minimum=100, maximum=100_000)
    seed: int = opt(20260617, "Seed of the bootstrap's random generator (same seed, same intervals)")
    weights: str | None = opt(None, "TOML file of component weights (default: signal_weights.toml shipped with yenflow)")

    def check(self) -> None:
        from yenflow.analytics.signals import BY_NAME

        check_range(self.start, self.end)
        if self.signal != "composite" and self.signal not in BY_NAME:
            raise ParamError("SIGNAL", f"{self.signal!r} is not a signal; one of: composite, {', '.join(BY_NAME)}")
        for h in self.horizon:
            weeks(h)


def weeks(text: str) -> int:
    """"4w" → 4 (1 to 52 weeks)."""
    t = text.strip().lower()
    if not (t.endswith("w") and t[:-1].isdigit() and 1 <= int(t[:-1]) <= 52):
        raise ParamError("--horizon", f"{text!r} is not a horizon; write weeks as 1w … 52w (e.g. 4w, or 1w,4w,13w)")
    return int(t[:-1])


def backtest_frame(market: "Market", p: BacktestParams) -> "dict[str, Any]":
    """The weekly signal, its extremes and the event study (shared with the alerts and the report)."""
    import pandas as pd

    from yenflow.analytics import context, eventstudy
    from yenflow.views.inputs import jgb_curve, ust_curve

    weights, label = load_weights(p.weights)
    end = pd.Timestamp(p.end) if p.end else signal_date(market, None)
    if market.as_of is not None and end > pd.Timestamp(market.as_of.date()):
        raise ParamError("--end", f"{end:%Y-%m-%d} is after --as-of {market.as_of:%Y-%m-%d}")
    first = pd.Timestamp(p.start) if p.start else pd.Timestamp("1990-01-01")
    sig = build(market, first, end, weights)
    daily = sig.composite if p.signal == "composite" else sig.z.get(p.signal, pd.Series(dtype="float64"))
    daily = daily.loc[first:end].dropna()
    if len(daily) < 260:
        raise MissingInputError(f"{p.signal} has {len(daily)} daily values between {first:%Y-%m-%d} and {end:%Y-%m-%d}; "
                                "a backtest needs at least a year")
    weekly = daily[daily.index.day_of_week == 4]
    pct = context.percentile(weekly, window="1095D", min_periods=52)
    cut = 100.0 - p.top_pct if p.side == "high" else p.top_pct
    events = (pct >= cut) if p.side == "high" else (pct <= cut)
    events = events.reindex(weekly.index, fill_value=False) & pct.reindex(weekly.index).notna()
    ust = ust_curve(market, (10,))["10Y"]
    jgb = jgb_curve(market, (10, 30))
    fx = market.need("fx.usdjpy", "the backtest", role="USD/JPY after the signal")
    series = {"usdjpy": fx, "jgb_10y": jgb.get("10Y"), "jgb_30y": jgb.get("30Y"), "ust_10y": ust}
    targets = [eventstudy.Target(name, series[name], kind, words) for name, words, kind in TARGETS
               if series.get(name) is not None]
    horizons = tuple(weeks(h) for h in p.horizon)
    table = eventstudy.study(events, targets, horizons, p.resamples, p.seed)
    return {"signal": sig, "weekly": weekly, "percentile": pct, "events": events, "study": table,
            "weights_label": label, "horizons": horizons, "end": end}


def _episodes_table(weekly: "pd.Series", events: "pd.Series", gap: int) -> "pd.DataFrame":
    import numpy as np
    import pandas as pd

    idx = np.flatnonzero(events.to_numpy())
    rows, start = [], None
    for k, i in enumerate(idx):
        if start is None:
            start = i
        if k + 1 == len(idx) or idx[k + 1] - i > gap:
            seg = weekly.iloc[start: i + 1]
            flagged = events.iloc[start: i + 1]
            rows.append({"start": weekly.index[start], "end": weekly.index[i], "event_weeks": int(flagged.sum()),
                         "peak_signal": float(seg[flagged.to_numpy()].max()), "peak_date": seg[flagged.to_numpy()].idxmax()})
            start = None
    return pd.DataFrame(rows, columns=["start", "end", "event_weeks", "peak_signal", "peak_date"])


@view("backtest", BacktestParams, "Event study of the sell-Japan composite (or one component), point in time: USD/JPY, "
      "JGB 10Y/30Y and UST 10Y 1, 4 and 13 weeks after its extremes, with block-bootstrap intervals.",
      "yenflow backtest composite --horizon 4w")
def backtest(market: "Market", p: BacktestParams) -> "ViewResult":
    from yenflow.analytics import eventstudy
    from yenflow.views.result import Chart, Table

    f = backtest_frame(market, p)
    study, weekly = f["study"], f["weekly"]
    per_row = "% or bp (unit column)"
    units = {"target": "text", "horizon_weeks": "weeks", "unit": "text", "n_weeks": "count", "n_events": "count",
             "n_episodes": "count", "mean_after": per_row, "ci_low": per_row, "ci_high": per_row,
             "mean_all": per_row, "excess": per_row, "excess_ci_low": per_row, "excess_ci_high": per_row,
             "share_up": "%", "block_weeks": "weeks", "resamples_used": "count"}
    readings = study[["target", "horizon_weeks", "reading"]]
    study = study.drop(columns="reading")
    where = "top" if p.side == "high" else "bottom"
    title = (f"After {p.signal}'s extremes ({where} {p.top_pct:g} % of its trailing 3 years, weekly, point in time): "
             f"changes in % (USD/JPY) and bp (yields)")
    episodes = _episodes_table(weekly, f["events"], max(f["horizons"]))
    hist = weekly.to_frame(p.signal).assign(percentile_3y=f["percentile"], extreme=f["events"])
    hist.index.name = "date"
    tables = [
        Table("event_study", study, units, title=title, decimals={c: 2 for c in units if units[c] == per_row} | {"share_up": 0}),
        Table("readings", readings, {"target": "text", "horizon_weeks": "weeks", "reading": "text"},
              title="In words (weak evidence is said so)"),
        Table("episodes", episodes, {"start": "date", "end": "date", "event_weeks": "count", "peak_signal": "z",
                                     "peak_date": "date"}, title="Episodes (event weeks less than the longest horizon apart)",
              date_column="start", decimals={"peak_signal": 2}),
        Table("signal", hist, {"date": "date", p.signal: "z", "percentile_3y": "percentile", "extreme": "yes/no"},
              kind="series", title=f"{p.signal} on Fridays as known then", date_column="date",
              decimals={p.signal: 2, "percentile_3y": 0},
              chart=Chart("line", y=(p.signal,), y_title="z", zero_line=True)),
    ]
    conventions = [
        f"signal: {p.signal} on each Friday as it would have been known that day (release lags and the store's "
        f"vintages: no figure published later, no revision seen later); weekly values {weekly.index[0]:%Y-%m-%d} "
        f"to {weekly.index[-1]:%Y-%m-%d}",
        f"extreme: the Friday value's percentile among the Fridays of the 3 years to it (≥ 52 of them) is "
        f"{'≥' if p.side == 'high' else '≤'} {100 - p.top_pct if p.side == 'high' else p.top_pct:g}",
        "change: from the last close on or before the Friday to the last close on or before h weeks later; USD/JPY "
        "(H.10 noon, yen per dollar) in %, JGB (MOF constant maturity) and UST (Treasury par, H.15 CMT after) yields in bp",
        f"mean_after ± interval: mean change after the extreme weeks; mean_all: over every week; excess = mean_after − "
        f"mean_all; 95 % moving-block bootstrap intervals ({p.resamples} resamples, seed {p.seed}, blocks of "
        f"max(h, n^1/3) weeks, which keeps overlapping windows and clustered events together)",
        f"n_episodes: runs of extreme weeks; a new one starts when more than h weeks pass without one; the evidence is "
        f"called weak below {eventstudy.MIN_EPISODES} episodes or when the excess's interval includes zero",
        *conventions_for(f["signal"], f["weights_label"])[1:3],
    ]
    weak = study[[eventstudy.weak(r) for r in study.to_dict("records")]]
    warnings = []
    if len(weak):
        warnings.append(f"weak evidence in {len(weak)} of {len(study)} rows (fewer than {eventstudy.MIN_EPISODES} "
                        "episodes, or an interval that includes zero): read those means as anecdotes, not effects")
    return make_result(market, "backtest", title, p, tables, conventions, warnings)
