"""CFTC Commitments of Traders sources (Japanese yen futures, code 097741)."""

from __future__ import annotations

from yenflow.sources.cftc.cot import CftcLegacy, CftcTff

__all__ = ["CftcLegacy", "CftcTff"]
