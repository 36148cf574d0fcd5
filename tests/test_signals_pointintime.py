"""The sell-Japan signal is point in time by construction: a figure moves it
only from the day it was published (release lags, release dates), a revision
only from when the store saw it, and nothing published after a date changes
the signal on that date. Expected values are read from MOF's week.csv with
the csv module (inward block: long-term debt acquisition, disposition, net =
columns 15, 16, 17; yenflow stores net = acquisition − disposition, which can
differ from MOF's rounded net column by 1)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import run_view
from yenflow.analytics import pointintime as pit
from yenflow.store import Store
from yenflow.views.market import Market
from yenflow.views import signals as vs

ONLY_FOREIGN_JGB = "[weights]\nforeign_jgb_selling = 1\n"


def _week_csv(shared_data: Path) -> dict[pd.Timestamp, dict[str, float]]:
    """Non-residents' net purchases of Japanese long-term debt (MOF's printed net column, which the store
    holds as published), JPY 100m, by the Saturday ending each Sunday–Saturday week, read straight from MOF's file."""
    text = (shared_data / "mof_securities_flows" / "week.csv").read_bytes().decode("cp932")
    out = {}
    for row in csv.reader(io.StringIO(text)):
        if not row or "～" not in row[0] or len(row) < 23:
            continue
        start, end = row[0].strip().split("～")
        y, m, d = (int(x) for x in start.replace(" ", "").split("．"))
        first = pd.Timestamp(y, m, d)
        saturday = first + pd.Timedelta(days=6)
        num = [float(x.strip().replace(",", "")) for x in row[1:]]
        out[saturday] = {"bonds": num[16], "published_net": num[16], "acq_minus_disp": num[14] - num[15]}
    return out


def _sold_4w(weeks: dict, last_saturday: str) -> float:
    """− the 4-week sum of foreign net purchases of long-term debt ending at ``last_saturday``."""
    end = pd.Timestamp(last_saturday)
    return -sum(weeks[end - pd.Timedelta(days=7 * k)]["bonds"] for k in range(4))


# --------------------------------------------------------------------------- the engine = Market's rule

@pytest.mark.parametrize("sid", ["mof.weekly.foreign.bonds.net", "fx.usdjpy", "cot.jpy.tff.lev_funds.net",
                                 "rate.boj.policy_target", "auction.jgb.20y.bid_to_cover", "jgb.30y"])
def test_engine_reads_what_market_reads_as_of_each_date(real_store: Store, sid: str) -> None:
    """For many as-of dates, the vectorised engine's latest value and its date are exactly what
    a Market snapshot as of that date reads (the view layer's point-in-time rule)."""
    rows = Market(real_store).vintage_rows([sid])
    dates = pd.DatetimeIndex(["2016-03-31", "2020-03-18", "2024-08-05", "2026-06-16", "2026-06-17", "2026-06-24",
                              "2026-06-25", "2026-06-26", "2026-07-02"])
    got = pit.evaluate(rows, pit.end_of_day(dates))
    for d, (value, ref) in zip(dates, got.itertuples(index=False)):
        s = Market(real_store, as_of=d.date()).series(sid).dropna()
        if s.empty:
            assert np.isnan(value)
            continue
        assert ref == s.index[-1] and value == s.iloc[-1], f"{sid} as of {d:%Y-%m-%d}"


def test_weekly_mof_figure_moves_the_signal_only_from_its_thursday_release(real_store: Store, shared_data: Path) -> None:
    """The week of Sun 2026-06-14 – Sat 06-20 (foreigners sold ¥1.06tn of Japanese long-term debt) was
    published on Thursday 2026-06-25: the signal of Wednesday 06-24 cannot contain it."""
    weeks = _week_csv(shared_data)
    assert weeks[pd.Timestamp("2026-06-20")]["published_net"] == -10573
    parts = {}
    for day in ("2026-06-24", "2026-06-25"):
        r = run_view(real_store, "signals", date=day, components=True)
        t = r.frame("parts").set_index("part")
        parts[day] = (t.at["foreign_bonds_sold_4w", "raw"], t.at["foreign_bonds_sold_4w", "input_date"])
    assert parts["2026-06-24"] == (_sold_4w(weeks, "2026-06-13"), pd.Timestamp("2026-06-13"))
    assert parts["2026-06-25"] == (_sold_4w(weeks, "2026-06-20"), pd.Timestamp("2026-06-20"))
    # MOF's net column: 10,573 + 5,309 + 10,386 − 12,502 = 13,766 sold (weeks to 06-20, 06-13, 06-06, 05-30)
    assert parts["2026-06-25"][0] == pytest.approx(13766, abs=4)


def test_no_figure_published_after_a_date_changes_the_composite_on_that_date(real_store: Store) -> None:
    """The composite on a date from the whole store equals the composite from a store holding only
    the figures that had been published by then (every later row removed)."""

    class Truncated(Market):
        def vintage_rows(self, series_ids, role="", since=None):  # type: ignore[no-untyped-def]
            rows = super().vintage_rows(series_ids, role, since)
            keep = [pit.known_rows(g, self.cut).assign(series_id=sid, recorded_from=g["recorded_from"].iloc[0])
                    for sid, g in rows.groupby("series_id")]
            out = pd.concat(keep, ignore_index=True)
            out["released"], out["lag_known"] = pd.NaT, out["published"]
            return out

    weights = vs.load_weights(None)[0]
    for day in ("2020-03-18", "2024-08-05", "2026-06-24"):
        d = pd.Timestamp(day)
        full = vs.build(Market(real_store), d, d, weights)
        cut = Truncated(real_store)
        cut.cut = pit.end_of_day(pd.DatetimeIndex([d]))[0]  # type: ignore[attr-defined]
        only = vs.build(cut, d, d, weights)
        assert full.composite.notna()[d]
        assert full.composite[d] == pytest.approx(only.composite[d], abs=1e-9), day
        pd.testing.assert_series_equal(full.z.loc[d], only.z.loc[d], atol=1e-9, check_names=False)


def test_signal_on_its_own_date_is_the_backtests_value(real_store: Store) -> None:
    """The view for one date reads a short history; the backtest reads all of it: same number. (2007-02-16:
    the 30Y was auctioned 3–4 times a year, so its previous 12 auctions reach back 4 years; 2023-06-02: the
    BOJ target then in force was decided in 2016.)"""
    bt = run_view(real_store, "backtest", end="2026-07-10", horizon="1w", resamples=200)
    weekly = bt.frame("signal")["composite"]
    for day in ("2007-02-16", "2023-06-02", "2026-06-26", "2026-07-03"):
        alone = run_view(real_store, "signals", date=day).frame("composite")["composite"]
        assert alone[pd.Timestamp(day)] == pytest.approx(weekly[pd.Timestamp(day)], abs=1e-9)


# --------------------------------------------------------------------------- vintages

def _weekly_store(path: Path, shared_data: Path) -> Store:
    """A store with MOF's weekly series as parsed from week.csv, recorded in two vintages:
    weeks to Sat 2024-06-29 seen on 2024-07-05; then the week to 06-29 revised (−¥2tn more
    selling) and the week to 07-06 added, seen on 2024-07-12 at 09:00 UTC."""
    from yenflow.sources.mof.securities_weekly import MofSecuritiesWeekly
    from yenflow.store import observations

    src = MofSecuritiesWeekly()
    parsed = src.parse((shared_data / "mof_securities_flows" / "week.csv").read_bytes(), "week.csv")
    obs = parsed.observations
    obs = obs[obs["series_id"] == "mof.weekly.foreign.bonds.net"].copy()
    obs["ref_date"] = pd.to_datetime(obs["ref_date"])
    first = obs[obs["ref_date"] <= "2024-06-29"]
    second = obs[obs["ref_date"].isin([pd.Timestamp("2024-06-29"), pd.Timestamp("2024-07-06")])].copy()
    second.loc[second["ref_date"] == "2024-06-29", "value"] -= 20000
    store = Store(path)
    store.register_series(src.name, [i for i in parsed.series if i.id == "mof.weekly.foreign.bonds.net"])
    observations.upsert(store.con, first, seen_at=datetime(2024, 7, 5), raw_sha256="v1")
    observations.upsert(store.con, second, seen_at=datetime(2024, 7, 12, 9, 0), raw_sha256="v2")
    return store


def test_revision_counts_only_from_when_the_store_saw_it(tmp_path: Path, shared_data: Path) -> None:
    weeks = _week_csv(shared_data)
    store = _weekly_store(tmp_path / "yenflow.duckdb", shared_data)
    weights = tmp_path / "w.toml"
    weights.write_text(ONLY_FOREIGN_JGB)
    expected = {
        # before the store recorded anything: publication by MOF's calendar (Thursday 07-04 for the week to 06-29)
        "2024-07-03": (_sold_4w(weeks, "2024-06-22"), "2024-06-22"),
        "2024-07-04": (_sold_4w(weeks, "2024-06-29"), "2024-06-29"),
        # recording: the first vintage, and nothing it had not seen (the week to 07-06 is due 07-11, seen 07-12)
        "2024-07-05": (_sold_4w(weeks, "2024-06-29"), "2024-06-29"),
        "2024-07-11": (_sold_4w(weeks, "2024-06-29"), "2024-06-29"),
        # the revision and the new week, from the day they were seen
        "2024-07-12": (_sold_4w(weeks, "2024-07-06") + 20000, "2024-07-06"),
    }
    composites = {}
    for day, (raw, ref) in expected.items():
        r = run_view(store, "signals", date=day, components=True, weights=str(weights))
        parts = r.frame("parts").set_index("part")
        assert parts.at["foreign_bonds_sold_4w", "raw"] == pytest.approx(raw), day
        assert parts.at["foreign_bonds_sold_4w", "input_date"] == pd.Timestamp(ref), day
        composites[day] = r.frame("composite")["composite"]
    # as of 08:00 on 07-12 the store had not seen the revision yet
    early = run_view(store, "signals", as_of="2024-07-12T08:00", components=True, weights=str(weights))
    parts = early.frame("parts").set_index("part")
    assert parts.at["foreign_bonds_sold_4w", "raw"] == pytest.approx(_sold_4w(weeks, "2024-06-29"))
    assert parts.at["foreign_bonds_sold_4w", "input_date"] == pd.Timestamp("2024-06-29")
    # the history read on 07-12 (after the revision) still shows Friday 07-05 as it was known on 07-05
    friday = pd.Timestamp("2024-07-05")
    assert composites["2024-07-12"][friday] == pytest.approx(composites["2024-07-05"][friday], abs=1e-12)
    assert composites["2024-07-12"][pd.Timestamp("2024-07-12")] > composites["2024-07-11"][pd.Timestamp("2024-07-11")]
    store.close()


def test_revision_is_invisible_to_a_store_that_had_not_seen_it(tmp_path: Path, shared_data: Path) -> None:
    """As of 2024-07-11 the two-vintage store and the same store without the later vintage give
    the same composite history: the revised week cannot leak backwards."""
    store = _weekly_store(tmp_path / "a.duckdb", shared_data)
    weights = {"foreign_jgb_selling": 1.0}
    both = vs.build(Market(store), pd.Timestamp("2024-01-05"), pd.Timestamp("2024-07-11"), weights).composite
    store.con.execute("DELETE FROM observations WHERE raw_sha256 = 'v2'")
    first_only = vs.build(Market(store), pd.Timestamp("2024-01-05"), pd.Timestamp("2024-07-11"), weights).composite
    pd.testing.assert_series_equal(both.dropna(), first_only.dropna(), atol=1e-12)
    store.close()
