"""Statistics Bureau of Japan (総務省統計局) sources."""

from __future__ import annotations

from yenflow.sources.statbureau.cpi import StatBureauCpi

__all__ = ["StatBureauCpi"]
