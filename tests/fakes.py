"""A tiny source used to test the store and pipeline on their own.

Format (written for these tests): a header line ``date,<series>,...`` then
rows ``YYYY-MM-DD,value,...``; ``-`` is missing. Anything else is a ParseError.
"""

from __future__ import annotations

from yenflow.errors import ParseError
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source


class FakeSource(Source):
    name = "fake.a"
    title = "Fake A"
    publisher = "tests"
    files = (FileSpec("a", None, "fake/a.csv", ("fake/a*.csv",)),)
    max_age_days = 5

    def parse(self, raw: bytes, filename: str) -> Parsed:
        import pandas as pd

        lines = raw.decode().strip().splitlines()
        header = lines[0].split(",")
        if header[0] != "date":
            raise ParseError(self.name, filename, "header starting with 'date'", header[0], row=1)
        rows = []
        for n, line in enumerate(lines[1:], start=2):
            cells = line.split(",")
            if len(cells) != len(header):
                raise ParseError(self.name, filename, f"{len(header)} cells", len(cells), row=n)
            for sid, cell in zip(header[1:], cells[1:]):
                if cell == "-":
                    continue
                try:
                    rows.append((sid, pd.Timestamp(cells[0]), float(cell)))
                except ValueError:
                    raise ParseError(self.name, filename, "a number", cell, row=n) from None
        obs = pd.DataFrame(rows, columns=["series_id", "ref_date", "value"])
        obs["ref_date"] = obs["ref_date"].astype("datetime64[ns]")
        infos = [SeriesInfo(s, f"Fake {s}", "%", "daily") for s in header[1:]]
        return Parsed(obs, infos)


class FakeSourceB(FakeSource):
    name = "fake.b"
    files = (FileSpec("b", None, "fake/b.csv", ("fake/b*.csv",)),)
