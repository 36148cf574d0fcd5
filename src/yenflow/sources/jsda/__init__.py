"""Japan Securities Dealers Association sources."""

from __future__ import annotations

from yenflow.sources.jsda.bond_trading import JsdaBondTrading

__all__ = ["JsdaBondTrading"]
