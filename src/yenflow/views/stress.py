"""JGB auctions, FX intervention and holdings views (issue: stress and stocks)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yenflow.views.inputs import MissingInputError

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.store import Store

AUCTION_FIELDS = ("issue_number", "coupon", "offered", "bids", "accepted", "bid_to_cover",
                  "avg_price", "min_price", "avg_yield", "max_yield", "tail_price", "tail_bp")


def auction_table(store: "Store", as_of: Any = None) -> "pd.DataFrame":
    """The per-auction table rebuilt from the stored ``auction.jgb.<tenor>.<field>`` series."""
    import pandas as pd

    ids = list(store.sql("SELECT id FROM series WHERE id LIKE 'auction.jgb.%'")["id"])
    if not ids:
        raise MissingInputError("no JGB auction series in the store; run `yenflow update mof.jgb_auctions`")
    obs = store.observations(ids, as_of=as_of)
    parts = obs["series_id"].str.split(".", expand=True)
    obs = obs.assign(tenor=parts[2], field=parts[3])
    table = obs.pivot_table(index=["tenor", "ref_date"], columns="field", values="value", aggfunc="last").reset_index()
    table = table.rename(columns={"ref_date": "auction_date"})
    table["auction_date"] = pd.to_datetime(table["auction_date"])
    table["auction_type"] = table["tenor"].map(lambda t: "yield" if t.startswith(("40y", "gx")) else "price")
    for col in AUCTION_FIELDS:
        if col not in table:
            table[col] = float("nan")
    table["issue_number"] = table["issue_number"].astype("Int64")
    return table.sort_values(["tenor", "auction_date"]).reset_index(drop=True)


TENOR_ORDER = ("2y", "5y", "10y", "20y", "30y", "40y", "jgbi10y", "gx5y", "gx10y")


def auctions_view(store: "Store", tenor: str | None = None, last: int = 6, all_tenors: bool = False) -> "pd.DataFrame":
    """Latest auctions per tenor with bid-to-cover and tails against their history.
    Without a tenor, only securities auctioned in the year before the latest
    auction are shown (discontinued ones with ``all_tenors``)."""
    import pandas as pd

    from yenflow.analytics.auctions import latest_auctions

    table = auction_table(store)
    tenor = f"{tenor}y" if tenor and not str(tenor).endswith("y") else tenor
    try:
        out = latest_auctions(table, tenor, last)
    except ValueError as e:
        raise MissingInputError(str(e)) from None
    cols = ["tenor", "auction_date", "issue_number", "bid_to_cover", "btc_pct_12", "btc_pct_all", "btc_weakest_since",
            "tail_price", "tail_bp", "tail_widest_since", "avg_yield", "max_yield", "weak"]
    out = out[[c for c in cols if c in out.columns]]
    if tenor is None and not all_tenors:
        recent = table.groupby("tenor")["auction_date"].max() >= table["auction_date"].max() - pd.Timedelta(days=365)
        out = out[out["tenor"].map(recent)]
    rank = {t: i for i, t in enumerate(TENOR_ORDER)}
    out = out.sort_values(["tenor", "auction_date"], key=lambda c: c.map(rank).fillna(99) if c.name == "tenor" else c)
    out = out.reset_index(drop=True)
    out.attrs["conventions"] = [
        "bid_to_cover = competitive bids / bids accepted; tail_price = average − lowest accepted price (JPY per 100); "
        "tail_bp = (highest − average accepted yield) × 100",
        "btc_pct_12 / _all: percentile among the previous 12 / all earlier auctions of the tenor (low = weak demand)",
        "btc_weakest_since: the last earlier auction with a lower bid-to-cover (blank = lowest on record); "
        "tail_widest_since: the last earlier auction with a longer tail",
        "weak: bid-to-cover in the bottom decile of the previous 12, or tail in the top decile; "
        "40Y and GX bonds are uniform-yield auctions with no tail",
        "source: MOF all-auctions workbook (jgb_historical_data.xls) and same-day result pages; amounts in JPY 100m",
    ]
    return out


def _operations(store: "Store") -> "pd.DataFrame":
    """Signed intervention operations: MOF's official daily series, with a
    user-imported history (``user.intervention.<pair>.amount``) filling dates
    the official file in the store does not cover."""

    from yenflow.analytics.intervention import operations_from_series

    ids = list(store.sql(
        "SELECT id FROM series WHERE regexp_matches(id, '^(user\\.)?intervention\\.[a-z]{3}jpy\\.amount$')")["id"])
    if not ids:
        raise MissingInputError(
            "no intervention series in the store; run `yenflow update mof.intervention`, or import MOF's history "
            "(see README: `yenflow import … --series user.intervention.usdjpy.amount`)")
    obs = store.observations(ids)
    obs["official"] = ~obs["series_id"].str.startswith("user.")
    obs["series_id"] = obs["series_id"].str.removeprefix("user.")
    obs = obs.sort_values("official", ascending=False).drop_duplicates(["series_id", "ref_date"])
    return operations_from_series(obs.sort_values("ref_date")).reset_index(drop=True)


def intervention_view(store: "Store", by: str = "episode") -> "pd.DataFrame":
    """Intervention ledger by day, month, year or episode; episodes carry USD/JPY around them."""
    from yenflow.analytics import intervention as iv

    ops = _operations(store)
    if by == "episode":
        out = iv.episodes(ops)
        if store.has_series("fx.usdjpy"):
            out = iv.episode_fx(out, store.get("fx.usdjpy"))
    else:
        out = iv.ledger(ops, by)
    out.attrs["conventions"] = [
        "amounts in JPY 100m (億円); yen_bought = USD (or other currency) sold for yen; yen_sold = the reverse",
        "episode: intervention days in one direction at most 3 business days apart",
        "usdjpy_before: last H.10 noon fixing before the first day; usdjpy_after: 5 business days after the first day "
        "(JST trade dates vs New York noon fixings)",
        "history before MOF's official daily CSV is loaded: a user import of MOF's daily record (see README)",
    ]
    return out


def holdings_view(store: "Store") -> "dict[str, pd.DataFrame]":
    """Japan's UST holdings (TIC) and JGB holdings by holder (BOJ flow of funds)."""
    import pandas as pd

    from yenflow.analytics import holdings as h

    out: dict[str, pd.DataFrame] = {}
    if store.has_series("tic.holdings.japan"):
        total = store.get("tic.holdings.total") if store.has_series("tic.holdings.total") else None
        ust = h.japan_ust(store.get("tic.holdings.japan"), total)
        if store.has_series("tic.holdings.china"):
            ust["china_usd_bn"] = store.get("tic.holdings.china").reindex(ust.index)
        out["ust"] = ust
        names = {k: store.get(k) for k in ("tic.holdings.japan", "tic.holdings.china", "tic.holdings.uk",
                                            "tic.holdings.total", "tic.holdings.foreign_official") if store.has_series(k)}
        out["ust_summary"] = h.holdings_table(names)
    fof_ids = list(store.sql("SELECT id FROM series WHERE id LIKE 'fof.jgb.%'")["id"])
    if fof_ids:
        obs = store.observations(fof_ids)
        shares = h.jgb_shares(obs).pivot(index="ref_date", columns="series_id", values="value")
        levels = obs.pivot(index="ref_date", columns="series_id", values="value")
        latest = levels.index.max()
        rows = []
        for sid in sorted(levels.columns):
            holder = sid.removeprefix("fof.jgb.")
            rows.append({"holder": holder, "amount_jpy_tn": levels.loc[latest, sid] / 1e4,
                         "share_pct": shares.get(f"{sid}.share", pd.Series(dtype=float)).get(latest),
                         "share_pct_year_ago": shares.get(f"{sid}.share", pd.Series(dtype=float)).get(
                             latest - pd.offsets.QuarterEnd(4))})
        jgb = pd.DataFrame(rows)
        jgb.attrs["as_of"] = latest
        out["jgb"] = jgb
    if not out:
        raise MissingInputError("no TIC or flow-of-funds series; run `yenflow update ustreasury.tic boj.flow_of_funds`")
    return out
