"""Japan Exchange Group (JPX) sources."""

from __future__ import annotations

from yenflow.sources.jpx.investor_types import JpxInvestorTypes

__all__ = ["JpxInvestorTypes"]
