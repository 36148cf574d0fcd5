"""The static report (``yenflow report``): one HTML file that opens offline
(plotly.js inlined, no request leaves the file), a PNG per chart (matplotlib),
a CSV per panel and a short Markdown summary — the three answers, what moved
this week, records and stale sources. Every panel is a view result drawn by
the same renderers as the dashboard."""

from yenflow.report.build import ReportFiles, build_report

__all__ = ["ReportFiles", "build_report"]
