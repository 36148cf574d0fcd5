"""The size of the yen carry trade as a range of components, never one number (methods.md §7).

Each component says what it measures, what it covers and what it misses:

* **CFTC yen futures** (measured, narrow): net positions of leveraged funds and asset
  managers (TFF) and non-commercials (legacy) in CME yen futures. Notional
  ``¥ = net × 12,500,000`` per contract, ``$ = ¥ / USD/JPY`` at the report date's
  fixing. Negative = net short yen (the carry side).
* **BIS locational banking statistics** (on-balance-sheet lens, upper bounds):
  cross-border claims of banks located in Japan, all currencies, USD m → $bn; ¥ at
  the quarter-end USD/JPY. Claims on the Cayman Islands (where most hedge funds are
  domiciled) and all cross-border claims.
* **BIS Bulletin No 90** (reference line, as published, not a measurement): "a rough
  middle ballpark of ¥40 trillion ($250 billion) going into the event" (Aquilina,
  Lombardi, Schrimpf, Sushko, 27 August 2024), on- and off-balance-sheet, "biased down
  due to data gaps".
* **The seed's claim**: "anywhere between $160 billion and $500 billion" (no source
  given), shown against the components.

Units: ¥ tn (10^12 yen), $ bn (10^9 dollars). A ¥ figure derived from a $ figure
(or the reverse) says which USD/JPY fixing it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yenflow.analytics.positioning import JPY_PER_CONTRACT

if TYPE_CHECKING:
    import pandas as pd

BIS_BULLETIN_90 = {"jpy_tn": 40.0, "usd_bn": 250.0, "as_of": "2024-08-05", "published": "2024-08-27",
                   "source": "BIS Bulletin No 90 (bis.org/publ/bisbull90.htm)"}
SEED_USD_BN = (160.0, 500.0)


@dataclass(frozen=True)
class ComponentSpec:
    key: str
    label: str
    kind: str
    covers: str
    misses: str


FUTURES_MISSES = ("OTC forwards, swaps and options (the bulk of funds' carry), on-balance-sheet yen borrowing, "
                  "Japanese retail margin FX; small by construction: 100k contracts ≈ ¥1.25 tn")
COMPONENTS = {
    "cot.jpy.tff.lev_funds.net": ComponentSpec(
        "futures_lev_funds", "CFTC yen futures: leveraged funds net (TFF)", "measured (exchange futures only)",
        "hedge funds' and CTAs' CME yen futures positions reported to the CFTC", FUTURES_MISSES),
    "cot.jpy.tff.asset_mgr.net": ComponentSpec(
        "futures_asset_mgr", "CFTC yen futures: asset managers net (TFF)", "measured (exchange futures only)",
        "institutional asset managers' CME yen futures positions", FUTURES_MISSES),
    "cot.jpy.legacy.noncomm.net": ComponentSpec(
        "futures_noncomm", "CFTC yen futures: non-commercials net (legacy)", "measured (exchange futures only)",
        "all speculative (non-commercial) CME yen futures positions", FUTURES_MISSES),
    "bis.lbs.jp.claims.all_ccy.ky": ComponentSpec(
        "bis_claims_cayman", "BIS LBS: banks in Japan, cross-border claims on the Cayman Islands",
        "on-balance-sheet lens (upper bound)",
        "loans, deposits and debt securities of banks located in Japan on Cayman residents (hedge-fund domicile)",
        "the currency split (all currencies, largely dollars: not yen funding as such), derivatives, funds "
        "borrowing from banks outside Japan; includes claims that have nothing to do with carry (fund shares, CLOs)"),
    "bis.lbs.jp.claims.all_ccy.all": ComponentSpec(
        "bis_claims_all", "BIS LBS: banks in Japan, all cross-border claims", "outer ceiling (on-balance sheet)",
        "every cross-border claim of banks located in Japan, all currencies and counterparties",
        "off-balance-sheet positions; far wider than carry (Japanese banks' foreign lending and bond holdings)"),
}
LACKING = {
    "BIS global liquidity: yen credit to non-residents (Q.JPY.3P.N.B.I.G.JPY)": (
        "the closest on-balance-sheet ceiling (\"just above ¥41 tn\" at end-March 2024 per Shin); "
        "not among the BIS files yenflow reads"),
    "FX forwards, swaps and options (BIS Triennial, DTCC)": (
        "where most carry is held (off balance sheet); no free official daily or positions source"),
}


STALE_FX_DAYS = 7


def _fx_on(usdjpy: "pd.Series", day: "pd.Timestamp") -> tuple[float, "pd.Timestamp"] | None:
    """The last USD/JPY fixing on or before ``day`` (however old: the caller names its date)."""
    s = usdjpy.dropna()
    s = s[s.index <= day]
    return (float(s.iloc[-1]), s.index[-1]) if len(s) else None


def _fx_text(fx: tuple[float, "pd.Timestamp"] | None, day: "pd.Timestamp") -> str:
    if fx is None:
        return "no USD/JPY fixing on or before this date"
    text = f"USD/JPY {fx[0]:.2f} ({fx[1]:%Y-%m-%d})"
    lag = (day - fx[1]).days
    return text + (f", stale: {lag} days before" if lag > STALE_FX_DAYS else "")


def futures_notional(net_contracts: float, usdjpy: float) -> tuple[float, float]:
    """(¥ tn, $ bn) of a net futures position: net × ¥12.5m; $ = ¥ / USD/JPY."""
    jpy = net_contracts * JPY_PER_CONTRACT
    return jpy / 1e12, jpy / usdjpy / 1e9


def usd_m_to(usd_m: float, usdjpy: float) -> tuple[float, float]:
    """(¥ tn, $ bn) of a USD-million amount at USD/JPY."""
    return usd_m / 1e3 * usdjpy / 1e3, usd_m / 1e3


def carry_size_table(latest: "dict[str, tuple[pd.Timestamp, float]]", usdjpy: "pd.Series") -> "pd.DataFrame":
    """One row per component, on its own latest date.

    ``latest``: series id → (ref_date, value) for the ids in :data:`COMPONENTS` the
    store has (contracts for ``cot.*``, USD m for ``bis.*``). Columns: component, kind,
    as_of, jpy_tn, usd_bn, usd_bn_high (ranges), fx (the USD/JPY fixing used: the last on or
    before the component's date, flagged stale beyond 7 days), covers,
    misses. Rows follow: futures, BIS lenses, the BIS Bulletin reference line, the seed.
    """
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for sid, spec in COMPONENTS.items():
        if sid not in latest:
            continue
        day, value = latest[sid]
        fx = _fx_on(usdjpy, pd.Timestamp(day))
        jpy_tn = usd_bn = float("nan")
        if sid.startswith("cot."):
            if fx:
                jpy_tn, usd_bn = futures_notional(value, fx[0])
            else:
                jpy_tn = value * JPY_PER_CONTRACT / 1e12
            side = "net short yen" if value < 0 else "net long yen"
            covers = f"{spec.covers}; {value:+,.0f} contracts ({side})"
        else:
            usd_bn = value / 1e3
            if fx:
                jpy_tn = usd_m_to(value, fx[0])[0]
            covers = spec.covers
        fx_text = _fx_text(fx, pd.Timestamp(day))
        rows.append({"component": spec.label, "kind": spec.kind, "as_of": pd.Timestamp(day), "jpy_tn": jpy_tn,
                     "usd_bn": usd_bn, "usd_bn_high": float("nan"), "fx": fx_text, "covers": covers,
                     "misses": spec.misses})
    b = BIS_BULLETIN_90
    rows.append({"component": "BIS Bulletin No 90: carry trade going into August 2024",
                 "kind": "published estimate (reference line)", "as_of": pd.Timestamp(b["as_of"]),
                 "jpy_tn": b["jpy_tn"], "usd_bn": b["usd_bn"], "usd_bn_high": float("nan"),
                 "fx": "as published (both figures)",
                 "covers": "on- and off-balance-sheet estimates, \"a rough middle ballpark\"",
                 "misses": "data gaps (\"if anything, biased down\"); a dated estimate, not a series"})
    spot = usdjpy.dropna()
    lo, hi = SEED_USD_BN
    rows.append({"component": "Seed claim: \"between $160 billion and $500 billion\"", "kind": "claim (range)",
                 "as_of": spot.index[-1] if len(spot) else pd.NaT,
                 "jpy_tn": lo * float(spot.iloc[-1]) / 1e3 if len(spot) else float("nan"),
                 "usd_bn": lo, "usd_bn_high": hi,
                 "fx": (f"¥ (low end) derived at USD/JPY {spot.iloc[-1]:.2f} ({spot.index[-1]:%Y-%m-%d})"
                        if len(spot) else "no USD/JPY"),
                 "covers": "unstated", "misses": "no source or method given; a 3× range"})
    return pd.DataFrame(rows)


def seed_against(table: "pd.DataFrame") -> "list[str]":
    """Lines comparing the seed's $160–500 bn with each component's $ size."""
    lo, hi = SEED_USD_BN
    out = []
    for _, r in table.iterrows():
        if r["kind"].startswith("claim") or r["usd_bn"] != r["usd_bn"]:
            continue
        size = abs(r["usd_bn"])
        if size == 0:
            continue
        out.append(f"{r['component']}: ${size:,.1f} bn ({r['as_of']:%Y-%m-%d}) — seed low ${lo:.0f} bn = "
                   f"{lo / size:.2f}×, seed high ${hi:.0f} bn = {hi / size:.2f}×")
    return out
