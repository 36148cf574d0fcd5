"""Every view command's name and help, so that ``yenflow --help`` lists them without importing the views (which
costs more than the rest of the start-up). Generated from the view registry by cog — after adding or changing a
view: ``uv run cog -r src/yenflow/cli_index.py``; CI checks it is current."""

from __future__ import annotations

# [[[cog
# import cog
# from yenflow.cli_views import index_source
# cog.out(index_source())
# ]]]
VIEW_COMMANDS: tuple[tuple[str, str], ...] = (
    ('show', 'Print series side by side, with their units and the date of each value.\n\nExample:\n\n    yenflow show jgb.10y ust.par.10y fx.usdjpy --start 2024-07-25 --end 2024-08-10'),
    ('vintages', 'Every stored vintage of a series: value, when first seen, from which file.\n\nExample:\n\n    yenflow vintages fx.usdjpy --date 2019-02-20'),
    ('series', 'Search the series catalog: id, name, unit, frequency, first and last observation.\n\nExample:\n\n    yenflow series jgb'),
    ('status', "Per source: last update, last observation, rows, stale or fresh against the publisher's release calendar, last error.\n\nExample:\n\n    yenflow status"),
    ('sources', 'The registered sources: publisher, the files each reads from a folder (--from), official URLs.\n\nExample:\n\n    yenflow sources'),
    ('monitor', 'The latest rates, FX, flows, carry and positioning in one screen, with changes over a week, a month and a year.\n\nExample:\n\n    yenflow monitor'),
    ('answer', 'The three questions answered from the latest data: is Japanese money coming home, are foreigners selling Japan, is the carry trade unwinding — each with its evidence and rule.\n\nExample:\n\n    yenflow answer'),
    ('flows', 'MOF portfolio flows with rolling sums and context (percentile, "largest since", streaks, records); --reconcile compares weekly and monthly.\n\nExample:\n\n    yenflow flows --monthly --side foreign --asset total --last 24'),
    ('investors', "Residents' net purchases of foreign securities by investor type (banks, lifers, pensions…), latest month with 3/12-month sums: who is bringing money home.\n\nExample:\n\n    yenflow investors --asset bonds"),
    ('jgb-buyers', 'Who buys JGBs: JSDA OTC net buying by foreigners, insurers and banks per maturity bucket.\n\nExample:\n\n    yenflow jgb-buyers --last 6'),
    ('hedge', 'FX-hedged yield, decomposed: local yield, short-rate differential, basis, hedge cost/pickup, for a yen investor in USTs or a dollar investor in JGBs.\n\nExample:\n\n    yenflow hedge --tenor 5 --side us --basis -30'),
    ('breakeven', 'Break-evens per tenor: the JGB yield that matches a hedged (100/75/50/0 %) UST, and the USD/JPY fall that wipes out a year of unhedged carry.\n\nExample:\n\n    yenflow breakeven --basis -25'),
    ('spreads', 'UST−JGB spreads by tenor and 2s10s/10s30s slopes, in bp, with historical percentiles.\n\nExample:\n\n    yenflow spreads'),
    ('carry', 'USD/JPY carry monitor: carry, realised vol, carry/vol, the carry index and its largest drawdowns.\n\nExample:\n\n    yenflow carry'),
    ('cot', 'CFTC yen futures positioning by trader group (net, w/w, % OI, 3-year percentile, $ notional), with report and release dates.\n\nExample:\n\n    yenflow cot --weeks 8'),
    ('auctions', 'JGB auction demand: bid-to-cover and tails against each tenor\'s history, "weakest/strongest since", weak-auction flags.\n\nExample:\n\n    yenflow auctions --tenor 10 --last 6'),
    ('intervention', 'MOF FX intervention ledger: amounts, direction, cumulative yen bought/sold, USD/JPY around episodes.\n\nExample:\n\n    yenflow intervention --by episode'),
    ('holdings', "Who holds what: Japan's UST holdings (TIC) and JGB holdings by holder (BOJ flow of funds), with shares that add to 100 %.\n\nExample:\n\n    yenflow holdings"),
    ('fx-monthly', "USD/JPY monthly averages of the daily noon buying rates (the Fed's G.5 method), with the month's high, low, last fixing and number of fixings.\n\nExample:\n\n    yenflow fx-monthly --last 12"),
    ('boj', "BOJ policy-rate decisions: the Monetary Policy Meeting's decision date, the date the new target took effect, the target and the change.\n\nExample:\n\n    yenflow boj"),
    ('wealth', 'Japan\'s overseas wealth: the net external position and its parts in ¥ and $ (period-end rate), changes and "highest since", who holds the foreign securities, the position with the U.S., and the seed\'s figures checked.\n\nExample:\n\n    yenflow wealth --last 8'),
    ('by-country', "Portfolio flows by counterpart economy (BOJ BoP): ranked, each economy's share of the total, MOF's ITS total beside it; --country follows one economy.\n\nExample:\n\n    yenflow by-country --side foreign --country US --date 2025-04-30"),
    ('value-growth', 'TOPIX Value vs TOPIX Growth: the value/growth ratio (rebased to 100) and 1-month, 3-month and 1-year relative returns, with where the ratio stands in its history.\n\nExample:\n\n    yenflow value-growth --last 10'),
    ('inflation', "Inflation and ex-post real rates: Japan headline, core, core-core CPI y/y (across the Bureau's bases), US CPI y/y, real BOJ and Fed policy rates, real 10-year yields.\n\nExample:\n\n    yenflow inflation --month 2025-12"),
    ('carry-size', "The yen carry trade as a range, never one number: CFTC futures in ¥ and $, BIS on-balance-sheet lenses, the BIS Bulletin's ¥40 tn / $250 bn line and the seed's $160–500 bn, with what each covers and misses.\n\nExample:\n\n    yenflow carry-size"),
    ('equity-flows', "Who buys Japanese stocks: JPX weekly net buying by investor type (foreigners, individuals, business companies as the buyback proxy, trust banks…) beside MOF's weekly foreign equity flows.\n\nExample:\n\n    yenflow equity-flows --weeks 8"),
    ('episode', 'Markets around an episode: USD/JPY, JGB and UST yields, Nikkei, TOPIX, S&P 500, VIX, CFTC positioning, weekly flows and intervention over a window and the same length before it; what the store lacks is listed.\n\nExample:\n\n    yenflow episode --preset aug-2024'),
    ('scenario run', 'Monte Carlo of Japanese repatriation and carry unwind: quantiles of repatriation, UST 10y, USD/JPY and JGB yields over the horizon, and which parameters drive the spread.\n\nExample:\n\n    yenflow scenario run --preset "BOJ 1.5% / Fed 3%" --paths 100000'),
    ('scenario presets', 'The named scenarios: built in, then those of --presets FILE.\n\nExample:\n\n    yenflow scenario presets'),
    ('signals', 'The "sell Japan" composite as known on a date, and (--components) what drives it: auctions, foreign flows, repatriation, hedged gaps, the yen, carry, CFTC positioning, the BOJ.\n\nExample:\n\n    yenflow signals --components'),
    ('backtest', 'Event study of the sell-Japan composite (or one component), point in time: USD/JPY, JGB 10Y/30Y and UST 10Y 1, 4 and 13 weeks after its extremes, with block-bootstrap intervals.\n\nExample:\n\n    yenflow backtest composite --horizon 4w'),
    ('events', 'Events to mark on charts: BOJ policy decisions, MOF intervention days, weak JGB auctions — dated and labelled.\n\nExample:\n\n    yenflow events --kinds boj,intervention'),
    ('curves', 'UST and JGB yield curves today, a month and a year ago (%), with the date of each.\n\nExample:\n\n    yenflow curves --date 2024-08-05'),
    ('spread-history', 'UST−JGB yield spreads by tenor over time (bp).\n\nExample:\n\n    yenflow spread-history --years 5'),
    ('flow-history', 'One MOF flow over time: each week (month), its 13-week (12-month) sum against the 10–90 % band of its own trailing history, and year-to-date running sums by year.\n\nExample:\n\n    yenflow flow-history --side resident --asset bonds --years 3'),
    ('rotation', "Asset-class rotation: 12-month sums of Japanese residents' foreign equity and bond buying and foreigners' Japanese equity and bond buying (¥tn).\n\nExample:\n\n    yenflow rotation --years 5"),
    ('investor-history', "Japanese residents' net buying of foreign securities by investor type over time: banks, life insurers, trust accounts (≈ pensions), investment trusts (12-month sums, ¥tn).\n\nExample:\n\n    yenflow investor-history --asset bonds"),
)
# [[[end]]]
