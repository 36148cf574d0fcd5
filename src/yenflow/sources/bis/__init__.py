"""Bank for International Settlements sources."""

from __future__ import annotations

from yenflow.sources.bis.lbs import BisLbs

__all__ = ["BisLbs"]
