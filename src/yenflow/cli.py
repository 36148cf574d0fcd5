"""The yenflow command line. Each command parses options, calls one library
function and formats the result; library errors become ``Error: …`` and exit 1."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from yenflow.store import Store

app = typer.Typer(
    name="yenflow",
    help="Is Japanese money coming home? Official Japanese and US data in one revision-aware store.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: rich's help renderer costs ~190 ms at start-up
)


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


HomeOpt = Annotated[Optional[Path], typer.Option("--home", help="Store folder (default $YENFLOW_HOME or the user data dir).")]
FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]
StartOpt = Annotated[Optional[str], typer.Option("--start", help="First date (YYYY-MM-DD).")]
EndOpt = Annotated[Optional[str], typer.Option("--end", help="Last date (YYYY-MM-DD).")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="Values as this store knew them at this time (UTC).")]


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def _open(home: Path | None, read_only: bool = True) -> "Store":
    import yenflow
    from yenflow.errors import YenflowError

    try:
        store = yenflow.open(home, read_only=read_only)
        store.con  # open now (waiting while another process holds the store): errors become one line
        return store
    except YenflowError as e:
        _fail(str(e))
        raise  # unreachable


class _Errors:
    """Turn library errors into `Error: …` + exit 1, once, at the CLI boundary."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, et: type | None, e: BaseException | None, tb: object) -> bool:
        from yenflow.errors import YenflowError

        if isinstance(e, YenflowError):
            _fail(str(e))
        return False


@app.command()
def update(
    sources: Annotated[Optional[list[str]], typer.Argument(help="Sources to update (default: all). See `yenflow sources`.")] = None,
    from_: Annotated[Optional[str], typer.Option("--from", help="Read the publishers' files from this folder or mirror URL instead of the official URLs (also $YENFLOW_MIRROR).")] = None,
    home: HomeOpt = None,
    monitor: Annotated[bool, typer.Option("--monitor/--no-monitor", help="Show the monitor after updating.")] = True,
    allow_shrink: Annotated[bool, typer.Option("--allow-shrink", help="Accept a file with fewer observations than the last one from the same place (normally refused as truncated).")] = False,
) -> None:
    """Fetch, archive, parse and store every source; then show the monitor.

    Exit code 1 if any source failed or was only partly updated (the others are
    still updated); 2 for an unknown source or a missing --from folder.

    Example:

        yenflow update --from ../shared/data
    """
    from yenflow import config
    from yenflow.pipeline import update as run_update
    from yenflow.sources import SOURCES, list_sources
    from yenflow.update_summary import print_summary

    unknown = [s for s in sources or [] if s not in SOURCES]
    if unknown:
        typer.echo(f"Error: unknown source {', '.join(map(repr, unknown))}; known sources: {', '.join(SOURCES)}", err=True)
        raise typer.Exit(2)
    mirror = config.mirror(from_)
    if mirror and not mirror.startswith(("http://", "https://")) and not Path(mirror).is_dir():
        typer.echo(f"Error: --from {mirror}: no such folder (give a folder laid out like ../shared/data, or a mirror URL)", err=True)
        raise typer.Exit(2)
    names = sources or list_sources()
    store = _open(home, read_only=False)
    with store:
        if sys.stderr.isatty():
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("{task.description:<28}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), transient=True) as bar:
                task = bar.add_task("updating", total=len(names))

                def progress(name: str, stage: str) -> None:
                    bar.update(task, description=name, advance=1 if stage == "done" else 0)

                results = run_update(store, names, mirror, progress, allow_shrink=allow_shrink)
        else:
            results = run_update(store, names, mirror, allow_shrink=allow_shrink)
    print_summary(results)
    if monitor:
        from yenflow.monitor import show_monitor

        with _open(home) as ro:
            show_monitor(ro)
    if any(not r.ok for r in results):
        raise typer.Exit(1)


@app.command()
def status(home: HomeOpt = None, fmt: FmtOpt = Fmt.table) -> None:
    """Per source: last update, last observation, rows, staleness, last error.

    Example:

        yenflow status
    """
    from datetime import date

    from yenflow.output import render
    from yenflow.update_summary import source_status

    with _open(home) as store:
        render(source_status(store), fmt.value, title=f"yenflow status ({date.today():%Y-%m-%d}; stale = the next release by the publisher calendar is overdue)", index=False)


@app.command()
def sources(fmt: FmtOpt = Fmt.table) -> None:
    """List the sources: publisher, the files each reads from a folder (--from), official URLs.

    Example:

        yenflow sources
    """
    from yenflow.output import render
    from yenflow.update_summary import sources_frame

    render(sources_frame(), fmt.value, title="yenflow sources", index=False)


@app.command()
def series(
    query: Annotated[Optional[str], typer.Argument(help="Text to search in ids, names, units and descriptions.")] = None,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Search the series catalog.

    Example:

        yenflow series jgb
    """
    from yenflow.output import render

    with _open(home) as store:
        cat = store.catalog(query)
    cols = ["id", "name", "unit", "frequency", "first", "last", "observations", "source"]
    render(cat[cols] if fmt == Fmt.table else cat, fmt.value, title=f"{len(cat)} series", index=False)


@app.command()
def show(
    series_ids: Annotated[list[str], typer.Argument(help="Series ids, e.g. jgb.10y ust.par.10y fx.usdjpy")],
    start: StartOpt = None,
    end: EndOpt = None,
    as_of: AsOfOpt = None,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Print series side by side, with their units.

    Example:

        yenflow show jgb.10y ust.par.10y fx.usdjpy --start 2024-07-25 --end 2024-08-10
    """
    from yenflow.output import render

    with _Errors(), _open(home) as store:
        df = store.frame(series_ids, start=start, end=end, as_of=as_of)
    units = df.attrs["units"]
    if fmt == Fmt.table:
        df.columns = [f"{c} ({units[c]})" for c in df.columns]
        caption = "as known at " + as_of if as_of else None
        render(df, "table", caption=caption)
    else:
        render(df, fmt.value)


@app.command()
def vintages(
    series_id: Annotated[str, typer.Argument(help="Series id.")],
    date: Annotated[Optional[str], typer.Option("--date", help="Only this reference date.")] = None,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Every stored vintage of a series: value, when first seen, raw file.

    Example:

        yenflow vintages fx.usdjpy --date 2019-02-20
    """
    from yenflow.output import render

    with _Errors(), _open(home) as store:
        df = store.vintages(series_id, date)
    df["raw_sha256"] = df["raw_sha256"].str[:12]
    render(df, fmt.value, index=False)


class ExportFmt(str, Enum):
    csv = "csv"
    parquet = "parquet"


@app.command()
def export(
    series_ids: Annotated[list[str], typer.Argument(help="Series ids.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f")] = ExportFmt.csv,
    long: Annotated[bool, typer.Option("--long", help="Long format with vintage columns (seen_at, raw_sha256).")] = False,
    start: StartOpt = None,
    end: EndOpt = None,
    as_of: AsOfOpt = None,
    home: HomeOpt = None,
) -> None:
    """Export series to CSV or Parquet (wide by default; --long keeps vintage info).

    Example:

        yenflow export jgb.10y ust.par.10y -o yields.parquet -f parquet
    """
    with _Errors(), _open(home) as store:
        if long:
            df = store.observations(series_ids, start=start, end=end, as_of=as_of)
        else:
            df = store.frame(series_ids, start=start, end=end, as_of=as_of)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == ExportFmt.parquet:
        df.to_parquet(output, index=not long)
    else:
        df.to_csv(output, index=not long, date_format="%Y-%m-%d")
    typer.echo(f"wrote {len(df)} rows to {output}")


@app.command()
def rebuild(home: HomeOpt = None) -> None:
    """Rebuild every observation from the raw archive (vintage times kept).

    Example:

        yenflow rebuild
    """
    from yenflow.config import db_path
    from yenflow.pipeline import rebuild as run_rebuild

    if not db_path(home).is_file():
        _fail(f"no yenflow store at {db_path(home)}: nothing to rebuild (check --home / $YENFLOW_HOME)")
    with _Errors(), _open(home, read_only=False) as store:
        n = run_rebuild(store)
    typer.echo(f"re-parsed {n} archived files")


@app.command()
def monitor(home: HomeOpt = None) -> None:
    """The latest rates, FX and flows in one screen.

    Example:

        yenflow monitor
    """
    from yenflow.monitor import show_monitor

    with _open(home) as store:
        show_monitor(store)


def _print(df: "object", fmt: Fmt, title: str, conventions: list[str] | None = None, index: bool = True) -> None:
    """A table with its conventions printed under it (csv/json: data only)."""
    from yenflow.output import render

    caption = "\n".join(conventions) if conventions and fmt == Fmt.table else None
    render(df, fmt.value, title=title, caption=caption, index=index)


class Side(str, Enum):
    jp = "jp"
    us = "us"


class Annual(str, Enum):
    simple = "simple"
    compound = "compound"


HedgeOpt = Annotated[str, typer.Option("--hedge", help="Hedge tenor, rolled: 1M or 3M.")]
BasisOpt = Annotated[float, typer.Option("--basis", help="Cross-currency basis in bp on the JPY leg (negative = dollar premium).")]
BasisSeriesOpt = Annotated[Optional[str], typer.Option("--basis-series", help="Basis series in bp (e.g. a `yenflow import`ed one) instead of a constant.")]
UsdRateOpt = Annotated[Optional[str], typer.Option("--usd-rate", help="USD money-market series (default rate.sofr, ACT/360).")]
JpyRateOpt = Annotated[Optional[str], typer.Option("--jpy-rate", help="JPY money-market series (default: rate.jpy.tona if stored, else rate.jpy.3m_interbank).")]


@app.command()
def hedge(
    tenor: Annotated[int, typer.Option("--tenor", help="Bond tenor in years (2, 5, 10, 20, 30).")] = 10,
    side: Annotated[Side, typer.Option("--side", help="jp: yen investor in USTs; us: dollar investor in JGBs.")] = Side.jp,
    hedge_: HedgeOpt = "3M",
    basis: BasisOpt = 0.0,
    basis_series: BasisSeriesOpt = None,
    hedge_ratio: Annotated[float, typer.Option("--hedge-ratio", help="Share hedged, 0–1.")] = 1.0,
    annualisation: Annotated[Annual, typer.Option("--annualisation")] = Annual.simple,
    date: Annotated[Optional[str], typer.Option("--date", help="Date (default: latest with every input).")] = None,
    start: StartOpt = None,
    end: EndOpt = None,
    usd_rate: UsdRateOpt = None,
    jpy_rate: JpyRateOpt = None,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """FX-hedged yield, decomposed: local yield, short-rate differential, basis, hedge cost/pickup.

    Example:

        yenflow hedge --tenor 5 --side us --basis -30
    """
    from yenflow.views.rates import hedge_view

    with _Errors(), _open(home) as store:
        df = hedge_view(store, tenor, side.value, hedge_, basis, basis_series, hedge_ratio, annualisation.value,
                        date, start, end, usd_rate, jpy_rate)
    conv = df.attrs["conventions"]
    if fmt == Fmt.table and len(df) == 1:
        when = df.index[0]
        table = df.T.rename(columns={when: f"{when:%Y-%m-%d} (% p.a.; pickup in bp)"})
        table.index.name = "component"
        _print(table, fmt, f"{tenor}Y hedged yield — {'yen investor in USTs' if side == Side.jp else 'dollar investor in JGBs'}", conv)
    else:
        _print(df, fmt, f"{tenor}Y hedged yield history (% p.a.)", conv)


@app.command()
def breakeven(
    hedge_: HedgeOpt = "3M",
    basis: BasisOpt = 0.0,
    basis_series: BasisSeriesOpt = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Date (default: latest).")] = None,
    usd_rate: UsdRateOpt = None,
    jpy_rate: JpyRateOpt = None,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Break-evens per tenor: JGB yield that matches a hedged (100/75/50/0%) UST, and the USD/JPY fall that wipes out a year of unhedged carry.

    Example:

        yenflow breakeven --basis -25
    """
    from yenflow.views.rates import breakeven_view

    with _Errors(), _open(home) as store:
        df = breakeven_view(store, hedge_, basis, basis_series, date=date, usd_series=usd_rate, jpy_series=jpy_rate)
    _print(df, fmt, "Break-evens (yields in %, gap in bp)", df.attrs["conventions"], index=False)


@app.command()
def spreads(
    date: Annotated[Optional[str], typer.Option("--date", help="Date (default: latest).")] = None,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """UST−JGB spreads by tenor and 2s10s/10s30s slopes, in bp, with historical percentiles.

    Example:

        yenflow spreads
    """
    from yenflow.views.rates import spreads_view

    with _Errors(), _open(home) as store:
        df = spreads_view(store, date)
    _print(df, fmt, "Spreads and slopes (bp)", df.attrs["conventions"], index=False)


@app.command()
def carry(
    usd_rate: UsdRateOpt = None,
    jpy_rate: JpyRateOpt = None,
    history: Annotated[bool, typer.Option("--history", help="Print the daily history instead of the summary.")] = False,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """USD/JPY carry monitor: carry, realised vol, carry/vol, carry index and its largest drawdowns.

    Example:

        yenflow carry
    """
    from yenflow.views.carry import carry_view

    with _Errors(), _open(home) as store:
        v = carry_view(store, usd_rate, jpy_rate)
    if history:
        _print(v["history"], fmt, "USD/JPY carry history")
        return
    _print(v["latest"], fmt, "USD/JPY carry", v["conventions"])
    if fmt == Fmt.table:
        _print(v["drawdowns"], fmt, "Largest drawdowns of the long-USD/short-JPY carry index (depth in %)", index=False)


@app.command()
def cot(
    weeks: Annotated[int, typer.Option("--weeks", help="Reports to show per trader group.")] = 4,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """CFTC yen futures positioning by trader group (net, w/w, % OI, 3y percentile, $ notional).

    Example:

        yenflow cot --weeks 8
    """
    from yenflow.views.carry import cot_view

    with _Errors(), _open(home) as store:
        df = cot_view(store, weeks)
    _print(df, fmt, "CFTC yen positioning (contracts; notional in $bn)", df.attrs["conventions"], index=False)


class FlowSide(str, Enum):
    foreign = "foreign"
    resident = "resident"


class YenUnit(str, Enum):
    bn = "bn"
    tn = "tn"


class FlowAsset(str, Enum):
    equity = "equity"
    bonds = "bonds"
    bills = "bills"
    total = "total"


@app.command()
def flows(
    weekly: Annotated[bool, typer.Option("--weekly/--monthly", help="Weekly (default) or monthly MOF data.")] = True,
    side: Annotated[FlowSide, typer.Option("--side", help="foreign: non-residents buying Japan; resident: Japanese buying abroad.")] = FlowSide.foreign,
    asset: Annotated[FlowAsset, typer.Option("--asset", help="equity, bonds (long-term debt), bills (short-term debt) or total.")] = FlowAsset.total,
    last: Annotated[int, typer.Option("--last", help="Rows to show.")] = 12,
    window: Annotated[Optional[int], typer.Option("--window", help="Percentile over the last N values (default: full history).")] = None,
    reconcile: Annotated[bool, typer.Option("--reconcile", help="Weekly vs monthly per month, with the gap and why.")] = False,
    series_id: Annotated[Optional[str], typer.Option("--series", help="Any flow series id instead (e.g. mof.investor.bonds.life_insurers.net, bop.pi.assets.total.net, jsda.net_buying.foreigners.super_long).")] = None,
    unit: Annotated[YenUnit, typer.Option("--unit", help="Display unit: bn (¥bn) or tn (¥tn); stored in ¥100m.")] = YenUnit.bn,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """MOF portfolio flows with rolling sums and context (percentile, "largest since", streaks, records).

    Example:

        yenflow flows --monthly --side foreign --asset total --last 24
    """
    from yenflow.views.flows import flows_view, reconcile_view, series_flow_view

    if reconcile:
        with _Errors(), _open(home) as store:
            df = reconcile_view(store, side.value, asset.value, last, unit.value)
        _print(df, fmt, f"MOF weekly vs monthly, {side.value} {asset.value} (¥{unit.value})", df.attrs["conventions"])
        return
    freq = "weekly" if weekly else "monthly"
    with _Errors(), _open(home) as store:
        if series_id:
            df = series_flow_view(store, series_id, last, window, unit.value)
            _print(df, fmt, f"{series_id} ({df.attrs['label']})", df.attrs["conventions"])
            return
        df = flows_view(store, freq, side.value, asset.value, last, window, unit.value)
    who = "Foreigners' net buying of Japanese" if side == FlowSide.foreign else "Japanese residents' net buying of foreign"
    _print(df, fmt, f"{who} {asset.value} — MOF {freq} (¥{unit.value})", df.attrs["conventions"])


class InvestorAsset(str, Enum):
    equity = "equity"
    bonds = "bonds"
    bills = "bills"


@app.command()
def investors(
    asset: Annotated[InvestorAsset, typer.Option("--asset", help="equity, bonds (long-term debt) or bills.")] = InvestorAsset.bonds,
    unit: Annotated[YenUnit, typer.Option("--unit", help="bn (¥bn) or tn (¥tn).")] = YenUnit.bn,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Residents' net purchases of foreign securities by investor type (banks, lifers, pensions…), latest month with 3/12-month sums.

    Example:

        yenflow investors --asset bonds
    """
    from yenflow.views.flows import investors_view

    with _Errors(), _open(home) as store:
        df = investors_view(store, asset.value, unit.value)
    _print(df, fmt, f"Japanese investors' net buying of foreign {asset.value} by type (¥{unit.value}; − = selling, money coming home)",
           df.attrs["conventions"], index=False)


@app.command("jgb-buyers")
def jgb_buyers(
    last: Annotated[int, typer.Option("--last", help="Months to show.")] = 6,
    unit: Annotated[YenUnit, typer.Option("--unit", help="bn (¥bn) or tn (¥tn).")] = YenUnit.bn,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Who buys JGBs: JSDA OTC net buying by foreigners, insurers and banks per maturity bucket.

    Example:

        yenflow jgb-buyers --last 6
    """
    from yenflow.views.flows import jgb_buyers_view

    with _Errors(), _open(home) as store:
        df = jgb_buyers_view(store, last, unit.value)
    _print(df, fmt, f"JGB net buying by investor type, JSDA OTC (¥{unit.value}, + = net buying)", df.attrs["conventions"], index=False)


@app.command()
def auctions(
    tenor: Annotated[Optional[str], typer.Option("--tenor", help="10, 20, 30, 40, 5, 2 … (default: all tenors).")] = None,
    last: Annotated[int, typer.Option("--last", help="Auctions per tenor.")] = 6,
    all_tenors: Annotated[bool, typer.Option("--all-tenors", help="Include discontinued securities (4Y, 6Y, TB…).")] = False,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """JGB auction demand: bid-to-cover and tails against each tenor's history, weak-auction flags.

    Example:

        yenflow auctions --tenor 10 --last 6
    """
    from yenflow.views.stress import auctions_view

    with _Errors(), _open(home) as store:
        df = auctions_view(store, tenor, last, all_tenors)
    _print(df, fmt, "JGB auctions (bid-to-cover ratio; tails in JPY per 100 and bp; yields in %)", df.attrs["conventions"], index=False)


class By(str, Enum):
    day = "day"
    month = "month"
    year = "year"
    episode = "episode"


@app.command()
def intervention(
    by: Annotated[By, typer.Option("--by", help="Group by day, month, year or episode.")] = By.episode,
    last: Annotated[Optional[int], typer.Option("--last", help="Only the last N rows.")] = None,
    home: HomeOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """MOF FX intervention ledger: amounts, direction, cumulative yen bought/sold, USD/JPY around episodes.

    Example:

        yenflow intervention --by episode
    """
    from yenflow.views.stress import intervention_view

    with _Errors(), _open(home) as store:
        df = intervention_view(store, by.value)
    conv = df.attrs["conventions"]
    if last:
        df = df.tail(last)
    _print(df, fmt, f"MOF FX intervention by {by.value} (JPY 100m)", conv, index=False)


@app.command()
def holdings(home: HomeOpt = None, fmt: FmtOpt = Fmt.table) -> None:
    """Who holds what: Japan's UST holdings (TIC) and JGB holdings by holder (BOJ flow of funds).

    Example:

        yenflow holdings
    """
    from yenflow.views.stress import holdings_view

    with _Errors(), _open(home) as store:
        v = holdings_view(store)
    if "ust_summary" in v:
        _print(v["ust_summary"], fmt, "US Treasury holdings, TIC (USD bn, month-end; custody-based)", index=False)
        if fmt == Fmt.table:
            _print(v["ust"].tail(13), fmt, "Japan's UST holdings (USD bn) and share of all foreign holdings (%)")
    if "jgb" in v:
        when = v["jgb"].attrs.get("as_of")
        _print(v["jgb"], fmt, f"JGBs (incl. T-bills) by holder, BOJ flow of funds, {when:%Y-%m-%d} (JPY tn; % of total)", index=False)


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        if "=" not in item:
            _fail(f"{option} takes COLUMN=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file.", exists=True, dir_okay=False)],
    series_id: Annotated[str, typer.Option("--series", help="Series id to store it as.")],
    unit: Annotated[str, typer.Option("--unit", help="Unit, stated explicitly (%, bp, JPY per USD, JPY 100m…).")],
    date_col: Annotated[Optional[str], typer.Option("--date-col", help="Date column (default: the first).")] = None,
    value_col: Annotated[Optional[str], typer.Option("--value-col", help="Value column (default: the second).")] = None,
    source_text: Annotated[str, typer.Option("--source", help="Where the file comes from (shown in the catalog).")] = "user import",
    name: Annotated[Optional[str], typer.Option("--name", help="Human name.")] = None,
    frequency: Annotated[str, typer.Option("--frequency", help="daily, weekly, monthly…")] = "unknown",
    sheet: Annotated[Optional[str], typer.Option("--sheet", help="XLSX sheet name (default: the first).")] = None,
    scale: Annotated[float, typer.Option("--scale", help="Multiply values (e.g. 10: JPY bn → JPY 100m).")] = 1.0,
    where: Annotated[Optional[list[str]], typer.Option("--where", help="Keep rows where COLUMN=VALUE (repeatable).")] = None,
    negate_where: Annotated[Optional[list[str]], typer.Option("--negate-where", help="Flip the sign where COLUMN=VALUE.")] = None,
    sum_duplicates: Annotated[bool, typer.Option("--sum-duplicates", help="Add up rows sharing a date.")] = False,
    allow_shrink: Annotated[bool, typer.Option("--allow-shrink", help="Accept a file with fewer observations than the one imported from the same path before.")] = False,
    home: HomeOpt = None,
) -> None:
    """Import your own series (CSV/XLSX) with the same vintage rules as official data.

    Example:

        yenflow import basis.csv --series user.basis.usdjpy.3m --unit bp --source "Bloomberg export"
    """
    from yenflow.pipeline import import_file
    from yenflow.update_summary import print_summary

    params = dict(
        series_id=series_id, unit=unit, name=name, frequency=frequency, date_col=date_col,
        value_col=value_col, source_text=source_text, sheet=sheet, scale=scale,
        where=_pairs(where, "--where"), negate_where=_pairs(negate_where, "--negate-where"),
        sum_duplicates=sum_duplicates,
    )
    with _Errors(), _open(home, read_only=False) as store:
        result = import_file(store, file, params, allow_shrink=allow_shrink)
    print_summary([result])
    if not result.ok:
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
