"""Bank of Japan sources: the Time-Series Statistics Search API and Flow of Funds workbooks."""

from __future__ import annotations

from yenflow.sources.boj.api import BOJ_CREDIT, MPM_DECISIONS, BojApi
from yenflow.sources.boj.flow_of_funds import BojFlowOfFunds

__all__ = ["BOJ_CREDIT", "MPM_DECISIONS", "BojApi", "BojFlowOfFunds"]
