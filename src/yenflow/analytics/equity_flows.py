"""Who buys Japanese stocks: JPX trading by investor type beside MOF's weekly foreign equity flows.

Conventions
-----------
* JPX series (``jpx.investor.<section>.<type>.net``) are in thousand yen, + = net
  buying (purchases − sales), dated at the week's last trading day (Mon–Fri weeks).
  Here they are converted to ¥bn (÷ 10^6).
* MOF's ``mof.weekly.foreign.equity.net`` is non-residents' net acquisition of
  Japanese equity and investment fund shares, ¥100m (÷ 10 → ¥bn), Sunday–Saturday
  weeks dated on the Saturday. A JPX week ending on day *d* is matched with the MOF
  week ending on the Saturday on or after *d*.
* Business companies' net buying is the usual proxy for **corporate buybacks**
  (companies buying their own shares through brokers); it also includes other
  corporate trading.

Why the two "foreigners" differ (they are different statistics, not revisions):

==========================  ==================================  ======================================
                            JPX trading by type of investors    MOF international transactions
==========================  ==================================  ======================================
what is counted             exchange trades (auction, ToSTNeT)  cross-border contracts in Japanese
                            of TSE/NSE-listed domestic stocks   equity *and investment fund shares*,
                                                                on or off exchange (incl. IPOs, POs)
who reports                 trading participants with capital   designated major investors (banks,
                            ≥ ¥3bn (a sample of the market)     securities firms, insurers, asset
                                                                managers)
"foreigner"                 the broker's client classification non-resident under the FX Act
                            (non-residents incl. overseas
                            branches of Japanese firms)
section                     one market (e.g. TSE Prime) or      all Japanese equity
                            Tokyo & Nagoya
week                        Mon–Fri trading days                Sun–Sat by contract date
==========================  ==================================  ======================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: investor types shown by default, in display order
DEFAULT_TYPES = ("foreigners", "individuals", "business_cos", "trust_banks", "investment_trusts", "insurance",
                 "city_regional_banks", "other_financials", "other_cos", "securities_cos", "proprietary")
DIFFERENCES = (
    "JPX counts exchange trades of one market section reported by trading participants with capital ≥ ¥3bn; "
    "MOF counts all cross-border contracts in Japanese equity and investment fund shares reported by designated "
    "major investors (incl. off-exchange deals, IPOs and offerings)",
    "JPX's 'foreigners' is the broker's client classification (non-residents, incl. overseas branches of "
    "Japanese firms); MOF's is non-residents under the Foreign Exchange Act",
    "JPX weeks are Monday–Friday trading days; MOF weeks run Sunday–Saturday by contract date",
    "business companies' net buying is the usual proxy for buybacks: it also holds other corporate trading",
)


def saturday_on_or_after(days: "pd.DatetimeIndex") -> "pd.DatetimeIndex":
    """The Saturday ending the MOF week that holds each day."""
    import pandas as pd

    return days + pd.to_timedelta((5 - days.day_of_week) % 7, unit="D")


def weekly_table(jpx_net: "dict[str, pd.Series]", mof_foreign_equity: "pd.Series | None" = None,
                 types: "Sequence[str]" = DEFAULT_TYPES) -> "pd.DataFrame":
    """Weekly net buying by investor type in ¥bn (JPX), with MOF's foreign equity flow beside it.

    ``jpx_net``: investor type → JPX net series (thousand yen). ``mof_foreign_equity``:
    MOF weekly series (¥100m). Index: the JPX week end; columns: the types (¥bn),
    ``mof_week_end``, ``mof_foreigners`` (¥bn) and ``jpx_minus_mof`` (JPX foreigners −
    MOF, ¥bn) when both exist.
    """
    import pandas as pd

    cols = {t: jpx_net[t] / 1e6 for t in types if t in jpx_net}
    t = pd.DataFrame(cols).sort_index()
    t.index.name = "week_end"
    if mof_foreign_equity is not None and len(t):
        sat = saturday_on_or_after(pd.DatetimeIndex(t.index))
        t["mof_week_end"] = sat
        t["mof_foreigners"] = (mof_foreign_equity / 10.0).reindex(sat).to_numpy()
        if "foreigners" in t:
            t["jpx_minus_mof"] = t["foreigners"] - t["mof_foreigners"]
    return t


def period_sums(table: "pd.DataFrame", weeks: "Sequence[int]" = (4, 13, 52)) -> "pd.DataFrame":
    """Sums over the last N weeks of every ¥bn column (rows ``4w``, ``13w``…), with the
    number of weeks actually present (fewer at the start of the history)."""
    import pandas as pd

    num = table.select_dtypes("number")
    rows = {}
    for n in weeks:
        tail = num.tail(n)
        rows[f"{n}w"] = tail.sum(min_count=1)
        rows[f"{n}w"]["weeks"] = len(tail)
    return pd.DataFrame(rows).T


def to_usd_bn(table: "pd.DataFrame", usdjpy: "pd.Series", max_stale_days: int = 7) -> "pd.DataFrame":
    """The ¥bn columns in $bn at each week's last USD/JPY fixing (on or before the week end;
    NaN when the last fixing is older than ``max_stale_days``)."""
    from yenflow.analytics.conventions import asof_align

    fx = asof_align(usdjpy, table.index, max_stale_days=max_stale_days)
    num = table.select_dtypes("number")
    return num.div(fx.to_numpy(), axis=0)
